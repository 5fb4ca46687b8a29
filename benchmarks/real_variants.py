"""Realistic variants of a page image, as archives hold them: photocopy, phone photo, skew, seal.

Each variant is made from a clean page image (a sample page rendered at 300 dpi, or a real scan's
own image) and keeps its text, so the page's transcript scores it. Deterministic for a seed.

- ``photocopy``: toner contrast, a grey cast, speckle and dropouts, blurred, 1-bit at 200 dpi;
- ``phone``: a keystone perspective, light falling off across the page, slight blur, a warm
  cast, JPEG at quality 70, no resolution stated;
- ``skew5``, ``skew8``: turned 5° and 8° (the canvas grows, white fill);
- ``seal``: a red round seal over the signature block and a blue signature stroke across text.

    python benchmarks/real_variants.py PAGE.png --out DIR [--seed 0]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def photocopy(rgb: np.ndarray, rng: np.random.Generator, dpi: float = 300) -> tuple[Image.Image, float]:
    """A photocopy of a photocopy: harsh contrast, speckle, broken strokes, 1-bit at 200 dpi."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    gray = cv2.GaussianBlur(gray, (0, 0), 1.2)
    gray = np.clip((gray - 40) * 1.6, 0, 255) * 0.92 + 10
    gray += rng.normal(0, 22, gray.shape)
    speckle = rng.random(gray.shape) < 0.0015
    gray[speckle] = 0
    small = cv2.resize(gray, None, fx=200 / dpi, fy=200 / dpi, interpolation=cv2.INTER_AREA)
    binary = (small > 150).astype(np.uint8) * 255
    return Image.fromarray(binary).convert("1"), 200.0


def phone(rgb: np.ndarray, rng: np.random.Generator, dpi: float = 300) -> tuple[Image.Image, None]:
    """A phone photo of the page lying on a desk: keystone, uneven light, blur, JPEG, no dpi."""
    h, w = rgb.shape[:2]
    pad = int(0.06 * w)
    canvas = np.full((h + 2 * pad, w + 2 * pad, 3), (96, 88, 80), np.uint8)  # the desk
    canvas[pad : pad + h, pad : pad + w] = rgb
    H, W = canvas.shape[:2]
    k = 0.035
    src = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    dst = np.float32([[k * W, k * H * 0.5], [W * (1 - k * 0.6), 0], [W, H], [0, H * (1 - k * 0.3)]])
    warped = cv2.warpPerspective(canvas, cv2.getPerspectiveTransform(src, dst), (W, H), borderValue=(96, 88, 80))
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    light = 1.0 - 0.38 * ((xx / W) * 0.7 + (yy / H) * 0.5) + 0.06 * np.sin(yy / H * 3.0)
    lit = warped.astype(np.float32) * light[..., None] * np.float32([1.0, 0.96, 0.86])
    lit = cv2.GaussianBlur(lit, (0, 0), 1.0) + rng.normal(0, 4, lit.shape)
    return Image.fromarray(np.clip(lit, 0, 255).astype(np.uint8)), None


def _skew(angle: float) -> Callable[[np.ndarray, np.random.Generator, float], tuple[Image.Image, float]]:
    def make(rgb: np.ndarray, rng: np.random.Generator, dpi: float = 300) -> tuple[Image.Image, float]:
        return Image.fromarray(rgb).rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor="white"), dpi

    make.__doc__ = f"The page turned {angle}° counter-clockwise."
    return make


def seal(rgb: np.ndarray, rng: np.random.Generator, dpi: float = 300) -> tuple[Image.Image, float]:
    """A red round seal over the lower right text and a blue signature stroke across it, multiplied
    over the page as ink is."""
    h, w = rgb.shape[:2]
    ink = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(ink)
    r = int(0.8 * dpi)  # a 1.6-inch seal
    cx, cy = int(w * 0.66), int(h * 0.70)
    red = (212, 38, 44)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=max(4, r // 18))
    draw.ellipse((cx - r * 0.72, cy - r * 0.72, cx + r * 0.72, cy + r * 0.72), outline=red, width=max(3, r // 30))
    font = ImageFont.truetype(FONT, max(12, r // 6))
    for k, letter in enumerate("ỦY BAN NHÂN DÂN TỈNH ★ "):
        angle = np.deg2rad(200 + k * 14)
        x, y = cx + 0.86 * r * np.cos(angle), cy + 0.86 * r * np.sin(angle)
        draw.text((x, y), letter, fill=red, font=font, anchor="mm")
    star = [
        (
            cx + (0.3 if j % 2 == 0 else 0.12) * r * np.cos(np.pi / 2 + j * np.pi / 5),
            cy - (0.3 if j % 2 == 0 else 0.12) * r * np.sin(np.pi / 2 + j * np.pi / 5),
        )
        for j in range(10)
    ]
    draw.polygon(star, fill=red)
    blue = (34, 52, 170)
    xs = np.linspace(cx - 1.4 * r, cx + 0.9 * r, 60)
    ys = cy + 0.25 * r * np.sin(np.linspace(0, 5 * np.pi, 60)) + rng.normal(0, 3, 60)
    draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=blue, width=max(3, r // 25), joint="curve")
    out = rgb.astype(np.float32) * np.asarray(ink, np.float32) / 255  # ink multiplies the paper
    return Image.fromarray(out.astype(np.uint8)), dpi


VARIANTS: dict[str, Callable[[np.ndarray, np.random.Generator, float], tuple[Image.Image, float | None]]] = {
    "photocopy": photocopy,
    "phone": phone,
    "skew5": _skew(5.0),
    "skew8": _skew(8.0),
    "seal": seal,
}


def make_variants(image: Image.Image, out: Path, stem: str, seed: int = 0) -> dict[str, Path]:
    """Write every variant of ``image`` under ``out`` as ``<stem>_<variant>.png`` (``.jpg`` for the
    phone photo); the paths by variant."""
    out.mkdir(parents=True, exist_ok=True)
    dpi = float((image.info.get("dpi") or (300, 300))[0] or 300)
    rgb = np.asarray(image.convert("RGB"))
    paths = {}
    for name, make in VARIANTS.items():
        variant, variant_dpi = make(rgb, np.random.default_rng(seed), dpi)
        path = out / f"{stem}_{name}.{'jpg' if name == 'phone' else 'png'}"
        if variant_dpi is None:
            variant.save(path, format="JPEG", quality=70)  # as a phone saves it, stating no resolution
        else:
            variant.save(path, dpi=(variant_dpi, variant_dpi))
        paths[name] = path
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("page", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    with Image.open(args.page) as image:
        for name, path in make_variants(image, args.out, args.page.stem, args.seed).items():
            print(f"{name:10s} {path}")


if __name__ == "__main__":
    main()
