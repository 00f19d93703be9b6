#!/usr/bin/env bash
# Installs the .deb on a fresh Debian 12 (a debootstrap'ed minbase system in a chroot) and launches both
# programs there: the package's dependencies must come from the archive by name. Needs root and the Debian
# archive; about 15 minutes (558 packages). Not part of CTest.
#   tests/packaging/check_clean_install.sh PACKAGE.deb [ROOT_DIR]
set -euo pipefail
deb="$(realpath "${1:?usage: check_clean_install.sh PACKAGE.deb [ROOT_DIR]}")"
root="${2:-$(mktemp -d)/root}"
command -v debootstrap >/dev/null || { echo "check_clean_install: apt install debootstrap" >&2; exit 1; }
[ -d "$root/usr" ] || debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian
mountpoint -q "$root/proc" || mount --bind /proc "$root/proc"
mountpoint -q "$root/dev" || mount --bind /dev "$root/dev"
trap 'umount "$root/proc" "$root/dev" 2>/dev/null || true' EXIT
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/latent-explorer.deb"
chroot "$root" /bin/bash -euo pipefail -c '
export DEBIAN_FRONTEND=noninteractive
echo "packages before: $(dpkg -l | grep -c "^ii")"
apt-get update -q >/dev/null
apt-get install -y -q /tmp/latent-explorer.deb | grep -E "newly installed"
echo "packages after: $(dpkg -l | grep -c "^ii")"
latent-explorer-cli --version
latent-explorer --version
latent-explorer-cli info /usr/share/latent-explorer/models/fashion_dcgan.pt | grep "\"kind\""
latent-explorer-cli vq-evaluate /usr/share/latent-explorer/models/ctvae_shapes.pt --pairs 200 --seed 5 | grep -E "\"(action|factor)_accuracy\""
apt-get install -y -q --no-install-recommends xvfb xauth >/dev/null
cd /tmp && HOME=/tmp/home xvfb-run -a -s "-screen 0 1600x1000x24" latent-explorer --screenshot /tmp/clean-shot.png 2>/dev/null
test -s /tmp/clean-shot.png && echo "GUI drew its default model: /tmp/clean-shot.png"
test -s /usr/share/man/man1/latent-explorer-cli.1.gz && echo "man pages installed"
'
echo "check_clean_install: passed in $root (screenshot: $root/tmp/clean-shot.png)"
