"""Trains the exported network with the training settings of graph.json beside this file.

    python3 train.py [--data SPEC] [--epochs N] [--batch B] [--lr LR] [--max-steps N]
                     [--fresh] [--out DIR]
    torchrun --nproc_per_node=2 train.py --epochs 1     # one process per CPU group or GPU

Under torchrun every process trains on its share of each batch with DistributedDataParallel
(NCCL on GPUs, gloo on CPUs); --batch is the global batch. Data specs PyTorch reads here:
  mnist:DIR[?rows]  IDX files (train- or t10k-, raw or .gz); ?rows gives 28 steps of 28
  npz:FILE          a NumPy archive with arrays x (inputs) and y (targets)
--data defaults to npz:data.npz when that file is beside this one (what
`netcanvas-cli export GRAPH --pytorch DIR --data SPEC` writes, for NetCanvas's built-in and
other data), else to graph.json's data spec. --max-steps stops each epoch after N batches.
The last val_split of the samples (unshuffled) is held out, as NetCanvas does. The weights
start from weights.safetensors unless --fresh; the trained ones go to OUT/weights.safetensors.
"""
import argparse
import gzip
import json
import math
import os
import struct
import sys
import time

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

from model import Model, load_weights, netcanvas_state

HERE = os.path.dirname(os.path.abspath(__file__))


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    values = torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8)
    return values.reshape(shape)


def load_mnist(directory, rows):
    for prefix in ("train", "t10k"):
        for suffix in ("", ".gz"):
            images = os.path.join(directory, f"{prefix}-images-idx3-ubyte{suffix}")
            labels = os.path.join(directory, f"{prefix}-labels-idx1-ubyte{suffix}")
            if os.path.exists(images) and os.path.exists(labels):
                x = read_idx(images).to(torch.float32) / 255.0
                x = x if rows else x.unsqueeze(1)
                return x, read_idx(labels).to(torch.float32).unsqueeze(1)
    sys.exit(f"train.py: {directory}: no train-/t10k- images and labels in IDX format")


def load(spec):
    kind, _, rest = spec.partition(":")
    path, _, query = rest.partition("?")
    if kind == "mnist":
        return load_mnist(path, "rows" in query.split("&"))
    if kind == "npz":
        import numpy as np
        archive = np.load(path)
        return (torch.from_numpy(archive["x"]).to(torch.float32),
                torch.from_numpy(archive["y"]).to(torch.float32))
    sys.exit(f"train.py cannot read the data spec '{spec}': use mnist:DIR or npz:FILE "
             "(export again with `netcanvas-cli export GRAPH --pytorch DIR --data SPEC`, "
             "which writes data.npz)")


