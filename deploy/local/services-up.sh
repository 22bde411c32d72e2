#!/usr/bin/env bash
# Starts every engine Cinegraph's cluster mode uses, on 127.0.0.1, and waits
# until each answers. Idempotent: running engines are left as they are.
#   deploy/local/services-up.sh [engine ...]   (default: all)
source "$(dirname "$0")/lib.sh"
engines=("$@")
(( ${#engines[@]} > 0 )) || engines=(postgres redis kafka cassandra elasticsearch zipkin)
start=$SECONDS
for e in "${engines[@]}"; do
	[[ -x "$REPO_ROOT/deploy/local/$e.sh" ]] || die "no engine script deploy/local/$e.sh"
	"$REPO_ROOT/deploy/local/$e.sh" up
done
log "all up in $(( SECONDS - start ))s: ${engines[*]} (data and logs in $ENGINES_DATA)"
