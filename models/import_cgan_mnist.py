#!/usr/bin/env python3
"""Open the class-conditional MNIST GAN of adarshnair04/Digit_Generator (models/cgan_generator.pth,
MIT) in Latent Explorer, as a user would: the authors' Generator as they wrote it (an Embedding of the
digit concatenated to z, then an nn.Sequential MLP, forward(z, labels)), the state dict loaded strictly,
scripted with torch.jit.script and saved with a card whose class_input says how to build `labels`.
No export helper and no change to the architecture.

Usage: /usr/bin/python3 models/import_cgan_mnist.py CKPT OUT.pt

The file holds the authors' weights: test data, never to be committed.
"""
import json
import sys

import torch
from torch import nn


class Generator(nn.Module):
    def __init__(self):
        super(Generator, self).__init__()
        self.label_emb = nn.Embedding(10, 10)
        self.net = nn.Sequential(
            nn.Linear(110, 256),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(256, 512),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(512, 784),
            nn.Tanh())

    def forward(self, z, labels):
        c = self.label_emb(labels)
        x = torch.cat([z, c], 1)
        out = self.net(x)
        return out.view(-1, 1, 28, 28)


CARD = dict(kind="generator", latent_shape=[100], output_range=[-1, 1],
            name="conditional MNIST GAN (adarshnair04/Digit_Generator)",
            description="the authors' cgan_generator.pth: forward(z, labels), scripted unchanged",
            class_input={"encoding": "index", "classes": [str(d) for d in range(10)]})


def build(checkpoint):
    model = Generator()
    model.load_state_dict(torch.load(checkpoint, map_location="cpu"), strict=True)
    return model.eval()


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    torch.jit.save(torch.jit.script(build(argv[0])), argv[1], _extra_files={"latent_explorer.json": json.dumps(CARD)})
    print(f"wrote {argv[1]}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
