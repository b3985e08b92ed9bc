#!/usr/bin/env bash
# The GPU checks of docs/gpu.md, in one go on a machine with an NVIDIA GPU, CUDA and PyTorch:
# build the headless core with the CUDA backend, list the devices, run the CPU/GPU parity
# test, train the exported PyTorch project under torchrun with NCCL, profile two networks op by
# op, and benchmark NetCanvas against PyTorch on the same GPU. Logs go to $OUT (or ./gpu-out).
#   scripts/gpu-deps.sh            # once, where Eigen and nlohmann-json are installed
#   scripts/gpu-check.sh [--no-bench]
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-gpu-out}
mkdir -p "$out"
exec > >(tee "$out/gpu-check.log") 2>&1

echo "== machine"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
nvcc --version | tail -1
cmake --version | head -1
python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'cudnn', torch.backends.cudnn.version())"

cudnn_root=${CUDNN_ROOT:-}
if [ -z "$cudnn_root" ] && [ ! -f /usr/local/cuda/include/cudnn.h ]; then
    cudnn_root=$(python3 -c "import nvidia.cudnn; print(list(nvidia.cudnn.__path__)[0])")
fi
echo "cuDNN: ${cudnn_root:-/usr/local/cuda}"
zlib=$(ls /usr/lib/x86_64-linux-gnu/libz.so* /lib/x86_64-linux-gnu/libz.so* 2>/dev/null | head -1)

echo "== build"
start=$(date +%s)
cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DNETCANVAS_GUI=OFF \
    -DNETCANVAS_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 -DCUDNN_ROOT="$cudnn_root" \
    -DCMAKE_PREFIX_PATH="$PWD/.gpu-deps/usr" -DZLIB_INCLUDE_DIR="$PWD/.gpu-deps/usr/include" \
    -DZLIB_LIBRARY="$zlib" > "$out/configure.log" 2>&1 || { tail -30 "$out/configure.log"; exit 1; }
grep "CUDA backend" "$out/configure.log"
cmake --build build-gpu -j "$(nproc)" -- -k 0 netcanvas-cli tst_cudaparity > "$out/build.log" 2>&1 \
    || { grep -E "error|FAILED" -A3 "$out/build.log" | head -60; exit 1; }
echo "built in $(( $(date +%s) - start )) s"
if [ -n "$cudnn_root" ]; then
    export LD_LIBRARY_PATH="$cudnn_root/lib:${LD_LIBRARY_PATH:-}"
fi

echo "== devices"
build-gpu/app/netcanvas-cli devices

echo "== parity"
timeout 240 build-gpu/tests/cuda/tst_cudaparity
parity=$?

echo "== parity with training steps recorded as CUDA Graphs (NETCANVAS_CUDA_GRAPHS=1)"
NETCANVAS_CUDA_GRAPHS=1 timeout 240 build-gpu/tests/cuda/tst_cudaparity
graphs=$?

echo "== training from the CLI (the training set resident on the GPU), then the same on the CPU"
for device in cuda cpu; do
    build-gpu/app/netcanvas-cli train resources/examples/mnist_cnn.json --epochs 2 \
        --data 'synthetic:digits?count=6000' --val-split 0.2 --device "$device" \
        --out "$(mktemp -d)/run-$device" 2>&1 | grep -v "^run folder"
done

echo "== running out of GPU memory (a 24 MB cap) hands the run to the CPU: a warning, exit 0"
NETCANVAS_CUDA_MEMORY_LIMIT_MB=24 build-gpu/app/netcanvas-cli train \
    resources/examples/mnist_cnn.json --epochs 1 --data 'synthetic:digits?count=2000' \
    --device cuda --out "$(mktemp -d)/run-fallback" 2>&1 | grep -v "^run folder"
echo "exit ${PIPESTATUS[0]}"

echo "== the exported PyTorch project of mlp under torchrun: NCCL on the GPU"
timeout 300 scripts/torchrun-check.sh build-gpu/app/netcanvas-cli 1

echo "== batches uploaded from the host each step: the copy stream, then without it"
for copy in 1 0; do
    NETCANVAS_CUDA_COPY_STREAM=$copy build-gpu/app/netcanvas-cli bench --device cuda \
        --nets mnist_cnn,catsdogs_cnn --feed host --seconds 2 | sed "s/^/copy stream $copy: /"
done

echo "== training steps recorded as CUDA Graphs, then queued (batch on the device)"
for graphs in 1 0; do
    NETCANVAS_CUDA_GRAPHS=$graphs build-gpu/app/netcanvas-cli bench --device cuda --seconds 2 \
        --json | sed "s/^/graphs $graphs: /"
done

echo "== where a step's time goes, op by op (each op waited for)"
build-gpu/app/netcanvas-cli bench --device cuda --nets mnist_cnn,catsdogs_cnn --seconds 1 --profile

if [ "${1:-}" != "--no-bench" ]; then
    echo "== speed against PyTorch (same GPU, batch 128)"
    timeout 300 python3 bench/compare_pytorch.py --cli build-gpu/app/netcanvas-cli --device cuda --seconds 2
fi
echo "== summary"
grep -E "^(PASSED|FAILED)|failure\(s\)|^exit |warning: |geometric mean|ratio|recorded steps" "$out/gpu-check.log" \
    | grep -v "^== " || true
[ $parity -eq 0 ] && [ $graphs -eq 0 ]
