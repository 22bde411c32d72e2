#!/usr/bin/env bash
# Redis for Cinegraph's cluster mode: the Debian redis-server with a config
# file of our own, on 127.0.0.1:56379, data and log under .data/engines/redis.
#   deploy/local/redis.sh up|down|status
ENGINE=redis
source "$(dirname "$0")/lib.sh"

PORT="${CINEGRAPH_REDIS_PORT:-56379}"
DIR="$(engine_dir redis)"
CONF="$DIR/redis.conf"
PIDFILE="$DIR/redis.pid"
LOGFILE="$DIR/redis.log"

answers() { [[ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null)" == PONG ]]; }

write_config() {
	# Rewritten on every start so that a changed port or folder takes effect.
	# Only keys with a TTL (cache entries, counters) are evicted under memory
	# pressure; persisted documents without one stay.
	cat >"$CONF" <<CONF
bind 127.0.0.1
protected-mode yes
port $PORT
daemonize yes
pidfile $PIDFILE
logfile $LOGFILE
dir $DIR
dbfilename dump.rdb
save 300 1
appendonly no
maxmemory 256mb
maxmemory-policy volatile-lru
CONF
}

up() {
	apt_install redis-server
	local start=$SECONDS
	if answers; then
		log "already running on 127.0.0.1:$PORT (log: $LOGFILE)"
		return 0
	fi
	write_config
	redis-server "$CONF" || die "start failed, see $LOGFILE"
	wait_until 30 "Redis on 127.0.0.1:$PORT" answers || die "no answer on 127.0.0.1:$PORT, see $LOGFILE"
	log "up in $(( SECONDS - start ))s: redis://127.0.0.1:$PORT (log: $LOGFILE)"
}

down() {
	if answers; then
		# SHUTDOWN saves the data set first; fall back to the pid if refused.
		redis-cli -h 127.0.0.1 -p "$PORT" shutdown >/dev/null 2>&1 || stop_pid "$PIDFILE"
		local start=$SECONDS
		while port_open "$PORT"; do
			(( SECONDS - start < 30 )) || { stop_pid "$PIDFILE"; break; }
			sleep 1
		done
		log "stopped"
	else
		stop_pid "$PIDFILE"
		log "not running"
	fi
}

status() {
	if answers; then
		log "running on 127.0.0.1:$PORT (data: $DIR, log: $LOGFILE)"
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
