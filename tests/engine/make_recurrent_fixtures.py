#!/usr/bin/env python3
"""Writes the recurrent-layer fixtures that tst_recurrentparity compares against: for each case,
PyTorch's nn.RNN / nn.LSTM / nn.GRU (one layer, batch_first) in float64 on float32-rounded
weights and inputs, its output, an MSE loss against a random target, and the gradients of the
loss for the input and every weight. Tensor names follow PyTorch's state dict, prefixed with
the node name "rnn."; the metadata says how to build the node. Cases with initial states feed
h0 (and c0) from nn.Linear layers "h0" and "c0" on the flattened input, so their gradients
check the gradients of the initial states.

usage: /usr/bin/python3 make_recurrent_fixtures.py OUT_DIR   (needs python3-torch)"""

import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
import nctorch  # noqa: E402

CASES = [
    # name, type, units, bidirectional, return_sequences, steps, features, initial states
    ("rnn_last", "SimpleRNN", 5, False, False, 6, 3, ()),
    ("rnn_sequences_bidirectional", "SimpleRNN", 4, True, True, 5, 3, ()),
    ("rnn_initial_state", "SimpleRNN", 4, False, True, 5, 3, ("h0",)),
    ("lstm_last", "LSTM", 5, False, False, 6, 3, ()),
    ("lstm_sequences", "LSTM", 4, False, True, 7, 2, ()),
    ("lstm_bidirectional_last", "LSTM", 3, True, False, 5, 4, ()),
    ("lstm_initial_states_bidirectional", "LSTM", 3, True, True, 4, 3, ("h0", "c0")),
    ("lstm_initial_cell_only", "LSTM", 4, False, False, 5, 2, ("c0",)),
    ("gru_last", "GRU", 5, False, False, 6, 3, ()),
    ("gru_sequences_bidirectional", "GRU", 4, True, True, 5, 3, ()),
    ("gru_initial_state_bidirectional", "GRU", 3, True, False, 5, 3, ("h0",)),
]
BATCH = 3
MODULES = {"SimpleRNN": torch.nn.RNN, "LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}


def rounded(t):
    return t.float().double()


def make(out_dir, name, kind, units, bidirectional, sequences, steps, features, initial):
    torch.manual_seed(sum(map(ord, name)))
    layer = MODULES[kind](features, units, batch_first=True, bidirectional=bidirectional).double()
    directions = 2 if bidirectional else 1
    feeds = {k: torch.nn.Linear(steps * features, directions * units).double() for k in initial}
    modules = {"rnn": layer, **feeds}
    with torch.no_grad():
        for module in modules.values():
            for p in module.parameters():
                p.copy_(rounded(p * 1.5))  # beyond the default range: the gates saturate a little
    x = rounded(torch.rand(BATCH, steps, features, dtype=torch.float64) * 2 - 1).requires_grad_()
    # Each initial state per sample is [directions * units]; PyTorch wants [directions, N, units].
    states = {k: f(x.flatten(1)).reshape(BATCH, directions, units).transpose(0, 1).contiguous()
              for k, f in feeds.items()}
    zeros = torch.zeros(directions, BATCH, units, dtype=torch.float64)
    if kind == "LSTM":
        output, state = layer(x, (states.get("h0", zeros), states.get("c0", zeros)))
    else:
        output, state = layer(x, states.get("h0", zeros))
    h_n = state[0] if kind == "LSTM" else state
    y = output if sequences else torch.cat(list(h_n), dim=1)
    target = rounded(torch.rand(y.shape, dtype=torch.float64))
    loss = torch.nn.functional.mse_loss(y, target)
    loss.backward()
    tensors = {}
    for prefix, module in modules.items():
        for k, v in module.state_dict().items():
            tensors[prefix + "." + k] = v.detach().numpy()
    tensors["__x"] = x.detach().numpy()
    tensors["__y"] = target.numpy()
    tensors["__output"] = y.detach().numpy()
    tensors["__loss"] = loss.detach().reshape(1).numpy()
    tensors["__dx"] = x.grad.numpy()
    for prefix, module in modules.items():
        for k, p in module.named_parameters():
            tensors["grad." + prefix + "." + k] = p.grad.numpy()
    metadata = {"type": kind, "units": str(units), "bidirectional": str(bidirectional).lower(),
                "return_sequences": str(sequences).lower(), "initial_states": ",".join(initial),
                "torch": torch.__version__}
    nctorch.write_safetensors(os.path.join(out_dir, name + ".safetensors"), tensors, metadata)


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for case in CASES:
        make(out_dir, *case)
        print("wrote", case[0])


if __name__ == "__main__":
    main()
