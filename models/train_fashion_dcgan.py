"""Train the default Latent Explorer model: a small DCGAN on Fashion-MNIST (CPU, ~15 minutes).

    /usr/bin/python3 models/train_fashion_dcgan.py            # writes models/fashion_dcgan.pt
                                                              # and models/fashion_dcgan_samples.png
Options: --epochs N, --max-minutes M (wall-clock budget, stops cleanly after a batch), --seed S,
--data PATH, --out PATH, --samples PATH.

The generator maps z ~ N(0, 1) of shape [N, 64, 1, 1] to [N, 1, 32, 32] images in [-1, 1] (28x28
Fashion-MNIST padded with background to 32x32). Its layers are the children of `self.main`, an
nn.Sequential, so Latent Explorer discovers them without extra code. The model is exported with
models/lx_export.py and its card embedded.
"""

import argparse
import gzip
import os
import struct
import sys
import time
import zlib

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import lx_export  # noqa: E402

NZ = 64  # latent size


class Generator(nn.Module):
    def __init__(self, nz=NZ):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, 128, 4, 1, 0, bias=False),   # -> 128 x 4 x 4
            nn.BatchNorm2d(128),
            nn.ReLU(True),
            nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False),   # -> 64 x 8 x 8
            nn.BatchNorm2d(64),
            nn.ReLU(True),
            nn.ConvTranspose2d(64, 32, 4, 2, 1, bias=False),    # -> 32 x 16 x 16
            nn.BatchNorm2d(32),
            nn.ReLU(True),
            nn.ConvTranspose2d(32, 1, 4, 2, 1, bias=False),     # -> 1 x 32 x 32
            nn.Tanh(),
        )

    def forward(self, z):
        return self.main(z)


class Discriminator(nn.Module):
    """Mirror of the generator; returns one logit per image (used with BCEWithLogitsLoss)."""

    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(1, 32, 4, 2, 1, bias=False),              # -> 32 x 16 x 16
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(32, 64, 4, 2, 1, bias=False),             # -> 64 x 8 x 8
            nn.BatchNorm2d(64),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(64, 128, 4, 2, 1, bias=False),            # -> 128 x 4 x 4
            nn.BatchNorm2d(128),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(128, 1, 4, 1, 0, bias=False),             # -> 1 x 1 x 1
        )

    def forward(self, x):
        return self.main(x).view(-1)


