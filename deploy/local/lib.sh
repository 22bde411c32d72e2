# Shared helpers for the engine scripts in deploy/local. Sourced, not run.
#
# Every engine script takes one argument: up (start if not running, wait
# until it answers), down (stop) or status. Engines listen on 127.0.0.1
# only. Downloads are cached outside the repository, data lives under one
# folder:
#   CINEGRAPH_ENGINES_CACHE  downloaded artifacts   (default ~/.cache/cinegraph/engines)
#   CINEGRAPH_ENGINES_DATA   data, logs, pid files  (default <repo>/.data/engines)

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ENGINES_CACHE="${CINEGRAPH_ENGINES_CACHE:-$HOME/.cache/cinegraph/engines}"
ENGINES_DATA="${CINEGRAPH_ENGINES_DATA:-$REPO_ROOT/.data/engines}"
mkdir -p "$ENGINES_CACHE" "$ENGINES_DATA"

log() { printf '[%s] %s\n' "${ENGINE:-engines}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# engine_dir NAME: the data folder of an engine (created).
engine_dir() { mkdir -p "$ENGINES_DATA/$1"; echo "$ENGINES_DATA/$1"; }

# port_open PORT: true when something listens on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_until SECONDS DESCRIPTION CMD...: retry CMD every second until it
# succeeds or SECONDS pass.
wait_until() {
	local timeout="$1" what="$2"; shift 2
	local start=$SECONDS
	until "$@" >/dev/null 2>&1; do
		if (( SECONDS - start >= timeout )); then
			return 1
		fi
		sleep 1
	done
	log "$what ready after $(( SECONDS - start ))s"
}

# apt_install PKG...: install Debian packages that are missing.
apt_install() {
	local missing=()
	for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
	if (( ${#missing[@]} > 0 )); then
		log "installing ${missing[*]} from Debian packages"
		local sudo=""
		[[ $(id -u) -eq 0 ]] || sudo="sudo"
		$sudo apt-get update -qq >/dev/null
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	fi
}

# pid_alive FILE: true when the pid in FILE is a running process.
pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_pid FILE [SECONDS]: TERM the process in FILE, KILL it after SECONDS.
stop_pid() {
	local file="$1" timeout="${2:-30}"
	pid_alive "$file" || { rm -f "$file"; return 0; }
	local pid; pid="$(cat "$file")"
	kill "$pid" 2>/dev/null || true
	local start=$SECONDS
	while kill -0 "$pid" 2>/dev/null; do
		if (( SECONDS - start >= timeout )); then kill -9 "$pid" 2>/dev/null || true; break; fi
		sleep 1
	done
	rm -f "$file"
}

# maven_fetch DIR GROUP:ARTIFACT:VERSION[:TYPE[:CLASSIFIER]]: copy an artifact
# and, for jars, its runtime dependencies into DIR (once; cached).
maven_fetch() {
	local dir="$1" coords="$2"
	[[ -f "$dir/.complete" ]] && return 0
	mkdir -p "$dir"
	local pom="$dir/.pom.xml"
	IFS=: read -r g a v type classifier <<<"$coords"
	cat >"$pom" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.cinegraph</groupId><artifactId>engine-fetch</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version>${type:+<type>$type</type>}${classifier:+<classifier>$classifier</classifier>}</dependency>
  </dependencies>
</project>
POM
	log "fetching $coords from Maven Central"
	mvn -q -B -f "$pom" dependency:copy-dependencies -DoutputDirectory="$dir" -DincludeScope=runtime >&2 \
		|| die "could not fetch $coords"
	touch "$dir/.complete"
}
