"""Is a page's text layer trustworthy? Judged by :func:`normalizers.damage.measure_damage`."""

from __future__ import annotations

from models.document import LayerStatus, LayerVerdict
from normalizers.damage import TOKEN, measure_damage


def judge_text_layer(text: str) -> LayerVerdict:
    """The verdict on a page's text: ``good``, ``mangled`` or ``missing``, with its measures."""
    if not TOKEN.search(text):
        return LayerVerdict("missing")
    damage = measure_damage(text)
    status: LayerStatus = "mangled" if damage.mangled() else "good"
    return LayerVerdict(status, damage.marked_share, damage.invalid_share, damage.words)
