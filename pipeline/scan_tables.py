"""Ruled tables in page images: find the grid by morphology, then the cells, merged ones included.

Horizontal and vertical rules are isolated with long thin openings; each
connected grid is a table. Its row and column edges are where the rules run;
two neighbouring grid cells belong to one merged cell where no rule separates them.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

PixelBox = tuple[int, int, int, int]  # x0, top, x1, bottom
SHRINK = 4


@dataclass
class GridTable:
    """A table found in an image: its box and its cells (with their grid positions), in pixels."""

    bbox: PixelBox
    cells: list[PixelBox]


def _rules(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    h, w = ink.shape
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, w // 30), 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, h // 50))))
    # close small breaks left by speckle and JPEG loss
    horizontal = cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    vertical = cv2.dilate(vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 9)))
    return horizontal, vertical


def _edges(profile: np.ndarray, minimum: float) -> list[int]:
    """Centres of the runs where ``profile`` reaches ``minimum``."""
    on = np.flatnonzero(profile >= minimum)
    runs: list[list[int]] = []
    for v in on:
        if runs and v - runs[-1][-1] <= 4:
            runs[-1].append(int(v))
        else:
            runs.append([int(v)])
    return [round(sum(r) / len(r)) for r in runs]


def find_rules(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The page's horizontal and vertical rules, each as an ink mask."""
    return _rules(gray)


def rule_heights(horizontal: np.ndarray) -> list[int]:
    """The rows (pixels) where a horizontal rule runs across at least a tenth of the page."""
    return _edges(horizontal.sum(axis=1) / 255, 0.1 * horizontal.shape[1])


def find_tables(gray: np.ndarray, rules: tuple[np.ndarray, np.ndarray] | None = None) -> list[GridTable]:
    """Every ruled table on the page image (``rules``: :func:`find_rules` of it, when already found)."""
    horizontal, vertical = rules if rules is not None else _rules(gray)
    grid = cv2.bitwise_or(horizontal, vertical)
    # Grids are found on a copy shrunk 4×, where a component costs a sixteenth; the rules themselves
    # are then read at full size.
    small = cv2.resize(grid, None, fx=1 / SHRINK, fy=1 / SHRINK, interpolation=cv2.INTER_AREA)
    count, _, stats, _ = cv2.connectedComponentsWithStats((small > 0).astype(np.uint8), connectivity=8)
    h, w = gray.shape
    tables = []
    for k in range(1, count):
        x, y, bw, bh = (int(v) * SHRINK for v in stats[k][:4])
        x, y = max(0, x - SHRINK), max(0, y - SHRINK)
        bw, bh = min(w - x, bw + 2 * SHRINK), min(h - y, bh + 2 * SHRINK)
        if bw < 0.2 * w or bh < 0.02 * h:
            continue
        table = _read_grid(horizontal[y : y + bh, x : x + bw], vertical[y : y + bh, x : x + bw], (x, y))
        if table:
            tables.append(table)
    return sorted(tables, key=lambda t: t.bbox[1])


def _read_grid(horizontal: np.ndarray, vertical: np.ndarray, origin: tuple[int, int]) -> GridTable | None:
    h, w = horizontal.shape
    ys = _edges(horizontal.sum(axis=1) / 255, 0.04 * w)
    xs = _edges(vertical.sum(axis=0) / 255, 0.04 * h)
    if len(ys) < 2 or len(xs) < 3:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1

    def ruled_between_cols(r: int, c: int) -> bool:  # a vertical rule at xs[c+1] in row r
        band = vertical[ys[r] + 4 : ys[r + 1] - 3, max(0, xs[c + 1] - 4) : xs[c + 1] + 5]
        return band.size > 0 and (band.max(axis=1) > 0).mean() > 0.6

    def ruled_between_rows(r: int, c: int) -> bool:  # a horizontal rule at ys[r+1] in column c
        band = horizontal[max(0, ys[r + 1] - 4) : ys[r + 1] + 5, xs[c] + 4 : xs[c + 1] - 3]
        return band.size > 0 and (band.max(axis=0) > 0).mean() > 0.6

    owner = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while owner[i] != i:
            owner[i] = owner[owner[i]]
            i = owner[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not ruled_between_cols(r, c):
                owner[find(r * n_cols + c + 1)] = find(r * n_cols + c)
            if r + 1 < n_rows and not ruled_between_rows(r, c):
                owner[find((r + 1) * n_cols + c)] = find(r * n_cols + c)
    members: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            members.setdefault(find(r * n_cols + c), []).append((r, c))
    ox, oy = origin
    cells = []
    for group in members.values():
        r0, r1 = min(r for r, _ in group), max(r for r, _ in group) + 1
        c0, c1 = min(c for _, c in group), max(c for _, c in group) + 1
        cells.append((ox + xs[c0], oy + ys[r0], ox + xs[c1], oy + ys[r1]))
    return GridTable((ox + xs[0], oy + ys[0], ox + xs[-1], oy + ys[-1]), cells)
