"""Blocks laid out in one frame, their boxes moved onto the page in another.

A photographed sheet is read flattened: its lines are straight and its type one size there, not in
the photo, where the keystone slants each line (a slanted line's box is as tall as its slope across
the line) and shrinks the type away from the camera. Its blocks are made in the flat sheet's frame
and only then are their boxes mapped onto the page.
"""

from __future__ import annotations

from collections.abc import Callable

from vnplan.models.document import BBox, Block, Line, union

ToPage = Callable[[BBox], BBox]


def _move_line(line: Line, to_page: ToPage) -> None:
    for word in line.words:
        if word.bbox is not None:
            word.bbox = to_page(word.bbox)
    boxes = [w.bbox for w in line.words if w.bbox is not None]
    if boxes:
        line.bbox = union(boxes)
    elif line.bbox is not None:
        line.bbox = to_page(line.bbox)


def move_blocks(blocks: list[Block], to_page: ToPage) -> None:
    """Map every box of ``blocks`` (words, lines, letterhead columns, table cells) with ``to_page``, in
    place; a line's box becomes the box around its words' mapped boxes."""
    for block in blocks:
        lines = [line for column in block.columns for line in column] if block.columns is not None else block.lines
        for line in lines:
            _move_line(line, to_page)
        if block.table is not None:
            for cell in block.table.cells:
                if cell.bbox is not None:
                    cell.bbox = to_page(cell.bbox)
