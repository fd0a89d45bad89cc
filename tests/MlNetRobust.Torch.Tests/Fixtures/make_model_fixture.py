"""A tiny trained-looking model saved by Python's torch.save, with an input and the output PyTorch computed.

Made with Debian's python3-torch 1.13.1:  /usr/bin/python3 make_model_fixture.py
Writes tiny_model.pt (the state dict) and tiny_model_io.json (input, eval-mode output). The C# test builds
the same architecture, loads the file, and must reproduce the output.
"""
import json

import torch
from torch import nn

torch.manual_seed(1234)
model = nn.Sequential(
    nn.Conv2d(3, 4, 3, padding=1, bias=False),
    nn.BatchNorm2d(4),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.AdaptiveAvgPool2d((1, 1)),
    nn.Flatten(),
    nn.Linear(4, 3),
)
# A few training-mode passes so the batch-norm running statistics are not the defaults.
with torch.no_grad():
    for _ in range(3):
        model(torch.randn(8, 3, 6, 6))
model.eval()
x = torch.randn(2, 3, 6, 6)
with torch.no_grad():
    y = model(x)
torch.save(model.state_dict(), "tiny_model.pt")
with open("tiny_model_io.json", "w") as f:
    json.dump({"torch": torch.__version__, "input_shape": list(x.shape), "input": x.flatten().tolist(),
               "output_shape": list(y.shape), "output": y.flatten().tolist()}, f)
