#!/usr/bin/env python3
"""Models for the benchmarks only (not the test suite): larger than the test fixtures, random weights.

    /usr/bin/python3 tests/bench/make_bench_fixtures.py OUTDIR

  bench_biggan128.pt   BigGAN's 128x128 generator layout, narrower: a z chunk to a 4x4x256 linear
                       layer, five residual up-blocks (256, 256, 128, 128, 64, 32 channels at 4 ... 128
                       pixels) with class-conditional BatchNorm fed by a shared embedding of one-hot y
                       and a z chunk per block, BN-ReLU-conv3x3 to RGB, tanh. About 3 GFLOP an image.
                       Saved with torch.jit.script, the card embedded (class_input onehot, 10 classes).
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "fixtures"))
from make_graph_fixtures import GBlock, settle_batchnorm  # noqa: E402

BIGGAN128_CLASSES = 10


class BigGAN128(nn.Module):
    def __init__(self, nz=120, classes=BIGGAN128_CLASSES, shared=32, widths=(256, 256, 128, 128, 64, 32)):
        super().__init__()
        self.chunk = nz // len(widths)
        self.shared = nn.Linear(classes, shared, bias=False)
        self.linear = nn.Linear(self.chunk, widths[0] * 4 * 4)
        cond = self.chunk + shared
        self.blocks = nn.ModuleList([GBlock(widths[i], widths[i + 1], cond) for i in range(len(widths) - 1)])
        self.out_bn = nn.BatchNorm2d(widths[-1])
        self.out_conv = nn.Conv2d(widths[-1], 3, 3, 1, 1)

    def forward(self, z, y):
        e = self.shared(y)
        zs = torch.split(z, self.chunk, 1)
        h = self.linear(zs[0]).view(z.size(0), -1, 4, 4)
        i = 1
        for block in self.blocks:
            h = block(h, torch.cat([zs[i], e], 1))
            i += 1
        return torch.tanh(self.out_conv(F.relu(self.out_bn(h))))


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(outdir, exist_ok=True)
    torch.manual_seed(0)
    model = BigGAN128()
    # Keep activations of order one through the five blocks (PyTorch's default init shrinks them).
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
    nn.init.xavier_uniform_(model.out_conv.weight, 0.3)   # RGB mostly inside tanh's linear range
    settle_batchnorm(model, lambda: model(torch.randn(8, 120),
                                          F.one_hot(torch.randint(0, BIGGAN128_CLASSES, (8,)), BIGGAN128_CLASSES).float()))
    card = dict(kind="generator", latent_shape=[120], output_range=[-1, 1], name="BigGAN-like 128x128 (random weights)",
                class_input={"encoding": "onehot", "classes": [f"c{i}" for i in range(BIGGAN128_CLASSES)]})
    path = os.path.join(outdir, "bench_biggan128.pt")
    torch.jit.save(torch.jit.script(model), path, _extra_files={"latent_explorer.json": json.dumps(card)})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
