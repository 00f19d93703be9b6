#!/usr/bin/env python3
"""Import the 3D-Shapes VAE of Leeb et al. (NeurIPS 2022, felixludos/latent-responses `model_a.pt`)
from its state dict into a Latent Explorer model (contract v1, autoencoder).

Usage: /usr/bin/python3 models/import_3dshapes_vae.py STATE_DICT.pt OUT.pt [--reference DIR]

--reference DIR writes, from the eager model, z.npy [128, 24] (torch.Generator seed 0) and r.npy, the
latent responses R(z) = posterior mean of encode(decode(z)) [128, 24]: the test's independent reference.

The architecture is rebuilt from the published facts (../shared/checkpoints/README.md); no code of the
original repository is used. The state dict must load strictly (every key used, every shape matching).
  encoder: 5 blocks [conv -> max-pool 2 -> GroupNorm(8) -> ELU] (3->64 5x5 pad 2, then 64->64 3x3 pad 1),
           flatten 64x2x2, Linear 256->256, ELU, Linear 256->128, ELU, Linear 128->48
           (first 24 outputs: posterior mean, last 24: log sigma)
  decoder: Linear 24->128, ELU, Linear 128->256, ELU, Linear 256->256, reshape 64x2x2, then 5 blocks
           [bilinear x2 (align_corners=False) -> conv 3x3 pad 1 -> GroupNorm(8) -> ELU], the last one
           conv 64->3 without norm, then Sigmoid. Images are 3x64x64 in [0, 1].
The decoder is an nn.Sequential, so Latent Explorer lists decoder.0 (the MLP, [64, 2, 2]) and the five
upsampling blocks decoder.1 .. decoder.5 as layers.
"""
import os
import sys
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lx_export import export  # noqa: E402

LATENT = 24


class EncoderBlock(nn.Module):
    def __init__(self, cin: int, kernel: int):
        super().__init__()
        self.conv = nn.Conv2d(cin, 64, kernel, padding=kernel // 2)
        self.norm = nn.GroupNorm(8, 64)

    def forward(self, x):
        return F.elu(self.norm(F.max_pool2d(self.conv(x), 2)))


class DecoderBlock(nn.Module):
    def __init__(self, cout: int, last: bool):
        super().__init__()
        self.conv = nn.Conv2d(64, cout, 3, padding=1)
        self.norm = nn.Identity() if last else nn.GroupNorm(8, cout)
        self.last = last

    def forward(self, x):
        x = self.conv(F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False))
        return torch.sigmoid(x) if self.last else F.elu(self.norm(x))


class ShapesVAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            EncoderBlock(3, 5), EncoderBlock(64, 3), EncoderBlock(64, 3), EncoderBlock(64, 3), EncoderBlock(64, 3),
            nn.Sequential(nn.Flatten(), nn.Linear(256, 256), nn.ELU(), nn.Linear(256, 128), nn.ELU(),
                          nn.Linear(128, 2 * LATENT)))
        self.decoder = nn.Sequential(
            nn.Sequential(nn.Linear(LATENT, 128), nn.ELU(), nn.Linear(128, 256), nn.ELU(), nn.Linear(256, 256),
                          nn.Unflatten(1, (64, 2, 2))),
            DecoderBlock(64, False), DecoderBlock(64, False), DecoderBlock(64, False), DecoderBlock(64, False),
            DecoderBlock(3, True))

    def encode(self, x) -> Tuple[torch.Tensor, torch.Tensor]:
        h = self.encoder(x)
        mean, log_sigma = h.chunk(2, dim=1)
        return mean, log_sigma

    def decode(self, z):
        return self.decoder(z)

    def forward(self, x):
        return self.decode(self.encode(x)[0])


@torch.no_grad()
def write_reference(model, folder):
    import numpy as np
    os.makedirs(folder, exist_ok=True)
    z = torch.randn(128, LATENT, generator=torch.Generator().manual_seed(0))
    r = model.encode(model.decode(z))[0]
    for name, t in (("z", z), ("r", r)):
        tmp = os.path.join(folder, name + ".tmp.npy")
        np.save(tmp, np.ascontiguousarray(t.numpy(), dtype=np.float32))
        os.replace(tmp, os.path.join(folder, name + ".npy"))


def main():
    args = sys.argv[1:]
    reference = None
    if len(args) == 4 and args[2] == "--reference":
        reference = args[3]
        args = args[:2]
    if len(args) != 2:
        sys.exit("usage: import_3dshapes_vae.py STATE_DICT.pt OUT.pt [--reference DIR]")
    source, out = args
    state = torch.load(source, map_location="cpu")
    if not isinstance(state, dict):
        sys.exit(f"{source}: expected a state dict, got {type(state).__name__}")
    model = ShapesVAE()
    # GroupNorm of the last decoder block does not exist (nn.Identity): strict loading checks every key.
    model.load_state_dict(state, strict=True)
    export(model, out, kind="autoencoder", latent_shape=[LATENT], output_range=[0, 1],
           name="3D-Shapes VAE (Leeb et al. 2022)",
           description="model_a of felixludos/latent-responses, imported by models/import_3dshapes_vae.py",
           factors=["floor_hue", "wall_hue", "object_hue", "scale", "shape", "orientation"],
           source=os.path.basename(source))
    print("wrote", out)
    if reference:
        model.eval()
        write_reference(model, reference)
        print("wrote", reference)


if __name__ == "__main__":
    main()
