#!/usr/bin/env bash
# Every research run behind docs/results.md, one after the other (a developer tool, ~12 h on 2 cores).
# Each step resumes: a finished scenario is skipped, an unfinished one continues from its last epoch
# checkpoint, so rerunning this script after an interruption picks up where it stopped.
#   make build && tools/research-runs.sh            (then: python3 tools/publish_results.py <folder>)
# CLI may name another build of the tool, e.g. a copy that a rebuild during the runs will not replace:
#   CLI="dotnet /somewhere/mlnet-robust.dll" tools/research-runs.sh
set -u
cd "$(dirname "$0")/.."
CLI=${CLI:-"dotnet src/Cli/bin/Release/net10.0/mlnet-robust.dll"}
run() {
  echo "=== $(date -u +%FT%TZ) mlnet-robust $*"
  $CLI --seed 42 --threads 2 experiment --validation-per-class 100 "$@"
  echo "=== $(date -u +%FT%TZ) exit $?"
}
run --scenarios baseline-ce angular fgsm-rs-adversarial --output runs/research
run --scenarios angular --epochs 30 --output runs/research-angular30
run --scenarios fgsm-rs-adversarial --param probability=1 --epochs 30 --output runs/research-fgsm-rs-p1
run --scenarios perturbation-ce fgsm-adversarial --output runs/research
echo "=== $(date -u +%FT%TZ) mlnet-robust sweep --scenario circle"
$CLI --seed 42 --threads 2 sweep --scenario circle --strategy greedy --output runs/sweep-circle
# Cosine annealing instead of StepLR (session 5: the StepLR runs were still improving when they stopped).
run --scenarios angular --epochs 30 --scheduler cosine --output runs/research-angular30-cosine
run --scenarios fgsm-rs-adversarial --param probability=1 --epochs 22 --scheduler cosine --output runs/research-fgsm-rs-p1-cosine22
run --scenarios circle --param gamma=128 --scheduler cosine --output runs/research-circle-g128-cosine
# Session 6: the last research scenario, and the research's FGSM recipe with the cosine schedule.
run --scenarios fgsm-pgd-adversarial --scheduler cosine --output runs/research-fgsm-pgd-cosine
run --scenarios fgsm-adversarial --epochs 20 --scheduler cosine --output runs/research-fgsm-cosine20
