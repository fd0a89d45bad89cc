"""Reference values of single ops, computed with PyTorch, for OpReferenceTests.cs.

Made with Debian 12's python3-torch 1.13.1+dfsg-4 (torch.__version__ reports "1.13.0a0"; the output records it
as "torch"), the same libtorch the C# binding links. /usr/bin/python3 is the interpreter that can import it:
    cd tests/MlNetRobust.Torch.Tests/Fixtures && /usr/bin/python3 make_op_references.py > op_references.json

Every case stores its inputs explicitly (float64 values rounded to 3 decimals, so the file stays small and
readable), the op's parameters and its outputs; the C# test rebuilds the inputs from the file, so no random
generator is shared between Python and C#. Case layout:
    "<case>": {"op": "<op>", "params": {...}, "inputs": {"<name>": T}, "outputs": {"<name>": T}}
    T = {"dtype": "float64" | "int64" | "bool", "shape": [...], "data": [row-major values]}
"""
import json
import math

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
_gen = torch.Generator().manual_seed(20240613)


def rnd(*shape, lo=-2.0, hi=2.0, distinct=False):
    """Uniform values rounded to 3 decimals; distinct=True avoids ties (sort, topk, max, pooling)."""
    while True:
        t = torch.rand(shape, generator=_gen) * (hi - lo) + lo
        t = torch.round(t * 1000) / 1000
        if not distinct or t.flatten().unique().numel() == t.numel():
            return t


def positive(*shape):
    return rnd(*shape, lo=0.1, hi=3.0)


def enc(t):
    t = t.detach()
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "data": t.flatten().tolist()}


cases = {}


def case(name, op, inputs, outputs, **params):
    assert name not in cases, name
    if not isinstance(outputs, dict):
        outputs = {"out": outputs}
    cases[name] = {
        "op": op,
        "params": params,
        "inputs": {k: enc(v) for k, v in inputs.items()},
        "outputs": {k: enc(v) for k, v in outputs.items()},
    }


# ---- element-wise arithmetic, with broadcasting -------------------------------------------------------
a, b_row, b_col = rnd(2, 3), rnd(3), rnd(2, 1)
nz_row = torch.tensor([1.5, -0.75, 2.25])  # divisor without zeros
case("add_broadcast_row", "add", {"a": a, "b": b_row}, torch.add(a, b_row))
case("add_alpha", "add", {"a": a, "b": b_col}, torch.add(a, b_col, alpha=-2.5), alpha=-2.5)
case("add_scalar", "add_scalar", {"a": a}, a + 1.75, value=1.75)
case("sub_broadcast_col", "sub", {"a": a, "b": b_col}, a - b_col)
case("sub_scalar", "sub_scalar", {"a": a}, a - 0.5, value=0.5)
case("rsub_scalar", "rsub_scalar", {"a": a}, 3.0 - a, value=3.0)
case("mul_broadcast_outer", "mul", {"a": b_col, "b": b_row}, b_col * b_row)  # (2,1) * (3) -> (2,3)
case("mul_scalar", "mul_scalar", {"a": a}, a * -3.25, value=-3.25)
case("div_broadcast_row", "div", {"a": a, "b": nz_row}, a / nz_row)
case("div_scalar", "div_scalar", {"a": a}, a / 0.4, value=0.4)
case("rdiv_scalar", "rdiv_scalar", {"a": nz_row}, 2.0 / nz_row, value=2.0)
p_base, p_exp = positive(2, 3), rnd(3)
case("pow_tensor_broadcast", "pow", {"a": p_base, "b": p_exp}, torch.pow(p_base, p_exp))
case("pow_scalar", "pow_scalar", {"a": a}, torch.pow(a, 3), value=3.0)
case("pow_fractional_scalar", "pow_scalar", {"a": p_base}, torch.pow(p_base, 0.5), value=0.5)
case("scalar_pow", "scalar_pow", {"a": a}, torch.pow(2.0, a), value=2.0)

# ---- matmul -------------------------------------------------------------------------------------------
m1, m2, mb = rnd(2, 3), rnd(3, 4), rnd(2, 2, 3)
case("matmul_2d", "matmul", {"a": m1, "b": m2}, m1 @ m2)
case("matmul_batched_broadcast", "matmul", {"a": mb, "b": m2}, mb @ m2)
case("matmul_vector", "matmul", {"a": m1, "b": b_row}, m1 @ b_row)

