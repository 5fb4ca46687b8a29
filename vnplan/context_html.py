"""The text around a task as the reviewer's panel shows it: HTML, each restored word marked, what the
OCR read in its tooltip and below it."""

from __future__ import annotations

import html

from vnplan.models.review import ContextLine


def line_html(line: ContextLine) -> str:
    """One line, escaped, each restored word in a ``<mark>`` whose title is the word as read."""
    if not line.changes:
        return html.escape(line.text)
    out, at = [], 0
    for change in sorted(line.changes, key=lambda c: c["start"]):
        start, end = change["start"], change["start"] + len(change["restored"])
        out.append(html.escape(line.text[at:start]))
        was = html.escape(change["original"], quote=True)
        out.append(f'<mark title="OCR read: {was}">{html.escape(line.text[start:end])}</mark><sub>{was}</sub>')
        at = end
    out.append(html.escape(line.text[at:]))
    return "".join(out)


def context_html(lines: list[ContextLine]) -> str:
    """The lines one under the other, or a note that the document kept no text there."""
    return "<br>".join(map(line_html, lines)) or "<i>no source text kept</i>"
