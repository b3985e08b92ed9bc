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
dpkg-deb -f "$deb" Package Version Depends
echo "1 passed, 0 failed"
