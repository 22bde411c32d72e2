#!/usr/bin/env bash
# Zipkin, the trace store and UI that Cinegraph's tracing can export to
# (tracing.exporter: zipkin): the executable jar Zipkin publishes on Maven
# Central, in-memory storage, HTTP (API, UI and span intake) on
# 127.0.0.1:59411. Log and pid file under .data/engines/zipkin.
#   deploy/local/zipkin.sh up|down|status
ENGINE=zipkin
source "$(dirname "$0")/lib.sh"

VERSION="${CINEGRAPH_ZIPKIN_VERSION:-3.6.1}"
PORT="${CINEGRAPH_ZIPKIN_PORT:-59411}"
HEAP="${CINEGRAPH_ZIPKIN_HEAP:-256m}"
# Spans kept in memory; the oldest go first.
MAX_SPANS="${CINEGRAPH_ZIPKIN_MAX_SPANS:-200000}"
JAR_DIR="$ENGINES_CACHE/zipkin-$VERSION"
JAR="$JAR_DIR/zipkin-server-$VERSION-exec.jar"
DIR="$(engine_dir zipkin)"
PIDFILE="$DIR/zipkin.pid"
LOGFILE="$DIR/zipkin.log"
URL="http://127.0.0.1:$PORT"

# answers: the health endpoint says UP.
answers() { curl -fsS --max-time 3 "$URL/health" 2>/dev/null | grep -q '"UP"'; }

fetch() {
	command -v java >/dev/null || apt_install openjdk-17-jre-headless
	command -v mvn >/dev/null || apt_install maven
	command -v curl >/dev/null || apt_install curl
	[[ -f "$JAR" ]] && return 0
	log "fetching io.zipkin:zipkin-server:$VERSION (exec jar) from Maven Central"
	mkdir -p "$JAR_DIR"
	mvn -q -B -Dstyle.color=never dependency:copy -Dartifact="io.zipkin:zipkin-server:$VERSION:jar:exec" -DoutputDirectory="$JAR_DIR" >&2 \
		|| die "could not fetch io.zipkin:zipkin-server:$VERSION"
}

up() {
	local start=$SECONDS
	if answers; then
		log "already running on $URL (log: $LOGFILE)"
		return 0
	fi
	port_open "$PORT" && die "127.0.0.1:$PORT is taken by another process"
	fetch
	rm -f "$PIDFILE"
	STORAGE_TYPE=mem MEM_MAX_SPANS="$MAX_SPANS" QUERY_PORT="$PORT" \
		nohup java "-Xms$HEAP" "-Xmx$HEAP" -XX:+UseSerialGC -jar "$JAR" \
		--armeria.ports[0].ip=127.0.0.1 --armeria.ports[0].port="$PORT" \
		--armeria.ports[0].protocols=http >>"$LOGFILE" 2>&1 &
	echo $! >"$PIDFILE"
	wait_until 120 "Zipkin on $URL" answers || die "no answer on $URL, see $LOGFILE"
	log "up in $(( SECONDS - start ))s: $URL (UI: $URL/zipkin/, log: $LOGFILE)"
}

down() {
	if pid_alive "$PIDFILE"; then
		stop_pid "$PIDFILE" 30
		log "stopped"
	else
		rm -f "$PIDFILE"
		log "not running"
	fi
}

status() {
	if answers; then
		log "running on $URL (UI: $URL/zipkin/, log: $LOGFILE)"
	else
		log "not running"
		return 1
	fi
}

case "${1:-}" in
up) up ;;
down) down ;;
status) status ;;
*) die "usage: $0 up|down|status" ;;
esac
