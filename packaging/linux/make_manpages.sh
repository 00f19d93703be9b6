#!/usr/bin/env bash
# Man pages from the programs' own --help (one source for the option texts), with help2man:
#   make_manpages.sh GUI_BINARY CLI_BINARY OUT_DIR
# latent-explorer.1 documents the GUI's options; latent-explorer-cli.1 has a COMMANDS section with every
# command's full `COMMAND --help`.
set -euo pipefail
gui="$1" cli="$2" out="$3"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export QT_QPA_PLATFORM=offscreen
cat >"$tmp/gui.h2m" <<'TXT'
[DESCRIPTION]
Latent Explorer is a workbench for looking inside deep generative models: open a TorchScript generator,
autoencoder, CGN or VQ-VAE with its JSON card (model contract v1,
/usr/share/doc/latent-explorer/CONTRACT.md), intervene on a layer's channels, find the modules the
network has learned, measure an autoencoder's latent responses and export figures.
Without a model argument it opens the bundled default model.
[FILES]
~/.local/share/LatentExplorer/latent-explorer/latent-explorer.log: the log (Help > Open Log Folder).
~/.local/share/LatentExplorer/latent-explorer/autosave.lxsession: the autosave; one left by a crash is
offered at the next start.
[SEE ALSO]
latent-explorer-cli(1)
TXT
{
  echo "[DESCRIPTION]"
  echo "Everything the Latent Explorer GUI computes, headless, for scripts and reproducible figures."
  echo "[COMMANDS]"
  # `help --all` gives every command's help under a header "latent-explorer-cli NAME" underlined with
  # dashes: one start of the CLI (about a second each: LibTorch) instead of one per command. Each
  # header becomes a subsection; the lines are escaped for roff (backslashes, leading . and ').
  "$cli" help --all | sed -e 's/\\/\\\\/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/" | awk '
    /^-+$/ && prev ~ /^latent-explorer-cli [a-z][a-z-]*$/ && length($0) == length(prev) {
      if (open) print ".fi"
      split(prev, words, " "); print ".SS " words[2]; print ".nf"; open = 1; held = 0; next
    }
    { if (held && open) print prev; prev = $0; held = 1 }
    END { if (held && open) print prev; if (open) print ".fi" }'
  echo "[SEE ALSO]"
  echo "latent-explorer(1)"
} >"$tmp/cli.h2m"
help2man --no-info --no-discard-stderr --section 1 --name "workbench for looking inside deep generative models" \
  --include "$tmp/gui.h2m" --output "$tmp/latent-explorer.1" "$gui"
help2man --no-info --no-discard-stderr --section 1 --name "Latent Explorer's computations from the command line" \
  --include "$tmp/cli.h2m" --output "$tmp/latent-explorer-cli.1" "$cli"
# Gzipped, as Debian installs them; moved into place whole.
for page in latent-explorer latent-explorer-cli; do
  gzip -9n -c "$tmp/$page.1" >"$tmp/$page.1.gz"
  mv -f "$tmp/$page.1.gz" "$out/$page.1.gz"
done
