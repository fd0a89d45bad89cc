#!/usr/bin/env python3
"""The work of `mlnet-robust bench`, done by PyTorch and torchvision, for the speed comparison.

Install (Debian):  sudo apt-get install python3-torch python3-torchvision
Optional:          sudo apt-get install umap-learn        (without it the UMAP row says "unavailable")

`mlnet-robust bench` runs this script itself after its own benchmarks, with the same sizes, thread count, steps
and JPEG files (a JSON config file), and merges the results into bench.json. It can also run alone:

    python3 bench/pytorch_bench.py [--quick] [--threads N] [--steps N] [--only a,b] [--files LIST.csv] [--work DIR]
    python3 bench/pytorch_bench.py --config CONFIG.json

It prints one JSON object on stdout, {"environment": {...}, "benchmarks": {name: {...}}}; progress goes to stderr.
Each benchmark mirrors its C# counterpart in bench/MlNetRobust.Bench/ (same names, sizes, warm-up and median), written
the plain PyTorch way: torchvision's resnet18 with the CIFAR stem (3x3 stride-1 conv1, no max-pool), normalisation
inside the model, Adam lr 1e-3, FGSM/PGD in a few lines, KNN as a matrix product + topk, PIL decoding through a
DataLoader with one worker per thread. Peak memory is the kernel's high-water mark (VmHWM), reset before each
benchmark by writing 5 to /proc/self/clear_refs, as the C# side does.
"""

import argparse
import gc
import json
import math
import os
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image

# The sizes of BenchmarkSizes.Full and BenchmarkSizes.QuickSizes (bench/MlNetRobust.Bench/BenchmarkSettings.cs).
FULL = dict(image_size=32, train_batch=128, angular_classes=8, angular_per_class=16, embedding_dim=128, inference_batch=256, pgd_batch=128,
            pgd_steps=10, data_files=5000, data_batch=512, knn_queries=10000, knn_references=40000, knn_dim=128, knn_k=3,
            umap_points=10000, umap_dim=128, umap_epochs=None, matmul_size=10000)
QUICK = dict(FULL, image_size=8, train_batch=8, angular_classes=4, angular_per_class=2, inference_batch=8, pgd_batch=4, data_files=100,
             data_batch=50, knn_queries=500, knn_references=2000, umap_points=300, umap_epochs=50, matmul_size=500)

MEAN = torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1)
STD = torch.tensor([0.2470, 0.2435, 0.2616]).view(1, 3, 1, 1)


def log(message):
    print(message, file=sys.stderr, flush=True)


def median(values):
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def repeat(warm_up, timed, action):
    for _ in range(warm_up):
        action()
    seconds = []
    for _ in range(timed):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return seconds


# ---- the model: ResNet18 with the CIFAR stem, normalisation inside (as ImageNetwork) ----

class ImageNetwork(nn.Module):
    def __init__(self, embedding_dim=None):
        super().__init__()
        net = torchvision.models.resnet18(num_classes=10)
        net.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
        nn.init.kaiming_normal_(net.conv1.weight, mode="fan_out", nonlinearity="relu")
        net.maxpool = nn.Identity()
        self.net = net
        self.embedding = nn.Linear(512, embedding_dim) if embedding_dim else None

    def features(self, images):
        n = self.net
        x = (images - MEAN) / STD
        x = n.relu(n.bn1(n.conv1(x)))
        x = n.layer4(n.layer3(n.layer2(n.layer1(n.maxpool(x)))))
        return torch.flatten(n.avgpool(x), 1)

    def forward(self, images):
        f = self.features(images)
        return self.net.fc(f) if self.embedding is None else F.normalize(self.embedding(f), dim=1)


