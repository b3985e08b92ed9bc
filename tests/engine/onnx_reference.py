"""A small ONNX evaluator in NumPy, written from the operator specification, for the exported
models Debian's OpenCV (4.6) cannot run (GRU with a computed initial state, Gather of
computed indices). Only what NetCanvas's recurrent exports use:
    python3 onnx_reference.py MODEL.onnx INPUT.bin N,D1,D2 OUTPUT.bin   (raw float32)
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def recurrent(op, a, x, w, r, b, h0, c0):
    """ONNX RNN/GRU/LSTM, layout 0: x [T, N, F] -> Y [T, D, N, H], Y_h [D, N, H]."""
    t_steps, n, _ = x.shape
    d_count, gh, _ = w.shape
    h = a["hidden_size"]
    ys, finals = [], []
    for d in range(d_count):
        wb, rb = (b[d][:gh], b[d][gh:]) if b is not None else (np.zeros(gh), np.zeros(gh))
        ht = h0[d] if h0 is not None else np.zeros((n, h), np.float32)
        ct = c0[d] if c0 is not None else np.zeros((n, h), np.float32)
        out = [None] * t_steps
        order = range(t_steps) if d == 0 else range(t_steps - 1, -1, -1)
        for t in order:
            xw = x[t] @ w[d].T + wb
            if op == "RNN":
                ht = np.tanh(xw + ht @ r[d].T + rb)
            elif op == "GRU":
                xz, xr, xh = np.split(xw, 3, axis=1)
                hz, hr, hh = np.split(ht @ r[d].T + rb, 3, axis=1)
                z, rr = sigmoid(xz + hz), sigmoid(xr + hr)
                assert a.get("linear_before_reset", 0) == 1
                ht = (1 - z) * np.tanh(xh + rr * hh) + z * ht
            else:
                gates = xw + ht @ r[d].T + rb
                i, o, f, c = np.split(gates, 4, axis=1)
                ct = sigmoid(f) * ct + sigmoid(i) * np.tanh(c)
                ht = sigmoid(o) * np.tanh(ct)
            out[t] = ht
        ys.append(np.stack(out))
        finals.append(ht)
    return np.stack(ys, axis=1), np.stack(finals)


def run(model, x):
    values = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    values[model.graph.input[0].name] = x
    for node in model.graph.node:
        a = attrs(node)
        ins = [values[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Transpose":
            out = [np.transpose(ins[0], a["perm"])]
        elif op == "Reshape":
            shape = [s if s != 0 else ins[0].shape[i] for i, s in enumerate(ins[1])]
            out = [ins[0].reshape(shape)]
        elif op == "Flatten":
            out = [ins[0].reshape(ins[0].shape[0], -1)]
        elif op == "Gemm":
            wt = ins[1].T if a.get("transB", 0) else ins[1]
            out = [ins[0] @ wt + (ins[2] if len(ins) > 2 else 0)]
        elif op == "MatMul":
            out = [ins[0] @ ins[1]]
        elif op == "Add":
            out = [ins[0] + ins[1]]
        elif op == "Cast":
            out = [ins[0].astype(np.int64)]
        elif op == "Gather":
            out = [np.take(ins[0], ins[1], axis=a.get("axis", 0))]
        elif op in ("Identity", "Dropout"):
            out = [ins[0]]
        elif op == "Relu":
            out = [np.maximum(ins[0], 0)]
        elif op == "Tanh":
            out = [np.tanh(ins[0])]
        elif op == "Sigmoid":
            out = [sigmoid(ins[0])]
        elif op == "Softmax":
            e = np.exp(ins[0] - ins[0].max(axis=a.get("axis", -1), keepdims=True))
            out = [e / e.sum(axis=a.get("axis", -1), keepdims=True)]
        elif op in ("RNN", "GRU", "LSTM"):
            pad = ins + [None] * (7 - len(ins))
            out = list(recurrent(op, a, pad[0], pad[1], pad[2], pad[3], pad[5], pad[6]))
        else:
            sys.exit(f"onnx_reference.py: no {op}")
        for name, value in zip(node.output, out):
            if name:
                values[name] = np.asarray(value, dtype=np.float32 if op != "Cast" else np.int64)
    return values[model.graph.output[0].name]


if __name__ == "__main__":
    model = onnx.load(sys.argv[1])
    shape = [int(d) for d in sys.argv[3].split(",")]
    x = np.fromfile(sys.argv[2], dtype="<f4").reshape(shape)
    run(model, x).astype("<f4").tofile(sys.argv[4])
