#!/usr/bin/env python3
"""Cross-check against PyTorch: the same weights loaded into PyTorch give the same loss,
outputs and gradients as NetCanvas for every seed network, within 1e-4 relative.

usage: torch_parity.py DUMP_TOOL SOURCE_DIR WORK_DIR
Exits 77 (CTest's skip code) when PyTorch is not installed."""

import json
import os
import subprocess
import sys

try:
    import numpy as np
    import torch
except ImportError as error:
    print(f"SKIP: PyTorch is not installed ({error})")
    sys.exit(77)

tool, source, work = sys.argv[1:4]
sys.path.insert(0, os.path.join(source, "bench"))
import nctorch  # noqa: E402

torch.manual_seed(0)
torch.set_num_threads(2)
TOLERANCE = 1e-4
failures = 0


def relative_error(ours, theirs):
    scale = max(float(np.abs(theirs).max()), 1e-6)
    return float(np.abs(ours - theirs).max()) / scale


NETS = ["mlp", "mnist_cnn", "modified_cnn", "conv_autoencoder", "catsdogs_cnn", "rnn_rows_mnist",
        "gru_adding", "char_lstm"]


def example_batch(graph, batch):
    """Random inputs and targets; token indices for an Embedding, and for a per-step classifier
    a class per step with the last steps of the first sample as padding (-1)."""
    input_node = next(n for n in graph["nodes"] if n["type"] == "Input")
    shape, target = input_node["params"]["shape"], input_node["params"]["target_shape"]
    embedding = next((n for n in graph["nodes"] if n["type"] == "Embedding"), None)
    if embedding is None:
        x = torch.rand([batch] + shape, dtype=torch.float64)
        return x, torch.tensor([[float(i % 2)] for i in range(batch)], dtype=torch.float64)
    vocabulary = embedding["params"]["vocabulary"]
    x = torch.randint(0, vocabulary, [batch] + shape).double()
    y = torch.randint(0, vocabulary, [batch] + target).double()
    y[0, -5:] = -1
    return x, y


for net in NETS:
    graph = json.load(open(os.path.join(source, "resources", "examples", net + ".json")))
    module = nctorch.GraphModule(graph).double()
    module.eval()
    x, y = example_batch(graph, batch=4)
    # Round the inputs and weights to float32, then compute the reference in float64.
    x = x.float().double()
    with torch.no_grad():
        for p in module.params.values():
            p.copy_(p.float().double())
    loss, values = module(x, y)
    loss.backward()

    tensors = {k: v.detach().float().numpy() for k, v in module.state_dict_nc().items()}
    tensors["__x"], tensors["__y"] = x.float().numpy(), y.float().numpy()
    given = os.path.join(work, net + "-in.safetensors")
    result = os.path.join(work, net + "-out.safetensors")
    nctorch.write_safetensors(given, tensors)
    run = subprocess.run([tool, os.path.join(source, "resources", "examples", net + ".json"), given, result],
                         capture_output=True, text=True)
    if run.returncode != 0:
        print(f"FAIL {net}: the engine failed: {run.stderr.strip()}")
        failures += 1
        continue
    ours = nctorch.read_safetensors(result)
    loss_node = next(i for i in module.order
                     if module.nodes[i]["type"] in ("SoftmaxCrossEntropy", "MSE", "BinaryCrossEntropy"))
    fed = module.inputs[loss_node]
    reference_output = values[fed.get("logits", fed.get("prediction"))].detach().numpy()
    checks = {"loss": (ours["__loss"][0:1], np.array([loss.item()])),
              "output": (ours["__output"], reference_output)}
    for name, param in module.params.items():
        nc_name = module._nc_name(name)
        checks["grad " + nc_name] = (ours["grad." + nc_name], param.grad.numpy())
    worst = max(checks.items(), key=lambda kv: relative_error(*kv[1]))
    error = relative_error(*worst[1])
    status = "ok" if error <= TOLERANCE else "FAIL"
    failures += status == "FAIL"
    print(f"{status:4} {net:18} {len(checks):3} tensors, worst relative error {error:.2e} ({worst[0]})")

print(f"{len(NETS) - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
