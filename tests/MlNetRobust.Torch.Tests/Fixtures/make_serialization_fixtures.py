#!/usr/bin/env python3
"""Generates the state-dict fixtures that tests/MlNetRobust.Torch.Tests/Serialization/ reads.

How it was run, from the repository root:

    /usr/bin/python3 tests/MlNetRobust.Torch.Tests/Fixtures/make_serialization_fixtures.py

with Python 3.11.2 and Debian's python3-torch 1.13.1+dfsg-4 (torch.__version__ reports
"1.13.0a0"), CPU only. For a given torch version the output is deterministic, except legacy.pt,
whose storage keys are memory addresses.

Files written next to this script:
  py_tensors.pt            every supported dtype, a 0-d int64 (like BatchNorm's num_batches_tracked),
                           an empty tensor and an nn.Parameter (pickled via _rebuild_parameter)
  py_tensors_protocol4.pt  the same dict saved with pickle_protocol=4 (FRAME, SHORT_BINUNICODE,
                           MEMOIZE, STACK_GLOBAL)
  py_views.pt              views sharing one storage: the base, a transpose, a row, a column, a
                           strided slice, an offset slice and an expanded row (stride 0)
  py_model.pt              nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4)).state_dict(), which
                           carries the _metadata attribute (pickled with BUILD)
  serialization_expected.json  for each file above: names in order, dtype, shape, the contiguous
                           little-endian bytes as hex, and the values
  legacy.pt                the pre-1.6 format (_use_new_zipfile_serialization=False)
  malicious_os_system.pt   a torch zip whose data.pkl is GLOBAL 'os system' + REDUCE, written by hand
                           from opcodes; it is never unpickled here
  truncated.pt             the first half of py_tensors.pt (no zip directory)
  truncated_pickle.pt      py_tensors.pt with data.pkl cut in half
  missing_storage.pt       py_tensors.pt without its data/1 record
"""

import collections
import json
import pathlib
import struct
import zipfile

import torch
from torch import nn

HERE = pathlib.Path(__file__).resolve().parent

DTYPE_NAMES = {
    torch.float32: "Float32",
    torch.float64: "Float64",
    torch.float16: "Float16",
    torch.bfloat16: "BFloat16",
    torch.int64: "Int64",
    torch.int32: "Int32",
    torch.int16: "Int16",
    torch.int8: "Int8",
    torch.uint8: "Byte",
    torch.bool: "Bool",
}


def describe(state_dict):
    return [
        {
            "name": name,
            "dtype": DTYPE_NAMES[t.dtype],
            "shape": list(t.shape),
            "hex": t.detach().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes().hex(),
            "values": t.detach().reshape(-1).tolist(),
        }
        for name, t in state_dict.items()
    ]


def to_json(expected):
    """JSON with one line per tensor, so diffs stay readable."""
    parts = []
    for key, value in expected.items():
        if isinstance(value, list):
            rows = ",\n".join("  " + json.dumps(row) for row in value)
            parts.append(f" {json.dumps(key)}: [\n{rows}\n ]")
        else:
            parts.append(f" {json.dumps(key)}: {json.dumps(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def tensors():
    # Values are exact in their dtype, so the JSON round-trips them without rounding.
    return collections.OrderedDict(
        [
            ("f32", torch.tensor([[1.5, -2.25, 3.0], [0.125, -0.0, 1e-30]], dtype=torch.float32)),
            ("f64", torch.tensor([3.141592653589793, -1e300], dtype=torch.float64)),
            ("f16", torch.tensor([0.5, -2.25, 1024.0], dtype=torch.float16)),
            ("bf16", torch.tensor([1.0, -0.5, 256.0], dtype=torch.bfloat16)),
            ("num_batches_tracked", torch.tensor(7, dtype=torch.int64)),
            ("i64", torch.tensor([-(2**40), 2**62], dtype=torch.int64)),
            ("i32", torch.tensor([[-5, 6], [2**31 - 1, -(2**31)]], dtype=torch.int32)),
            ("i16", torch.tensor([-300, 300], dtype=torch.int16)),
            ("i8", torch.tensor([-128, 127, 0], dtype=torch.int8)),
            ("u8", torch.tensor([0, 255, 7], dtype=torch.uint8)),
            ("mask", torch.tensor([True, False, True, True], dtype=torch.bool)),
            ("empty", torch.zeros(0, 3)),
            ("param", nn.Parameter(torch.tensor([1.5, -2.0]))),
        ]
    )


def views():
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    return collections.OrderedDict(
        [
            ("base", base),
            ("transposed", base.t()),
            ("row", base[1]),
            ("column", base[:, 2]),
            ("strided", base[::2, 1::2]),
            ("tail", base.reshape(-1)[5:9]),
            ("expanded", base[2].expand(2, 4)),  # stride 0: both rows read the same elements
        ]
    )


def model():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4))
    net.train()
    net(torch.randn(2, 3, 5, 5))  # one step, so running stats and num_batches_tracked are non-trivial
    return net.state_dict()


def records(path):
    """The records of a torch zip, without their '<prefix>/' folder."""
    with zipfile.ZipFile(path) as z:
        return [(info.filename.split("/", 1)[1], z.read(info)) for info in z.infolist()]


def write_torch_zip(path, items):
    """Writes records with PyTorch's own zip writer, which adds '<stem>/' and the version record."""
    writer = torch._C.PyTorchFileWriter(str(path))
    for name, data in items:
        if name != "version":
            writer.write_record(name, data, len(data))
    writer.write_end_of_file()


def malicious_pickle():
    # os.system('echo ...') as pickle opcodes; written by hand, never unpickled.
    command = "echo this state dict runs code".encode()
    return (
        b"\x80\x02"  # PROTO 2
        + b"cos\nsystem\n"  # GLOBAL 'os system'
        + b"X" + struct.pack("<I", len(command)) + command  # BINUNICODE
        + b"\x85"  # TUPLE1
        + b"R"  # REDUCE
        + b"."  # STOP
    )


def main():
    expected = {"torch_version": torch.__version__}
    saved = [
        ("py_tensors.pt", tensors(), {}),
        ("py_tensors_protocol4.pt", tensors(), {"pickle_protocol": 4}),
        ("py_views.pt", views(), {}),
        ("py_model.pt", model(), {}),
    ]
    for name, state_dict, options in saved:
        torch.save(state_dict, HERE / name, **options)
        expected[name] = describe(state_dict)
    (HERE / "serialization_expected.json").write_text(to_json(expected))

    torch.save({"w": torch.ones(2)}, HERE / "legacy.pt", _use_new_zipfile_serialization=False)

    write_torch_zip(HERE / "malicious_os_system.pt", [("data.pkl", malicious_pickle())])

    good = (HERE / "py_tensors.pt").read_bytes()
    (HERE / "truncated.pt").write_bytes(good[: len(good) // 2])

    items = records(HERE / "py_tensors.pt")
    write_torch_zip(
        HERE / "truncated_pickle.pt",
        [(n, d[: len(d) // 2] if n == "data.pkl" else d) for n, d in items],
    )
    write_torch_zip(HERE / "missing_storage.pt", [(n, d) for n, d in items if n != "data/1"])


if __name__ == "__main__":
    main()
