"""The MNIST-style Counterfactual Generative Network (Sauer & Geiger, ICLR 2021), rebuilt from the
architecture facts in ../shared/checkpoints/README.md, and what the CGN scripts share: the tile2x2
shuffler, rendering of mask / foreground / background / composite, summary numbers and a PNG grid.

Used by models/import_cgn.py (the authors' MNIST checkpoints) and models/train_cgn.py (the bundled
Fashion-MNIST CGN). The module exposes the three mechanisms of the "cgn" contract
(models/CONTRACT.md): premask(u, y), foreground(u, y), background(u, y), where u is noise [N, L] and
y class weights [N, C] (one-hot rows or mixes of two); the label embedding is y @ label_emb.weight.

Layer indices inside the nn.Sequentials are those of the published state dicts:
  f_shape: 0 Linear, 1 reshape, 2 InstanceNorm, [3 upsample, 4 conv, 5 BatchNorm, 6 LeakyReLU],
           7 InstanceNorm, [8 upsample, 9 conv, 10 BatchNorm, 11 LeakyReLU], 12 InstanceNorm
  f_text1 / f_text2: 0 Linear, 1 reshape, [2-5 upsample block], [6-9 upsample block],
           10 conv with bias, 11 BatchNorm, 12 Tanh
"""

import os
import struct
import zlib
from typing import List

import numpy as np
import torch
import torch.nn as nn
from torch import Tensor

MASK_CLAMP = (1e-4, 0.9999)


class Reshape(nn.Module):
    """[N, channels * size * size] -> [N, channels, size, size]."""

    def __init__(self, channels: int, size: int):
        super().__init__()
        self.channels = channels
        self.size = size

    def forward(self, x: Tensor) -> Tensor:
        return x.view(x.shape[0], self.channels, self.size, self.size)


def _upsample_block(cin: int, cout: int) -> List[nn.Module]:
    """Nearest x2, 3x3 convolution without bias, BatchNorm, LeakyReLU(0.2): four Sequential slots."""
    return [nn.Upsample(scale_factor=2.0, mode="nearest"),
            nn.Conv2d(cin, cout, 3, stride=1, padding=1, bias=False),
            nn.BatchNorm2d(cout),
            nn.LeakyReLU(0.2)]


def _mask_net(inp: int, ngf: int, init: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(inp, 2 * ngf * init * init), Reshape(2 * ngf, init), nn.InstanceNorm2d(2 * ngf),
        *_upsample_block(2 * ngf, ngf), nn.InstanceNorm2d(ngf),
        *_upsample_block(ngf, 1), nn.InstanceNorm2d(1))


def _texture_net(inp: int, ngf: int, init: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(inp, 2 * ngf * init * init), Reshape(2 * ngf, init),
        *_upsample_block(2 * ngf, 2 * ngf), *_upsample_block(2 * ngf, ngf),
        nn.Conv2d(ngf, 3, 3, stride=1, padding=1), nn.BatchNorm2d(3), nn.Tanh())


class MnistCgn(nn.Module):
    """f_shape (mask), f_text1 (foreground), f_text2 (background), each fed concat(u, y @ E)."""

    def __init__(self, n_classes: int = 10, latent: int = 32, ngf: int = 32, image_size: int = 32):
        super().__init__()
        init = image_size // 4
        inp = latent + n_classes
        self.n_classes = n_classes
        self.latent = latent
        self.mask_lo = MASK_CLAMP[0]
        self.mask_hi = MASK_CLAMP[1]
        self.label_emb = nn.Embedding(n_classes, n_classes)
        self.f_shape = _mask_net(inp, ngf, init)
        self.f_text1 = _texture_net(inp, ngf, init)
        self.f_text2 = _texture_net(inp, ngf, init)

    def _input(self, u: Tensor, y: Tensor) -> Tensor:
        # y @ E equals the embedding lookup for one-hot rows and interpolates linearly between classes.
        return torch.cat([u, torch.matmul(y, self.label_emb.weight)], 1)

    @torch.jit.export
    def premask(self, u: Tensor, y: Tensor) -> Tensor:
        return self.f_shape(self._input(u, y))

    @torch.jit.export
    def foreground(self, u: Tensor, y: Tensor) -> Tensor:
        return self.f_text1(self._input(u, y))

    @torch.jit.export
    def background(self, u: Tensor, y: Tensor) -> Tensor:
        return self.f_text2(self._input(u, y))

    def forward(self, u: Tensor, y: Tensor) -> Tensor:
        """The non-counterfactual composite (one u and y for all mechanisms, no shuffler)."""
        m = torch.clamp(self.premask(u, y), self.mask_lo, self.mask_hi)
        return m * self.foreground(u, y) + (1.0 - m) * self.background(u, y)


