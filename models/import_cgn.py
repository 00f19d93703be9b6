#!/usr/bin/env python3
"""Import one of the authors' MNIST Counterfactual Generative Networks (Sauer & Geiger, ICLR 2021;
autonomousvision/counterfactual_generative_networks, mnists/experiments/cgn_*/weights/ckp.pth) from
its state dict into a Latent Explorer model of kind "cgn" (models/CONTRACT.md).

Usage: /usr/bin/python3 models/import_cgn.py CKPT OUT.pt [--reference DIR] [--name NAME] [--png PATH]

The architecture is rebuilt from the published facts (models/cgn_arch.py, after
../shared/checkpoints/README.md); the state dict must load strictly (every key used, every shape
matching), otherwise the missing / unexpected / mismatched keys are listed and the exit code is 1.
The model is exported in eval mode (BatchNorm running statistics; InstanceNorm without affine has
no state) with the card: classes "0".."9", latent [32], output [3, 32, 32] in [-1, 1],
mask_clamp [1e-4, 0.9999], shuffle "tile2x2", noise "per_mechanism".

Prints one JSON line of facts (parameter count, value ranges, mean mask area per class, ...).
--reference DIR writes u.npy [8, 32] (torch.Generator seed 0), y.npy [8, 10] (one-hot, classes
0..7) and the eager model's premask.npy [8, 1, 32, 32], foreground.npy, background.npy [8, 3, 32, 32]
(float32), for the C++ port tests. --png writes a sample sheet (see cgn_arch.sample_sheet).
The imported file holds the authors' weights: test data, never to be committed.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cgn_arch import MASK_CLAMP, MnistCgn, sample_sheet, summary  # noqa: E402
from lx_export import export_cgn  # noqa: E402

CLASSES = [str(k) for k in range(10)]
LATENT = 32
REFERENCE_SEED = 0
REFERENCE_CLASSES = list(range(8))

# File stem -> dataset name in the paper.
VARIANTS = {"cgn_colored_mnist": "colored MNIST",
            "cgn_double_colored_mnist": "double-colored MNIST",
            "cgn_wildlife_mnist": "Wildlife MNIST"}


def key_report(state, model):
    """Lines naming missing, unexpected and wrongly shaped keys; empty when the state dict fits."""
    want = model.state_dict()
    lines = []
    missing = [k for k in want if k not in state]
    unexpected = [k for k in state if k not in want]
    mismatched = [f"{k}: checkpoint {list(state[k].shape)}, model {list(want[k].shape)}"
                  for k in want if k in state and hasattr(state[k], "shape")
                  and tuple(state[k].shape) != tuple(want[k].shape)]
    for title, keys in (("missing keys", missing), ("unexpected keys", unexpected),
                        ("shape mismatches", mismatched)):
        if keys:
            lines.append(f"{title} ({len(keys)}): " + ", ".join(keys))
    return lines


def save_npy(path, array):
    tmp = path + ".tmp.npy"
    np.save(tmp, np.ascontiguousarray(array, dtype=np.float32))
    os.replace(tmp, path)


@torch.no_grad()
def write_reference(model, folder):
    os.makedirs(folder, exist_ok=True)
    g = torch.Generator().manual_seed(REFERENCE_SEED)
    u = torch.randn(len(REFERENCE_CLASSES), LATENT, generator=g)
    y = torch.nn.functional.one_hot(torch.tensor(REFERENCE_CLASSES), len(CLASSES)).float()
    arrays = {"u": u, "y": y, "premask": model.premask(u, y), "foreground": model.foreground(u, y),
              "background": model.background(u, y)}
    for name, t in arrays.items():
        save_npy(os.path.join(folder, name + ".npy"), t.numpy())


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("ckpt", help="the authors' state dict (ckp.pth)")
    p.add_argument("out", help="the Latent Explorer model file to write (.pt)")
    p.add_argument("--reference", metavar="DIR", help="write reference inputs / outputs (.npy) here")
    p.add_argument("--name", help="card name (default: from the checkpoint's file name)")
    p.add_argument("--png", metavar="PATH", help="write a sample sheet PNG")
    p.add_argument("--samples-per-class", type=int, default=32, metavar="N",
                   help="samples per class for the printed facts (default 32)")
    args = p.parse_args(argv)
    torch.set_num_threads(1)

    try:
        state = torch.load(args.ckpt, map_location="cpu")
    except Exception as e:  # noqa: BLE001 - torch.load raises many exception types
        print(f"import_cgn: cannot read {args.ckpt}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    if not isinstance(state, dict):
        print(f"import_cgn: {args.ckpt}: expected a state dict, got {type(state).__name__}", file=sys.stderr)
        return 1

    model = MnistCgn(n_classes=len(CLASSES), latent=LATENT, ngf=32, image_size=32)
    problems = key_report(state, model)
    if problems:
        print(f"import_cgn: {args.ckpt} does not fit the MNIST CGN architecture:", file=sys.stderr)
        for line in problems:
            print("  " + line, file=sys.stderr)
        return 1
    model.load_state_dict(state, strict=True)
    model.eval()

    stem = os.path.splitext(os.path.basename(args.ckpt))[0]
    variant = VARIANTS.get(stem, stem)
    name = args.name or f"CGN {variant} (Sauer & Geiger 2021)"
    card = export_cgn(
        model, args.out, latent_shape=[LATENT], output_range=[-1, 1], classes=CLASSES,
        output_shape=[3, 32, 32], mask_clamp=list(MASK_CLAMP), shuffle="tile2x2", noise="per_mechanism",
        name=name,
        description=(f"Counterfactual Generative Network trained by the authors on {variant} "
                     f"(autonomousvision/counterfactual_generative_networks, checkpoint "
                     f"{os.path.basename(args.ckpt)}); imported by models/import_cgn.py"),
        source=os.path.basename(args.ckpt))

    facts = {"checkpoint": os.path.basename(args.ckpt), "out": args.out, "name": card["name"]}
    facts.update(summary(model, per_class=args.samples_per_class, seed=0))
    if args.reference:
        write_reference(model, args.reference)
        facts["reference"] = args.reference
    if args.png:
        sample_sheet(model, args.png, seed=0)
        facts["png"] = args.png
    print(json.dumps(facts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