# ---- comparisons and where: inputs share some equal elements so eq/le/ge are exercised ----------------
ca = torch.tensor([[0.5, -1.0, 2.0], [1.0, 1.0, -0.25]])
cb = torch.tensor([[0.5, 1.0, -2.0], [1.0, 0.0, 3.0]])
for name, fn in [("eq", torch.eq), ("ne", torch.ne), ("lt", torch.lt), ("le", torch.le), ("gt", torch.gt), ("ge", torch.ge)]:
    case(f"{name}_tensor", name, {"a": ca, "b": cb}, fn(ca, cb))
    case(f"{name}_scalar", f"{name}_scalar", {"a": ca}, fn(ca, 1.0), value=1.0)
case("where_max", "where", {"a": ca, "b": cb}, torch.where(ca > cb, ca, cb))

# ---- clamp --------------------------------------------------------------------------------------------
c = rnd(3, 4)
lo_t, hi_t = rnd(3, 4, lo=-1.5, hi=0.0), rnd(4, lo=0.0, hi=1.5)
case("clamp_scalar", "clamp", {"a": c}, torch.clamp(c, -0.5, 0.75), min=-0.5, max=0.75)
case("clamp_min_only", "clamp", {"a": c}, torch.clamp(c, min=0.25), min=0.25)
case("clamp_max_only", "clamp", {"a": c}, torch.clamp(c, max=-0.25), max=-0.25)
case("clamp_tensor_bounds", "clamp_tensor", {"a": c, "min": lo_t, "max": hi_t}, torch.clamp(c, lo_t, hi_t))
case("clamp_tensor_max_only", "clamp_tensor", {"a": c, "max": hi_t}, torch.clamp(c, max=hi_t))

# ---- unary --------------------------------------------------------------------------------------------
u = torch.cat([rnd(5), torch.tensor([0.0])])  # sign(0) = 0
case("sign", "sign", {"a": u}, torch.sign(u))
case("abs", "abs", {"a": u}, torch.abs(u))
case("exp", "exp", {"a": u}, torch.exp(u))
up = positive(6)
case("log", "log", {"a": up}, torch.log(up))
case("sqrt", "sqrt", {"a": up}, torch.sqrt(up))

# ---- reductions ---------------------------------------------------------------------------------------
r = rnd(3, 4, distinct=True)
r3 = rnd(2, 3, 4)
case("sum_all", "sum", {"a": r}, r.sum())
case("sum_dim1", "sum", {"a": r}, r.sum(1), dims=[1], keepdim=False)
case("sum_dim0_keepdim", "sum", {"a": r}, r.sum(0, keepdim=True), dims=[0], keepdim=True)
case("sum_dims_0_2", "sum", {"a": r3}, r3.sum((0, 2)), dims=[0, 2], keepdim=False)
case("mean_all", "mean", {"a": r}, r.mean())
case("mean_dim1_keepdim", "mean", {"a": r}, r.mean(1, keepdim=True), dims=[1], keepdim=True)
case("mean_dim_neg1", "mean", {"a": r3}, r3.mean(-1), dims=[-1], keepdim=False)
for op, fn in [("max", torch.max), ("min", torch.min)]:
    case(f"{op}_all", f"{op}_all", {"a": r}, fn(r))
    for dim, keepdim in [(1, False), (0, True)]:
        v, i = fn(r, dim, keepdim=keepdim)
        suffix = "_keepdim" if keepdim else ""
        case(f"{op}_dim{dim}{suffix}", op, {"a": r}, {"values": v, "indices": i}, dim=dim, keepdim=keepdim)
case("argmax_all", "argmax", {"a": r}, torch.argmax(r))
case("argmax_dim1", "argmax", {"a": r}, torch.argmax(r, 1), dim=1, keepdim=False)
case("argmax_dim0_keepdim", "argmax", {"a": r}, torch.argmax(r, 0, keepdim=True), dim=0, keepdim=True)
case("std_all", "std", {"a": r}, r.std(), unbiased=True)
case("std_dim1", "std", {"a": r}, r.std(1), dims=[1], unbiased=True, keepdim=False)
case("std_dim0_biased_keepdim", "std", {"a": r}, r.std(0, unbiased=False, keepdim=True), dims=[0], unbiased=False, keepdim=True)
case("var_all_biased", "var", {"a": r}, r.var(unbiased=False), unbiased=False)
case("var_dim1_keepdim", "var", {"a": r}, r.var(1, keepdim=True), dims=[1], unbiased=True, keepdim=True)
case("logsumexp_dim1", "logsumexp", {"a": r}, torch.logsumexp(r, 1), dim=1, keepdim=False)
case("logsumexp_dim0_keepdim", "logsumexp", {"a": r}, torch.logsumexp(r, 0, keepdim=True), dim=0, keepdim=True)
case("cumsum_dim1", "cumsum", {"a": r}, torch.cumsum(r, 1), dim=1)
case("cumsum_dim0", "cumsum", {"a": r}, torch.cumsum(r, 0), dim=0)

