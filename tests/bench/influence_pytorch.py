#!/usr/bin/env python3
"""Elementary influence maps the way a researcher writes them in PyTorch: the eager model, one full
forward pass per channel batched over all pairs, the layer's output patched by a forward hook.

    /usr/bin/python3 tests/bench/influence_pytorch.py --arch ARCH --model MODEL.pt --latents Z.npy
        --layers L1,L2 [--classes C.npy] [--threads T] [--maps-dir DIR] [--repeat R]

ARCH names the eager class whose weights MODEL.pt (TorchScript) holds: dcgan_tutorial
(tests/fixtures/make_fixtures.py) or biggan128 (tests/bench/make_bench_fixtures.py). Z holds 2N rows,
pair i is (Z[i], Z[N+i]); C (optional) one class index per row. The eager model is checked against the
TorchScript one before timing. Prints JSON (one row per layer: ms, the best of R runs, and with
--maps-dir the file the maps [C, H, W] were written to, for bench_influence to compare with its own).
bench_influence runs it.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def eager_model(arch):
    if arch == "dcgan_tutorial":
        sys.path.insert(0, os.path.join(REPO, "tests", "fixtures"))
        import make_fixtures
        return make_fixtures.Generator(1), None
    if arch == "biggan128":
        sys.path.insert(0, HERE)
        import make_bench_fixtures
        return make_bench_fixtures.BigGAN128(), make_bench_fixtures.BIGGAN128_CLASSES
    raise SystemExit(f"influence_pytorch: unknown --arch {arch}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--latents", required=True)
    ap.add_argument("--classes")
    ap.add_argument("--layers", required=True)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--maps-dir")
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)

    model, class_count = eager_model(a.arch)
    scripted = torch.jit.load(a.model, map_location="cpu")
    model.load_state_dict(scripted.state_dict())
    model.eval()
    z = torch.from_numpy(np.load(a.latents)).float()
    n = z.shape[0] // 2
    if a.classes:
        y = F.one_hot(torch.from_numpy(np.load(a.classes)).long(), class_count).float()
        args1, args2 = (z[:n], y[:n]), (z[n:], y[n:])
    else:
        args1, args2 = (z[:n],), (z[n:],)

    with torch.no_grad():
        difference = (model(*args1) - scripted(*args1)).abs().max().item()
    if difference > 1e-4:
        raise SystemExit(f"influence_pytorch: the eager {a.arch} differs from {a.model} by {difference}")

    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "pairs": n,
           "eager_vs_script_max_abs_diff": difference, "layers": []}
    modules = dict(model.named_modules())
    for name in a.layers.split(","):
        layer = modules[name]
        best = None
        for _ in range(max(1, a.repeat)):
            start = time.perf_counter()
            with torch.no_grad():
                x1 = model(*args1)
                seen = {}
                handle = layer.register_forward_hook(lambda m, i, o: seen.setdefault("h2", o.clone()))
                model(*args2)
                handle.remove()
                h2 = seen["h2"]
                maps = []
                for c in range(h2.shape[1]):
                    def patch(m, inputs, output, c=c):
                        output = output.clone()
                        output[:, c] = h2[:, c]
                        return output
                    handle = layer.register_forward_hook(patch)
                    x = model(*args1)
                    handle.remove()
                    d = (x - x1).abs()
                    maps.append((d.mean(1) if d.dim() == 4 else d).mean(0))
                maps = torch.stack(maps)
            ms = (time.perf_counter() - start) * 1000.0
            best = ms if best is None else min(best, ms)
        row = {"layer": name, "ms": best}
        if a.maps_dir:
            row["maps"] = os.path.join(a.maps_dir, name + ".npy")
            np.save(row["maps"], maps.numpy().astype(np.float32))
        out["layers"].append(row)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