def init_orthogonal(model: nn.Module, gain: float):
    """Orthogonal weights (gain) for Linear / Conv / Embedding, zero biases; BatchNorm as PyTorch's."""
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.Embedding)):
            nn.init.orthogonal_(m.weight, gain)
            if getattr(m, "bias", None) is not None:
                nn.init.zeros_(m.bias)


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def one_hot(labels: Tensor, n_classes: int) -> Tensor:
    return torch.nn.functional.one_hot(labels.long(), n_classes).float()


def shuffle_tile2x2(x: Tensor, dy: Tensor, dx: Tensor) -> Tensor:
    """The paper's shuffler for MNIST: tile each image 2x2 and crop H x W at (dy[i], dx[i]); that is
    out[i, :, r, c] = x[i, :, (r + dy[i]) % H, (c + dx[i]) % W]. Differentiable."""
    n, c, h, w = x.shape
    rows = (torch.arange(h)[None, :] + dy.long()[:, None]) % h                # [N, H]
    cols = (torch.arange(w)[None, :] + dx.long()[:, None]) % w                # [N, W]
    idx = (rows[:, :, None] * w + cols[:, None, :]).reshape(n, 1, h * w).expand(n, c, h * w)
    return x.reshape(n, c, h * w).gather(2, idx).reshape(n, c, h, w)


def random_offsets(n: int, h: int, w: int, generator=None):
    return (torch.randint(0, h, (n,), generator=generator),
            torch.randint(0, w, (n,), generator=generator))


@torch.no_grad()
def render(model: MnistCgn, shape_cls, text_cls, bg_cls, seed: int, shuffle: bool = True,
           mask_clamp=MASK_CLAMP):
    """Counterfactual images as the tool makes them: fresh noise per mechanism, mask clamped (no
    sigmoid), foreground / background through the tile2x2 shuffler, x = m*f + (1-m)*b.
    Returns a dict of tensors: premask, mask [N,1,H,W]; foreground, background, composite [N,3,H,W]."""
    g = torch.Generator().manual_seed(seed)
    n, c, lat = len(shape_cls), model.n_classes, model.latent
    ys = [one_hot(torch.as_tensor(k), c) for k in (shape_cls, text_cls, bg_cls)]
    us = [torch.randn(n, lat, generator=g) for _ in range(3)]
    premask = model.premask(us[0], ys[0])
    fg = model.foreground(us[1], ys[1])
    bg = model.background(us[2], ys[2])
    if shuffle:
        h, w = fg.shape[2:]
        fg = shuffle_tile2x2(fg, *random_offsets(n, h, w, g))
        bg = shuffle_tile2x2(bg, *random_offsets(n, h, w, g))
    mask = premask.clamp(*mask_clamp)
    return {"premask": premask, "mask": mask, "foreground": fg, "background": bg,
            "composite": mask * fg + (1 - mask) * bg}


def border_mean(m: Tensor, width: int = 2) -> Tensor:
    """Per-sample mean of a mask [N, 1, H, W] over the ring of `width` pixels along the image border."""
    ring = torch.ones(m.shape[2:], dtype=torch.bool, device=m.device)
    ring[width:-width, width:-width] = False
    return m[:, :, ring].mean(dim=(1, 2))


def binary_entropy_bits(m: Tensor) -> Tensor:
    """Elementwise H(m) = -m log2 m - (1-m) log2 (1-m), for m in (0, 1)."""
    return -(m * torch.log2(m) + (1 - m) * torch.log2(1 - m))