def save_safetensors(tensors, path):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        if name.endswith("num_batches_tracked"):  # a counter NetCanvas does not keep
            continue
        blob = t.detach().to("cpu", torch.float32).contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    temporary = path + ".partial"
    with open(temporary, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
    os.replace(temporary, path)


def learning_rate(schedule, lr, epoch, epochs):
    if schedule == "step":
        return lr * 0.1 ** (epoch // max(1, epochs // 3))
    if schedule == "cosine":
        return lr * 0.5 * (1 + math.cos(math.pi * epoch / max(1, epochs)))
    return lr


def make_optimizer(settings, parameters):
    kind, lr, wd = settings["optimizer"], settings["lr"], settings["weight_decay"]
    if kind == "adam":
        return torch.optim.Adam(parameters, lr=lr, weight_decay=wd)
    momentum = 0.0 if kind == "sgd" else settings["momentum"]
    return torch.optim.SGD(parameters, lr=lr, momentum=momentum, weight_decay=wd,
                           nesterov=kind == "nesterov")


def evaluate(model, x, y, batch, device):
    """Mean loss and accuracy (when the model classifies) over a held-out set."""
    model.eval()
    total, correct, counted = 0.0, 0, 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            xb, yb = x[i:i + batch].to(device), y[i:i + batch].to(device)
            outputs = model(xb)
            total += float(model.loss(outputs, xb, yb)) * len(xb)
            if Model.LOGITS is not None:
                logits = (outputs if isinstance(outputs, tuple) else (outputs,))[Model.LOGITS]
                labels = yb.reshape(logits.shape[:-1]).long()
                mask = labels >= 0
                correct += int((logits.argmax(-1) == labels)[mask].sum())
                counted += int(mask.sum())
    model.train()
    return total / max(1, len(x)), (100.0 * correct / counted if counted else None)


def main():
    settings = {"data": "", "val_split": 0.2, "epochs": 10, "batch": 128, "optimizer": "nesterov",
                "lr": 0.01, "momentum": 0.9, "weight_decay": 0.0, "clip_grad_norm": 0.0,
                "schedule": "constant", "seed": 1}  # NetCanvas's defaults
    with open(os.path.join(HERE, "graph.json")) as f:
        settings.update(json.load(f).get("training", {}))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    bundled = os.path.join(HERE, "data.npz")
    parser.add_argument("--data", default="npz:" + bundled if os.path.exists(bundled)
                        else settings["data"])
    parser.add_argument("--epochs", type=int, default=settings["epochs"])
    parser.add_argument("--batch", type=int, default=settings["batch"])
    parser.add_argument("--lr", type=float, default=settings["lr"])
    parser.add_argument("--max-steps", type=int, default=0, help="batches per epoch (0: all)")
    parser.add_argument("--fresh", action="store_true", help="start from PyTorch's initialisation")
    parser.add_argument("--out", default=os.path.join(HERE, "trained"))
    args = parser.parse_args()
    settings["lr"] = args.lr

    distributed = "WORLD_SIZE" in os.environ
    if distributed:
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    rank = dist.get_rank() if distributed else 0
    world = dist.get_world_size() if distributed else 1
    local = int(os.environ.get("LOCAL_RANK", 0))
    device = torch.device(f"cuda:{local}" if torch.cuda.is_available() else "cpu")
    if device.type == "cuda":
        torch.cuda.set_device(device)  # each process on its own GPU, NCCL included
    torch.manual_seed(settings["seed"])

    x, y = load(args.data)
    held = int(len(x) * settings["val_split"])
    train_x, train_y, val_x, val_y = x[:len(x) - held], y[:len(y) - held], x[len(x) - held:], y[len(y) - held:]
    model = Model()
    if not args.fresh:
        load_weights(model, os.path.join(HERE, "weights.safetensors"))
    model.to(device)
    if distributed:
        trained = DistributedDataParallel(model, device_ids=[local] if device.type == "cuda" else None)
    else:
        trained = model
    optimizer = make_optimizer(settings, model.parameters())
    per_process = max(1, args.batch // world)
    sampler = DistributedSampler(TensorDataset(train_x, train_y), num_replicas=world, rank=rank,
                                 shuffle=True, seed=settings["seed"])
    loader = DataLoader(TensorDataset(train_x, train_y), batch_size=per_process, sampler=sampler)
    if rank == 0:
        print(f"{len(train_x)} training and {len(val_x)} validation samples, {world} process(es), "
              f"batch {per_process * world} on {device}", flush=True)
        if len(val_x):
            val_loss, accuracy = evaluate(model, val_x, val_y, per_process, device)
            print(f"before training  val_loss {val_loss:.4f}"
                  + (f"  val_acc {accuracy:.2f}%" if accuracy is not None else ""), flush=True)
    for epoch in range(args.epochs):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(settings["schedule"], settings["lr"], epoch, args.epochs)
        sampler.set_epoch(epoch)
        start, total, seen = time.time(), torch.zeros(2), 0
        for step, (xb, yb) in enumerate(loader):
            if args.max_steps and step >= args.max_steps:
                break
            xb, yb = xb.to(device), yb.to(device)
            loss = model.loss(trained(xb), xb, yb)
            optimizer.zero_grad()
            loss.backward()
            if settings["clip_grad_norm"] > 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), settings["clip_grad_norm"])
            optimizer.step()
            total += torch.tensor([float(loss) * len(xb), len(xb)])
            seen += len(xb)
        if distributed:  # NCCL reduces tensors on the GPU only
            total = total.to(device)
            dist.all_reduce(total)
            total = total.cpu()
        if rank == 0:
            line = f"epoch {epoch + 1}/{args.epochs}  train_loss {total[0] / total[1]:.4f}"
            if len(val_x):
                val_loss, accuracy = evaluate(model, val_x, val_y, per_process, device)
                line += f"  val_loss {val_loss:.4f}"
                line += f"  val_acc {accuracy:.2f}%" if accuracy is not None else ""
            print(f"{line}  {time.time() - start:.1f} s", flush=True)
    if rank == 0:
        os.makedirs(args.out, exist_ok=True)
        save_safetensors(netcanvas_state(model), os.path.join(args.out, "weights.safetensors"))
        print(f"wrote {os.path.join(args.out, 'weights.safetensors')}", flush=True)
    if distributed:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
