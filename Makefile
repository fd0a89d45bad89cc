# The two front-door commands (see README.md):
#   make run    — set up everything, then run the main job
#   make test   — set up everything, then build and run every test
# Both install what is missing on a fresh Debian 12 machine (apt), build the native shim (CMake) and the
# .NET solution. Other targets: deps, native, build, bench, format, format-check, clean.

SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c

CONFIG ?= Release
NATIVE_BUILD := build/native
NATIVE_LIB := $(NATIVE_BUILD)/lib/libmlnetrobust_torch.so
# Debian packages: libtorch and the headers the shim compiles against, an optimised BLAS (Debian's libtorch
# multiplies through libblas.so.3, the slow reference BLAS unless OpenBLAS provides it), the image codecs,
# and — for tests only — Python's torch, the independent reference the tests compare against.
APT_PACKAGES := libtorch-dev libopenblas0-pthread cmake g++ make clang-format libturbojpeg0-dev libstb-dev python3-torch python3-torchvision chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DOTNET_FLAGS := -c $(CONFIG) -m:1 --nologo
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: run test deps native build bench format format-check check-generated clean

# The main job: a quick CIFAR-10 experiment (two scenarios on a slice, ~10 minutes on 2 cores) ending in a report.
run: build
	@dotnet src/Cli/bin/$(CONFIG)/net10.0/mlnet-robust.dll experiment --quick --output out/quick

test: build check-generated
	@set +e
	MLNR_REQUIRE_PYTORCH=1 MLNR_REQUIRE_BROWSER=1 MLNR_PYTHON=/usr/bin/python3 dotnet test MlNetRobust.sln $(DOTNET_FLAGS) --no-build 2>&1 | tee build/test.log
	status=$${PIPESTATUS[0]}
	count() { grep -oE "$$1: +[0-9]+" build/test.log | awk '{s+=$$2} END {print s+0}'; }
	echo "$$(count Passed) passed, $$(count Failed) failed, $$(count Skipped) skipped"
	exit $$status

# The benchmark suite and, in the same run, PyTorch doing the same work (python3-torch from deps); writes
# out/bench/bench.json and prints the table. Extra options: make bench BENCH_ARGS="--threads 2 --only knn,pgd10".
BENCH_ARGS ?=
bench: build
	@dotnet src/Cli/bin/$(CONFIG)/net10.0/mlnet-robust.dll bench --output out/bench $(BENCH_ARGS)

deps:
	@missing=()
	for p in $(APT_PACKAGES); do dpkg -s "$$p" >/dev/null 2>&1 || missing+=("$$p"); done
	if [ $${#missing[@]} -gt 0 ]; then
	  echo "installing: $${missing[*]}"
	  $(SUDO) apt-get update -q
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends "$${missing[@]}"
	fi
	command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required (dotnet not on PATH)"; exit 1; }

native: deps
	@cmake -S src/Torch/native -B $(NATIVE_BUILD) -DCMAKE_BUILD_TYPE=Release $(if $(Torch_DIR),-DTorch_DIR=$(Torch_DIR)) >/dev/null
	cmake --build $(NATIVE_BUILD) -j$$(nproc)

build: native
	@dotnet build MlNetRobust.sln $(DOTNET_FLAGS)

check-generated:
	@python3 tools/gen_native_methods.py --check

format:
	@dotnet format MlNetRobust.sln
	clang-format -i src/Torch/native/src/*.cpp src/Torch/native/src/*.h

format-check: check-generated
	@dotnet format MlNetRobust.sln --verify-no-changes
	clang-format --dry-run -Werror src/Torch/native/src/*.cpp src/Torch/native/src/*.h

clean:
	@rm -rf build out
	dotnet clean MlNetRobust.sln >/dev/null
