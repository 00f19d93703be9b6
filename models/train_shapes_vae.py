"""Train the bundled beta-VAE on lx-shapes, the procedural dSprites-style dataset of Latent Explorer.

    /usr/bin/python3 models/train_shapes_vae.py --cli BUILD/app/cli/latent-explorer-cli
        # writes models/shapes_vae.pt and models/shapes_vae_samples.png

Options: --max-minutes M (hard wall-clock budget for the whole script, default 25; training stops
after the batch that leaves less than the export reserve), --epochs N, --seed S, --beta B,
--latent D, --batch-size B, --lr LR, --threads T (default 2), --out PATH, --samples PATH.

The images come from the C++ dataset through the CLI (`latent-explorer-cli shapes --indices all`),
so there is one implementation of lx-shapes: 73,728 64x64 grayscale images in [0, 1] with the
factors shape (square, ellipse, heart), scale, orientation, pos_x, pos_y (`shapes --info`).

Model (Burgess et al. 2018 style, for 64x64x1): encoder 4 conv layers (4x4, stride 2; 32, 32, 64, 64
channels) + MLP 1024 -> 256 -> 2D (mu, logvar); decoder MLP D -> 256 -> 1024, then 4 transposed convs
back to 1x64x64 and a Sigmoid. The decoder is an nn.Sequential (`self.decoder`), so Latent Explorer
finds its layers by itself. Loss: Bernoulli likelihood (BCE with logits, summed over pixels) +
beta * KL(q(z|x) || N(0, I)), Adam. Exported with models/lx_export.py: encode(x) -> (mu, logvar),
decode(z) -> images in [0, 1]; the card names the dataset and its factors.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

# OpenMP threads that spin while they wait are ruinous on a shared, loaded CPU (measured here: 30 s
# instead of ~1 s per batch with 2 threads while compilers ran); make them sleep. Must precede torch.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import lx_export  # noqa: E402
from train_fashion_dcgan import write_png_gray  # noqa: E402  (pure-python PNG writer)

# Seconds kept back from the budget for the samples, the export and its checks.
EXPORT_RESERVE_S = 90.0


class Reshape(nn.Module):
    """[N, C*H*W] -> [N, C, H, W] (a layer of the decoder Sequential)."""

    def __init__(self, c: int, h: int, w: int):
        super().__init__()
        self.c, self.h, self.w = c, h, w

    def forward(self, x):
        return x.view(x.size(0), self.c, self.h, self.w)


class ShapesVAE(nn.Module):
    def __init__(self, latent=10):
        super().__init__()
        self.latent = latent
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(),      # 32x32
            nn.Conv2d(32, 32, 4, 2, 1), nn.ReLU(),     # 16x16
            nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(),     # 8x8
            nn.Conv2d(64, 64, 4, 2, 1), nn.ReLU(),     # 4x4
            nn.Flatten(),
            nn.Linear(64 * 4 * 4, 256), nn.ReLU(),
            nn.Linear(256, 2 * latent),
        )
        self.decoder = nn.Sequential(
            nn.Linear(latent, 256), nn.ReLU(),
            nn.Linear(256, 64 * 4 * 4), nn.ReLU(),
            Reshape(64, 4, 4),
            nn.ConvTranspose2d(64, 64, 4, 2, 1), nn.ReLU(),   # 8x8
            nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(),   # 16x16
            nn.ConvTranspose2d(32, 32, 4, 2, 1), nn.ReLU(),   # 32x32
            nn.ConvTranspose2d(32, 1, 4, 2, 1),               # 64x64 logits
            nn.Sigmoid(),
        )

    def encode(self, x):
        h = self.encoder(x)
        return h[:, :self.latent], h[:, self.latent:]

    def decode(self, z):
        return self.decoder(z)

    def decode_logits(self, z):
        """The decoder without its final Sigmoid (for a numerically stable BCE)."""
        h = z
        for i, layer in enumerate(self.decoder):
            if i < len(self.decoder) - 1:
                h = layer(h)
        return h

    def forward(self, x):
        mu, _ = self.encode(x)
        return self.decode(mu)


def cli_json(cli, args):
    return json.loads(subprocess.run([cli] + args, check=True, capture_output=True, text=True).stdout)


def load_dataset(cli, tmpdir):
    """All lx-shapes images as uint8 sixteenths [N, 1, 64, 64] (values k/16, exact) + factor table."""
    x_path, f_path = os.path.join(tmpdir, "x.npy"), os.path.join(tmpdir, "f.npy")
    subprocess.run([cli, "shapes", "--indices", "all", "--out", x_path, "--factors-out", f_path], check=True)
    x = np.load(x_path, mmap_mode="r")
    out = np.empty(x.shape, dtype=np.uint8)
    for b in range(0, x.shape[0], 4096):
        out[b:b + 4096] = np.rint(np.asarray(x[b:b + 4096]) * 16).astype(np.uint8)
    factors = np.load(f_path).astype(np.int64)
    del x
    os.remove(x_path)
    return torch.from_numpy(out), factors


def to_float(batch_u8):
    return batch_u8.float().div_(16.0)


def tile(images, rows, cols, scale=2, gap=1, gap_value=128):
    """float [rows*cols, 1, H, W] in [0, 1] -> uint8 grid [H', W'] with separators."""
    x = (images.clamp(0, 1) * 255).round().to(torch.uint8)[:, 0].numpy()
    x = x.repeat(scale, axis=1).repeat(scale, axis=2)
    th, tw = x.shape[1:]
    grid = np.full((rows * th + (rows - 1) * gap, cols * tw + (cols - 1) * gap), gap_value, np.uint8)
    for i in range(rows * cols):
        r, c = divmod(i, cols)
        grid[r * (th + gap):r * (th + gap) + th, c * (tw + gap):c * (tw + gap) + tw] = x[i]
    return grid


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cli", required=True, help="path of latent-explorer-cli (it renders the dataset)")
    p.add_argument("--max-minutes", type=float, default=25.0)
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--beta", type=float, default=4.0)
    p.add_argument("--latent", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--out", default=os.path.join(HERE, "shapes_vae.pt"))
    p.add_argument("--samples", default=os.path.join(HERE, "shapes_vae_samples.png"))
    args = p.parse_args()

    t_start = time.time()
    budget_s = args.max_minutes * 60.0
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)

    info = cli_json(args.cli, ["shapes", "--info"])
    factor_names = [f["name"] for f in info["factors"]]
    with tempfile.TemporaryDirectory() as tmpdir:
        images, factors = load_dataset(args.cli, tmpdir)
    n = images.shape[0]
    assert n == info["size"] and factors.shape == (n, len(factor_names))
    print(f"data: {n} images of {info['dataset']}, factors {factor_names}, "
          f"mean pixel {images.float().mean().item() / 16:.4f}, "
          f"rendered in {time.time() - t_start:.1f} s", flush=True)

    model = ShapesVAE(args.latent)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    bs = args.batch_size
    batches_per_epoch = n // bs
    done_batches, stop = 0, False
    rec = kl = float("nan")
    kl_dims = torch.zeros(args.latent)
    for epoch in range(args.epochs):
        perm = torch.randperm(n)
        te = time.time()
        for b in range(batches_per_epoch):
            x = to_float(images[perm[b * bs:(b + 1) * bs]])
            mu, logvar = model.encode(x)
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
            logits = model.decode_logits(z)
            rec_loss = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / bs
            kl_per_dim = 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).mean(0)
            kl_loss = kl_per_dim.sum()
            loss = rec_loss + args.beta * kl_loss
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            rec, kl = rec_loss.item(), kl_loss.item()
            kl_dims = 0.98 * kl_dims + 0.02 * kl_per_dim.detach()
            done_batches += 1
            elapsed = time.time() - t_start
            if b % 200 == 0 or b == batches_per_epoch - 1:
                print(f"epoch {epoch + 1} batch {b + 1}/{batches_per_epoch} rec {rec:.1f} kl {kl:.2f} "
                      f"kl/dim {[round(v, 2) for v in kl_dims.tolist()]} elapsed {elapsed / 60:.1f} min",
                      flush=True)
            if elapsed > budget_s - EXPORT_RESERVE_S:
                print(f"time budget reached ({args.max_minutes} min minus {EXPORT_RESERVE_S:.0f} s for the "
                      f"export); stopping after batch {b + 1} of epoch {epoch + 1}", flush=True)
                stop = True
                break
        print(f"epoch {epoch + 1} took {(time.time() - te) / 60:.1f} min", flush=True)
        if stop:
            break
    train_minutes = (time.time() - t_start) / 60.0
    epochs_done = round(done_batches / batches_per_epoch, 2)

    # Evaluation: reconstructions of fixed random images, prior samples, per-pixel statistics.
    model.eval()
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        pick = torch.randint(n, (16,), generator=g)
        x = to_float(images[pick])
        recon = model.decode(model.encode(x)[0])
        prior = model.decode(torch.randn(16, args.latent, generator=g))
        test = to_float(images[torch.randint(n, (1024,), generator=g)])
        mu, logvar = model.encode(test)
        test_rec = model.decode(mu)
        mae = (test_rec - test).abs().mean().item()
        bce = F.binary_cross_entropy(test_rec.clamp(1e-6, 1 - 1e-6), test, reduction="sum").item() / 1024
        kl_eval = (0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).mean(0)).tolist()
    print(f"eval on 1024 images: mean |x - rec| {mae:.4f}, BCE/image {bce:.1f}, "
          f"KL per dim {[round(v, 3) for v in kl_eval]}", flush=True)
    write_png_gray(args.samples, tile(torch.cat([x, recon, prior]), 3, 16))
    print(f"wrote {args.samples} (row 1: data, row 2: reconstructions, row 3: prior samples)", flush=True)

    card = lx_export.export(
        model, args.out, kind="autoencoder", latent_shape=[args.latent], output_range=[0, 1],
        name="lx-shapes beta-VAE",
        description=(f"beta-VAE (beta {args.beta:g}, {args.latent}-d latent, 1x64x64 output) trained on "
                     f"the procedural lx-shapes dataset by models/train_shapes_vae.py. Layers: the "
                     f"children of decoder."),
        factors=factor_names, dataset=info["dataset"],
        training={"epochs": epochs_done, "seed": args.seed, "beta": args.beta, "batch_size": bs,
                  "lr": args.lr, "minutes": round(train_minutes, 1), "final_rec": round(rec, 1),
                  "final_kl": round(kl, 2), "eval_mean_abs_error": round(mae, 4)},
    )
    print(f"wrote {args.out} ({os.path.getsize(args.out) / 1e6:.2f} MB) with card {card['name']!r}; "
          f"total {(time.time() - t_start) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
