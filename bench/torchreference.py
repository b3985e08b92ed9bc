"""The seed networks written by hand as idiomatic PyTorch modules (nn.Sequential and
friends), for the speed comparison: PyTorch at its best, with no graph interpretation in
between. Parameter counts match the NetCanvas examples exactly."""

import torch
import torch.nn as nn
import torch.nn.functional as F


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(784, 800), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(800, 800), nn.ReLU(), nn.Dropout(0.5), nn.Linear(800, 10))


def _standard_trunk():
    return nn.Sequential(nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 32, 5), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Dropout(0.5), nn.Flatten(), nn.Linear(512, 256), nn.ReLU())


def mnist_cnn():
    return nn.Sequential(_standard_trunk(), nn.Dropout(0.5), nn.Linear(256, 10))


class ModifiedCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = _standard_trunk()
        self.wide = nn.Sequential(nn.Conv2d(1, 32, 10), nn.ReLU(), nn.MaxPool2d(5), nn.Flatten())
        self.head = nn.Sequential(nn.Dropout(0.5), nn.Linear(544, 10))

    def forward(self, x):
        return self.head(torch.cat([self.trunk(x), self.wide(x)], dim=1))


class ConvAutoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 32, 5), nn.Conv2d(32, 32, 5)
        self.code, self.expand = nn.Linear(512, 256), nn.Linear(256, 512)
        self.bias2, self.bias1 = nn.Parameter(torch.zeros(32)), nn.Parameter(torch.zeros(1))

    def forward(self, x):
        h = F.max_pool2d(torch.tanh(self.conv1(x)), 2)
        h = F.max_pool2d(torch.tanh(self.conv2(h)), 2)
        h = torch.tanh(self.code(F.dropout(h.flatten(1), 0.5, self.training)))
        h = torch.tanh(self.expand(F.dropout(h, 0.5, self.training))).view(-1, 32, 4, 4)
        h = F.conv_transpose2d(F.interpolate(h, scale_factor=2), self.conv2.weight, self.bias2)
        return F.conv_transpose2d(F.interpolate(torch.tanh(h), scale_factor=2), self.conv1.weight, self.bias1)


def catsdogs_cnn():
    return nn.Sequential(nn.Conv2d(3, 32, 3), nn.ReLU(), nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3), nn.ReLU(), nn.Conv2d(64, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Dropout(0.5), nn.Linear(10816, 256), nn.ReLU(), nn.Linear(256, 2))


class RowsLstm(nn.Module):
    """rnn_rows_mnist: an LSTM over the 28 rows of an image, then a linear classifier."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(28, 128, batch_first=True)
        self.logits = nn.Linear(128, 10)

    def forward(self, x):
        _, (h_n, _) = self.lstm(x)
        return self.logits(h_n[-1])


NETS = {"mlp": (mlp, [1, 28, 28], "ce"), "mnist_cnn": (mnist_cnn, [1, 28, 28], "ce"),
        "modified_cnn": (ModifiedCnn, [1, 28, 28], "ce"), "conv_autoencoder": (ConvAutoencoder, [1, 28, 28], "mse"),
        "catsdogs_cnn": (catsdogs_cnn, [3, 64, 64], "ce"), "rnn_rows_mnist": (RowsLstm, [28, 28], "ce")}
