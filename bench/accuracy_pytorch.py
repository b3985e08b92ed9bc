#!/usr/bin/env python3
"""Accuracy of NetCanvas against PyTorch: the Standard CNN (mnist_cnn) on the MNIST files
in DIR, the last 20% held out for validation, 10 epochs of Nesterov SGD (lr 0.01, momentum
0.9), batch 128; Glorot-uniform weights and zero biases in both. Several seeds each; prints
the final validation accuracies and their means.

usage: bench/accuracy_pytorch.py [--mnist ../shared/data/mnist] [--seeds 3] [--cli build/app/netcanvas-cli]"""

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def read_idx(path):
    import numpy as np
    data = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
    magic, n = int.from_bytes(data[0:4], "big"), int.from_bytes(data[4:8], "big")
    if magic == 2051:
        rows, cols = int.from_bytes(data[8:12], "big"), int.from_bytes(data[12:16], "big")
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, 1, rows, cols).astype(np.float32) / 255
    return np.frombuffer(data, np.uint8, offset=8).astype(np.int64)


def find(folder, stem):
    for prefix in ("train", "t10k"):
        for suffix in ("", ".gz"):
            p = os.path.join(folder, f"{prefix}-{stem}{suffix}")
            if os.path.exists(p):
                return p
    raise SystemExit(f"no {stem} file in {folder}")


def torch_run(folder, seed, epochs, threads):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    sys.path.insert(0, HERE)
    import torchreference
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    x = torch.from_numpy(read_idx(find(folder, "images-idx3-ubyte")))
    y = torch.from_numpy(read_idx(find(folder, "labels-idx1-ubyte")))
    split = len(x) - round(len(x) * 0.2)
    model = torchreference.mnist_cnn()
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True)
    for _ in range(epochs):
        model.train()
        order = torch.randperm(split)
        for i in range(0, split, 128):
            idx = order[i:i + 128]
            opt.zero_grad()
            F.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        return (model(x[split:]).argmax(1) == y[split:]).float().mean().item()


def ours_run(cli, folder, seed, epochs, threads):
    out = subprocess.run([cli, "train", os.path.join(HERE, "..", "resources", "examples", "mnist_cnn.json"),
                          "--data", "mnist:" + folder, "--val-split", "0.2", "--epochs", str(epochs),
                          "--optimizer", "nesterov", "--lr", "0.01", "--momentum", "0.9", "--batch", "128",
                          "--seed", str(seed), "--threads", str(threads), "--json",
                          "--out", f"/tmp/nc-accuracy-{seed}"], capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[-1])["val_accuracy"]


def compare_seeds(seeds, ours, theirs):
    """Runs ours(seed) and theirs(seed), each giving a validation accuracy, for seeds 1..seeds;
    prints each pair with its time, then the means."""
    ours_acc, theirs_acc = [], []
    for seed in range(1, seeds + 1):
        t = time.perf_counter()
        ours_acc.append(ours(seed))
        t_ours = time.perf_counter() - t
        t = time.perf_counter()
        theirs_acc.append(theirs(seed))
        t_theirs = time.perf_counter() - t
        print(f"seed {seed}: NetCanvas {100 * ours_acc[-1]:.2f}% ({t_ours:.0f} s)   "
              f"PyTorch {100 * theirs_acc[-1]:.2f}% ({t_theirs:.0f} s)", flush=True)
    mean = lambda v: 100 * statistics.mean(v)
    print(f"mean validation accuracy: NetCanvas {mean(ours_acc):.2f}%, PyTorch {mean(theirs_acc):.2f}%, "
          f"difference {mean(ours_acc) - mean(theirs_acc):+.2f} points")


def parse_arguments(description):
    """The options both accuracy comparisons take."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--mnist", default=os.path.join(HERE, "..", "..", "shared", "data", "mnist"))
    parser.add_argument("--cli", default=os.path.join(HERE, "..", "build", "app", "netcanvas-cli"))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    return parser.parse_args()


def main():
    args = parse_arguments(__doc__.splitlines()[0])
    folder = os.path.abspath(args.mnist)
    compare_seeds(args.seeds, lambda seed: ours_run(args.cli, folder, seed, args.epochs, args.threads),
                  lambda seed: torch_run(folder, seed, args.epochs, args.threads))


if __name__ == "__main__":
    main()