def random_images(rows, classes, size, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.rand([rows, 3, size, size], generator=g), torch.arange(rows) % classes


# ---- attacks (as Fgsm/Pgd: evaluation mode, summed cross-entropy, input gradients, [0, 1] clamping) ----

def input_gradient(model, images, labels):
    x = images.detach().requires_grad_()
    loss = F.cross_entropy(model(x), labels, reduction="sum")
    return torch.autograd.grad(loss, [x])[0]


def fgsm(model, images, labels, eps):
    was_training = model.training
    model.eval()
    adversarial = (images + eps * input_gradient(model, images, labels).sign()).clamp(0, 1).detach()
    model.train(was_training)
    return adversarial


def pgd(model, images, labels, eps, step, steps, generator):
    def project(candidate):
        return (images + (candidate - images).clamp(-eps, eps)).clamp(0, 1)

    adversarial = project(images + torch.rand(images.shape, generator=generator) * (2 * eps) - eps)
    for _ in range(steps):
        adversarial = project(adversarial + step * input_gradient(model, adversarial, labels).sign()).detach()
    return adversarial


# ---- the angular loss (pytorch-metric-learning's form, as AngularLoss.cs) ----

def angular_loss(x, labels, alpha_degrees=45.0):
    t2 = math.tan(math.radians(alpha_degrees)) ** 2
    n = labels.shape[0]
    positive = (labels[:, None] == labels[None, :]) & ~torch.eye(n, dtype=torch.bool)
    a, p = torch.where(positive)
    anchors, positives = x[a], x[p]
    ap = (anchors * positives).sum(1, keepdim=True)
    f = 4 * t2 * (anchors + positives) @ x.t() - 2 * (1 + t2) * ap
    negative = labels[a][:, None] != labels[None, :]
    filled = torch.cat([f.masked_fill(~negative, torch.finfo(f.dtype).min), torch.zeros(f.shape[0], 1)], 1)
    lse = filled.logsumexp(1)
    return torch.where(negative.sum(1) > 0, lse, torch.zeros_like(lse)).mean()


def leave_one_out_correct(embeddings, labels):
    with torch.no_grad():
        e = embeddings.detach()
        similarity = (e @ e.t()).masked_fill(torch.eye(e.shape[0], dtype=torch.bool), float("-inf"))
        return (labels[similarity.argmax(1)] == labels).sum().item()


# ---- benchmarks ----

def train_step(cfg, kind):
    s, warm_up = cfg["sizes"], cfg["warm_up"]
    if kind == "angular":
        classes, per_class = s["angular_classes"], s["angular_per_class"]
        batch = classes * per_class
    else:
        classes, batch = 10, s["train_batch"]
    batches = warm_up + cfg["steps"]
    rows = batches * batch
    x_all, y_all = random_images(rows, classes, s["image_size"])
    torch.manual_seed(0)
    model = ImageNetwork(s["embedding_dim"] if kind == "angular" else None)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    g = torch.Generator().manual_seed(0)
    if kind == "angular":
        # m-per-class batches: every class, m rows of each drawn without replacement (MPerClassSampler).
        by_class = [torch.nonzero(y_all == c).flatten() for c in range(classes)]
        order = [torch.cat([by_class[c][torch.randperm(len(by_class[c]), generator=g)[:per_class]]
                            for c in torch.randperm(classes, generator=g).tolist()]) for _ in range(batches)]
    else:
        order = torch.randperm(rows, generator=g).split(batch)
    stamps = []
    for index in order:
        images, labels = x_all.index_select(0, index), y_all.index_select(0, index)
        if kind == "fgsm":
            images = fgsm(model, images, labels, 8 / 255)
        output = model(images)
        if kind == "angular":
            loss = angular_loss(output, labels)
            leave_one_out_correct(output, labels)
        else:
            loss = F.cross_entropy(output, labels)
            (output.argmax(1) == labels).sum().item()
        loss.item()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        stamps.append(time.perf_counter())
    steps = [b - a for a, b in zip(stamps, stamps[1:])][warm_up - 1:]
    m = median(steps)
    result = dict(images_per_second=round(batch / m, 2), batch=batch, image_size=s["image_size"], median_seconds_per_step=round(m, 4), timed_steps=len(steps),
                  model="torchvision resnet18 (CIFAR stem), Adam lr 1e-3")
    if kind == "fgsm":
        result["attack"] = "fgsm eps 8/255, p = 1"
    if kind == "angular":
        result.update(loss="angular alpha 45", embedding_dim=s["embedding_dim"], classes_per_batch=classes, per_class=per_class)
    return result


def pgd10(cfg):
    s, warm_up = cfg["sizes"], cfg["warm_up"]
    batch = s["pgd_batch"]
    x_all, y_all = random_images((warm_up + cfg["steps"]) * batch, 10, s["image_size"])
    torch.manual_seed(0)
    model = ImageNetwork().eval()
    g = torch.Generator().manual_seed(0)
    seconds = []
    for start in range(0, x_all.shape[0], batch):
        t = time.perf_counter()
        index = torch.arange(start, start + batch)
        pgd(model, x_all.index_select(0, index), y_all.index_select(0, index), 8 / 255, 2 / 255, s["pgd_steps"], g)
        seconds.append(time.perf_counter() - t)
    seconds = seconds[warm_up:]
    m = median(seconds)
    return dict(images_per_second=round(batch / m, 2), batch=batch, image_size=s["image_size"], median_seconds_per_batch=round(m, 4),
                timed_batches=len(seconds), attack=f"pgd linf eps 8/255 step 2/255, {s['pgd_steps']} steps, random start", model="torchvision resnet18 (CIFAR stem)")


def inference(cfg):
    s, warm_up = cfg["sizes"], cfg["warm_up"]
    batch = s["inference_batch"]
    x_all, _ = random_images((warm_up + cfg["steps"]) * batch, 10, s["image_size"])
    torch.manual_seed(0)
    model = ImageNetwork().eval()
    seconds = []
    with torch.no_grad():
        for start in range(0, x_all.shape[0], batch):
            t = time.perf_counter()
            features = model.features(x_all.index_select(0, torch.arange(start, start + batch)))
            scores = F.softmax(model.net.fc(features), 1)
            scores.argmax(1).int().numpy()
            seconds.append(time.perf_counter() - t)
    seconds = seconds[warm_up:]
    m = median(seconds)
    return dict(images_per_second=round(batch / m, 2), batch=batch, image_size=s["image_size"], median_seconds_per_batch=round(m, 4),
                timed_batches=len(seconds), model="torchvision resnet18 (CIFAR stem), eval mode")


class JpegFiles(torch.utils.data.Dataset):
    def __init__(self, files):
        self.files = files

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        with Image.open(self.files[i]) as image:
            return torch.from_numpy(np.asarray(image.convert("RGB")).copy())


def data_loading(cfg, cached):
    files = cfg.get("files")
    if not files:
        return dict(skipped=cfg.get("files_problem") or "no JPEG file list (pass --files)")
    batch = cfg["sizes"]["data_batch"]
    workers = cfg["threads"] if cfg["threads"] > 1 else 0

    def decoded_batches():
        loader = torch.utils.data.DataLoader(JpegFiles(files), batch_size=batch, shuffle=False, num_workers=workers)
        for images in loader:
            yield images

    if cached:
        cache = os.path.join(cfg["work_folder"], "pytorch_decoded.pt")
        if not os.path.exists(cache):
            torch.save(torch.cat(list(decoded_batches())), cache)

        def one_pass():
            pixels = torch.load(cache)
            for start in range(0, pixels.shape[0], batch):
                pixels[start:start + batch].permute(0, 3, 1, 2).float().div_(255)
    else:
        def one_pass():
            for images in decoded_batches():
                images.permute(0, 3, 1, 2).float().div_(255)

    seconds = repeat(1, cfg["steps"], one_pass)
    m = median(seconds)
    return dict(images_per_second=round(len(files) / m, 1), batch=batch, images=len(files), median_seconds_per_pass=round(m, 4),
                timed_passes=len(seconds), data_loader_workers=workers,
                source="torch.load of a decoded uint8 tensor" if cached else "JPEG files (PIL) through a DataLoader")


def knn(cfg):
    s = cfg["sizes"]
    m_refs, n, dim, k = s["knn_references"], s["knn_queries"], s["knn_dim"], s["knn_k"]
    g = torch.Generator().manual_seed(7)
    references = torch.randn([m_refs, dim], generator=g)
    labels = torch.arange(m_refs) % 10
    queries = torch.randn([n, dim], generator=g)
    start = time.perf_counter()
    normalised = F.normalize(references, dim=1)
    fit_seconds = time.perf_counter() - start
    chunk = max(1, (1 << 25) // m_refs)  # as KnnTransformer: blocks of about 32 M scores

    def predict():
        with torch.no_grad():
            nearest = torch.cat([(F.normalize(queries[i:i + chunk], dim=1) @ normalised.t()).topk(k, 1, largest=True, sorted=True).indices
                                 for i in range(0, n, chunk)])
            votes = F.one_hot(labels[nearest], 10).float().sum(1)
            votes / votes.sum(1, keepdim=True)
            votes.argmax(1)

    seconds = repeat(1, cfg["steps"], predict)
    m = median(seconds)
    return dict(seconds=round(m, 4), queries=n, references=m_refs, dim=dim, k=k, metric="cosine", queries_per_second=round(n / m, 1),
                fit_seconds=round(fit_seconds, 4), timed_runs=len(seconds))


def umap_fit(cfg):
    try:
        import umap
    except ImportError:
        return dict(unavailable="umap-learn is not installed (Debian: sudo apt-get install umap-learn)")
    s = cfg["sizes"]
    n, dim = s["umap_points"], s["umap_dim"]
    epochs = s["umap_epochs"] or (500 if n <= 10000 else 200)
    rng = np.random.default_rng(7)
    centres = rng.standard_normal((10, dim)) * 0.6
    points = (centres[np.arange(n) % 10] + rng.standard_normal((n, dim))).astype(np.float32)
    # numba compiles umap-learn's kernels on first use: a small untimed fit first. No random_state: it would force one thread.
    umap.UMAP(n_neighbors=15, min_dist=0.1, n_epochs=10, n_jobs=cfg["threads"]).fit(points[:200])
    start = time.perf_counter()
    layout = umap.UMAP(n_neighbors=15, min_dist=0.1, n_epochs=epochs, n_jobs=cfg["threads"]).fit(points).embedding_
    seconds = time.perf_counter() - start
    return dict(seconds=round(seconds, 3), points=n, dim=dim, epochs=epochs, n_neighbors=15, finite=bool(np.isfinite(layout).all()),
                umap_learn=getattr(umap, "__version__", "unknown"))


def matmul(cfg):
    n = cfg["sizes"]["matmul_size"]
    g = torch.Generator().manual_seed(1)
    a, b = torch.randn([n, 128], generator=g), torch.randn([128, n], generator=g)
    m = median(repeat(1, cfg["steps"], lambda: a @ b))
    return dict(seconds=round(m, 5), shape=f"[{n}, 128] x [128, {n}]", gflops=round(2.0 * n * n * 128 / m / 1e9, 1))


BENCHMARKS = {
    "train_cross_entropy": lambda cfg: train_step(cfg, "cross_entropy"),
    "train_fgsm_adversarial": lambda cfg: train_step(cfg, "fgsm"),
    "train_angular": lambda cfg: train_step(cfg, "angular"),
    "pgd10": pgd10,
    "inference": inference,
    "data_loading_cold": lambda cfg: data_loading(cfg, cached=False),
    "data_loading_cached": lambda cfg: data_loading(cfg, cached=True),
    "knn": knn,
    "umap": umap_fit,
    "matmul": matmul,
}
DEFAULT_SUITE = [name for name in BENCHMARKS if name != "matmul"]


# ---- memory and environment ----

def status_mb(name):
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(name + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def measure(run, cfg):
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        scope = "benchmark"
    except OSError:
        scope = "process"
    before = status_mb("VmRSS")
    torch.manual_seed(0)
    result = run(cfg)
    if "skipped" not in result and "unavailable" not in result:
        peak = status_mb("VmHWM")
        result.update(threads=torch.get_num_threads(), peak_rss_mb=round(peak, 1) if peak else None,
                      rss_before_mb=round(before, 1) if before else None, peak_scope=scope)
    return result


def loaded_blas():
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if len(line.split()) >= 6}
    except OSError:
        return []
    names = {os.path.realpath(p) for p in paths if any(word in os.path.basename(p).lower() for word in ("blas", "mkl"))}
    return sorted(names)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform
    return platform.processor() or platform.machine()


def environment(cfg):
    try:
        import umap
        umap_version = getattr(umap, "__version__", "unknown")
    except ImportError:
        umap_version = None
    import PIL
    return dict(python=sys.version.split()[0], torch=torch.__version__, torchvision=torchvision.__version__, numpy=np.__version__,
                pillow=PIL.__version__, umap_learn=umap_version, cpu=cpu_model(), processors=os.cpu_count(),
                intra_op_threads=torch.get_num_threads(), blas_loaded=loaded_blas(),
                data_loader_workers=cfg["threads"] if cfg["threads"] > 1 else 0,
                malloc=", ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("MALLOC_")) or "glibc defaults")


def read_file_list(path):
    with open(path) as listing:
        lines = [line.strip() for line in listing if line.strip()]
    if lines and lines[0].split(",")[0].strip().lower() in ("path", "file", "filename", "image"):
        lines = lines[1:]
    return [line.rsplit(",", 1)[0] if "," in line else line for line in lines]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", help="JSON settings written by mlnet-robust bench (overrides the other options)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks that everything runs")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="torch.set_num_threads (default: all cores)")
    parser.add_argument("--steps", type=int, help="timed repetitions per benchmark (default 5; 1 with --quick)")
    parser.add_argument("--only", help="comma-separated benchmark names: " + ", ".join(BENCHMARKS))
    parser.add_argument("--files", help="CSV (path,label) or plain list of JPEG files for the data-loading benchmarks")
    parser.add_argument("--work", help="scratch folder (default: a temporary one)")
    args = parser.parse_args()

    if args.config:
        with open(args.config) as config_file:
            cfg = json.load(config_file)
        cfg["sizes"] = dict(QUICK if cfg.get("quick") else FULL, **cfg.get("sizes", {}))
    else:
        steps = args.steps or (1 if args.quick else 5)
        cfg = dict(threads=args.threads, steps=steps, warm_up=1 if args.quick else 2, quick=args.quick,
                   only=[n.strip() for n in args.only.split(",") if n.strip()] if args.only else DEFAULT_SUITE,
                   work_folder=args.work or tempfile.mkdtemp(prefix="pytorch-bench-"),
                   files=read_file_list(args.files) if args.files else None, files_problem=None, sizes=QUICK if args.quick else FULL)
    unknown = [n for n in cfg["only"] if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; valid names: {', '.join(BENCHMARKS)}")

    torch.set_num_threads(cfg["threads"])
    os.makedirs(cfg["work_folder"], exist_ok=True)
    results = {}
    for name in cfg["only"]:
        log(f"{name}...")
        try:
            results[name] = measure(BENCHMARKS[name], cfg)
        except Exception as error:  # one failing benchmark should not hide the others' numbers
            results[name] = dict(error=f"{type(error).__name__}: {error}")
        log(f"  {json.dumps({k: v for k, v in results[name].items() if k in ('images_per_second', 'seconds', 'peak_rss_mb', 'skipped', 'unavailable', 'error')})}")
    print(json.dumps(dict(environment=environment(cfg), benchmarks=results), indent=2))


if __name__ == "__main__":
    main()
