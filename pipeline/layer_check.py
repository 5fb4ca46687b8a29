"""Is a page's text layer trustworthy? Judged by :func:`vnplan.normalizers.restoration.damage.measure_damage`."""

from __future__ import annotations

from vnplan.models.document import LayerStatus, LayerVerdict
from vnplan.normalizers.restoration.damage import measure_damage
from vnplan.normalizers.tokens import WORDS


def judge_text_layer(text: str) -> LayerVerdict:
    """The verdict on a page's text: ``good``, ``mangled`` or ``missing``, with its measures."""
    if not WORDS.search(text):
        return LayerVerdict("missing")
    damage = measure_damage(text)
    status: LayerStatus = "mangled" if damage.mangled() else "good"
    return LayerVerdict(status, damage.marked_share, damage.invalid_share, damage.words)
