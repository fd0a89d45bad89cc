"""Reference trajectories for the optimisers and LR schedulers, computed with PyTorch.

Made with Debian's python3-torch 1.13.1:  /usr/bin/python3 make_optim_references.py > optim_references.json
Each case starts from the same explicit parameter and applies a fixed gradient sequence, so the C# test can
replay it exactly without sharing a random generator with Python.
"""
import json
import math

import torch

P0 = [[0.5, -1.25, 2.0], [0.75, 0.1, -0.3]]
GRADS = [
    [[0.1, -0.2, 0.3], [0.05, 0.4, -0.6]],
    [[-0.3, 0.1, 0.2], [0.2, -0.1, 0.05]],
    [[0.25, 0.25, -0.5], [-0.4, 0.3, 0.1]],
    [[0.0, -0.15, 0.35], [0.1, 0.1, -0.2]],
]


def run(make):
    p = torch.tensor(P0, dtype=torch.float64, requires_grad=True)
    opt = make([p])
    out = []
    for g in GRADS:
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        out.append(p.detach().flatten().tolist())
    return out


cases = {
    "sgd": run(lambda ps: torch.optim.SGD(ps, lr=0.1)),
    "sgd_momentum_dampening_wd": run(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    "sgd_nesterov": run(lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3)),
    "adam": run(lambda ps: torch.optim.Adam(ps, lr=0.01)),
    "adam_wd": run(lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    "adamw": run(lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.1)),
}


def lrs(make_sched, steps, per_batch=False):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
    sched = make_sched(opt)
    out = [opt.param_groups[0]["lr"]]
    for _ in range(steps):
        opt.step()
        sched.step()
        out.append(opt.param_groups[0]["lr"])
    return out


def one_cycle_adam(steps):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.Adam([p], lr=0.1)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=steps)
    lr, beta1 = [opt.param_groups[0]["lr"]], [opt.param_groups[0]["betas"][0]]
    for _ in range(steps - 1):
        opt.step()
        sched.step()
        lr.append(opt.param_groups[0]["lr"])
        beta1.append(opt.param_groups[0]["betas"][0])
    return {"lr": lr, "beta1": beta1}


schedules = {
    "step_lr": lrs(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5), 10),
    "cosine": lrs(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=8, eta_min=0.001), 8),
    "one_cycle": one_cycle_adam(20),
}

print(json.dumps({"torch": torch.__version__, "p0": P0, "grads": GRADS, "optimizers": cases, "schedules": schedules}))
