"""Reference values of the metric-learning losses, computed with PyTorch, for MetricLossPyTorchTests.cs.

Made with Debian 12's python3-torch 1.13.1 (torch.__version__ "1.13.0a0"), the interpreter /usr/bin/python3:
    cd tests/MlNetRobust.Trainers.Tests/Fixtures && /usr/bin/python3 make_metric_loss_references.py > metric_loss_references.json

pytorch-metric-learning is not installed here, so its formulas are restated below, following its source
(losses/angular_loss.py, circle_loss.py, contrastive_loss.py, triplet_margin_loss.py, utils/
loss_and_miner_utils.py, reducers/avg_non_zero_reducer.py and mean_reducer.py) with its index-based pair
and triplet enumeration — a different route from the C# code's masks over [N, N] matrices.

Each case stores float64 inputs (embeddings rounded to 3 decimals, NOT normalised: the losses normalise),
int64 labels, the loss's settings, its value and d loss / d embeddings from autograd:
    "<case>": {"loss": name, "params": {...}, "embeddings": {"shape": [N, D], "data": [...]},
               "labels": [...], "value": float, "grad": [...]}
"""
import json
import math

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(20240701)


def neg_inf(dtype):
    return torch.finfo(dtype).min


# lmu.logsumexp
def logsumexp(x, keep_mask=None, add_one=True, dim=1):
    if keep_mask is not None:
        x = x.masked_fill(~keep_mask, neg_inf(x.dtype))
    if add_one:
        zeros = torch.zeros(x.size(dim - 1), dtype=x.dtype, device=x.device).unsqueeze(dim)
        x = torch.cat([x, zeros], dim=dim)
    output = torch.logsumexp(x, dim=dim, keepdim=True)
    if keep_mask is not None:
        output = output.masked_fill(~torch.any(keep_mask, dim=dim, keepdim=True), 0)
    return output


def matches_and_diffs(labels):
    matches = (labels.unsqueeze(1) == labels.unsqueeze(0)).byte()
    diffs = matches ^ 1
    matches.fill_diagonal_(0)
    return matches, diffs


def all_pairs(labels):
    matches, diffs = matches_and_diffs(labels)
    a1, p = torch.where(matches)
    a2, n = torch.where(diffs)
    return a1, p, a2, n


def all_triplets(labels):
    matches, diffs = matches_and_diffs(labels)
    return torch.where(matches.unsqueeze(2) * diffs.unsqueeze(1))


def mean_reducer(losses, x):
    return torch.mean(losses) if losses.numel() > 0 else x.sum() * 0


def avg_non_zero(losses, x):
    if losses.numel() == 0:
        return x.sum() * 0
    keep = losses > 0
    return torch.mean(losses[keep]) if keep.sum() >= 1 else torch.mean(losses) * 0


REDUCERS = {"mean": mean_reducer, "avg_non_zero": avg_non_zero}


def distance_matrix(x, distance):
    return x @ x.t() if distance == "cosine" else torch.cdist(x, x)


def margin(distance, a, b):
    return b - a if distance == "cosine" else a - b


def angular(emb, labels, alpha_degrees=45, reducer="mean"):
    x = F.normalize(emb, p=2, dim=1)
    a1, p, a2, _ = all_pairs(labels)
    if len(a1) == 0 or len(a2) == 0:
        return x.sum() * 0
    alpha = torch.tensor(math.radians(alpha_degrees))
    anchors, positives = x[a1], x[p]
    keep_mask = labels[a1].unsqueeze(1) != labels.unsqueeze(0)
    sq_tan_alpha = torch.tan(alpha) ** 2
    ap_dot = torch.sum(anchors * positives, dim=1, keepdim=True)
    ap_matmul_embeddings = torch.matmul(anchors + positives, x.unsqueeze(2)).squeeze(2).t()
    final_form = 4 * sq_tan_alpha * ap_matmul_embeddings - 2 * (1 + sq_tan_alpha) * ap_dot
    losses = logsumexp(final_form, keep_mask=keep_mask, add_one=True).squeeze(1)
    return REDUCERS[reducer](losses, x)


def circle(emb, labels, m=0.25, gamma=256, reducer="avg_non_zero"):
    x = F.normalize(emb, p=2, dim=1)
    mat = x @ x.t()
    matches, diffs = matches_and_diffs(labels)
    pos_mask, neg_mask = matches.bool(), diffs.bool()
    op, on, delta_p, delta_n = 1 + m, -m, 1 - m, m
    new_mat = torch.zeros_like(mat)
    ap, an = mat[pos_mask], mat[neg_mask]
    new_mat[pos_mask] = -gamma * torch.relu(op - ap.detach()) * (ap - delta_p)
    new_mat[neg_mask] = gamma * torch.relu(an.detach() - on) * (an - delta_n)
    losses = F.softplus(logsumexp(new_mat, keep_mask=pos_mask, add_one=False, dim=1)
                        + logsumexp(new_mat, keep_mask=neg_mask, add_one=False, dim=1))
    zero_rows = torch.where((pos_mask.sum(1) == 0) | (neg_mask.sum(1) == 0))[0]
    final_mask = torch.ones_like(losses)
    final_mask[zero_rows] = 0
    losses = (losses * final_mask).squeeze(1)
    return REDUCERS[reducer](losses, x)


