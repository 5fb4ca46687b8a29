"""The language-model build (``scripts/build_language_model.py``) on a small corpus: the trigram and
the 4-gram models it writes are distributions, and the decoder scores a 4-gram model's lattice exactly."""

from __future__ import annotations

import importlib.util
import lzma
import random
from pathlib import Path

import numpy as np
import pytest

from vnplan.normalizers.restoration.language_model import LanguageModel
from vnplan.normalizers.restoration.restore import Restorer
from vnplan.normalizers.tokens import OCR_TOKENS

ROOT = Path(__file__).resolve().parent.parent
PHRASES = [
    "Sở Nội vụ chủ trì phối hợp với các sở ban ngành",
    "cải cách hành chính của tỉnh năm 2021",
    "Ủy ban nhân dân tỉnh giao các cơ quan đơn vị thực hiện",
    "chỉ số cải cách hành chính cấp tỉnh",
    "tăng cường kỷ luật kỷ cương trong các cơ quan hành chính nhà nước",
]


def _build_script():
    spec = importlib.util.spec_from_file_location("build_language_model", ROOT / "scripts" / "build_language_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lm-corpus")
    rng = random.Random(1)
    script = _build_script()
    words = " ".join(PHRASES).split()
    for name in script.FILES:
        # Whole phrases, and words in any order: every kind of n-gram is seen once, twice and more.
        lines = [" ".join(rng.sample(PHRASES, rng.randint(1, 3))) for _ in range(200)]
        lines += [" ".join(rng.choices(words, k=rng.randint(2, 12))) for _ in range(200)]
        rng.shuffle(lines)
        with lzma.open(folder / name, "wt", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    return folder


@pytest.fixture(scope="module", params=[[1, 1], [1, 1, 1], [1, 2, 2]], ids=["trigrams", "4-grams", "4-grams pruned"])
def model(request: pytest.FixtureRequest, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> LanguageModel:
    arrays = _build_script().build(corpus, 1, request.param)
    path = tmp_path_factory.mktemp("model") / "lm.npz"
    np.savez_compressed(path, **arrays)
    loaded = LanguageModel(path)
    assert loaded.order == len(request.param) + 1
    return loaded


def _scores(model: LanguageModel, context: tuple[str, ...], words: np.ndarray) -> np.ndarray:
    ids = [np.full(len(words), model.id(w)) for w in context[-(model.order - 1) :]]
    return model.score4(*ids, words) if model.order == 4 else model.score(*ids, words)


@pytest.mark.parametrize("context", [("<s>", "<s>", "<s>"), ("<s>", "<s>", "sở"), ("cải", "cách", "hành"),
                                     ("các", "cơ", "quan"), ("tỉnh", "năm", "<num>"), ("kỷ", "cương", "sở")])  # fmt: skip
def test_every_context_of_the_built_model_is_a_distribution(model: LanguageModel, context: tuple[str, ...]) -> None:
    words = np.asarray([i for i in range(model.size) if i != model.bos])
    assert (10 ** _scores(model, context, words)).sum() == pytest.approx(1.0, abs=2e-3)


def test_the_built_model_prefers_text_as_it_was_written(model: LanguageModel) -> None:
    engine = Restorer(model)
    assert engine.restore("chi so cai cach hanh chinh cap tinh", force=True).text == "chỉ số cải cách hành chính cấp tỉnh"


def test_the_lattice_holds_the_models_score_of_every_window_less_the_channel_cost(model: LanguageModel) -> None:
    engine = Restorer(model)
    tokens = [engine._token(m, True) for m in OCR_TOKENS.finditer("Chi s6 cai cach hanh chinh, 2021 cép tinh")]
    ids, costs, sizes = engine._options(tokens)
    order = model.order
    assert list(sizes[: order - 1]) == [1] * (order - 1) and sizes.max() > 2
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    lattice = engine._lattice(ids, costs, sizes)
    assert [b.shape for b in lattice] == [tuple(sizes[p : p + order]) for p in range(len(sizes) - order + 1)]
    for p, block in enumerate(lattice):
        for cell, value in np.ndenumerate(block):
            at = [first[p + m] + option for m, option in enumerate(cell)]
            window = [ids[[a]] for a in at]
            expected = (model.score4(*window) if order == 4 else model.score(*window))[0] - costs[at[-1]]
            assert value == pytest.approx(expected)