# ---- softmax and losses -------------------------------------------------------------------------------
logits = rnd(5, 4, lo=-3.0, hi=3.0)
target = torch.tensor([2, 0, 3, 3, 1])
target_ignored = torch.tensor([2, -100, 3, 1, -100])
target_ignore_1 = torch.tensor([1, 0, 3, 1, 2])
class_w = torch.tensor([0.5, 2.0, 1.0, 1.5])
case("softmax_dim1", "softmax", {"a": logits}, F.softmax(logits, 1), dim=1)
case("softmax_dim0", "softmax", {"a": logits}, F.softmax(logits, 0), dim=0)
case("log_softmax_dim1", "log_softmax", {"a": logits}, F.log_softmax(logits, 1), dim=1)
case("log_softmax_dim0", "log_softmax", {"a": logits}, F.log_softmax(logits, 0), dim=0)


def ce_case(name, t, weight=None, ignore_index=-100, label_smoothing=0.0):
    for reduction in ["none", "mean", "sum"]:
        inputs = {"input": logits, "target": t}
        if weight is not None:
            inputs["weight"] = weight
        out = F.cross_entropy(logits, t, weight=weight, reduction=reduction, ignore_index=ignore_index,
                              label_smoothing=label_smoothing)
        case(f"{name}_{reduction}", "cross_entropy", inputs, out, reduction=reduction, ignore_index=ignore_index,
             label_smoothing=label_smoothing)


ce_case("cross_entropy", target)
ce_case("cross_entropy_weighted", target, weight=class_w)
ce_case("cross_entropy_label_smoothing", target, label_smoothing=0.1)
ce_case("cross_entropy_weighted_label_smoothing", target, weight=class_w, label_smoothing=0.1)
ce_case("cross_entropy_ignore_default", target_ignored, label_smoothing=0.1)
ce_case("cross_entropy_ignore_index_1_weighted", target_ignore_1, weight=class_w, ignore_index=1)

log_p = F.log_softmax(logits, 1)
for reduction in ["none", "mean", "sum"]:
    case(f"nll_loss_weighted_{reduction}", "nll_loss", {"input": log_p, "target": target, "weight": class_w},
         F.nll_loss(log_p, target, weight=class_w, reduction=reduction), reduction=reduction, ignore_index=-100)
case("nll_loss_ignore_index", "nll_loss", {"input": log_p, "target": target_ignore_1},
     F.nll_loss(log_p, target_ignore_1, ignore_index=1), reduction="mean", ignore_index=1)

nrm = rnd(3, 4)
nrm[1] = 0.0  # a zero row: eps keeps it 0 instead of NaN
case("normalize_l2_dim1", "normalize", {"a": nrm}, F.normalize(nrm, p=2.0, dim=1), p=2.0, dim=1)

# ---- joins, views ---------------------------------------------------------------------------------------
j1, j2, j3 = rnd(2, 3), rnd(2, 3), rnd(1, 3)
case("cat_dim0", "cat", {"a": j1, "b": j3}, torch.cat([j1, j3], 0), dim=0)
case("cat_dim1", "cat", {"a": j1, "b": j2}, torch.cat([j1, j2], 1), dim=1)
case("stack_dim0", "stack", {"a": j1, "b": j2}, torch.stack([j1, j2], 0), dim=0)
case("stack_dim2", "stack", {"a": j1, "b": j2}, torch.stack([j1, j2], 2), dim=2)
v = rnd(2, 3, 4)
case("reshape", "reshape", {"a": v}, v.reshape(4, -1), shape=[4, -1])
case("permute", "permute", {"a": v}, v.permute(2, 0, 1), dims=[2, 0, 1])
case("transpose", "transpose", {"a": v}, v.transpose(0, 2), dim0=0, dim1=2)
case("flip_dims_0_2", "flip", {"a": v}, torch.flip(v, [0, 2]), dims=[0, 2])

