#!/usr/bin/env python3
"""Open the beta-TCVAE on CelebA 64x64 of YannDubs/disentangling-vae (results/btcvae_celeba/model.pt,
MIT) in Latent Explorer, as a user would: the authors' Burgess encoder and decoder as they wrote them
(disvae/models/encoders.py, decoders.py: Linear and ConvTranspose modules with torch.relu and a view
between them, no nn.Sequential, an `if` on the image size), the state dict loaded strictly, encode /
decode exposed as the model contract asks, scripted with torch.jit.script and saved with the card
embedded. No export helper and no change to the architecture.

Usage: /usr/bin/python3 models/import_btcvae_celeba.py CKPT OUT.pt

The file holds the authors' weights: test data, never to be committed.
"""
import json
import sys

import numpy as np
import torch
from torch import nn


class EncoderBurgess(nn.Module):
    def __init__(self, img_size, latent_dim=10):
        super(EncoderBurgess, self).__init__()
        hid_channels = 32
        kernel_size = 4
        hidden_dim = 256
        self.latent_dim = latent_dim
        self.img_size = img_size
        self.reshape = (hid_channels, kernel_size, kernel_size)
        n_chan = self.img_size[0]
        cnn_kwargs = dict(stride=2, padding=1)
        self.conv1 = nn.Conv2d(n_chan, hid_channels, kernel_size, **cnn_kwargs)
        self.conv2 = nn.Conv2d(hid_channels, hid_channels, kernel_size, **cnn_kwargs)
        self.conv3 = nn.Conv2d(hid_channels, hid_channels, kernel_size, **cnn_kwargs)
        if self.img_size[1] == self.img_size[2] == 64:
            self.conv_64 = nn.Conv2d(hid_channels, hid_channels, kernel_size, **cnn_kwargs)
        self.lin1 = nn.Linear(int(np.prod(self.reshape)), hidden_dim)
        self.lin2 = nn.Linear(hidden_dim, hidden_dim)
        self.mu_logvar_gen = nn.Linear(hidden_dim, self.latent_dim * 2)

    def forward(self, x):
        batch_size = x.size(0)
        x = torch.relu(self.conv1(x))
        x = torch.relu(self.conv2(x))
        x = torch.relu(self.conv3(x))
        if self.img_size[1] == self.img_size[2] == 64:
            x = torch.relu(self.conv_64(x))
        x = x.view((batch_size, -1))
        x = torch.relu(self.lin1(x))
        x = torch.relu(self.lin2(x))
        mu_logvar = self.mu_logvar_gen(x)
        mu, logvar = mu_logvar.view(-1, self.latent_dim, 2).unbind(-1)
        return mu, logvar


class DecoderBurgess(nn.Module):
    def __init__(self, img_size, latent_dim=10):
        super(DecoderBurgess, self).__init__()
        hid_channels = 32
        kernel_size = 4
        hidden_dim = 256
        self.img_size = img_size
        self.reshape = (hid_channels, kernel_size, kernel_size)
        n_chan = self.img_size[0]
        self.img_size = img_size
        self.lin1 = nn.Linear(latent_dim, hidden_dim)
        self.lin2 = nn.Linear(hidden_dim, hidden_dim)
        self.lin3 = nn.Linear(hidden_dim, int(np.prod(self.reshape)))
        cnn_kwargs = dict(stride=2, padding=1)
        if self.img_size[1] == self.img_size[2] == 64:
            self.convT_64 = nn.ConvTranspose2d(hid_channels, hid_channels, kernel_size, **cnn_kwargs)
        self.convT1 = nn.ConvTranspose2d(hid_channels, hid_channels, kernel_size, **cnn_kwargs)
        self.convT2 = nn.ConvTranspose2d(hid_channels, hid_channels, kernel_size, **cnn_kwargs)
        self.convT3 = nn.ConvTranspose2d(hid_channels, n_chan, kernel_size, **cnn_kwargs)

    def forward(self, z):
        batch_size = z.size(0)
        x = torch.relu(self.lin1(z))
        x = torch.relu(self.lin2(x))
        x = torch.relu(self.lin3(x))
        x = x.view(batch_size, *self.reshape)
        if self.img_size[1] == self.img_size[2] == 64:
            x = torch.relu(self.convT_64(x))
        x = torch.relu(self.convT1(x))
        x = torch.relu(self.convT2(x))
        x = torch.sigmoid(self.convT3(x))
        return x


class VAE(nn.Module):
    """disvae/models/vae.py's VAE, with the two methods the model contract names."""

    def __init__(self, img_size=(3, 64, 64), latent_dim=10):
        super(VAE, self).__init__()
        self.latent_dim = latent_dim
        self.img_size = img_size
        self.encoder = EncoderBurgess(img_size, latent_dim)
        self.decoder = DecoderBurgess(img_size, latent_dim)

    def forward(self, x):
        return self.decoder(self.encoder(x)[0])

    @torch.jit.export
    def encode(self, x):
        return self.encoder(x)

    @torch.jit.export
    def decode(self, z):
        return self.decoder(z)


CARD = dict(kind="autoencoder", latent_shape=[10], output_range=[0, 1],
            name="beta-TCVAE, CelebA 64x64 (YannDubs/disentangling-vae)",
            description="the authors' btcvae_celeba checkpoint, Burgess encoder/decoder, scripted unchanged")


def build(checkpoint):
    model = VAE()
    model.load_state_dict(torch.load(checkpoint, map_location="cpu"), strict=True)
    return model.eval()


def script(model):
    try:
        return torch.jit.script(model)
    except Exception as e:  # noqa: BLE001 - scripting the authors' code may fail: then trace it as users do
        print(f"import_btcvae_celeba: torch.jit.script failed ({type(e).__name__}); tracing encode and decode", file=sys.stderr)
        return torch.jit.trace_module(model, {"forward": torch.rand(2, 3, 64, 64), "encode": torch.rand(2, 3, 64, 64),
                                              "decode": torch.randn(2, 10)})


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    model = build(argv[0])
    torch.jit.save(script(model), argv[1], _extra_files={"latent_explorer.json": json.dumps(CARD)})
    print(f"wrote {argv[1]}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
