#!/usr/bin/env bash
# Installs the Debian packages NetCanvas needs to build, test and run.
# Idempotent: when everything is present it only checks (well under a second).
#
#   scripts/install-deps.sh            build + GUI dependencies (make run)
#   scripts/install-deps.sh --test     also what the tests need: PyTorch for the parity
#                                      check, with a fast BLAS, and ONNX Runtime from npm
#                                      into .judges/ (make test)
#   scripts/install-deps.sh --fuzz     also what `make fuzz` needs (clang, libFuzzer)
#   scripts/install-deps.sh --headless only the Qt-free core (graph_model, engine, CLI)
set -euo pipefail

core=(cmake ninja-build ccache g++ make pkg-config
      libeigen3-dev nlohmann-json3-dev zlib1g-dev
      libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev
      libonnx-dev libprotobuf-dev)
gui=(qt6-base-dev qt6-base-dev-tools qt6-svg-dev libqcustomplot-dev
     libgraphviz-dev libgl-dev xvfb xauth)
fuzz=(clang libclang-rt-14-dev libomp-dev)
test=(python3 python3-numpy python3-torch libopenblas0-pthread dpkg-dev python3-onnx
      libopencv-dnn-dev libonnx-testdata)

want=("${core[@]}")
with_gui=1
for arg in "$@"; do
  case "$arg" in
    --fuzz) want+=("${fuzz[@]}") ;;
    --test) want+=("${test[@]}") ;;
    --headless) with_gui=0 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "install-deps.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done
[ "$with_gui" = 1 ] && want+=("${gui[@]}")

missing=()
for pkg in "${want[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
  [ "${status:0:2}" = "ii" ] || missing+=("$pkg")
done

# The test judges from npm: ONNX Runtime (its CPU library ships in the package; the install
# script only fetches optional CUDA files, so it is skipped). Into .judges/, beside the tree.
install_judges() {
  local root judges
  root="$(cd "$(dirname "$0")/.." && pwd)"
  judges="$root/.judges"
  [ -f "$judges/node_modules/onnxruntime-node/package.json" ] && return 0
  echo "install-deps: installing onnxruntime-node (npm) into $judges"
  mkdir -p "$judges"
  npm install --ignore-scripts --no-audit --no-fund --silent --prefix "$judges" \
    onnxruntime-node@1.31.1
}
with_judges=0
for arg in "$@"; do [ "$arg" = --test ] && with_judges=1; done
if [ "$with_judges" = 1 ] && ! command -v npm >/dev/null; then
  want+=(nodejs npm)
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  [ "$with_judges" = 1 ] && install_judges
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
[ "$with_judges" = 1 ] && install_judges
exit 0
