#!/usr/bin/env bash
# Elasticsearch for Cinegraph's cluster mode: the runnable zip Elastic
# publishes on Maven Central for integration tests, single-node, security
# off, HTTP on 127.0.0.1:59200 and transport on 127.0.0.1:59300. Its config
# copy, data, logs and pid file live under .data/engines/elasticsearch.
#   deploy/local/elasticsearch.sh up|down|status
ENGINE=elasticsearch
source "$(dirname "$0")/lib.sh"

VERSION="${CINEGRAPH_ELASTICSEARCH_VERSION:-8.19.7}"
PORT="${CINEGRAPH_ELASTICSEARCH_PORT:-59200}"
TRANSPORT_PORT="${CINEGRAPH_ELASTICSEARCH_TRANSPORT_PORT:-59300}"
HEAP="${CINEGRAPH_ELASTICSEARCH_HEAP:-512m}"
ZIP_DIR="$ENGINES_CACHE/elasticsearch-$VERSION"
DIR="$(engine_dir elasticsearch)"
# Elasticsearch refuses to run as root, and the cache under root's home is
# not readable by another user, so the distribution is unpacked (from the
# cached zip) next to the data, where the service user can read it.
HOME_DIR="$DIR/elasticsearch-$VERSION"
CONF_DIR="$DIR/config"
PIDFILE="$DIR/elasticsearch.pid"
LOG_DIR="$DIR/logs"
LOGFILE="$LOG_DIR/cinegraph.log"
SERVICE_USER="${CINEGRAPH_ELASTICSEARCH_USER:-cinegraph-es}"
URL="http://127.0.0.1:$PORT"

# answers: cluster health is yellow or green.
answers() {
	curl -fsS --max-time 3 "$URL/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null \
		| grep -Eq '"status":"(yellow|green)"'
}

fetch() {
	command -v java >/dev/null || apt_install openjdk-17-jre-headless
	command -v mvn >/dev/null || apt_install maven
	command -v curl >/dev/null || apt_install curl
	command -v unzip >/dev/null || apt_install unzip
	maven_fetch "$ZIP_DIR" "org.elasticsearch.distribution.integ-test-zip:elasticsearch:$VERSION:zip"
	if [[ ! -x "$HOME_DIR/bin/elasticsearch" ]]; then
		log "unpacking Elasticsearch $VERSION"
		unzip -q -o "$ZIP_DIR/elasticsearch-$VERSION.zip" -d "$DIR"
	fi
}

write_config() {
	# The distribution's config is copied once, then our settings rewritten
	# on every start so that a changed port takes effect.
	if [[ ! -f "$CONF_DIR/jvm.options" ]]; then
		mkdir -p "$CONF_DIR"
		cp -r "$HOME_DIR/config/." "$CONF_DIR/"
	fi
	cat >"$CONF_DIR/elasticsearch.yml" <<CONF
cluster.name: cinegraph
node.name: cinegraph-es
path.data: $DIR/data
path.logs: $LOG_DIR
network.host: 127.0.0.1
http.port: $PORT
transport.port: $TRANSPORT_PORT
discovery.type: single-node
xpack.security.enabled: false
# Dev machines run with little free disk; never turn indexes read-only.
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
CONF
	# Small heap: all engines and the test suite share a small machine.
	cat >"$CONF_DIR/jvm.options.d/heap.options" <<OPTS
-Xms$HEAP
-Xmx$HEAP
OPTS
}

# as_service_user CMD...: run CMD as the unprivileged user when we are root.
as_service_user() {
	if [[ $(id -u) -eq 0 ]]; then
		id "$SERVICE_USER" >/dev/null 2>&1 \
			|| useradd --system --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
		chown -R "$SERVICE_USER" "$DIR"
		runuser -u "$SERVICE_USER" -- "$@"
	else
		"$@"
	fi
}

up() {
	local start=$SECONDS
	if answers; then
		log "already running on $URL (log: $LOGFILE)"
		return 0
	fi
	port_open "$PORT" && die "127.0.0.1:$PORT is taken by another process"
	fetch
	write_config
	mkdir -p "$LOG_DIR" "$DIR/data" "$DIR/tmp"
	rm -f "$PIDFILE"
	as_service_user env ES_PATH_CONF="$CONF_DIR" ES_TMPDIR="$DIR/tmp" ES_JAVA_HOME="${ES_JAVA_HOME:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}" \
		"$HOME_DIR/bin/elasticsearch" -d -p "$PIDFILE" >>"$DIR/elasticsearch.out" 2>&1 \
		|| die "start failed, see $LOGFILE and $DIR/elasticsearch.out"
	wait_until 180 "Elasticsearch on $URL" answers || die "no answer on $URL, see $LOGFILE"
	log "up in $(( SECONDS - start ))s: $URL (log: $LOGFILE)"
}

down() {
	if pid_alive "$PIDFILE"; then
		stop_pid "$PIDFILE" 60
		log "stopped"
	else
		rm -f "$PIDFILE"
		log "not running"
	fi
}

status() {
	if answers; then
		log "running on $URL (data: $DIR, log: $LOGFILE)"
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
