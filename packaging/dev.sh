#!/usr/bin/env bash
# Latent Explorer developer entry point: installs what is missing (Debian 12 packages), builds, then
#   packaging/dev.sh gui [ARGS...]   opens the GUI (on the bundled default model unless ARGS name one)
#   packaging/dev.sh test            runs the whole test suite (CTest)
#   packaging/dev.sh build           only builds
#   packaging/dev.sh screenshot F    renders the main window under Xvfb into F (PNG)
# Environment: LX_BUILD_DIR (default build/), LX_JOBS (default: number of cores).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LX_BUILD_DIR:-$root/build}"
jobs="${LX_JOBS:-$(nproc)}"
mode="${1:-gui}"
[ $# -gt 0 ] && shift

packages=(
  cmake ninja-build g++ ccache pkg-config
  libtorch-dev libopenblas0-openmp
  qt6-base-dev qt6-svg-dev libqt6test6 libqcustomplot-dev libqcustomplot2.1-qt6
  libeigen3-dev libspdlog-dev nlohmann-json3-dev libpng-dev
  python3-torch python3-numpy
  xvfb xauth poppler-utils dpkg-dev desktop-file-utils
  clang libclang-rt-14-dev xdotool help2man
  slurmctld slurmd slurm-client munge
)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "dev.sh: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

configure_and_build() {
  # LibTorch runs on the reference BLAS unless OpenBLAS is the selected libblas (about 18x slower).
  if ! readlink -f /etc/alternatives/libblas.so.3-x86_64-linux-gnu 2>/dev/null | grep -q openblas; then
    echo "dev.sh: warning: libblas.so.3 is not OpenBLAS; LibTorch will be slow (update-alternatives --config libblas.so.3-x86_64-linux-gnu)" >&2
  fi
  local gen=()
  [ -f "$build/CMakeCache.txt" ] || gen=(-G Ninja)
  cmake -S "$root" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo
  cmake --build "$build" -j "$jobs"
}

install_missing
configure_and_build

case "$mode" in
  build) ;;
  gui)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "dev.sh: no display (DISPLAY/WAYLAND_DISPLAY unset); opening the GUI on a virtual X server is useless here." >&2
      echo "dev.sh: use 'packaging/dev.sh screenshot shot.png' to render the window to a file." >&2
      exit 1
    fi
    exec "$build/app/gui/latent-explorer" "$@"
    ;;
  screenshot)
    out="${1:-screenshot.png}"
    exec xvfb-run -a -s "-screen 0 1600x1000x24" "$build/app/gui/latent-explorer" --screenshot "$out" "${@:2}"
    ;;
  test)
    cd "$build"
    exec ctest --output-on-failure -j "$jobs" --timeout 900
    ;;
  *)
    echo "usage: packaging/dev.sh gui|test|build|screenshot FILE" >&2
    exit 2
    ;;
esac
