"""Recorded OCR answers: an engine that records another's answers, and one that replays them.

Each question an engine is asked (the words of an image at a page segmentation mode, dpi and
language; or the orientation of an image) has a key: the SHA-256 of the image's pixels, its
shape, and those settings, exactly as the engine sees them. The answer is stored under it as one
small gzip JSON file, ``<key>.json.gz``, in a recordings folder. Replaying is exact: the same
pages give the same words, without running the engine.

A question with no recording is an error naming what was asked and how to record it, never an
answer from somewhere else. Recordings hold the engine's answers after its quirk fixes: after a
change to the engine (or to ``pipeline/tesseract_fixes.py``), or to how pages are prepared before
it (a new image, a new key), record again.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vnplan.pipeline.ocr_engine import OcrEngine, OcrWord

#: How to record the answers again (the tests' recordings: tests/data/ocr/).
HOW_TO_RECORD = "record them with VNPLAN_OCR_ENGINE=record (for the test suite: make record-ocr)"


class MissingRecording(RuntimeError):
    """A question the replay engine has no recorded answer for."""


def question_key(kind: str, image: np.ndarray, settings: dict[str, Any]) -> str:
    """The key of a question: what is asked (``words``, ``orientation``), of which pixels, with which settings."""
    pixels = np.ascontiguousarray(image, np.uint8)
    digest = hashlib.sha256(json.dumps([kind, list(pixels.shape), settings], sort_keys=True).encode())
    digest.update(pixels.tobytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Recordings:
    """A folder of recorded answers, one gzip JSON file per question."""

    folder: Path

    def path(self, key: str) -> Path:
        """Where the answer to the question ``key`` is kept."""
        return self.folder / f"{key}.json.gz"

    def load(self, key: str) -> dict[str, Any] | None:
        """The recorded answer to ``key``; None when there is none."""
        try:
            with gzip.open(self.path(key), "rt", encoding="utf-8") as stream:
                answer: dict[str, Any] = json.load(stream)
        except FileNotFoundError:
            return None
        return answer

    def save(self, key: str, answer: dict[str, Any]) -> None:
        """Record ``answer`` under ``key``, atomically (page processes record at the same time); the same
        answer gives the same bytes (no timestamp in the gzip header)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(answer, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        data = gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".recording-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, self.path(key))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _words_settings(psm: int, dpi: float, language: str) -> dict[str, Any]:
    return {"psm": psm, "dpi": round(dpi), "language": language}


def _encode(words: list[OcrWord]) -> list[list[Any]]:
    return [[w.text, w.confidence, *w.box, w.block, w.paragraph, w.line, w.word] for w in words]


def _decode(rows: list[list[Any]]) -> list[OcrWord]:
    return [OcrWord(text, conf, (x0, top, x1, bottom), *ids) for text, conf, x0, top, x1, bottom, *ids in rows]


@dataclass(frozen=True)
class RecordingEngine:
    """Another engine (Tesseract) whose every answer is also recorded."""

    engine: OcrEngine
    language: str
    recordings: Recordings

    @property
    def name(self) -> str:
        """The recorded engine's name: its answers are the pages'."""
        return self.engine.name

    def read_words(self, image: np.ndarray, psm: int, dpi: float) -> list[OcrWord]:
        """The engine's words, recorded."""
        words = self.engine.read_words(image, psm, dpi)
        key = question_key("words", image, _words_settings(psm, dpi, self.language))
        self.recordings.save(key, {"engine": self.engine.name, "words": _encode(words)})
        return words

    def orientation(self, image: np.ndarray, dpi: float) -> int:
        """The engine's orientation, recorded."""
        degrees = self.engine.orientation(image, dpi)
        key = question_key("orientation", image, {"dpi": round(dpi)})
        self.recordings.save(key, {"engine": self.engine.name, "degrees": degrees})
        return degrees


@dataclass(frozen=True)
class ReplayEngine:
    """Answers recorded by ``RecordingEngine``, served without running any engine."""

    language: str
    recordings: Recordings
    name = "replay"

    def read_words(self, image: np.ndarray, psm: int, dpi: float) -> list[OcrWord]:
        """The words recorded for this image, psm, dpi and language; MissingRecording when there are none."""
        settings = _words_settings(psm, dpi, self.language)
        return _decode(self._answer("words", image, settings)["words"])

    def orientation(self, image: np.ndarray, dpi: float) -> int:
        """The orientation recorded for this image and dpi; MissingRecording when there is none."""
        degrees: int = self._answer("orientation", image, {"dpi": round(dpi)})["degrees"]
        return degrees

    def _answer(self, kind: str, image: np.ndarray, settings: dict[str, Any]) -> dict[str, Any]:
        key = question_key(kind, image, settings)
        answer = self.recordings.load(key)
        if answer is None:
            height, width = image.shape[:2]
            asked = ", ".join(f"{k} {v}" for k, v in settings.items())
            raise MissingRecording(
                f"no recorded OCR answer for the {kind} of a {width}×{height} image ({asked}) in "
                f"{self.recordings.folder} (key {key[:16]}…): {HOW_TO_RECORD}"
            )
        return answer
