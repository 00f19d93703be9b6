#!/usr/bin/env bash
# Builds the Debian package from the build folder (cpack), then checks it as an installer would see it:
# runtime dependencies named by package, the files a desktop expects, and the unpacked tree working on
# its own (CLI --version and info on a bundled model, the GUI finding its bundled default model through
# ../share and rendering a frame offscreen). Usage: check_deb.sh BUILD_DIR
set -euo pipefail
build="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "check_deb: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/pkg" > "$work/cpack.log" 2>&1) || { cat "$work/cpack.log" >&2; fail "cpack failed"; }
deb="$(ls "$work"/pkg/*.deb)"
depends="$(dpkg-deb -f "$deb" Depends)"
echo "Depends: $depends"
for pkg in libtorch libqt6widgets6 libqt6svg6 libqcustomplot2.1-qt6 libpng16-16 libopenblas0-openmp; do
  grep -q "$pkg" <<<"$depends" || fail "Depends lacks $pkg"
done
dpkg-deb -x "$deb" "$work/root"
root="$work/root/usr"
for f in bin/latent-explorer bin/latent-explorer-cli share/applications/latent-explorer.desktop \
         share/metainfo/io.github.latent_explorer.LatentExplorer.metainfo.xml \
         share/icons/hicolor/scalable/apps/latent-explorer.svg share/latent-explorer/models/fashion_dcgan.pt \
         share/latent-explorer/models/fashion_cgn.pt share/latent-explorer/models/ctvae_shapes.pt share/latent-explorer/python/lx_export.py \
         share/doc/latent-explorer/README.md; do
  [ -e "$root/$f" ] || fail "the package lacks /usr/$f"
done
if command -v desktop-file-validate > /dev/null; then
  desktop-file-validate "$root/share/applications/latent-explorer.desktop" || fail "invalid desktop entry"
else
  echo "check_deb: desktop-file-validate not installed: desktop entry not validated (dev.sh installs desktop-file-utils)"
fi
/usr/bin/python3 -c "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])" \
  "$root/share/metainfo/io.github.latent_explorer.LatentExplorer.metainfo.xml" || fail "metainfo is not XML"
# Man pages (help2man from --help): both there, readable by man, and the CLI page documents every command.
for page in latent-explorer latent-explorer-cli; do
  [ -s "$root/share/man/man1/$page.1.gz" ] || fail "the package lacks /usr/share/man/man1/$page.1.gz"
done
commands="$("$root/bin/latent-explorer-cli" --help | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1}')"
# The page's subsections, read whole once: `zcat | grep -q` would fail under pipefail whenever grep
# quits before zcat has written everything (zcat then dies of SIGPIPE).
sections="$(zcat "$root/share/man/man1/latent-explorer-cli.1.gz" | grep '^\.SS ')"
for c in $commands; do
  grep -qx "\.SS $c" <<<"$sections" || fail "latent-explorer-cli(1) lacks the command $c"
done
echo "check_deb: man pages OK ($(wc -w <<<"$commands") CLI commands documented)"
"$root/bin/latent-explorer-cli" --version | grep -q "latent-explorer-cli" || fail "CLI --version"
"$root/bin/latent-explorer" --version | grep -q "latent-explorer" || fail "GUI --version"
"$root/bin/latent-explorer-cli" info "$root/share/latent-explorer/models/fashion_cgn.pt" | grep -q '"kind": "cgn"' || fail "CLI info"
# The GUI from the unpacked tree, in a folder where no source tree is near: its own bundled model.
(cd "$work" && XDG_DATA_HOME="$work/data" QT_QPA_PLATFORM=offscreen "$root/bin/latent-explorer" --screenshot "$work/shot.png" \
   > "$work/gui.out" 2>&1) || { tail -5 "$work/gui.out" >&2; fail "the unpacked GUI did not show its default model"; }
log="$(find "$work/data" -name latent-explorer.log | head -1)"
[ -n "$log" ] || fail "the GUI wrote no log file under XDG_DATA_HOME"
grep -q "$work/root/usr/bin/../share/latent-explorer/models/fashion_dcgan.pt\|$work/root/usr/share/latent-explorer/models/fashion_dcgan.pt" "$log" \
  || { grep -m3 "model" "$log" >&2; fail "the GUI did not load the packaged model"; }
echo "check_deb: $(basename "$deb") ($(du -h "$deb" | cut -f1)) OK"
