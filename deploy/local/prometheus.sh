#!/usr/bin/env bash
# Prometheus for the observability checks in deploy/observability and e2e/:
# Debian's prometheus package (promtool and the server), installed when
# missing. Nothing is started unless asked: the checks only need promtool,
# and the e2e scrape test starts a server of its own on a free port.
#   deploy/local/prometheus.sh install        install the package if missing
#   deploy/local/prometheus.sh path NAME      print the path of promtool or prometheus
#   deploy/local/prometheus.sh up [CONFIG]    start a server on 127.0.0.1:59090 with CONFIG
#                                             (default: deploy/observability/prometheus/prometheus.yml)
#   deploy/local/prometheus.sh down|status
# CINEGRAPH_PROMTOOL and CINEGRAPH_PROMETHEUS name binaries to use instead.
# Where no package manager can install it, the checks are skipped, except
# under CI=true, where a missing binary is an error.
ENGINE=prometheus
source "$(dirname "$0")/lib.sh"

PORT="${CINEGRAPH_PROMETHEUS_PORT:-59090}"

# found NAME: the path of promtool or prometheus, if there is one.
found() {
	local override
	case "$1" in
	promtool) override="${CINEGRAPH_PROMTOOL:-}" ;;
	prometheus) override="${CINEGRAPH_PROMETHEUS:-}" ;;
	*) die "no binary called $1" ;;
	esac
	if [[ -n "$override" ]]; then
		[[ -x "$override" ]] && echo "$override"
		return
	fi
	command -v "$1"
}

install() {
	if found promtool >/dev/null && found prometheus >/dev/null; then
		return 0
	fi
	if command -v apt-get >/dev/null 2>&1; then
		# The package's service is not wanted: the checks run their own
		# servers. policy-rc.d may already forbid starting it; where it does
		# not, it is stopped again below.
		apt_install prometheus
		if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
			local sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
			$sudo systemctl disable --now prometheus >/dev/null 2>&1 || true
		fi
		found promtool >/dev/null || die "the prometheus package installed no promtool"
		log "installed $(found prometheus) ($("$(found prometheus)" --version 2>&1 | head -n1))"
		return 0
	fi
	if [[ "${CI:-}" == true ]]; then
		die "no promtool and no apt-get to install it: install prometheus or set CINEGRAPH_PROMTOOL and CINEGRAPH_PROMETHEUS"
	fi
	log "no Prometheus and no apt-get: the Prometheus checks will be skipped (set CINEGRAPH_PROMTOOL and CINEGRAPH_PROMETHEUS to run them)"
}

path() {
	install
	found "$1" || die "no $1"
}

DIR="$(engine_dir prometheus)"
PIDFILE="$DIR/prometheus.pid"
LOGFILE="$DIR/prometheus.log"

answers() { curl -fsS "http://127.0.0.1:$PORT/-/ready" >/dev/null 2>&1; }

up() {
	local conf="${1:-$REPO_ROOT/deploy/observability/prometheus/prometheus.yml}"
	[[ -f "$conf" ]] || die "no configuration at $conf"
	install
	local bin; bin="$(found prometheus)" || die "no prometheus binary"
	if answers; then
		log "already running on 127.0.0.1:$PORT (log: $LOGFILE)"
		return 0
	fi
	local start=$SECONDS
	# Prometheus reads rule_files relative to the configuration's folder.
	nohup "$bin" \
		--config.file="$conf" \
		--storage.tsdb.path="$DIR/data" \
		--storage.tsdb.retention.time=2d \
		--web.listen-address="127.0.0.1:$PORT" \
		>>"$LOGFILE" 2>&1 &
	echo $! >"$PIDFILE"
	wait_until 60 "Prometheus on 127.0.0.1:$PORT" answers || die "no answer on 127.0.0.1:$PORT, see $LOGFILE"
	log "up in $(( SECONDS - start ))s: http://127.0.0.1:$PORT (config: $conf, log: $LOGFILE)"
}

down() {
	if pid_alive "$PIDFILE"; then
		stop_pid "$PIDFILE"
		log "stopped"
	else
		rm -f "$PIDFILE"
		log "not running"
	fi
}

status() {
	if answers; then
		log "running on 127.0.0.1:$PORT (data: $DIR/data, log: $LOGFILE)"
	else
		log "not running"
		return 1
	fi
}

case "${1:-}" in
install) install ;;
path) [[ -n "${2:-}" ]] || die "usage: $0 path promtool|prometheus"; path "$2" ;;
up) up "${2:-}" ;;
down) down ;;
status) status ;;
*) die "usage: $0 install|path NAME|up [CONFIG]|down|status" ;;
esac
