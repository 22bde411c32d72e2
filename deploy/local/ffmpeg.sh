#!/usr/bin/env bash
# ffmpeg and ffprobe for the media pipeline (internal/ffmpeg: probing
# uploads, HLS transcodes, keyframes and artwork) and its tests: Debian's
# ffmpeg package, which ships both commands. Installs it when missing. Where
# no package manager can, the media tests are skipped, except under CI=true.
#   deploy/local/ffmpeg.sh
# CINEGRAPH_FFMPEG names an ffmpeg binary to use instead (its ffprobe is
# expected beside it, or CINEGRAPH_FFPROBE names one).
ENGINE=ffmpeg
source "$(dirname "$0")/lib.sh"

found() {
	if [[ -n "${CINEGRAPH_FFMPEG:-}" ]]; then
		[[ -x "$CINEGRAPH_FFMPEG" ]] || return 1
		local probe="${CINEGRAPH_FFPROBE:-$(dirname "$CINEGRAPH_FFMPEG")/ffprobe}"
		[[ -x "$probe" ]] || return 1
		echo "$CINEGRAPH_FFMPEG"
		return
	fi
	command -v ffprobe >/dev/null 2>&1 || return 1
	command -v ffmpeg
}

version() { "$1" -hide_banner -version 2>/dev/null | head -n 1 || true; }

if path="$(found)"; then
	log "using $path ($(version "$path"))"
	exit 0
fi
if [[ -n "${CINEGRAPH_FFMPEG:-}" ]]; then
	die "CINEGRAPH_FFMPEG=$CINEGRAPH_FFMPEG is not an executable with an ffprobe beside it (or in CINEGRAPH_FFPROBE)"
fi
if command -v apt-get >/dev/null 2>&1; then
	apt_install ffmpeg
	path="$(found)" || die "the ffmpeg package installed no ffmpeg and ffprobe commands"
	log "installed $path ($(version "$path"))"
	exit 0
fi
if [[ "${CI:-}" == true ]]; then
	die "no ffmpeg and no apt-get to install it: install ffmpeg or set CINEGRAPH_FFMPEG"
fi
log "no ffmpeg and no apt-get: the media tests in internal/ffmpeg will be skipped (set CINEGRAPH_FFMPEG to run them)"
