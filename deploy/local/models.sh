#!/usr/bin/env bash
# Machine-learning models and their runtime for the insights subgraph,
# fetched from PyPI wheels into the user's cache (never into the repository
# or an image), once:
#   <cache>/nudenet-3.4.2/320n.onnx       YOLOv8n detector (faces, body regions) from the
#                                         nudenet wheel; AGPL-3.0, see LICENSE beside it
#   <cache>/onnxruntime-1.24.1/           libonnxruntime.so from the onnxruntime wheel (MIT);
#                                         with CINEGRAPH_ORT_FLAVOUR=gpu, from onnxruntime-gpu
#   <cache>/frames/                       sample frames (scikit-image 0.26.0's data: public
#                                         domain and CC0 photographs) the seeded videos use
# <cache> is CINEGRAPH_MODELS_DIR (default ~/.cache/cinegraph/models).
#   deploy/local/models.sh install    fetch what is missing
#   deploy/local/models.sh path       print <cache>
#   deploy/local/models.sh status     say what is installed
# Detection is optional: without these files the insights subgraph runs with
# detection off and says so. Under CI=true a failed fetch is an error.
ENGINE=models
source "$(dirname "$0")/lib.sh"

MODELS="${CINEGRAPH_MODELS_DIR:-$HOME/.cache/cinegraph/models}"
NUDENET_VERSION=3.4.2
ORT_VERSION=1.24.1 # the C API version github.com/yalue/onnxruntime_go v1.27.0 is built against
SKIMAGE_VERSION=0.26.0
FLAVOUR="${CINEGRAPH_ORT_FLAVOUR:-cpu}"

case "$(uname -m)" in
x86_64 | amd64) PLATFORM=manylinux_2_28_x86_64 ;;
aarch64 | arm64) PLATFORM=manylinux_2_28_aarch64 ;;
*) PLATFORM="" ;;
esac

pip_cmd() {
	if python3 -m pip --version >/dev/null 2>&1; then
		echo "python3 -m pip"
		return
	fi
	apt_install python3-pip >/dev/null 2>&1 || true
	python3 -m pip --version >/dev/null 2>&1 && echo "python3 -m pip"
}

# The fetch_* functions run in "||" lists, where set -e does not apply, so
# every step that can fail returns explicitly; .complete is written last.

# wheel NAME VERSION DIR: download one wheel (no dependencies) into DIR.
wheel() {
	local name="$1" version="$2" dir="$3" pip
	pip="$(pip_cmd)" || return 1
	[[ -n "$pip" ]] || return 1
	local args=(download --no-deps --only-binary=:all: --quiet -d "$dir" "$name==$version")
	if [[ -n "$PLATFORM" ]]; then
		args+=(--platform "$PLATFORM" --python-version 3.11 --implementation cp)
	fi
	log "fetching $name $version from PyPI"
	$pip "${args[@]}" >&2
}

# unpack WHEEL DEST MEMBER:NAME...: copy members of a wheel (a zip) to DEST.
unpack() {
	local whl="$1" dest="$2"; shift 2
	python3 - "$whl" "$dest" "$@" <<'PY'
import sys, zipfile, os
whl, dest, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(whl) as z:
    for pair in pairs:
        member, name = pair.split(":", 1)
        with z.open(member) as src, open(os.path.join(dest, name), "wb") as out:
            out.write(src.read())
PY
}

fetch_nudenet() {
	local dir="$MODELS/nudenet-$NUDENET_VERSION"
	[[ -f "$dir/.complete" ]] && return 0
	local tmp; tmp="$(mktemp -d)"
	mkdir -p "$dir"
	wheel nudenet "$NUDENET_VERSION" "$tmp" || { rm -rf "$tmp"; return 1; }
	unpack "$tmp"/nudenet-*.whl "$dir" nudenet/320n.onnx:320n.onnx \
		"nudenet-$NUDENET_VERSION.dist-info/LICENSE:LICENSE" \
		"nudenet-$NUDENET_VERSION.dist-info/LICENSE.md:LICENSE.md" || { rm -rf "$tmp"; return 1; }
	rm -rf "$tmp"
	touch "$dir/.complete"
}

fetch_runtime() {
	[[ -n "$PLATFORM" ]] || { log "no ONNX Runtime wheel for $(uname -m)"; return 1; }
	local dir="$MODELS/onnxruntime-$ORT_VERSION" pkg=onnxruntime
	[[ "$FLAVOUR" == gpu ]] && { dir="$MODELS/onnxruntime-gpu-$ORT_VERSION"; pkg=onnxruntime-gpu; }
	[[ -f "$dir/.complete" ]] && return 0
	local tmp; tmp="$(mktemp -d)"
	mkdir -p "$dir"
	wheel "$pkg" "$ORT_VERSION" "$tmp" || { rm -rf "$tmp"; return 1; }
	local whl; whl="$(ls "$tmp"/*.whl)"
	# The shared libraries (the CUDA provider too, in the GPU wheel) and the
	# licence; the Python bindings are left out.
	if ! python3 - "$whl" "$dir" <<'PY'
import sys, zipfile, os, re
whl, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(whl) as z:
    for m in z.namelist():
        base = os.path.basename(m)
        if re.match(r"onnxruntime/capi/libonnxruntime.*\.so", m) or m == "onnxruntime/LICENSE":
            name = "libonnxruntime.so" if re.match(r"libonnxruntime\.so\.", base) else base
            with z.open(m) as src, open(os.path.join(dest, name), "wb") as out:
                out.write(src.read())
PY
	then
		rm -rf "$tmp"
		return 1
	fi
	rm -rf "$tmp"
	touch "$dir/.complete"
}

fetch_frames() {
	local dir="$MODELS/frames"
	[[ -f "$dir/.complete" ]] && return 0
	local tmp; tmp="$(mktemp -d)"
	mkdir -p "$dir"
	wheel scikit-image "$SKIMAGE_VERSION" "$tmp" || { rm -rf "$tmp"; return 1; }
	local whl; whl="$(ls "$tmp"/*.whl)"
	unpack "$whl" "$dir" \
		skimage/data/astronaut.png:astronaut.png \
		skimage/data/coffee.png:coffee.png \
		skimage/data/chelsea.png:chelsea.png \
		skimage/data/rocket.jpg:rocket.jpg \
		skimage/data/hubble_deep_field.jpg:hubble_deep_field.jpg \
		"scikit_image-$SKIMAGE_VERSION.dist-info/LICENSE.txt:LICENSE.txt" || { rm -rf "$tmp"; return 1; }
	rm -rf "$tmp"
	touch "$dir/.complete"
}

install() {
	local failed=()
	fetch_nudenet || failed+=(nudenet)
	fetch_runtime || failed+=(onnxruntime)
	fetch_frames || failed+=(frames)
	if (( ${#failed[@]} > 0 )); then
		[[ "${CI:-}" == true ]] && die "could not fetch ${failed[*]}"
		log "could not fetch ${failed[*]}: object detection stays off"
		return 0
	fi
	log "installed in $MODELS"
}

status() {
	local ok=0
	for f in "nudenet-$NUDENET_VERSION/320n.onnx" "onnxruntime-$ORT_VERSION/libonnxruntime.so" frames/astronaut.png; do
		if [[ -f "$MODELS/$f" ]]; then log "have $f"; else log "missing $f"; ok=1; fi
	done
	return $ok
}

case "${1:-}" in
install) install ;;
path) echo "$MODELS" ;;
status) status ;;
*) die "usage: $0 install|path|status" ;;
esac
