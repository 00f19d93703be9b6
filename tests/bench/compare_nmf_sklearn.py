#!/usr/bin/env python3
"""NMF: Latent Explorer's (latent-explorer-cli modules) against scikit-learn's on the same matrix.

Usage: /usr/bin/python3 tests/bench/compare_nmf_sklearn.py CLI EIM.npy K
Prints JSON: relative Frobenius error ||S - WH|| / ||S|| and the fitting time of both (ours also with
process start and file I/O). Needs Debian's python3-sklearn.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.decomposition import NMF


def main():
    cli, eim_path, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
    s = np.load(eim_path).astype(np.float64)
    s = s.reshape(s.shape[0], -1)
    norm = np.linalg.norm(s)
    result = {"matrix": list(s.shape), "k": k}
    for max_iter in (200, 1000):
        t = time.perf_counter()
        model = NMF(n_components=k, init="nndsvda", solver="cd", max_iter=max_iter, random_state=0)
        w = model.fit_transform(s)
        result[f"sklearn_cd_maxiter{max_iter}"] = {
            "relative_error": float(np.linalg.norm(s - w @ model.components_) / norm),
            "seconds": time.perf_counter() - t, "iterations": int(model.n_iter_)}
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        subprocess.run([cli, "modules", "--eim", eim_path, "--k", str(k), "--out", d], check=True)
        seconds = time.perf_counter() - t
        w, h = np.load(os.path.join(d, "W.npy")), np.load(os.path.join(d, "H.npy"))
        report = json.load(open(os.path.join(d, "modules.json")))
    result["latent_explorer"] = {"relative_error": float(np.linalg.norm(s - w.astype(np.float64) @ h) / norm),
                                 "seconds": report["fit_ms"] / 1000.0,
                                 "seconds_including_process_start": seconds,
                                 "iterations": report["iterations"]}
    best = min(v["relative_error"] for key, v in result.items() if key.startswith("sklearn"))
    result["ours_vs_best_sklearn_percent"] = 100.0 * (result["latent_explorer"]["relative_error"] / best - 1.0)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
