#!/usr/bin/env bash
# PostgreSQL for Cinegraph's cluster mode: the Debian server binaries run a
# cluster of our own under .data/engines/postgres, on 127.0.0.1:55432, with
# role and database "cinegraph" (password "cinegraph").
#   deploy/local/postgres.sh up|down|status
ENGINE=postgres
source "$(dirname "$0")/lib.sh"

PORT="${CINEGRAPH_POSTGRES_PORT:-55432}"
DIR="$(engine_dir postgres)"
DATA="$DIR/data"
LOGFILE="$DIR/postgres.log"
ROLE=cinegraph

pg_bin() {
	local bin
	bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
	[[ -n "$bin" ]] || die "no PostgreSQL server binaries under /usr/lib/postgresql"
	echo "$bin"
}

# as_owner CMD...: PostgreSQL refuses to run as root, so root runs it as
# the postgres system user that the Debian package creates.
as_owner() {
	if [[ $(id -u) -eq 0 ]]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# answers: the cinegraph role can log in over TCP and run a query.
answers() {
	PGPASSWORD="$ROLE" PGCONNECT_TIMEOUT=2 "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d "$ROLE" -XAtqc 'SELECT 1' | grep -qx 1
}

# superuser_sql SQL: run SQL as the cluster's superuser over its socket.
superuser_sql() {
	as_owner "$BIN/psql" -h "$DIR" -p "$PORT" -U postgres -d postgres -XAtq -v ON_ERROR_STOP=1 -c "$1"
}

# own_dir: the server (run as postgres when we are root) writes its data,
# socket and log under DIR.
own_dir() {
	if [[ $(id -u) -eq 0 ]]; then
		touch "$LOGFILE"
		chown -R postgres:postgres "$DIR"
		runuser -u postgres -- test -w "$DIR" \
			|| die "the postgres user cannot reach $DIR; point CINEGRAPH_ENGINES_DATA at a folder whose parents it may enter"
	fi
}

init_cluster() {
	[[ -f "$DATA/PG_VERSION" ]] && return 0
	log "initialising a cluster in $DATA"
	own_dir
	# C collation orders text by bytes, as the embedded store does.
	as_owner "$BIN/initdb" -D "$DATA" -U postgres --encoding=UTF8 --locale=C \
		--auth-local=trust --auth-host=scram-sha-256 >>"$LOGFILE" 2>&1 || die "initdb failed, see $LOGFILE"
	# Small footprint: every engine and the test suite share a small machine.
	# synchronous_commit=off keeps per-test schema churn fast; a crash loses
	# at most the last few commits of local data.
	cat >>"$DATA/postgresql.conf" <<CONF

# Cinegraph local engine
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
max_connections = 200
shared_buffers = 64MB
work_mem = 8MB
maintenance_work_mem = 64MB
synchronous_commit = off
log_min_duration_statement = 2000
CONF
}

ensure_role() {
	superuser_sql "DO \$\$ BEGIN
		IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
			CREATE ROLE $ROLE LOGIN PASSWORD '$ROLE';
		END IF;
	END \$\$;" >/dev/null
	if [[ "$(superuser_sql "SELECT 1 FROM pg_database WHERE datname = '$ROLE'")" != 1 ]]; then
		superuser_sql "CREATE DATABASE $ROLE OWNER $ROLE" >/dev/null
	fi
}

up() {
	apt_install postgresql
	BIN="$(pg_bin)"
	local start=$SECONDS
	if answers 2>/dev/null; then
		log "already running on 127.0.0.1:$PORT (log: $LOGFILE)"
		return 0
	fi
	init_cluster
	own_dir
	if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
		as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 60 start >/dev/null || die "start failed, see $LOGFILE"
	fi
	ensure_role
	wait_until 60 "PostgreSQL on 127.0.0.1:$PORT" answers || die "no answer on 127.0.0.1:$PORT, see $LOGFILE"
	log "up in $(( SECONDS - start ))s: postgres://$ROLE:$ROLE@127.0.0.1:$PORT/$ROLE (log: $LOGFILE)"
}

down() {
	BIN="$(pg_bin)"
	if [[ -f "$DATA/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
		as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
		log "stopped"
	else
		log "not running"
	fi
}

status() {
	BIN="$(pg_bin)"
	if answers 2>/dev/null; then
		log "running on 127.0.0.1:$PORT (data: $DATA, log: $LOGFILE)"
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
