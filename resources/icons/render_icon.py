#!/usr/bin/env python3
"""Renders latent-explorer.png from the shapes of latent-explorer.svg (Qt SVG is not a dependency).

Rounded rectangles only, 4x supersampled. Usage: python3 render_icon.py [size]
"""
import struct
import sys
import zlib

import numpy as np

# (x, y, w, h, radius, colour) in the SVG's 256 x 256 coordinates, painted in order.
SHAPES = [
    (8, 8, 240, 240, 48, "#23262e"),
    (24, 72, 60, 60, 6, "#2bb3a3"),
    (98, 72, 60, 60, 6, "#2bb3a3"),
    (128, 72, 30, 30, 0, "#f08a3c"),
    (98, 102, 30, 30, 0, "#f08a3c"),
    (172, 72, 60, 60, 6, "#f08a3c"),
] + [(36 + 24 * i, 162, 18, 18, 3, "#f08a3c" if i in (1, 3, 5) else "#5a6070") for i in range(8)]


def render(size, ss=4):
    n = size * ss
    scale = n / 256.0
    ys, xs = np.mgrid[0:n, 0:n].astype(np.float64) + 0.5
    rgba = np.zeros((n, n, 4))
    for x, y, w, h, r, colour in SHAPES:
        x0, y0, x1, y1, rr = x * scale, y * scale, (x + w) * scale, (y + h) * scale, r * scale
        cx = np.clip(xs, x0 + rr, x1 - rr)
        cy = np.clip(ys, y0 + rr, y1 - rr)
        inside = ((xs - cx) ** 2 + (ys - cy) ** 2 <= rr * rr) & (xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1)
        c = [int(colour[i:i + 2], 16) / 255.0 for i in (1, 3, 5)]
        rgba[inside, :3] = c
        rgba[inside, 3] = 1.0
    rgba = rgba.reshape(size, ss, size, ss, 4).mean(axis=(1, 3))
    alpha = rgba[..., 3:4]
    rgb = np.where(alpha > 0, rgba[..., :3] / np.maximum(alpha, 1e-9), 0)
    return (np.concatenate([rgb, alpha], axis=-1) * 255 + 0.5).astype(np.uint8)


def write_png(path, pixels):
    h, w, _ = pixels.shape
    raw = b"".join(b"\x00" + pixels[y].tobytes() for y in range(h))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    write_png("latent-explorer.png", render(size))