def contrastive(emb, labels, distance="euclidean", pos_margin=None, neg_margin=None, reducer="avg_non_zero"):
    if pos_margin is None:
        pos_margin = 1.0 if distance == "cosine" else 0.0
    if neg_margin is None:
        neg_margin = 0.0 if distance == "cosine" else 1.0
    x = F.normalize(emb, p=2, dim=1)
    mat = distance_matrix(x, distance)
    a1, p, a2, n = all_pairs(labels)
    pos_loss = torch.relu(margin(distance, mat[a1, p], pos_margin))
    neg_loss = torch.relu(margin(distance, neg_margin, mat[a2, n]))
    return REDUCERS[reducer](pos_loss, x) + REDUCERS[reducer](neg_loss, x)


def triplet(emb, labels, margin_=0.05, distance="euclidean", reducer="avg_non_zero"):
    x = F.normalize(emb, p=2, dim=1)
    a, p, n = all_triplets(labels)
    if len(a) == 0:
        return x.sum() * 0
    mat = distance_matrix(x, distance)
    ap, an = mat[a, p], mat[a, n]
    current = margin(distance, an, ap)  # distance.triplet_margin(ap, an): an − ap for a distance
    return REDUCERS[reducer](torch.relu(-current + margin_), x)


LOSSES = {"angular": angular, "circle": circle, "contrastive": contrastive, "triplet": triplet}


def rnd(n, d):
    return torch.round((torch.rand(n, d, generator=gen) * 4 - 2) * 1000) / 1000


cases = {}


def case(name, loss, emb, labels, **params):
    emb = emb.clone().requires_grad_()
    labels = torch.tensor(labels, dtype=torch.int64)
    kwargs = {("margin_" if k == "margin" else k): v for k, v in params.items()}
    value = LOSSES[loss](emb, labels, **kwargs)
    (grad,) = torch.autograd.grad(value, emb, allow_unused=True)
    grad = torch.zeros_like(emb) if grad is None else grad
    assert math.isfinite(value.item()), name
    cases[name] = {
        "loss": loss,
        "params": params,
        "embeddings": {"shape": list(emb.shape), "data": emb.detach().flatten().tolist()},
        "labels": labels.tolist(),
        "value": value.item(),
        "grad": grad.flatten().tolist(),
    }


small = rnd(6, 4)
small_labels = [0, 1, 2, 0, 1, 2]
uneven_labels = [0, 0, 0, 1, 2, 2]
large = rnd(32, 8)
large_labels = (torch.arange(32) % 5).tolist()
distinct = [0, 1, 2, 3, 4, 5]
same = [1, 1, 1, 1, 1, 1]

for labels_name, labels in [("small", small_labels), ("uneven", uneven_labels)]:
    case(f"angular_45_{labels_name}", "angular", small, labels, alpha_degrees=45)
    case(f"angular_40_{labels_name}", "angular", small, labels, alpha_degrees=40)
    case(f"circle_default_{labels_name}", "circle", small, labels, m=0.25, gamma=256)
    case(f"circle_retrieval_{labels_name}", "circle", small, labels, m=0.4, gamma=80)
    case(f"contrastive_euclidean_{labels_name}", "contrastive", small, labels, distance="euclidean")
    case(f"contrastive_cosine_{labels_name}", "contrastive", small, labels, distance="cosine", pos_margin=0.9, neg_margin=0.1)
    case(f"triplet_euclidean_{labels_name}", "triplet", small, labels, distance="euclidean", margin=0.5)
    case(f"triplet_cosine_{labels_name}", "triplet", small, labels, distance="cosine", margin=0.2)

case("angular_45_large", "angular", large, large_labels, alpha_degrees=45)
case("angular_45_large_avg_non_zero", "angular", large, large_labels, alpha_degrees=45, reducer="avg_non_zero")
case("circle_default_large", "circle", large, large_labels, m=0.25, gamma=256)
case("circle_reid_large_mean", "circle", large, large_labels, m=0.25, gamma=128, reducer="mean")
case("contrastive_euclidean_large", "contrastive", large, large_labels, distance="euclidean", pos_margin=0.2, neg_margin=1.2)
case("triplet_euclidean_large", "triplet", large, large_labels, distance="euclidean", margin=0.3)

# Edge cases: no positive pairs at all, and no negatives at all, give 0.
for loss in LOSSES:
    case(f"{loss}_no_positive_pairs", loss, small, distinct)
    case(f"{loss}_no_negative_pairs", loss, small, same)

# One case per line: small enough to read, and diffs show which case changed.
lines = [f"  {json.dumps(name)}: {json.dumps(c)}" for name, c in cases.items()]
print("{\n" + f' "torch": {json.dumps(torch.__version__)},\n "cases": {{\n' + ",\n".join(lines) + "\n }\n}")
