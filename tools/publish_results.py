#!/usr/bin/env python3
"""Publish an experiment folder's numbers into docs/ (a developer tool; the product does not need Python).

    python3 tools/publish_results.py runs/research [--docs docs] [--name NAME] [--command "..."]
    python3 tools/publish_results.py runs/sweep-circle          (a sweep folder: trials table, best.json)

Reads <run>/run.json and <run>/<scenario>/result.json for every finished scenario and writes
  docs/results.json                       one object per scenario and head (metric names as in the table),
                                          with the command, seed, output folder and epoch times;
  docs/results/<run-name>/                the run's report (report.html + figures, per-scenario reports,
                                          classification reports and results.csv) — no model weights;
and prints the Markdown tables that docs/results.md carries, so every published number is traceable to
a run folder and the command that made it.
"""
import argparse
import json
import os
import shutil
import sys

HEADLINE = ["clean", "perturbed", "fgsm_8/255", "fgsm_0.01", "pgd10_8/255", "corruption_mean"]
# What the research reports for ResNet18 on its 20% split (issue 7), per scenario and head, for the side-by-side
# columns; its FGSM numbers are at its training eps 0.01. Strings where it reports a range.
RESEARCH = {
    ("baseline-ce", "classifier"): {"clean": "61–81%", "fgsm_0.01": "11–17%"},
    ("fgsm-adversarial", "classifier"): {"clean": "75.3%", "fgsm_0.01": "25.9%"},
    ("perturbation-ce", "classifier"): {"clean": "68.5%", "perturbed": "51.9%"},
    ("angular", "knn"): {"clean": "73.2%", "perturbed": "52.1%"},
    ("circle", "knn"): {"clean": "27.8%", "perturbed": "14.0%"},
}
COPIED_FILES = ["report-classifier.txt", "report-knn.txt", "metrics-classifier.json", "metrics-knn.json", "samples.png"]


def load_results(run):
    results = []
    for name in sorted(os.listdir(run)):
        path = os.path.join(run, name, "result.json")
        if os.path.isfile(path):
            with open(path) as f:
                results.append(json.load(f))
    return results


