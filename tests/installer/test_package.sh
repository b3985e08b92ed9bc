#!/usr/bin/env bash
# Builds the .deb with CPack, unpacks it with dpkg-deb into a temporary folder, and runs the
# packaged CLI on a packaged example.
# usage: test_package.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/out/*.deb)
dpkg-deb -x "$deb" "$work/root"
for f in usr/bin/netcanvas-cli usr/bin/netcanvas usr/share/applications/netcanvas.desktop \
         usr/share/mime/packages/netcanvas.xml usr/share/icons/hicolor/scalable/apps/netcanvas.svg \
         usr/share/netcanvas/examples/mnist_cnn.json; do
    [ -e "$work/root/$f" ] || { echo "FAIL: $f is not in $(basename "$deb")"; exit 1; }
done
out=$("$work/root/usr/bin/netcanvas-cli" check "$work/root/usr/share/netcanvas/examples/mnist_cnn.json")
echo "$out" | grep -q "total parameters: 160,362" || { echo "FAIL: unexpected output:"; echo "$out"; exit 1; }
# The CUDA backend is a plugin inside the same package, loaded at run time: the package must
# not depend on CUDA, and its CLI must run (CPU only, saying why) where CUDA is missing.
if [ -e "$build/lib/libnetcanvas_cuda.so" ]; then
    [ -e "$work/root/usr/lib/netcanvas/libnetcanvas_cuda.so" ] \
        || { echo "FAIL: the CUDA plugin is not in $(basename "$deb")"; exit 1; }
    "$work/root/usr/bin/netcanvas-cli" devices --json | grep -q '"cuda_plugin_loaded": true' \
        || { echo "FAIL: the packaged CUDA plugin does not load:"; \
             "$work/root/usr/bin/netcanvas-cli" devices; exit 1; }
fi
if dpkg-deb -f "$deb" Depends | grep -Eiq "cudnn|cublas|cudart|nvidia"; then
    echo "FAIL: the package depends on CUDA: $(dpkg-deb -f "$deb" Depends)"; exit 1
fi
devices=$("$work/root/usr/bin/netcanvas-cli" devices)
echo "$devices" | grep -q "^  cpu" || { echo "FAIL: packaged devices output:"; echo "$devices"; exit 1; }
echo "$devices" | grep -Eq "^(  cuda:0|- cuda)" || { echo "FAIL: no GPU line:"; echo "$devices"; exit 1; }
echo "$devices"
dpkg-deb -f "$deb" Package Version Depends
echo "1 passed, 0 failed"
