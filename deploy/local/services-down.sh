#!/usr/bin/env bash
# Stops the engines started by services-up.sh. Data is kept.
#   deploy/local/services-down.sh [engine ...]   (default: all)
source "$(dirname "$0")/lib.sh"
engines=("$@")
(( ${#engines[@]} > 0 )) || engines=(zipkin elasticsearch cassandra kafka redis postgres)
for e in "${engines[@]}"; do
	[[ -x "$REPO_ROOT/deploy/local/$e.sh" ]] && "$REPO_ROOT/deploy/local/$e.sh" down
done
