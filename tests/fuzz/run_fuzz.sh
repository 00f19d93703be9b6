#!/usr/bin/env bash
# Builds and runs the libFuzzer targets.
#   tests/fuzz/run_fuzz.sh build BUILD_DIR              configure + build with clang into BUILD_DIR
#   tests/fuzz/run_fuzz.sh run BUILD_DIR TARGET SECONDS replay the committed corpus, then fuzz for SECONDS
# TARGET is card, npy or session. The committed corpus (tests/fuzz/corpus/TARGET) is only read: new
# inputs go to BUILD_DIR/TARGET-work/, and a crashing input to BUILD_DIR/TARGET-work/crash-*, which the
# failure message names (copy it into the corpus once the bug is fixed, as a regression case).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode="${1:?usage: run_fuzz.sh build|run BUILD_DIR [TARGET SECONDS]}"
build="${2:?build dir}"

case "$mode" in
  build)
    launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    gen=()
    [ -f "$build/CMakeCache.txt" ] || gen=(-G Ninja)
    cmake -S "$here" -B "$build" "${gen[@]}" -DCMAKE_CXX_COMPILER=clang++ "${launcher[@]}" >/dev/null
    cmake --build "$build"
    ;;
  run)
    target="${3:?target: card, npy or session}"
    seconds="${4:?seconds}"
    exe="$build/fuzz_$target"
    [ -x "$exe" ] || { echo "run_fuzz.sh: $exe is not built (run_fuzz.sh build $build)" >&2; exit 1; }
    work="$build/$target-work"
    rm -rf "$work" && mkdir -p "$work/new"
    # A fixed seed (LX_FUZZ_SEED, default 1) makes the CI run repeatable; LX_FUZZ_SEED=0 draws one.
    common=(-seed="${LX_FUZZ_SEED:-1}" -dict="$here/json.dict" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/" -print_final_stats=1)
    [ "$target" = npy ] && common=(-seed="${LX_FUZZ_SEED:-1}" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/" -print_final_stats=1)
    # Replay: every committed input once (regressions), then coverage-guided fuzzing from them.
    "$exe" "${common[@]}" -runs=0 "$here/corpus/$target" 2>"$work/replay.log" ||
      { cat "$work/replay.log" >&2; echo "run_fuzz.sh: a committed $target corpus input fails" >&2; exit 1; }
    if ! "$exe" "${common[@]}" -max_total_time="$seconds" "$work/new" "$here/corpus/$target" 2>"$work/fuzz.log"; then
      tail -n 40 "$work/fuzz.log" >&2
      echo "run_fuzz.sh: fuzz_$target found a failing input: $(ls "$work"/crash-* "$work"/timeout-* "$work"/oom-* 2>/dev/null | head -1)" >&2
      exit 1
    fi
    grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)" "$work/fuzz.log" || true
    echo "fuzz_$target: $(ls "$work/new" | wc -l) new corpus inputs, no failure in ${seconds} s"
    ;;
  *) echo "usage: run_fuzz.sh build|run BUILD_DIR [TARGET SECONDS]" >&2; exit 2 ;;
esac