@torch.no_grad()
def summary(model: MnistCgn, per_class: int = 64, seed: int = 0, mask_clamp=MASK_CLAMP):
    """Numbers that characterise a CGN in eval mode (no shuffler: ranges and areas do not depend on it)."""
    model.eval()
    c = model.n_classes
    labels = torch.arange(c).repeat_interleave(per_class)
    r = render(model, labels, labels, labels, seed, shuffle=False, mask_clamp=mask_clamp)
    m = r["mask"]
    area = m.mean(dim=(1, 2, 3))

    def rng(t):
        return [round(t.min().item(), 4), round(t.max().item(), 4)]

    return {
        "parameters": parameter_count(model),
        "premask_range": rng(r["premask"]),
        "mask_range": rng(m),
        "foreground_range": rng(r["foreground"]),
        "background_range": rng(r["background"]),
        "mean_mask_area": round(area.mean().item(), 4),
        "mean_mask_area_per_class": [round(area[labels == k].mean().item(), 4) for k in range(c)],
        "mask_entropy_bits": round(binary_entropy_bits(m).mean().item(), 4),
        "mask_binary_fraction": round(((m < 0.05) | (m > 0.95)).float().mean().item(), 4),
        "mask_border_mean_per_class": [round(border_mean(m[labels == k]).mean().item(), 4)
                                       for k in range(c)],
        "samples_per_class": per_class,
    }


# ------------------------------------------------------------------------------------------------
# PNG grid
# ------------------------------------------------------------------------------------------------

def write_png_rgb(path: str, img: np.ndarray):
    """Write uint8 [H, W, 3] as an 8-bit RGB PNG (zlib + struct), atomically (temp file + rename)."""
    h, w, _ = img.shape

    def chunk(tag, payload):
        return (struct.pack(">I", len(payload)) + tag + payload
                + struct.pack(">I", zlib.crc32(tag + payload) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + np.ascontiguousarray(img[y]).tobytes() for y in range(h))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(png)
    os.replace(tmp, path)


def _to_rgb_u8(t: Tensor, lo: float, hi: float) -> np.ndarray:
    """[N, 1 or 3, H, W] in [lo, hi] -> uint8 [N, H, W, 3]."""
    if t.shape[1] == 1:
        t = t.repeat(1, 3, 1, 1)
    t = ((t.clamp(lo, hi) - lo) / (hi - lo) * 255).round().to(torch.uint8)
    return t.permute(0, 2, 3, 1).numpy()


def grid_png(path: str, rows, scale: int = 3, gap: int = 2, row_gap: int = 6,
             output_range=(-1.0, 1.0)):
    """rows: list of tensors [N, C, H, W] (masks, 1 channel, in [0, 1]; images in output_range),
    one grid row each, all with the same N; upscaled `scale`x, grey separators."""
    tiles = [_to_rgb_u8(t, 0.0, 1.0) if t.shape[1] == 1 else _to_rgb_u8(t, *output_range)
             for t in rows]
    n, h, w = tiles[0].shape[:3]
    th, tw = h * scale, w * scale
    height = len(tiles) * th + (len(tiles) - 1) * row_gap
    width = n * tw + (n - 1) * gap
    img = np.full((height, width, 3), 128, np.uint8)
    for r, t in enumerate(tiles):
        t = t.repeat(scale, axis=1).repeat(scale, axis=2)
        y0 = r * (th + row_gap)
        for i in range(n):
            img[y0:y0 + th, i * (tw + gap):i * (tw + gap) + tw] = t[i]
    write_png_rgb(path, img)


def sample_sheet(model: MnistCgn, path: str, seed: int = 0, columns=None, cf_rows: int = 2,
                 mask_clamp=MASK_CLAMP):
    """The standard picture of a CGN: columns = classes; rows mask, foreground, background and
    composite with all three mechanisms on the column's class; then `cf_rows` counterfactual rows
    (shape = the column's class, foreground and background classes drawn at random)."""
    model.eval()
    cols = torch.arange(model.n_classes) if columns is None else torch.as_tensor(columns)
    r = render(model, cols, cols, cols, seed, mask_clamp=mask_clamp)
    rows = [r["mask"], r["foreground"], r["background"], r["composite"]]
    g = torch.Generator().manual_seed(seed + 1)
    for k in range(cf_rows):
        text = torch.randint(0, model.n_classes, cols.shape, generator=g)
        bg = torch.randint(0, model.n_classes, cols.shape, generator=g)
        rows.append(render(model, cols, text, bg, seed + 100 + k, mask_clamp=mask_clamp)["composite"])
    grid_png(path, rows)
