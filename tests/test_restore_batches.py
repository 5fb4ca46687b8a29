"""The restorer's decoder in batches: chunks scored together choose what each would alone, and the
bigram bit set finds what binary search finds."""

from __future__ import annotations

import numpy as np
import pytest

from vnplan.normalizers.restoration.language_model import _find, _KeySet, language_model
from vnplan.normalizers.restoration.restore import _confidences, restorer
from vnplan.normalizers.tokens import OCR_TOKENS

CHUNKS = (
    "Chi s6 cai cach hanh chinh cép tinh nam 2021",
    "Ke hoach kiem tra cong tac cai cach hanh chinh, giao cho cac so nganh",
    "dd",  # one token with a choice
    "- ; 12",  # no token with a choice
)


def _tokens(chunk: str) -> list:
    engine = restorer()
    return [engine._token(m, True, True) for m in OCR_TOKENS.finditer(chunk)]


def test_chunks_decoded_together_choose_as_each_decoded_alone() -> None:
    engine = restorer()
    sequences = [_tokens(chunk) for chunk in CHUNKS]
    together = engine._decode_all(sequences)
    alone = [engine._decode([tokens])[0] if any(len(t.ids) > 1 for t in tokens) else None for tokens in sequences]
    for tokens, found, single in zip(sequences, together, alone, strict=True):
        assert len(found[0]) == len(found[1]) == len(tokens)
        if single is None:  # nothing to choose: every token's only option, surely
            assert found == ([0] * len(tokens), [1.0] * len(tokens))
        else:
            assert found == single


def test_a_text_that_lost_its_marks_is_restored_in_one_call_as_its_chunks_one_by_one() -> None:
    engine = restorer()
    chunks = [
        "Chi so cai cach hanh chinh cap tinh nam 2021",
        "Ke hoach kiem tra cong tac cai cach hanh chinh",
        "- ; 12",
    ]
    whole = engine.restore("\n\n".join(chunks), force=True)
    alone = [engine.restore(chunk, force=True) for chunk in chunks]
    assert whole.text.split("\n\n") == [r.text for r in alone]
    assert [c.confidence for c in whole.changes] == [c.confidence for r in alone for c in r.changes]
    assert whole.text.startswith("Chỉ số cải cách hành chính cấp tỉnh")


@pytest.mark.parametrize("order", [3, 4])
def test_confidences_of_sequences_laid_end_to_end_are_each_sequences_own(order: int) -> None:
    rng = np.random.default_rng(order)
    pad = order - 1
    runs = [[3, 1, 2], [2, 4], [1], [5, 2, 3, 1]]
    lattices, paths, all_sizes = [], [], []
    for run in runs:
        sizes = np.asarray([1] * pad + run + [1])
        lattices.append([rng.normal(size=tuple(sizes[p - pad : p + 1])) for p in range(pad, len(sizes))])
        paths.append(np.concatenate([[0] * pad, [int(rng.integers(n)) for n in run], [0]]))
        all_sizes.append(sizes)
    starts = np.cumsum([0] + [len(s) for s in all_sizes[:-1]])
    blocks = [block for lattice in lattices for block in lattice]
    found = _confidences(blocks, np.concatenate(paths), np.concatenate(all_sizes), starts)
    alone = np.concatenate([_confidences(b, p, s) for b, p, s in zip(lattices, paths, all_sizes, strict=True)])
    assert found.tolist() == alone.tolist()


def test_the_bigram_bit_set_finds_what_binary_search_finds() -> None:
    model = language_model()
    rng = np.random.default_rng(0)
    seen = model.keys2[rng.integers(0, len(model.keys2), 5000)]
    query = np.concatenate([seen, rng.integers(0, model.size**2, 5000), [0, model.size**2 - 1]])
    at, found = _KeySet(model.keys2, model.size**2).find(query)
    expected_at, expected_found = _find(model.keys2, query)
    assert found.tolist() == expected_found.tolist() and found[:5000].all()
    assert at[found].tolist() == expected_at[found].tolist()
    assert (at < len(model.keys2)).all()


def test_a_small_key_set_counts_the_keys_before_each_query() -> None:
    keys = np.asarray([3, 64, 65, 200])
    at, found = _KeySet(keys, 256).find(np.asarray([0, 3, 4, 64, 65, 66, 200, 255]))
    assert found.tolist() == [False, True, False, True, True, False, True, False]
    assert at.tolist() == [0, 0, 1, 1, 2, 3, 3, 3]  # the last clipped to the last key's place
