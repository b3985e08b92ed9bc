"""Builds a PyTorch module from a NetCanvas graph file, with the same semantics as the
NetCanvas engine: PyTorch weight layouts and names ("conv1.weight"), TensorFlow-style "same"
padding, tied deconvolutions that reuse their Conv2D's weight, and losses that are means.
Used by the PyTorch parity test and the speed and accuracy comparisons; nothing here runs
inside NetCanvas itself.

    net = GraphModule(json.load(open("resources/examples/mnist_cnn.json")))
    loss, values = net(x, y)          # values: {(node id, port name): tensor}
"""

import json
import math
import struct

import numpy as np
import torch
import torch.nn.functional as F


def _padding_amounts(mode, size_in, size_out, k, s, d, transposed):
    """(before, after) for one axis, as NetCanvas resolves padding."""
    ek = d * (k - 1) + 1
    if isinstance(mode, list):
        raise ValueError("explicit padding is handled by the caller")
    if mode == "valid":
        return 0, 0
    if mode == "full":
        return ek - 1, ek - 1
    if transposed:
        total = (size_in - 1) * s + ek - size_out
    else:
        total = max((size_out - 1) * s + ek - size_in, 0)
    return total // 2, total - total // 2


def _conv_out(size, k, s, d, mode):
    ek = d * (k - 1) + 1
    if mode == "same":
        return -(-size // s)
    p = mode if isinstance(mode, int) else (ek - 1 if mode == "full" else 0)
    return (size + 2 * p - ek) // s + 1


def _deconv_out(size, k, s, d, mode):
    ek = d * (k - 1) + 1
    if mode == "same":
        return size * s
    p = mode if isinstance(mode, int) else (ek - 1 if mode == "full" else 0)
    return (size - 1) * s - 2 * p + ek


def activate(x, name, alpha=None):
    if name == "relu":
        return F.relu(x)
    if name == "tanh":
        return torch.tanh(x)
    if name == "sigmoid":
        return torch.sigmoid(x)
    if name == "softmax":
        return F.softmax(x, dim=1)
    if name == "leaky_relu":
        return F.leaky_relu(x, 0.01 if alpha is None else alpha)
    if name == "elu":
        return F.elu(x, 1.0 if alpha is None else alpha)
    return x


RECURRENT = {"SimpleRNN": torch.nn.RNN, "LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}


class GraphModule(torch.nn.Module):
    def __init__(self, graph):
        super().__init__()
        self.graph = graph
        self.nodes = {n["id"]: n for n in graph["nodes"]}
        self.inputs = {}  # node id -> {input port name: (source id, source port)}
        for e in graph["edges"]:
            self.inputs.setdefault(e["to"][0], {})[e["to"][1]] = tuple(e["from"])
        self.order = self._order()
        self.params = torch.nn.ParameterDict()
        self.buffers_ = {}
        self.recurrent = torch.nn.ModuleDict()  # shares its parameters with self.params
        self.nc_names = {}  # parameter key -> NetCanvas name, where it is not "<node>_<tensor>"
        self._create_parameters()

    def _ports(self, i):
        """(port name, source) of node i's connected inputs in port order: "in" (a recurrent
        layer's sequence) first, then in0, in1, ... by number, then the rest by name."""
        def key(kv):
            name = kv[0]
            digits = name.lstrip("abcdefghijklmnopqrstuvwxyz_")
            prefix = name[:len(name) - len(digits)]
            return (name != "in", prefix, int(digits) if digits.isdigit() else -1, name)
        return sorted(self.inputs.get(i, {}).items(), key=key)

    def _initial_state(self, i, t, values, a):
        """h0 (and c0) from the optional ports, as PyTorch wants them: [directions, N, units];
        None when neither port is connected."""
        ports, p = self.inputs.get(i, {}), self.nodes[i]["params"]
        if "h0" not in ports and "c0" not in ports:
            return None
        directions = 2 if p.get("bidirectional") else 1
        shape = (a.shape[0], directions, p["units"])

        def state(name):
            if name not in ports:
                return a.new_zeros(shape).transpose(0, 1).contiguous()
            return values[ports[name]].reshape(shape).transpose(0, 1).contiguous()
        return (state("h0"), state("c0")) if t == "LSTM" else state("h0")

    def _order(self):
        deps = {i: set(src for src, _ in self.inputs.get(i, {}).values()) for i in self.nodes}
        for i, n in self.nodes.items():
            tie = n["params"].get("tie_weights_to")
            if n["type"] == "Deconv2D" and tie is not None:
                deps[i].add(tie)
        order, done = [], set()
        while len(order) < len(self.nodes):
            ready = sorted(i for i in self.nodes if i not in done and deps[i] <= done)
            order += ready
            done |= set(ready)
        return order

    def _shapes(self):
        """Per-sample output shape of every node's first output, in dependency order."""
        shapes, in_shapes = {}, {}
        for i in self.order:
            n, p = self.nodes[i], self.nodes[i]["params"]
            t = n["type"]
            ins = [shapes[src] for _, (src, _) in self._ports(i)]
            in_shapes[i] = ins[0] if ins else None
            if t == "Input":
                out = list(p["shape"])
            elif t in ("Conv2D", "Deconv2D"):
                g = p
                tie = p.get("tie_weights_to") if t == "Deconv2D" else None
                if tie is not None:
                    g = self.nodes[tie]["params"]
                c, h, w = ins[0]
                filters = in_shapes[tie][0] if tie is not None else p["filters"]
                k, s, d, mode = g["kernel_size"], g["stride"], g["dilation"], p["padding"]
                f = _deconv_out if t == "Deconv2D" else _conv_out
                out = [filters] + [f([h, w][a], k[a], s[a], d[a], mode if not isinstance(mode, list) else mode[a])
                                   for a in range(2)]
            elif t in ("MaxPool2D", "AvgPool2D"):
                c, h, w = ins[0]
                k = p["pool_size"]
                s = p["stride"] or k
                out = [c] + [(-(-[h, w][a] // s[a])) if p["padding"] == "same" else ([h, w][a] - k[a]) // s[a] + 1
                             for a in range(2)]
            elif t == "GlobalAvgPool2D":
                out = [ins[0][0]]
            elif t == "Upscale2D":
                out = [ins[0][0], ins[0][1] * p["scale"][0], ins[0][2] * p["scale"][1]]
            elif t == "Dense":
                out = [ins[0][0], p["units"]] if p.get("per_step") else [p["units"]]
            elif t == "Embedding":
                out = [ins[0][0], p["units"]]
            elif t == "Flatten":
                out = [int(np.prod(ins[0]))]
            elif t == "Reshape":
                shape, total = list(p["shape"]), int(np.prod(ins[0]))
                if -1 in shape:
                    known = int(np.prod([v for v in shape if v != -1]))
                    shape[shape.index(-1)] = total // known
                out = shape
            elif t == "Concat":
                out = list(ins[0])
                out[p["axis"]] = sum(s[p["axis"]] for s in ins)
            elif t in RECURRENT:
                units = p["units"] * (2 if p.get("bidirectional") else 1)
                out = [ins[0][0], units] if p.get("return_sequences") else [units]
            elif t in ("SoftmaxCrossEntropy", "MSE", "BinaryCrossEntropy"):
                out = []
            else:
                out = list(ins[0])
            shapes[i] = out
        return shapes, in_shapes

    def _create_parameters(self):
        self.shapes, self.in_shapes = self._shapes()
        for i in self.order:
            n, p = self.nodes[i], self.nodes[i]["params"]
            name, t = n["name"], n["type"]
            ins = self.in_shapes[i]
            if t == "Conv2D":
                k = p["kernel_size"]
                self.params[name + "_weight"] = torch.nn.Parameter(torch.empty(p["filters"], ins[0], k[0], k[1]))
                torch.nn.init.kaiming_uniform_(self.params[name + "_weight"], a=math.sqrt(5))
                if p["use_bias"]:
                    self.params[name + "_bias"] = torch.nn.Parameter(torch.empty(p["filters"]).uniform_(-0.1, 0.1))
            elif t == "Deconv2D":
                out_c = self.shapes[i][0]
                if p.get("tie_weights_to") is None:
                    k = p["kernel_size"]
                    self.params[name + "_weight"] = torch.nn.Parameter(torch.empty(ins[0], out_c, k[0], k[1]))
                    torch.nn.init.kaiming_uniform_(self.params[name + "_weight"], a=math.sqrt(5))
                if p["use_bias"]:
                    self.params[name + "_bias"] = torch.nn.Parameter(torch.empty(out_c).uniform_(-0.1, 0.1))
            elif t == "Embedding":
                self.params[name + "_weight"] = torch.nn.Parameter(torch.randn(p["vocabulary"], p["units"]))
            elif t == "Dense":
                fan_in = ins[-1] if p.get("per_step") else int(np.prod(ins))
                self.params[name + "_weight"] = torch.nn.Parameter(torch.empty(p["units"], fan_in))
                torch.nn.init.kaiming_uniform_(self.params[name + "_weight"], a=math.sqrt(5))
                if p["use_bias"]:
                    bound = 1 / math.sqrt(fan_in)
                    self.params[name + "_bias"] = torch.nn.Parameter(torch.empty(p["units"]).uniform_(-bound, bound))
            elif t in RECURRENT:
                # PyTorch's own layer and initialisation; NetCanvas names "<node>.weight_ih_l0".
                layer = RECURRENT[t](ins[1], p["units"], batch_first=True,
                                     bidirectional=bool(p.get("bidirectional")))
                self.recurrent[name] = layer
                for key, value in layer.named_parameters():
                    self.params[name + "_" + key] = value
                    self.nc_names[name + "_" + key] = name + "." + key
            elif t == "BatchNorm":
                c = ins[0]
                self.params[name + "_weight"] = torch.nn.Parameter(torch.ones(c))
                self.params[name + "_bias"] = torch.nn.Parameter(torch.zeros(c))
                self.buffers_[name + ".running_mean"] = torch.zeros(c)
                self.buffers_[name + ".running_var"] = torch.ones(c)

    def state_dict_nc(self):
        """Parameters and buffers under NetCanvas names ("conv1.weight")."""
        out = {self._nc_name(k): v for k, v in self.params.items()}
        out.update(self.buffers_)
        return out

    def _nc_name(self, key):
        return self.nc_names.get(key) or key.rsplit("_", 1)[0] + "." + key.rsplit("_", 1)[1]

    def load_nc(self, tensors):
        with torch.no_grad():
            for k, v in self.params.items():
                v.copy_(torch.from_numpy(tensors[self._nc_name(k)]))
            for k in self.buffers_:
                self.buffers_[k] = torch.from_numpy(tensors[k]).clone()

    def _pool(self, x, p, is_max):
        k = p["pool_size"]
        s = p["stride"] or k
        if p["padding"] == "same":
            h, w = x.shape[2], x.shape[3]
            oh, ow = -(-h // s[0]), -(-w // s[1])
            th, tw = max((oh - 1) * s[0] + k[0] - h, 0), max((ow - 1) * s[1] + k[1] - w, 0)
            pad = (tw // 2, tw - tw // 2, th // 2, th - th // 2)
            if is_max:
                return F.max_pool2d(F.pad(x, pad, value=-math.inf), k, s)
            total = F.avg_pool2d(F.pad(x, pad), k, s) * (k[0] * k[1])
            count = F.avg_pool2d(F.pad(torch.ones_like(x[:1, :1]), pad), k, s) * (k[0] * k[1])
            return total / count
        return F.max_pool2d(x, k, s) if is_max else F.avg_pool2d(x, k, s)

    def _conv(self, i, x, p):
        name = self.nodes[i]["name"]
        k, s, d = p["kernel_size"], p["stride"], p["dilation"]
        mode = p["padding"]
        bias = self.params[name + "_bias"] if p["use_bias"] else None
        if isinstance(mode, list):
            y = F.conv2d(x, self.params[name + "_weight"], bias, s, mode, d)
        else:
            out = self.shapes[i]
            ph = _padding_amounts(mode, x.shape[2], out[1], k[0], s[0], d[0], False)
            pw = _padding_amounts(mode, x.shape[3], out[2], k[1], s[1], d[1], False)
            if any((ph[0], ph[1], pw[0], pw[1])):
                x = F.pad(x, (pw[0], pw[1], ph[0], ph[1]))
            y = F.conv2d(x, self.params[name + "_weight"], bias, s, 0, d)
        return activate(y, p["activation"])

    def _deconv(self, i, x, p):
        name = self.nodes[i]["name"]
        tie = p.get("tie_weights_to")
        g = self.nodes[tie]["params"] if tie is not None else p
        weight = self.params[(self.nodes[tie]["name"] if tie is not None else name) + "_weight"]
        k, s, d = g["kernel_size"], g["stride"], g["dilation"]
        out = self.shapes[i]
        mode = p["padding"]
        if isinstance(mode, list):
            top = (mode[0], mode[1])
        else:
            ph = _padding_amounts(mode, x.shape[2], out[1], k[0], s[0], d[0], True)
            pw = _padding_amounts(mode, x.shape[3], out[2], k[1], s[1], d[1], True)
            top = (ph[0], pw[0])
        # Crop `top` at the start; a negative crop is room added at the start.
        crop = (max(top[0], 0), max(top[1], 0))
        y = F.conv_transpose2d(x, weight, None, s, crop, 0, 1, d)
        if top[0] < 0 or top[1] < 0:
            y = F.pad(y, (max(-top[1], 0), 0, max(-top[0], 0), 0))
        y = y[:, :, : out[1], : out[2]]
        if y.shape[2] < out[1] or y.shape[3] < out[2]:
            y = F.pad(y, (0, out[2] - y.shape[3], 0, out[1] - y.shape[2]))
        if p["use_bias"]:
            y = y + self.params[name + "_bias"].view(1, -1, 1, 1)
        return activate(y, p["activation"])

    def forward(self, x, y, dropout_masks=None):
        values = {}
        total = 0
        for i in self.order:
            n, p, t = self.nodes[i], self.nodes[i]["params"], self.nodes[i]["type"]
            ins = [values[src] for _, src in self._ports(i)]
            if t == "Input":
                values[(i, "x")], values[(i, "y")] = x, y
                continue
            a = ins[0] if ins else None
            if t == "Conv2D":
                out = self._conv(i, a, p)
            elif t == "Deconv2D":
                out = self._deconv(i, a, p)
            elif t in ("MaxPool2D", "AvgPool2D"):
                out = self._pool(a, p, t == "MaxPool2D")
            elif t == "GlobalAvgPool2D":
                out = a.mean(dim=(2, 3))
            elif t == "Upscale2D":
                out = F.interpolate(a, scale_factor=tuple(p["scale"]), mode=p["mode"],
                                    **({"align_corners": False} if p["mode"] == "bilinear" else {}))
            elif t == "Dense":  # per_step: the same weights at every time step
                out = F.linear(a if p.get("per_step") else a.reshape(a.shape[0], -1),
                               self.params[n["name"] + "_weight"],
                               self.params[n["name"] + "_bias"] if p["use_bias"] else None)
                out = activate(out, p["activation"])
            elif t == "Embedding":
                out = F.embedding(a.long(), self.params[n["name"] + "_weight"])
            elif t in RECURRENT:
                out, state = self.recurrent[n["name"]](a, self._initial_state(i, t, values, a))
                if not p.get("return_sequences"):  # each direction's final state, like h_n
                    h_n = state[0] if t == "LSTM" else state
                    out = torch.cat(list(h_n), dim=1)
            elif t == "Activation":
                out = activate(a, p["function"], p["alpha"])
            elif t == "Dropout":
                out = F.dropout(a, p["rate"], self.training)
            elif t == "BatchNorm":
                name = n["name"]
                out = F.batch_norm(a, self.buffers_[name + ".running_mean"], self.buffers_[name + ".running_var"],
                                   self.params[name + "_weight"], self.params[name + "_bias"], self.training,
                                   1 - p["momentum"], p["epsilon"])
            elif t in ("Flatten", "Reshape"):
                out = a.reshape([a.shape[0]] + self.shapes[i])
            elif t == "Concat":
                out = torch.cat(ins, dim=p["axis"] + 1)
            elif t == "Add":
                out = sum(ins)
            elif t == "SoftmaxCrossEntropy":
                # Per-step logits [N, T, C]: one class per step, -1 for padding.
                logits = ins[0].reshape(-1, ins[0].shape[-1])
                out = F.cross_entropy(logits, ins[1].reshape(-1).long(), ignore_index=-1)
                total = total + p["weight"] * out
            elif t == "MSE":
                out = F.mse_loss(ins[0], ins[1])
                total = total + p["weight"] * out
            elif t == "BinaryCrossEntropy":
                out = F.binary_cross_entropy(ins[0], ins[1])
                total = total + p["weight"] * out
            else:
                raise ValueError("no PyTorch mapping for " + t)
            values[(i, "loss" if t in ("SoftmaxCrossEntropy", "MSE", "BinaryCrossEntropy") else "out")] = out
        return total, values

    def logits(self, values):
        """The tensor feeding the first SoftmaxCrossEntropy, or None."""
        for i in self.order:
            if self.nodes[i]["type"] == "SoftmaxCrossEntropy":
                return values[self.inputs[i]["logits"]]
        return None


def write_safetensors(path, tensors, metadata=None):
    header = {"__metadata__": metadata or {}}
    offset, blobs = 0, []
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def read_safetensors(path):
    with open(path, "rb") as f:
        blob = f.read()
    n = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8:8 + n])
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        out[name] = np.frombuffer(blob[8 + n + begin:8 + n + end], dtype="<f4").reshape(entry["shape"]).copy()
    return out
