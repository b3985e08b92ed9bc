#!/usr/bin/env python3
"""Speed of NetCanvas against PyTorch on the CPU, on this machine, in this run.

Runs `netcanvas-cli bench --json` and the same networks (the five seed networks and the
LSTM rnn_rows_mnist) in PyTorch (written by hand in torchreference.py, and built from the
same graph files by nctorch.py): training steps (forward, backward, SGD with momentum)
and inference, at the same batch size and thread count, each network in its own process.
Prints images per second, the ratios NetCanvas / PyTorch, their geometric means and peak
memory.

usage: bench/compare_pytorch.py [--cli build/app/netcanvas-cli] [--batch 128] [--seconds 3] [--nets a,b]
Needs Debian's python3-torch (with libopenblas0-pthread); run it with /usr/bin/python3."""

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
NETS = ["mlp", "mnist_cnn", "modified_cnn", "conv_autoencoder", "catsdogs_cnn", "rnn_rows_mnist"]
# PyTorch allocates every op's output anew. glibc hands large freed blocks back to the kernel,
# so each step's outputs are faulted in again page by page, which on a virtual machine where a
# page fault is dear made PyTorch up to six times slower (catsdogs_cnn inference: 123 against
# 711 img/s). Both sides run with freed memory kept, as a tuned PyTorch would (jemalloc or
# tcmalloc do the same); NetCanvas reuses its buffers and runs the same either way.
# (glibc caps the mmap threshold at 32 MB, so blocks above it, catsdogs_cnn's 63 MB maps among
# them, are kept only with MALLOC_MMAP_MAX_=0: no block of its own from mmap at all).
KEEP_FREED_MEMORY = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": str(16 << 30),
                     "MALLOC_TOP_PAD_": str(1 << 30)}


def torch_one(net, batch, seconds, threads, style, device="cpu"):
    """Runs in a child process; prints one JSON line. style "hand": the network written as
    idiomatic PyTorch (torchreference.py); "graph": built from the graph file (nctorch.py)."""
    import torch
    import torch.nn.functional as F
    sys.path.insert(0, HERE)
    torch.set_num_threads(threads)
    if device != "cpu":
        # cuDNN benchmark mode, strict FP32 like NetCanvas's default (no TF32 tensor cores).
        torch.backends.cudnn.benchmark = True
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cuda.matmul.allow_tf32 = False
    graph = json.load(open(os.path.join(HERE, "..", "resources", "examples", net + ".json")))
    node = next(n for n in graph["nodes"] if n["type"] == "Input")
    x = torch.rand([batch] + node["params"]["shape"], device=device)
    classes = next((n["params"]["units"] for n in graph["nodes"] if n["name"] == "logits"), 1)
    if style == "hand":
        import torchreference
        make, _, loss_kind = torchreference.NETS[net]
        module = make()
        labels = torch.tensor([i % classes for i in range(batch)], device=device)

        def run():
            out = module(x)
            return F.cross_entropy(out, labels) if loss_kind == "ce" else F.mse_loss(out, x)
    else:
        import nctorch
        module = nctorch.GraphModule(graph)
        y = torch.tensor([[float(i % classes)] for i in range(batch)], device=device)

        def run():
            return module(x, y)[0]
    module = module.to(device)
    optimizer = torch.optim.SGD(module.parameters(), lr=1e-4, momentum=0.9)
    sync = torch.cuda.synchronize if device != "cpu" else (lambda: None)

    def train():
        optimizer.zero_grad(set_to_none=False)
        run().backward()
        optimizer.step()

    def infer():
        with torch.no_grad():
            run()

    def rate(body):
        for _ in range(5):
            body()
        sync()
        start, runs = time.perf_counter(), 0
        while runs < 3 or time.perf_counter() - start < seconds:
            for _ in range(10):
                body()
            runs += 10
            sync()
        return runs * batch / (time.perf_counter() - start)

    module.train()
    train_rate = rate(train)
    module.eval()
    infer_rate = rate(infer)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"net": net, "train_images_per_s": train_rate, "infer_images_per_s": infer_rate,
                      "peak_rss_mb": peak, "threads": torch.get_num_threads()}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", default=os.path.join(HERE, "..", "build", "app", "netcanvas-cli"))
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--device", default="cpu", help="cpu, or cuda: the same GPU for both")
    parser.add_argument("--nets", default=",".join(NETS), help="comma-separated examples (default: all)")
    parser.add_argument("--torch-child", help=argparse.SUPPRESS)
    parser.add_argument("--style", default="hand", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.torch_child:
        torch_one(args.torch_child, args.batch, args.seconds, args.threads, args.style, args.device)
        return

    nets = args.nets.split(",")
    env = dict(os.environ, **KEEP_FREED_MEMORY)
    ours = {}
    out = subprocess.run([args.cli, "bench", "--json", "--nets", args.nets, "--batch", str(args.batch),
                          "--threads", str(args.threads),
                          "--seconds", str(args.seconds), "--device", args.device],
                         capture_output=True, text=True, check=True, env=env).stdout
    for line in out.splitlines():
        row = json.loads(line)
        ours[row["net"]] = row
    # PyTorch twice, hand-written and built from the graph; each network is compared with
    # the faster of the two (the hand-written one, in every run so far).
    theirs = {}
    for net in nets:
        for style in ("hand", "graph"):
            child = subprocess.run([sys.executable, __file__, "--torch-child", net, "--style", style,
                                    "--batch", str(args.batch), "--seconds", str(args.seconds),
                                    "--threads", str(args.threads), "--device", args.device],
                                   capture_output=True, text=True, env=env)
            if child.returncode != 0:
                print(f"PyTorch {net} ({style}) failed: {child.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
                continue
            row = json.loads(child.stdout)
            best = theirs.get(net)
            if best is None or row["train_images_per_s"] > best["train_images_per_s"]:
                best = dict(row, style=style)
            best["infer_images_per_s"] = max(best["infer_images_per_s"], row["infer_images_per_s"])
            theirs[net] = best

    import torch
    where = (torch.cuda.get_device_name(0) + f", cuDNN {torch.backends.cudnn.version()}" if args.device != "cpu"
             else f"mkldnn {'on' if torch.backends.mkldnn.is_available() else 'off'}")
    print(f"device {args.device}, batch {args.batch}, {args.threads} threads, PyTorch {torch.__version__} "
          f"({where}), {os.cpu_count()} cores, freed memory kept (glibc malloc settings)")
    print(f"{'net':18} {'train img/s':>22} {'ratio':>6}   {'infer img/s':>22} {'ratio':>6}   {'peak MB (nc/torch)':>18}")
    train_ratios, infer_ratios = [], []
    for net in nets:
        a, b = ours[net], theirs[net]
        tr = a["train_images_per_s"] / b["train_images_per_s"]
        ir = a["infer_images_per_s"] / b["infer_images_per_s"]
        train_ratios.append(tr)
        infer_ratios.append(ir)
        print(f"{net:18} {a['train_images_per_s']:10.0f} / {b['train_images_per_s']:9.0f} {tr:6.2f}   "
              f"{a['infer_images_per_s']:10.0f} / {b['infer_images_per_s']:9.0f} {ir:6.2f}   "
              f"{a['peak_rss_mb']:8.0f} / {b['peak_rss_mb']:7.0f}")
    geo = lambda r: math.exp(sum(map(math.log, r)) / len(r))
    print(f"geometric mean ratio: training {geo(train_ratios):.2f}, inference {geo(infer_ratios):.2f}")


if __name__ == "__main__":
    main()
