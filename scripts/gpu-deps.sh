#!/usr/bin/env bash
# Copies the header-only dependencies of the headless core (Eigen, nlohmann-json, zlib's
# headers) with their CMake files into .gpu-deps/usr, for a GPU server that has CUDA but not
# these (see docs/gpu.md). .gpu-deps is ignored by git.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.gpu-deps/usr
rm -rf .gpu-deps
mkdir -p "$dest/include" "$dest/share/eigen3" "$dest/share/cmake"
cp -r /usr/include/eigen3 /usr/include/nlohmann "$dest/include/"
cp /usr/include/zlib.h /usr/include/zconf.h "$dest/include/"
cp -r /usr/share/eigen3/cmake "$dest/share/eigen3/"
cp -r /usr/share/cmake/nlohmann_json "$dest/share/cmake/"
exclude=$(git rev-parse --git-path info/exclude)
mkdir -p "$(dirname "$exclude")"
grep -qx '/.gpu-deps/' "$exclude" 2>/dev/null || echo '/.gpu-deps/' >> "$exclude"
du -sh .gpu-deps
