#!/usr/bin/env python3
"""Layers from the model's graph against the Sequential path they replace, side by side in one run.

    /usr/bin/python3 tests/bench/compare_graph_path.py NEW_CLI FIXTURES [--old OLD_CLI] [--pairs 16] [--repeat 3]

NEW_CLI is this build's latent-explorer-cli; OLD_CLI one built from a commit before the graph path
(e.g. `git worktree add /tmp/old 6af2f4b` and build latent-explorer-cli there with -DLX_BUILD_GUI=OFF).
FIXTURES holds dcgan_tutorial.pt (tests/fixtures/make_fixtures.py) and graph_biggan.pt
(make_graph_fixtures.py). For each model and layer it times, with the CLI's own clocks: a hybrid slider
frame (`bench`: frame_p50_ms, suffix_p50_ms) and the influence maps of the whole layer (`influence`,
its "in X ms" log line), best of --repeat. The old CLI cannot open the BigGAN-like model (no
Sequential): those rows have the graph path alone. Prints JSON. Run it on an idle machine.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

CASES = [("dcgan_tutorial.pt", ["main.5", "main.8"], None), ("graph_biggan.pt", ["blocks.1", "blocks.2.conv1"], 5)]


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {p.stderr.strip().splitlines()[-1] if p.stderr.strip() else p.returncode}")
    return p


def cli_frame(cli, model, layer, classes):
    cmd = [cli, "bench", model, "--layer", layer, "--frames", "100", "--threads", "2"]
    if classes:
        cmd += ["--classes", classes]
    out = json.loads(run(cmd).stdout)
    return {"frame_p50_ms": out["frame_p50_ms"], "suffix_p50_ms": out["suffix_p50_ms"], "full_p50_ms": out["full_p50_ms"]}


def cli_influence(cli, model, layer, latents, classes, repeat):
    best = None
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as d:
            cmd = [cli, "influence", model, "--layer", layer, "--latents", latents, "--out", os.path.join(d, "eim.npy"),
                   "--threads", "2", "--verbose"]
            if classes:
                cmd += ["--classes", classes]
            err = run(cmd).stderr
        ms = float(re.search(r"influence: layer \S+ \(\d+ channels, \d+ pairs\) in ([0-9.]+) ms", err).group(1))
        best = ms if best is None else min(best, ms)
    return best


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    new, fixtures = argv[0], argv[1]
    old = argv[argv.index("--old") + 1] if "--old" in argv else None
    pairs = int(argv[argv.index("--pairs") + 1]) if "--pairs" in argv else 16
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    report = {"pairs": pairs, "threads": 2, "cases": []}
    with tempfile.TemporaryDirectory() as d:
        for name, layers, classes in CASES:
            model = os.path.join(fixtures, name)
            info = json.loads(run([new, "info", model]).stdout)
            rng = np.random.default_rng(0)
            z = rng.standard_normal((2 * pairs, *info["latent_shape"])).astype(np.float32)
            zpath = os.path.join(d, name + ".z.npy")
            np.save(zpath, z)
            cpath = None
            if classes:
                c = rng.integers(0, classes, 2 * pairs).astype(np.int64)
                cpath = os.path.join(d, name + ".c.npy")
                np.save(cpath, c)
                np.save(os.path.join(d, name + ".c2.npy"), c[:2])
            for layer in layers:
                row = {"model": name, "layer": layer}
                row["graph"] = cli_frame(new, model, layer, os.path.join(d, name + ".c2.npy") if classes else None)
                row["graph"]["influence_ms"] = cli_influence(new, model, layer, zpath, cpath, repeat)
                if old and not classes:
                    row["sequential"] = cli_frame(old, model, layer, None)
                    row["sequential"]["influence_ms"] = cli_influence(old, model, layer, zpath, None, repeat)
                    row["influence_graph_over_sequential"] = row["graph"]["influence_ms"] / row["sequential"]["influence_ms"]
                    row["frame_graph_over_sequential"] = row["graph"]["frame_p50_ms"] / row["sequential"]["frame_p50_ms"]
                report["cases"].append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
