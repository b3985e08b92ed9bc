#!/usr/bin/env python3
"""Sequential MNIST, NetCanvas against PyTorch: rnn_rows_mnist (LSTM 128 over the 28 rows of
each image, then Dense 10) on the MNIST files in DIR read row by row, the last 20% held out
for validation (8,000 train and 2,000 validation images with the shared 10k set), with the
example's own training settings (Adam, batch 32, lr 0.002, cosine schedule per epoch, gradient
norm clipped to 1) for 10 epochs. The LSTM starts from PyTorch's default initialisation in
both, the Dense from Glorot-uniform weights and zero biases. Several seeds each; prints the
final validation accuracies, their means and the time each took.

usage: /usr/bin/python3 bench/sequence_accuracy_pytorch.py [--mnist DIR] [--seeds 3]"""

import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "resources", "examples", "rnn_rows_mnist.json")
sys.path.insert(0, HERE)
from accuracy_pytorch import compare_seeds, find, parse_arguments, read_idx  # noqa: E402


def torch_run(folder, seed, epochs, threads, settings):
    import torch
    import torch.nn.functional as F
    import nctorch
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    x = torch.from_numpy(read_idx(find(folder, "images-idx3-ubyte"))).reshape(-1, 28, 28)
    y = torch.from_numpy(read_idx(find(folder, "labels-idx1-ubyte")))
    split = len(x) - round(len(x) * settings["val_split"])
    model = nctorch.GraphModule(json.load(open(EXAMPLE)))
    with torch.no_grad():
        torch.nn.init.xavier_uniform_(model.params["logits_weight"])
        model.params["logits_bias"].zero_()
    lr, batch = settings["lr"], settings["batch"]
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(epochs):
        for group in opt.param_groups:
            group["lr"] = lr * 0.5 * (1 + math.cos(math.pi * epoch / epochs))
        model.train()
        order = torch.randperm(split)
        for i in range(0, split, batch):
            idx = order[i:i + batch]
            opt.zero_grad()
            loss, _ = model(x[idx], y[idx].reshape(-1, 1).float())
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), settings["clip_grad_norm"])
            opt.step()
    model.eval()
    with torch.no_grad():
        _, values = model(x[split:], y[split:].reshape(-1, 1).float())
        return (model.logits(values).argmax(1) == y[split:]).float().mean().item()


def ours_run(cli, folder, seed, epochs, threads):
    out = subprocess.run([cli, "train", EXAMPLE, "--data", f"mnist:{folder}?rows", "--epochs", str(epochs),
                          "--seed", str(seed), "--threads", str(threads), "--json",
                          "--out", f"/tmp/nc-sequence-accuracy-{seed}"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[-1])["val_accuracy"]


def main():
    args = parse_arguments(__doc__.splitlines()[0])
    folder = os.path.abspath(args.mnist)
    settings = json.load(open(EXAMPLE))["training"]
    compare_seeds(args.seeds, lambda seed: ours_run(args.cli, folder, seed, args.epochs, args.threads),
                  lambda seed: torch_run(folder, seed, args.epochs, args.threads, settings))


if __name__ == "__main__":
    main()
