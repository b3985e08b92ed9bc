# ---- support code written by NetCanvas (same in every export) -----------------------------
import json
import math
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

_DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16,
           "BF16": torch.bfloat16}


def read_safetensors(path):
    """A safetensors file as {name: float32 tensor}, without the safetensors package."""
    with open(path, "rb") as f:
        data = f.read()
    (header_size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_size])
    body = memoryview(data)[8 + header_size:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] not in _DTYPES:
            continue
        begin, end = info["data_offsets"]
        raw = bytearray(body[begin:end])
        t = torch.frombuffer(raw, dtype=_DTYPES[info["dtype"]]) if raw else torch.empty(0)
        tensors[name] = t.reshape(info["shape"]).to(torch.float32)
    return tensors


def crop(x, top, left, bottom, right):
    """Crops (or, for negative amounts, zero-pads) the two spatial axes."""
    x = F.pad(x, (max(0, -left), max(0, -right), max(0, -top), max(0, -bottom)))
    top, left, bottom, right = max(0, top), max(0, left), max(0, bottom), max(0, right)
    return x[:, :, top:x.shape[2] - bottom, left:x.shape[3] - right]


def avg_pool_real(x, kernel, stride, pads):
    """Average pooling whose padding cells are not counted (pads: left, right, top, bottom)."""
    total = F.avg_pool2d(F.pad(x, pads), kernel, stride, divisor_override=1)
    count = F.avg_pool2d(F.pad(torch.ones_like(x[:, :1]), pads), kernel, stride,
                         divisor_override=1)
    return total / count


def initial_state(state, directions, units):
    """[N, D*H] as NetCanvas takes an initial state -> PyTorch's [D, N, H]."""
    return state.reshape(state.shape[0], directions, units).transpose(0, 1).contiguous()


def fixed_input(shape, vocabulary=0, batch=2):
    """The input the export's check uses: 0.5 + 0.5 sin(0.1 i), or token i mod vocabulary."""
    count = batch * math.prod(shape)
    i = torch.arange(count, dtype=torch.float64)
    x = torch.remainder(i, vocabulary) if vocabulary else 0.5 + 0.5 * torch.sin(0.1 * i)
    return x.to(torch.float32).reshape(batch, *shape)


def load_weights(model, path):
    """Loads NetCanvas's weights (named as its nodes; model.STATE_NAMES maps the keys of
    layers whose attribute is not the node's name); only counters may be missing."""
    attribute_keys = {netcanvas: key for key, netcanvas in model.STATE_NAMES.items()}
    tensors = {attribute_keys.get(name, name): t for name, t in read_safetensors(path).items()}
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    missing = [m for m in missing if not m.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise RuntimeError(f"{path}: missing {missing}, unexpected {unexpected}")
    return model


def netcanvas_state(model):
    """model.state_dict() under NetCanvas's tensor names, as weights.safetensors has them."""
    return {model.STATE_NAMES.get(key, key): t for key, t in model.state_dict().items()}


def run_check(model_class):
    """python3 model.py [--json]: the outputs for the fixed input with the exported weights."""
    here = os.path.dirname(os.path.abspath(__file__))
    model = load_weights(model_class(), os.path.join(here, "weights.safetensors"))
    model.eval()
    x = fixed_input(model_class.INPUT_SHAPE, model_class.VOCABULARY)
    with torch.no_grad():
        outputs = model(x)
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    if "--json" in sys.argv:
        print(json.dumps({name: out.flatten().tolist()
                          for name, out in zip(model_class.OUTPUTS, outputs)}))
        return
    for name, out in zip(model_class.OUTPUTS, outputs):
        values = ", ".join(f"{v:.6f}" for v in out.flatten()[:8].tolist())
        print(f"{name}: shape {tuple(out.shape)}, mean {out.mean().item():.6f}, first [{values}]")