# ---- indexing -------------------------------------------------------------------------------------------
x = rnd(3, 5)
case("slice_step2", "slice", {"a": x}, x[:, 1:5:2], dim=1, start=1, end=5, step=2)
case("slice_dim0", "slice", {"a": x}, x[1:3], dim=0, start=1, end=3, step=1)
idx = torch.tensor([4, 0, 2, 0])
case("index_select_dim1", "index_select", {"a": x, "index": idx}, torch.index_select(x, 1, idx), dim=1)
gidx = torch.tensor([[0, 4, 4], [1, 0, 2], [3, 3, 0]])
case("gather_dim1", "gather", {"a": x, "index": gidx}, torch.gather(x, 1, gidx), dim=1)
sidx = torch.tensor([[0, 1, 2, 0, 1], [2, 0, 1, 1, 0]])  # unique per column: scatter is deterministic
src = rnd(2, 5)
zeros = torch.zeros(3, 5)
case("scatter_dim0", "scatter", {"a": zeros, "index": sidx, "src": src}, torch.scatter(zeros, 0, sidx, src), dim=0)
aidx = torch.tensor([[0, 1, 1, 0, 1], [0, 1, 0, 0, 2]])  # repeated indices accumulate
case("scatter_add_dim0", "scatter_add", {"a": x, "index": aidx, "src": src}, torch.scatter_add(x, 0, aidx, src), dim=0)
mask = x > 0.5
case("masked_fill", "masked_fill", {"a": x, "mask": mask}, x.masked_fill(mask, -7.5), value=-7.5)

# ---- sorting and selection ------------------------------------------------------------------------------
s = rnd(3, 5, distinct=True)
for name, kw in [("topk_largest", dict(k=2, dim=1, largest=True)), ("topk_smallest_dim0", dict(k=2, dim=0, largest=False))]:
    vals, inds = torch.topk(s, **kw)
    case(name, "topk", {"a": s}, {"values": vals, "indices": inds}, **kw)
for name, kw in [("sort_ascending", dict(dim=1, descending=False)), ("sort_descending_dim0", dict(dim=0, descending=True))]:
    vals, inds = torch.sort(s, **kw)
    case(name, "sort", {"a": s}, {"values": vals, "indices": inds}, **kw)

# ---- distances ------------------------------------------------------------------------------------------
pa, pb = rnd(4, 3), rnd(5, 3)
case("cdist_p2", "cdist", {"a": pa, "b": pb}, torch.cdist(pa, pb, p=2.0), p=2.0)
case("cdist_p1", "cdist", {"a": pa, "b": pb}, torch.cdist(pa, pb, p=1.0), p=1.0)

# ---- convolution, normalisation, pooling, linear ----------------------------------------------------------
ci, cw, cbias = rnd(2, 4, 5, 5), rnd(6, 2, 3, 3), rnd(6)
case("conv2d_stride2_pad1_groups2", "conv2d", {"input": ci, "weight": cw, "bias": cbias},
     F.conv2d(ci, cw, cbias, stride=2, padding=1, groups=2), stride=2, padding=1, groups=2)

bi, bw, bb = rnd(4, 3, 2, 2), rnd(3), rnd(3)
rm0, rv0 = rnd(3), positive(3)
rm, rv = rm0.clone(), rv0.clone()
out = F.batch_norm(bi, rm, rv, bw, bb, training=True, momentum=0.1, eps=1e-5)
case("batch_norm_train", "batch_norm", {"input": bi, "weight": bw, "bias": bb, "running_mean": rm0, "running_var": rv0},
     {"out": out, "running_mean": rm, "running_var": rv}, training=True, momentum=0.1, eps=1e-5)
rm, rv = rm0.clone(), rv0.clone()
out = F.batch_norm(bi, rm, rv, bw, bb, training=False, momentum=0.1, eps=1e-5)
case("batch_norm_eval", "batch_norm", {"input": bi, "weight": bw, "bias": bb, "running_mean": rm0, "running_var": rv0},
     {"out": out, "running_mean": rm, "running_var": rv}, training=False, momentum=0.1, eps=1e-5)