def dcgan_init(m):
    """DCGAN paper init: conv weights N(0, 0.02), BatchNorm weight N(1, 0.02) and bias 0."""
    name = type(m).__name__
    if "Conv" in name:
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif "BatchNorm" in name:
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def load_idx_images(path):
    """Read an idx3-ubyte(.gz) image file into a uint8 array [N, rows, cols]."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, n, rows, cols = struct.unpack(">IIII", data[:16])
    if magic != 2051:
        raise ValueError(f"{path}: not an idx3 image file (magic {magic})")
    return np.frombuffer(data, dtype=np.uint8, count=n * rows * cols, offset=16).reshape(n, rows, cols)


def to_images(batch_u8):
    """uint8 [B, 32, 32] -> float [B, 1, 32, 32] in [-1, 1]."""
    return batch_u8.float().div_(127.5).sub_(1.0).unsqueeze(1)


def recalibrate_batchnorm(G, batches=50, batch_size=128):
    """Recompute G's BatchNorm running statistics for its final weights.

    During training the running averages lag behind the changing weights, and eval-mode samples
    often come out washed out or noisy. With momentum=None BatchNorm keeps a cumulative average,
    so after resetting, ~50 train-mode batches of random latents give the exact population stats.
    """
    bns = [m for m in G.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    for bn in bns:
        bn.reset_running_stats()
        bn.momentum = None
    G.train()
    with torch.no_grad():
        for _ in range(batches):
            G(torch.randn(batch_size, NZ, 1, 1))
    for bn in bns:
        bn.momentum = 0.1  # back to the default; irrelevant in eval mode
    G.eval()


def write_png_gray(path, img):
    """Write a uint8 [H, W] array as an 8-bit grayscale PNG (pure python: zlib + struct)."""
    h, w = img.shape

    def chunk(tag, payload):
        return (struct.pack(">I", len(payload)) + tag + payload
                + struct.pack(">I", zlib.crc32(tag + payload) & 0xFFFFFFFF))

    # Each scanline is prefixed with filter type 0 (None).
    raw = b"".join(b"\x00" + img[y].tobytes() for y in range(h))
    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))  # 8-bit, grayscale
           + chunk(b"IDAT", zlib.compress(raw, 9))
           + chunk(b"IEND", b""))
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(png)
    os.replace(tmp, path)


def sample_grid(G, rows=8, cols=8, scale=2, gap=1, gap_value=128):
    """Eval-mode samples for seeds 0..rows*cols-1 (sample i: torch.manual_seed(i); randn),
    upscaled `scale`x with `gap`-pixel separators; returns uint8 [H, W]."""
    G.eval()
    with torch.no_grad():
        zs = []
        for i in range(rows * cols):
            torch.manual_seed(i)
            zs.append(torch.randn(1, NZ, 1, 1))
        x = G(torch.cat(zs))                                   # [64, 1, 32, 32] in [-1, 1]
    x = ((x.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)[:, 0].numpy()
    x = x.repeat(scale, axis=1).repeat(scale, axis=2)          # nearest-neighbour upscale
    th, tw = x.shape[1:]
    grid = np.full((rows * th + (rows - 1) * gap, cols * tw + (cols - 1) * gap), gap_value, np.uint8)
    for i in range(rows * cols):
        r, c = divmod(i, cols)
        grid[r * (th + gap):r * (th + gap) + th, c * (tw + gap):c * (tw + gap) + tw] = x[i]
    return grid


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--max-minutes", type=float, default=20.0,
                   help="wall-clock training budget; training stops after the batch that exceeds it")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")
    p.add_argument("--out", default=os.path.join(HERE, "fashion_dcgan.pt"))
    p.add_argument("--samples", default=os.path.join(HERE, "fashion_dcgan_samples.png"))
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)

    imgs = load_idx_images(args.data)
    # Pad 28x28 -> 32x32 with background (0 -> -1 after scaling). Kept as uint8 to save memory.
    imgs = torch.from_numpy(np.pad(imgs, ((0, 0), (2, 2), (2, 2)), constant_values=0))
    n = imgs.shape[0]
    print(f"data: {n} images from {args.data}", flush=True)

    G, D = Generator(), Discriminator()
    G.apply(dcgan_init)
    D.apply(dcgan_init)
    optG = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optD = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()

    bs = args.batch_size
    batches_per_epoch = n // bs  # drop the last partial batch
    budget_s = args.max_minutes * 60.0
    t0 = time.time()
    done_batches, stop = 0, False
    lossD = lossG = float("nan")
    for epoch in range(args.epochs):
        perm = torch.randperm(n)
        te = time.time()
        for b in range(batches_per_epoch):
            real = to_images(imgs[perm[b * bs:(b + 1) * bs]])
            ones, zeros = torch.ones(bs), torch.zeros(bs)

            # Discriminator step: real -> 1, fake -> 0.
            fake = G(torch.randn(bs, NZ, 1, 1))
            optD.zero_grad(set_to_none=True)
            out_real = D(real)
            out_fake = D(fake.detach())
            lD = bce(out_real, ones) + bce(out_fake, zeros)
            lD.backward()
            optD.step()

            # Generator step (non-saturating loss): make D call the fakes real.
            optG.zero_grad(set_to_none=True)
            lG = bce(D(fake), ones)
            lG.backward()
            optG.step()

            lossD, lossG = lD.item(), lG.item()
            done_batches += 1
            elapsed = time.time() - t0
            if b % 50 == 0 or b == batches_per_epoch - 1:
                print(f"epoch {epoch + 1}/{args.epochs} batch {b + 1}/{batches_per_epoch} "
                      f"loss_D {lossD:.3f} loss_G {lossG:.3f} "
                      f"D(x) {torch.sigmoid(out_real).mean().item():.2f} "
                      f"D(G(z)) {torch.sigmoid(out_fake).mean().item():.2f} "
                      f"elapsed {elapsed / 60:.1f} min", flush=True)
            if elapsed > budget_s:
                print(f"time budget of {args.max_minutes} min reached; stopping after "
                      f"batch {b + 1} of epoch {epoch + 1}", flush=True)
                stop = True
                break
        print(f"epoch {epoch + 1} took {(time.time() - te) / 60:.1f} min", flush=True)
        if stop:
            break

    minutes = (time.time() - t0) / 60.0
    epochs_done = round(done_batches / batches_per_epoch, 2)
    if epochs_done == int(epochs_done):
        epochs_done = int(epochs_done)
    print(f"training done: {epochs_done} epochs in {minutes:.1f} min; "
          f"final loss_D {lossD:.3f} loss_G {lossG:.3f}", flush=True)

    recalibrate_batchnorm(G)
    write_png_gray(args.samples, sample_grid(G))
    print(f"wrote {args.samples}", flush=True)

    card = lx_export.export(
        G, args.out, kind="generator", latent_shape=[NZ, 1, 1], output_range=[-1, 1],
        name="Fashion-MNIST DCGAN",
        description=("DCGAN (64-d latent, 1x32x32 output) trained on Fashion-MNIST by "
                     "models/train_fashion_dcgan.py. Layers: the children of main."),
        dataset="Fashion-MNIST",
        training={"epochs": epochs_done, "seed": args.seed, "minutes": round(minutes, 1),
                  "final_loss_D": round(lossD, 3), "final_loss_G": round(lossG, 3)},
    )
    print(f"wrote {args.out} ({os.path.getsize(args.out) / 1e6:.2f} MB) with card "
          f"{card['name']!r}", flush=True)


if __name__ == "__main__":
    main()
