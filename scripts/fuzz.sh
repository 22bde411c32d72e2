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

# Go before 1.27 can end a clean run with a bare "context deadline exceeded"
# when -fuzztime expires while a worker is mid-call (go.dev/issue/75804):
# nothing was found and no input written. Such a run is repeated once; any
# other failure, or an input written, fails at once.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
fuzz() {
	"$GO" test -run '^$' -fuzz "^$1\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$FUZZMINIMIZETIME" "$2" 2>&1 | tee "$log"
	return "${PIPESTATUS[0]}"
}
for t in "${TARGETS[@]}"; do
	read -r name pkg <<<"$t"
	echo "== $name ($pkg, $FUZZTIME)"
	if fuzz "$name" "$pkg"; then
		continue
	fi
	if grep -q 'context deadline exceeded' "$log" && ! grep -qE 'Failing input written|panic:|^\s+\S+_test\.go:[0-9]+:' "$log"; then
		echo "== $name: the fuzzing engine's deadline race (no input found); once more"
		fuzz "$name" "$pkg"
	else
		exit 1
	fi
done
