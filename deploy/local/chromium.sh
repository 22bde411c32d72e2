#!/usr/bin/env bash
# Chromium for the browser checks in e2e/ (a hostile page on another origin
# against cinegraph serve, and the web app's browser suite in e2e/browser):
# Debian's chromium package, which puppeteer-core drives; npm downloads no
# browser. Installs it when missing. Where no
# package manager can, the checks are skipped, except under CI=true.
#   deploy/local/chromium.sh
ENGINE=chromium
source "$(dirname "$0")/lib.sh"

found() {
	if [[ -n "${CINEGRAPH_CHROMIUM:-}" ]]; then
		[[ -x "$CINEGRAPH_CHROMIUM" ]] && echo "$CINEGRAPH_CHROMIUM"
		return
	fi
	command -v chromium || command -v chromium-browser || command -v google-chrome
}

if path="$(found)"; then
	log "using $path"
	exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
	apt_install chromium
	path="$(found)" || die "the chromium package installed no chromium command"
	log "installed $path ($("$path" --version 2>/dev/null || true))"
	exit 0
fi
if [[ "${CI:-}" == true ]]; then
	die "no Chromium and no apt-get to install it: install chromium or set CINEGRAPH_CHROMIUM"
fi
log "no Chromium and no apt-get: the browser checks in e2e/ will be skipped (set CINEGRAPH_CHROMIUM to run them)"
