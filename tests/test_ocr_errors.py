"""The restoration benchmark's tools for the real pages: errors by kind, and the two halves."""

from __future__ import annotations

import importlib.util

import pytest

from benchmarks.ocr_errors import error_kinds, mark_kind
from benchmarks.ocr_pages import HELD_OUT, TUNING, halves


@pytest.fixture(scope="module")
def scorer(shared):
    spec = importlib.util.spec_from_file_location("score_text", shared / "eval" / "score_text.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("printed", "read", "kind"),
    [("tổ", "tố", "tone"), ("kế", "ké", "hat/breve/horn"), ("cầu", "câu", "tone"), ("yêu", "yeu", "hat/breve/horn"),
     ("đi", "di", "đ/d"), ("đồng", "dông", "several marks"), ("tổ", "to", "several marks")],
)  # fmt: skip
def test_a_syllable_read_with_other_marks_is_put_in_the_kind_of_mark_that_differs(printed, read, kind) -> None:
    assert mark_kind(printed, read) == kind


def test_each_error_of_a_read_text_is_counted_once_by_kind(scorer) -> None:
    truth = "Ủy ban nhân dân tỉnh Quảng Ngãi ban hành kế hoạch số 08 về phát triển công nghiệp và dịch vụ du lịch"
    read = "Ủy ban nhân đân tình Quảng Ngãi ban hành kếhoạch số 0 về phát tri ển công nghiệp và vụ du lịch CỤ T§6"
    kinds = error_kinds(scorer, truth, read)
    assert kinds["đ/d"] == 1 and kinds["tone"] == 1  # dân, tỉnh
    assert kinds["split/joined"] == 3  # kế hoạch (both syllables), triển
    assert kinds["numbers and codes"] == 1  # 08
    assert kinds["missing"] == 1  # dịch
    assert kinds["extra"] == 4  # CỤ, T, 6 and the second half of triển: no syllable of the transcript
    assert sum(v for k, v in kinds.items() if k != "extra") == round(
        (1 - scorer.score(truth, read)["syllable_accuracy"]) * len(scorer.syllables(truth))
    )


def test_the_halves_alternate_in_alphabetical_order_whatever_order_the_names_come_in() -> None:
    assert halves(["c", "a", "d", "b", "e"]) == {"a": TUNING, "b": HELD_OUT, "c": TUNING, "d": HELD_OUT, "e": TUNING}
