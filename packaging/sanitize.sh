#!/usr/bin/env bash
# Builds core, the CLI and the core tests with AddressSanitizer + UndefinedBehaviorSanitizer in
# build-asan/ (no GUI, no benchmarks) and runs the core and CLI test labels there. The test suite runs
# it as the test sanitize_core (label sanitize), so CI does too; the plain build/ then leaves those suites
# out, so this is where they run: one of them by hand is `bash packaging/sanitize.sh -R test_Nmf`. -O1 with line tables, as the ASan
# documentation recommends: it compiles in half the time of -O2 -g, keeps every check and still gives
# file:line in reports. Leak detection is off: LibTorch keeps global allocations alive until exit.
# Usage: packaging/sanitize.sh [ctest args...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LX_ASAN_BUILD_DIR:-$root/build-asan}"
flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
gen=()
[ -f "$build/CMakeCache.txt" ] || gen=(-G Ninja)
cmake -S "$root" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLX_BUILD_GUI=OFF \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" -DLX_SANITIZE_TEST=OFF -DLX_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG"
cmake --build "$build" -j "${LX_JOBS:-$(nproc)}"
# allocator_may_return_null: an allocation too large to serve fails as it does without ASan (test_Model's
# oom_gen.pt asks LibTorch for 8 PiB and must get its out-of-memory error, not an ASan abort).
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
cd "$build"
exec ctest --output-on-failure -j "${LX_JOBS:-$(nproc)}" -L "core|cli" --timeout 1800 "$@"
