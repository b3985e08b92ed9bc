#!/usr/bin/env python3
"""Writes the recurrent-layer fixtures that tst_recurrentparity compares against: for each case,
PyTorch's nn.RNN / nn.LSTM / nn.GRU (one layer, batch_first) in float64 on float32-rounded
weights and inputs, its output, an MSE loss against a random target, and the gradients of the
loss for the input and every weight. Tensor names follow PyTorch's state dict, prefixed with
the node name "rnn."; the metadata says how to build the node.

usage: /usr/bin/python3 make_recurrent_fixtures.py OUT_DIR   (needs python3-torch)"""

import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
import nctorch  # noqa: E402

CASES = [
    # name, type, units, bidirectional, return_sequences, steps, features
    ("rnn_last", "SimpleRNN", 5, False, False, 6, 3),
    ("rnn_sequences_bidirectional", "SimpleRNN", 4, True, True, 5, 3),
    ("lstm_last", "LSTM", 5, False, False, 6, 3),
    ("lstm_sequences", "LSTM", 4, False, True, 7, 2),
    ("lstm_bidirectional_last", "LSTM", 3, True, False, 5, 4),
    ("gru_last", "GRU", 5, False, False, 6, 3),
    ("gru_sequences_bidirectional", "GRU", 4, True, True, 5, 3),
]
BATCH = 3
MODULES = {"SimpleRNN": torch.nn.RNN, "LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}


def rounded(t):
    return t.float().double()


def make(out_dir, name, kind, units, bidirectional, sequences, steps, features):
    torch.manual_seed(sum(map(ord, name)))
    layer = MODULES[kind](features, units, batch_first=True, bidirectional=bidirectional).double()
    with torch.no_grad():
        for p in layer.parameters():
            p.copy_(rounded(p * 1.5))  # beyond the default range, so the gates saturate a little
    x = rounded(torch.rand(BATCH, steps, features, dtype=torch.float64) * 2 - 1).requires_grad_()
    output, state = layer(x)
    h_n = state[0] if kind == "LSTM" else state
    y = output if sequences else torch.cat(list(h_n), dim=1)
    target = rounded(torch.rand(y.shape, dtype=torch.float64))
    loss = torch.nn.functional.mse_loss(y, target)
    loss.backward()
    tensors = {"rnn." + k: v.detach().numpy() for k, v in layer.state_dict().items()}
    tensors["__x"] = x.detach().numpy()
    tensors["__y"] = target.numpy()
    tensors["__output"] = y.detach().numpy()
    tensors["__loss"] = loss.detach().reshape(1).numpy()
    tensors["__dx"] = x.grad.numpy()
    for k, p in layer.named_parameters():
        tensors["grad.rnn." + k] = p.grad.numpy()
    metadata = {"type": kind, "units": str(units), "bidirectional": str(bidirectional).lower(),
                "return_sequences": str(sequences).lower(), "torch": torch.__version__}
    nctorch.write_safetensors(os.path.join(out_dir, name + ".safetensors"), tensors, metadata)


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for case in CASES:
        make(out_dir, *case)
        print("wrote", case[0])


if __name__ == "__main__":
    main()
