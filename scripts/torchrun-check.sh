#!/usr/bin/env bash
# Trains the exported PyTorch project of the mlp example under torchrun, the way a user
# scales a graph past NetCanvas: NetCanvas trains it briefly, `netcanvas-cli export --pytorch`
# writes the project, and torchrun runs train.py on made-up MNIST-format digits (pure Python,
# so neither NumPy nor the MNIST files are needed). train.py uses NCCL when PyTorch sees a GPU
# and gloo otherwise. The validation loss must fall.
#   scripts/torchrun-check.sh CLI [PROCESSES]      # e.g. build/app/netcanvas-cli 2
# PYTHON names the Python with PyTorch (default python3); torchrun runs as `PYTHON -m`.
set -euo pipefail
python=${PYTHON:-python3}
cli=$(realpath "$1")
processes=${2:-1}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$python" - "$work/digits" <<'PY'
# 3,000 28x28 images: class k is a bright bar in row band k, on noise; IDX as MNIST ships it.
import os, random, struct, sys
folder = sys.argv[1]
os.makedirs(folder)
rng = random.Random(7)
count = 3000
labels = [rng.randrange(10) for _ in range(count)]
pixels = bytearray()
for label in labels:
    image = [rng.randrange(60) for _ in range(784)]
    for row in range(2 + 2 * label, 4 + 2 * label):
        for column in range(4, 24):
            image[row * 28 + column] = 200 + rng.randrange(56)
    pixels += bytes(image)
with open(os.path.join(folder, "train-images-idx3-ubyte"), "wb") as f:
    f.write(struct.pack(">IIII", 2051, count, 28, 28) + pixels)
with open(os.path.join(folder, "train-labels-idx1-ubyte"), "wb") as f:
    f.write(struct.pack(">II", 2049, count) + bytes(labels))
PY

"$cli" train resources/examples/mlp.json --data "mnist:$work/digits" --epochs 1 --device cpu \
    --out "$work/run" > "$work/train.log"
"$cli" export resources/examples/mlp.json --weights "$work/run/checkpoint.safetensors" \
    --pytorch "$work/mlpx"
"$python" -c "import torch; print('torch', torch.__version__, '- GPUs:', torch.cuda.device_count())"
cd "$work/mlpx"
# Debian's torchrun (Python 3.11) needs --redirects/--tee set; newer ones accept them too.
"$python" -m torch.distributed.run --nproc_per_node="$processes" --redirects 1 --tee 1 train.py \
    --data "mnist:$work/digits" --epochs 3 --fresh 2>&1 | tee "$work/torchrun.log" \
    | grep -E "samples|val_loss|wrote|Error|error" || true
"$python" - "$work/torchrun.log" <<'PY'
import re, sys
losses = [float(m) for m in re.findall(r"val_loss (\d+\.\d+)", open(sys.argv[1]).read())]
backend = "NCCL" if "cuda" in open(sys.argv[1]).read() else "gloo"
if len(losses) < 2 or not losses[-1] < losses[0]:
    sys.exit(f"FAILED: the validation loss did not fall under torchrun ({losses})")
print(f"PASSED: torchrun ({backend}) val_loss {losses[0]:.4f} -> {losses[-1]:.4f}")
PY