pi = rnd(1, 2, 5, 5, distinct=True)
case("max_pool2d_k2", "max_pool2d", {"input": pi}, F.max_pool2d(pi, 2), kernel=2, stride=2, padding=0)
case("max_pool2d_k3_s2_p1", "max_pool2d", {"input": pi}, F.max_pool2d(pi, 3, 2, 1), kernel=3, stride=2, padding=1)
case("adaptive_avg_pool2d_2x3", "adaptive_avg_pool2d", {"input": pi}, F.adaptive_avg_pool2d(pi, (2, 3)), height=2, width=3)
case("adaptive_avg_pool2d_1x1", "adaptive_avg_pool2d", {"input": pi}, F.adaptive_avg_pool2d(pi, 1), height=1, width=1)

li, lw, lb = rnd(3, 4), rnd(2, 4), rnd(2)
case("linear_bias", "linear", {"input": li, "weight": lw, "bias": lb}, F.linear(li, lw, lb))
case("linear_no_bias", "linear", {"input": li, "weight": lw}, F.linear(li, lw))

# ---- padding, resampling, geometry ------------------------------------------------------------------------
img = rnd(1, 2, 3, 4)
case("pad_constant", "pad", {"a": img}, F.pad(img, (1, 2, 0, 1), mode="constant", value=0.5), pad=[1, 2, 0, 1], mode="constant", value=0.5)
case("pad_reflect", "pad", {"a": img}, F.pad(img, (2, 1, 1, 2), mode="reflect"), pad=[2, 1, 1, 2], mode="reflect", value=0.0)
case("interpolate_bilinear_up", "interpolate", {"a": img},
     F.interpolate(img, size=(5, 7), mode="bilinear", align_corners=False), height=5, width=7, mode="bilinear", align_corners=False)
case("interpolate_bilinear_down", "interpolate", {"a": img},
     F.interpolate(img, size=(2, 3), mode="bilinear", align_corners=False), height=2, width=3, mode="bilinear", align_corners=False)
case("interpolate_nearest", "interpolate", {"a": img},
     F.interpolate(img, size=(6, 5), mode="nearest"), height=6, width=5, mode="nearest", align_corners=False)

# A 90° rotation of a 4x4 image: the sampling points land exactly on pixel centres (align_corners=False),
# so the result is exactly rot90(image, k=1), which the C# test also checks.
sq = rnd(1, 1, 4, 4)
theta = torch.tensor([[[0.0, -1.0, 0.0], [1.0, 0.0, 0.0]]])
grid = F.affine_grid(theta, [1, 1, 4, 4], align_corners=False)
rotated = F.grid_sample(sq, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
case("affine_grid_rot90", "affine_grid", {"theta": theta}, grid, size=[1, 1, 4, 4], align_corners=False)
case("grid_sample_rot90", "grid_sample", {"input": sq, "grid": grid}, rotated, mode="bilinear", padding="zeros", align_corners=False)
assert torch.allclose(rotated, torch.rot90(sq, 1, (2, 3)), atol=1e-12)

case("one_hot", "one_hot", {"a": torch.tensor([3, 0, 1, 3])}, F.one_hot(torch.tensor([3, 0, 1, 3]), 5), num_classes=5)
case("one_hot_inferred", "one_hot", {"a": torch.tensor([[2, 0], [1, 2]])}, F.one_hot(torch.tensor([[2, 0], [1, 2]])), num_classes=-1)
case("rot90_k1", "rot90", {"a": img}, torch.rot90(img, 1, (2, 3)), k=1, dims=[2, 3])
case("rot90_k_neg1", "rot90", {"a": img}, torch.rot90(img, -1, (2, 3)), k=-1, dims=[2, 3])
case("rot90_k2_dims_3_2", "rot90", {"a": img}, torch.rot90(img, 2, (3, 2)), k=2, dims=[3, 2])

for name, c in cases.items():
    for t in list(c["inputs"].values()) + list(c["outputs"].values()):
        assert all(not (isinstance(d, float) and (math.isnan(d) or math.isinf(d))) for d in t["data"]), name

# One case per line, so that a regenerated file diffs case by case.
lines = [f"{json.dumps(name)}:{json.dumps(c, separators=(',', ':'))}" for name, c in cases.items()]
print('{"torch":' + json.dumps(torch.__version__) + ',"cases":{\n' + ",\n".join(lines) + "\n}}")
