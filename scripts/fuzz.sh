#!/usr/bin/env bash
# Runs every Go fuzz target for the given time each, one at a time (they
# share the machine's cores): make fuzz for long runs, make test-fuzz for a
# few seconds each. Plain `go test` runs only the seed corpora.
#   scripts/fuzz.sh [FUZZTIME]    (default 1m; e.g. 5s, 10m)
# A failing input is written under the package's testdata/fuzz/<Target>/,
# where plain `go test` then replays it.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZTIME="${1:-1m}"
GO="${GO:-go}"
# Each input that finds new coverage is minimized before fuzzing goes on,
# which for an input of a few KiB can take the whole run; bound it.
FUZZMINIMIZETIME="${FUZZMINIMIZETIME:-10s}"

# target package
TARGETS=(
	"FuzzPlan ./router"
	"FuzzCompose ./router/compose"
	"FuzzParseJSON ./router/wire"
	"FuzzReadHTTP ./router/request"
	"FuzzDecodeMessage ./router/transport/ws"
)

# Every fuzz target in the module must be listed above.
listed=" ${TARGETS[*]} "
for name in $(git grep --untracked -h -o '^func Fuzz[A-Za-z0-9_]*' -- '*_test.go' | sed 's/^func //' | sort -u); do
	if [[ "$listed" != *" $name "* ]]; then
		echo "scripts/fuzz.sh: $name is not in TARGETS" >&2
		exit 1
	fi
done

for t in "${TARGETS[@]}"; do
	read -r name pkg <<<"$t"
	echo "== $name ($pkg, $FUZZTIME)"
	"$GO" test -run '^$' -fuzz "^$name\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$FUZZMINIMIZETIME" "$pkg"
done
