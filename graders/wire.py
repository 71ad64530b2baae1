"""The wire between the grader and the worker: JSON for structure, NumPy's .npy format for
arrays, never pickle. Runs on both sides of the door (NumPy and the standard library only)."""
import io
import json
import os
from dataclasses import dataclass, field

import numpy as np

from graders import limits


@dataclass(frozen=True)
class Ref:
    """A learner object that stays on the learner side."""
    id: int
    type: str


@dataclass(frozen=True)
class FuncRef:
    """A grader function (from `funcs`) passed to learner code, by name."""
    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Shared:
    """An array argument in a file the grader wrote: the worker maps it, so the learner works
    on the very bytes the grader reads back after the call (to see whether they changed)."""
    path: str
    dtype: str
    shape: tuple


@dataclass(frozen=True)
class RngSpec:
    """A `np.random.Generator` built on the learner side from a seed."""
    seed: int


def pack(obj):
    """A message -> bytes: 8-byte length, JSON, then each array as 8-byte length + .npy."""
    blobs = []
    head = json.dumps(_tree(obj, blobs)).encode()
    parts = [len(head).to_bytes(8, "big"), head, len(blobs).to_bytes(8, "big")]
    for blob in blobs:
        parts += [len(blob).to_bytes(8, "big"), blob]
    return b"".join(parts)


def unpack(read):
    """Read one message with `read(n) -> bytes` (which raises EOFError when closed)."""
    head = json.loads(read(_length(read)))
    # never pickle: a pickled array would run code of the sender's choosing in the reader
    # (only the kit's own tests turn this off: GRADERS_TEST_DISABLE=no-pickle, see sandbox.py)
    pickle = "no-pickle" in os.environ.get("GRADERS_TEST_DISABLE", "").split(",")
    blobs = [np.load(io.BytesIO(read(_length(read))), allow_pickle=pickle)
             for _ in range(_length(read))]
    return _value(head, blobs)


def _length(read):
    n = int.from_bytes(read(8), "big")
    if n > limits.MESSAGE_BYTES:
        raise ValueError("message too large")
    return n


def _tree(v, blobs):
    if type(v) is np.ndarray:
        buf = io.BytesIO()
        np.save(buf, v, allow_pickle=False)
        blobs.append(buf.getvalue())
        return {"nd": len(blobs) - 1}
    if isinstance(v, np.generic) and v.dtype.kind in "biuf":
        return {"scalar": [v.dtype.str, v.item()]}
    if isinstance(v, Ref):
        return {"ref": [v.id, v.type]}
    if isinstance(v, FuncRef):
        return {"fn": [v.name, _tree(v.args, blobs), _tree(v.kwargs, blobs)]}
    if isinstance(v, RngSpec):
        return {"rng": v.seed}
    if isinstance(v, Shared):
        return {"shared": [v.path, v.dtype, list(v.shape)]}
    if type(v) is tuple:
        return {"tuple": [_tree(x, blobs) for x in v]}
    if type(v) is list:
        return [_tree(x, blobs) for x in v]
    if type(v) is dict:
        return {"dict": {str(k): _tree(x, blobs) for k, x in v.items()}}
    if v is None or type(v) in (bool, int, float, str):
        return v
    raise TypeError(f"cannot send a {type(v).__name__}")


def _value(t, blobs):
    if type(t) is list:
        return [_value(x, blobs) for x in t]
    if type(t) is not dict:
        return t
    (kind, x), = t.items()
    if kind == "nd":
        return blobs[x]
    if kind == "scalar":
        return np.dtype(x[0]).type(x[1])
    if kind == "ref":
        return Ref(int(x[0]), str(x[1]))
    if kind == "fn":
        return FuncRef(str(x[0]), _value(x[1], blobs), _value(x[2], blobs))
    if kind == "rng":
        return RngSpec(int(x))
    if kind == "shared":
        return Shared(str(x[0]), str(x[1]), tuple(int(n) for n in x[2]))
    if kind == "tuple":
        return tuple(_value(y, blobs) for y in x)
    return {k: _value(y, blobs) for k, y in x.items()}
