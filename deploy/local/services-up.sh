#!/usr/bin/env bash
# Starts every engine Cinegraph's cluster mode uses, on 127.0.0.1, and waits
# until each answers. Idempotent: running engines are left as they are.
#   deploy/local/services-up.sh [engine ...]   (default: all)
# With CINEGRAPH_STARTED_FILE set, the engines this run started (not those
# already running) are appended to that file, one per line, so the caller
# can stop exactly those afterwards (make test does).
source "$(dirname "$0")/lib.sh"
# Read once and kept from the engine scripts and anything they run.
started_file="${CINEGRAPH_STARTED_FILE:-}"
unset CINEGRAPH_STARTED_FILE
engines=("$@")
(( ${#engines[@]} > 0 )) || engines=(postgres redis kafka cassandra elasticsearch zipkin)
start=$SECONDS
for e in "${engines[@]}"; do
	[[ -x "$REPO_ROOT/deploy/local/$e.sh" ]] || die "no engine script deploy/local/$e.sh"
	was_running=false
	"$REPO_ROOT/deploy/local/$e.sh" status >/dev/null 2>&1 && was_running=true
	"$REPO_ROOT/deploy/local/$e.sh" up
	if [[ -n "$started_file" && $was_running == false ]]; then
		echo "$e" >>"$started_file"
	fi
done
log "all up in $(( SECONDS - start ))s: ${engines[*]} (data and logs in $ENGINES_DATA)"
