# Quick start (fresh Debian 12, as root):  make demo  |  make test
BUILD ?= build
SANITIZE_BUILD ?= build-sanitize
BENCH_BUILD ?= build-bench
VENV ?= .venv
DIST ?= dist
WHEELHOUSE ?= wheelhouse
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

PY := $(abspath $(VENV))/bin/python
# Extra CMake flags for the wheel build, one -C cmake.args= each.
SKBUILD_ARGS := $(foreach f,$(CMAKE_FLAGS),-C cmake.args=$(f))

.PHONY: setup venv build demo test test-sanitize format-check bench clean distclean

# Debian packages (C++ toolchain and libraries).
setup:
	@scripts/setup.sh

# .venv with the build tools, numpy/scipy/matplotlib, pytest and torch from PyPI; the wheelhouse.
venv: setup
	@scripts/venv.sh $(VENV) $(WHEELHOUSE)

# The wheel (library, CLI, Python module) through scikit-build-core, built in the persistent tree
# $(BUILD) together with the tests, so that ctest runs in that same tree; then installed into .venv.
build: venv
	@rm -f $(DIST)/rnndyn-*.whl
	@CMAKE_BUILD_PARALLEL_LEVEL=$(JOBS) $(PY) -m pip wheel . -v --no-build-isolation --no-deps -w $(DIST) \
	  -C build-dir=$(abspath $(BUILD)) \
	  -C cmake.define.RNNDYN_BUILD_TESTS=ON \
	  -C cmake.define.RNNDYN_TEST_CLI=$(abspath $(VENV))/bin/rnndyn \
	  -C cmake.define.RNNDYN_TEST_WHEEL_DIR=$(abspath $(DIST)) \
	  -C cmake.define.RNNDYN_TEST_WHEELHOUSE=$(abspath $(WHEELHOUSE)) $(SKBUILD_ARGS)
	@$(PY) -m pip install -q --no-deps --force-reinstall $(DIST)/rnndyn-*.whl

# The main job on bundled examples: seed 002's E-I network and linear integrator.
demo: build
	@scripts/demo.sh $(BUILD) $(VENV)

# ctest of the same CMake that configured the tree.
test: build
	@cd $(BUILD) && "$$(sed -n 's/^CMAKE_CTEST_COMMAND:INTERNAL=//p' CMakeCache.txt)" --output-on-failure -j $(JOBS)

# Debug build under AddressSanitizer and UndefinedBehaviorSanitizer, same C++ and CLI tests on the
# build tree's binary (-g1: line tables for the sanitizers' stack traces without full debug info;
# precompiled Eigen/json headers). No Python module; pytest comes from .venv. Built by clang
# (Debian's clang-14), which also builds the libFuzzer targets of fuzz/: ctest runs each for
# FUZZ_SECONDS beside the other tests.
# SANITIZE_SKIP: the scale tests (statistics over thousands of units or hundreds of random networks;
# 10-50x slower under ASan at -O0: 520 CPU-seconds under GCC's). `make test` runs them in Release; the
# library code they reach is also reached by smaller tests that do run here. Empty it to run all.
# Single CLI tests of that kind carry pytest's `scale` mark (tests/cli/conftest.py), skipped when
# RNNDYN_SANITIZED=1, which this target sets.
SANITIZE_SKIP ?= ^(cli\.test_fixed_points_low_rank|ReservoirAnalysis\.MeanFieldOutlierMatchesFiniteNetworkN2000|ReservoirAnalysis\.ThreeTargetPolesMatchFiniteNetwork|PlCycles\.MatchesIndependentBruteForceOnRandomMaps|PlFixedPoints\.LevelSetMatchesBruteForceOnRandomShallowNetworks|PlLevelSetNd\.MatchesBruteForceOnRandomShallowNetworks|LowRankFixedPoints\.FindsEveryPointTheMultiStartSearchFinds|Lyapunov\.Rk4AndDopri5AgreeOnChaoticTanhNetwork|Perturb\.ThreeFixedPointShareIsAQuarterForSmallNoise|OpenLoopGain\.ModalFormMatchesDenseSolve|Response\.ReservoirResonatesAtItsLowerFixedPointOnly)$$
FUZZ_SECONDS ?= 45
SANITIZE_CXX ?= clang++-14
# COVERAGE=1: the same build instrumented for clang's source-based coverage; after the tests,
# scripts/coverage.sh prints the line coverage of src/ (C++ and CLI tests: the Python module is not
# built here). On in CI (.ci/run), which prints the report after the sanitizer tests.
COVERAGE ?= 0
test-sanitize: venv
	@cmake -S . -B $(SANITIZE_BUILD) -G Ninja -DCMAKE_MAKE_PROGRAM=$(abspath $(VENV))/bin/ninja \
	  -DCMAKE_CXX_COMPILER=$(SANITIZE_CXX) -DRNNDYN_FUZZ=ON -DRNNDYN_FUZZ_SECONDS=$(FUZZ_SECONDS) \
	  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DRNNDYN_PCH=ON -DRNNDYN_SANITIZE=ON \
	  -DRNNDYN_COVERAGE=$(if $(filter 1,$(COVERAGE)),ON,OFF) \
	  -DRNNDYN_BUILD_PYTHON=OFF -DPython3_EXECUTABLE=$(PY) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(SANITIZE_BUILD) -j $(JOBS)
	@rm -rf $(SANITIZE_BUILD)/coverage
	@cd $(SANITIZE_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 RNNDYN_SANITIZED=1 \
	  LLVM_PROFILE_FILE=$(abspath $(SANITIZE_BUILD))/coverage/%4m.profraw \
	  "$$(sed -n 's/^CMAKE_CTEST_COMMAND:INTERNAL=//p' CMakeCache.txt)" --output-on-failure -j $(JOBS) \
	  $(if $(SANITIZE_SKIP),-E '$(SANITIZE_SKIP)')
	@if [ "$(COVERAGE)" = 1 ]; then scripts/coverage.sh $(SANITIZE_BUILD); fi

format-check: setup
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

bench: venv
	@cmake -S . -B $(BENCH_BUILD) -G Ninja -DCMAKE_MAKE_PROGRAM=$(abspath $(VENV))/bin/ninja \
	  -DCMAKE_BUILD_TYPE=Release -DRNNDYN_BUILD_BENCH=ON -DRNNDYN_BUILD_TESTS=OFF -DRNNDYN_BUILD_PYTHON=OFF \
	  $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS)

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) $(BENCH_BUILD) $(DIST)

# Also the virtual environment and the wheelhouse (make recreates both).
distclean: clean
	rm -rf $(VENV) $(WHEELHOUSE)