def epoch_stats(result):
    epochs = result.get("history", {}).get("epochs", [])
    seconds = [e["seconds"] for e in epochs]
    return {
        "epochs": len(epochs),
        "median_epoch_seconds": round(sorted(seconds)[len(seconds) // 2], 1) if seconds else None,
        "best_validation_accuracy": max((e["validation_accuracy"] or 0) for e in epochs) if epochs else None,
    }


def to_objects(results, run, command, seed):
    objects = []
    for r in results:
        stats = epoch_stats(r)
        for head in dict.fromkeys(m["head"] for m in r["metrics"]):
            metrics = {m["metric"]: m["value"] for m in r["metrics"] if m["head"] == head}
            images = {m["metric"]: m["images"] for m in r["metrics"] if m["head"] == head and m["metric"] in HEADLINE}
            objects.append({
                "scenario": r["scenario"],
                "head": head,
                "description": r["description"],
                "metrics": metrics,
                "images": images,
                "seed": r.get("seed", seed),
                "output_folder": os.path.join(run, r["scenario"]),
                "command": command,
                "train_seconds": round(r["train_seconds"]),
                "evaluate_seconds": round(r["evaluate_seconds"]),
                **stats,
                "research": RESEARCH.get((r["scenario"], head)),
            })
    return objects


def rerun_command(options, run):
    """The experiment command that remakes a run, from its run.json: what differs from the defaults is spelled out."""
    training = options["training"]
    parts = [f"mlnet-robust --seed {training['seed']} --threads 2 experiment --scenarios {' '.join(options['scenarios'])}"]
    if training.get("epochs", 15) != 15:
        parts.append(f"--epochs {training['epochs']}")
    scheduler = str(training.get("scheduler", "step")).lower().replace("_", "")
    if scheduler != "step":
        parts.append(f"--scheduler {scheduler}")
    for name, value in (options.get("parameters") or {}).items():
        parts.append(f"--param {name}={value:g}")
    parts.append(f"--validation-per-class {options.get('validation_per_class', 100)} --output {run}")
    return " ".join(parts)


def pct(v):
    return "—" if v is None else f"{100 * v:.1f}%"


def markdown(objects):
    lines = ["| scenario | head | " + " | ".join(HEADLINE) + " | epochs | s/epoch (median) |",
             "|---|---|" + "---|" * len(HEADLINE) + "---|---|"]
    for o in objects:
        cells = [pct(o["metrics"].get(m)) for m in HEADLINE]
        lines.append(f"| {o['scenario']} | {o['head']} | " + " | ".join(cells) + f" | {o['epochs']} | {o['median_epoch_seconds']} |")
    return "\n".join(lines)


def epoch_table(result):
    """Epoch by epoch, as docs/results.md shows it; '—' where an epoch had no clean batch or no validation."""
    epochs = result.get("history", {}).get("epochs", [])
    adversarial = any(e.get("train_adversarial_accuracy") is not None for e in epochs)
    head = "| epoch | train loss | train acc |" + (" adversarial train acc |" if adversarial else "") + " val acc | lr | seconds |"
    lines = [f"{result['scenario']}:", "", head, "|" + "---|" * (head.count("|") - 1)]
    for e in epochs:
        cells = [str(e["epoch"]), f"{e['train_loss']:.3f}", pct(e.get("train_accuracy"))]
        if adversarial:
            cells.append(pct(e.get("train_adversarial_accuracy")))
        cells += [pct(e.get("validation_accuracy")), f"{e['learning_rate']:g}", f"{e['seconds']:.0f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def copy_report(run, results, target):
    if os.path.isdir(target):
        shutil.rmtree(target)
    os.makedirs(target)
    if os.path.isdir(os.path.join(run, "report")):
        shutil.copytree(os.path.join(run, "report"), os.path.join(target, "report"))
    for name in ["results.csv", "run.json"]:
        if os.path.isfile(os.path.join(run, name)):
            shutil.copy(os.path.join(run, name), target)
    for r in results:
        source = os.path.join(run, r["scenario"])
        dest = os.path.join(target, r["scenario"])
        os.makedirs(dest)
        for name in COPIED_FILES:
            if os.path.isfile(os.path.join(source, name)):
                shutil.copy(os.path.join(source, name), dest)
        if os.path.isdir(os.path.join(source, "report")):
            shutil.copytree(os.path.join(source, "report"), os.path.join(dest, "report"))


def publish_sweep(run, docs):
    """A sweep folder (trials.csv, best.json): copies both and prints the trial table."""
    import csv
    target = os.path.join(docs, "results", os.path.basename(run))
    os.makedirs(target, exist_ok=True)
    for name in ["trials.csv", "best.json", "trials.jsonl"]:
        if os.path.isfile(os.path.join(run, name)):
            shutil.copy(os.path.join(run, name), target)
    with open(os.path.join(run, "trials.csv")) as f:
        rows = list(csv.DictReader(f))
    columns = list(rows[0]) if rows else []
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(row[c] for c in columns) + " |")
    print("\n".join(lines))
    print(f"\ncopied the sweep's files to {target}/", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", help="an experiment output folder (holds run.json and <scenario>/result.json)")
    parser.add_argument("--docs", default="docs")
    parser.add_argument("--name", default=None,
                        help="folder under docs/results/ (default: the run folder's name); a new name keeps an earlier "
                             "publication of the same run folder, e.g. scenarios added to it in a later session")
    parser.add_argument("--command", default=None, help="the command that made the run (default: taken from run.json)")
    args = parser.parse_args()

    run = os.path.normpath(args.run)
    if os.path.isfile(os.path.join(run, "trials.csv")):
        publish_sweep(run, args.docs)
        return
    with open(os.path.join(run, "run.json")) as f:
        record = json.load(f)
    seed = record["options"]["training"]["seed"]
    command = args.command or rerun_command(record["options"], run)
    results = load_results(run)
    if not results:
        sys.exit(f"error: {run} has no finished scenario (no <scenario>/result.json)")
    objects = to_objects(results, run, command, seed)

    os.makedirs(args.docs, exist_ok=True)
    path = os.path.join(args.docs, "results.json")
    existing = []
    if os.path.isfile(path):
        with open(path) as f:
            existing = json.load(f)
    # Replace what this run publishes, keep other runs' entries.
    keys = {(o["output_folder"], o["head"]) for o in objects}
    merged = [o for o in existing if (o["output_folder"], o["head"]) not in keys] + objects
    with open(path + ".tmp", "w") as f:
        json.dump(merged, f, indent=2)
        f.write("\n")
    os.replace(path + ".tmp", path)
    target = os.path.join(args.docs, "results", args.name or os.path.basename(run))
    copy_report(run, results, target)
    print(markdown(objects))
    for r in results:
        print("\n" + epoch_table(r))
    print(f"\nwrote {path} and {target}/", file=sys.stderr)


if __name__ == "__main__":
    main()
