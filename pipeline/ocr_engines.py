"""Which OCR engine reads a run's pages: named by ``OcrOptions.engine``, else by ``$VNPLAN_OCR_ENGINE``.

- ``tesseract`` (the default): Tesseract in ``OcrOptions.language`` (``pipeline/tesseract.py``).
- ``replay``: Tesseract's answers recorded earlier, from the recordings folder
  (``OcrOptions.recordings``, else ``$VNPLAN_OCR_RECORDINGS``); a question never recorded is an error.
- ``record``: Tesseract, each answer also recorded there.

The environment is read when a document is OCRed, not at import, so a choice made there reaches
every process the run starts (isolated documents, page pools): the test suite sets it.
"""

from __future__ import annotations

import os
from pathlib import Path

from vnplan.pipeline.ocr_engine import OcrEngine
from vnplan.pipeline.ocr_replay import RecordingEngine, Recordings, ReplayEngine
from vnplan.pipeline.options import OcrOptions
from vnplan.pipeline.tesseract import TesseractEngine

ENGINE_VARIABLE = "VNPLAN_OCR_ENGINE"
RECORDINGS_VARIABLE = "VNPLAN_OCR_RECORDINGS"
ENGINES = ("tesseract", "replay", "record")


def engine_name(options: OcrOptions) -> str:
    """The engine ``options`` name, or the environment names; ``tesseract`` when neither does."""
    return options.engine or os.environ.get(ENGINE_VARIABLE) or "tesseract"


def open_engine(options: OcrOptions) -> OcrEngine:
    """The OCR engine ``options`` (or the environment) choose; a ValueError for an unknown one, or for
    replaying or recording without a recordings folder."""
    name = engine_name(options)
    tesseract = TesseractEngine(options.language, options.call_timeout)
    if name == "tesseract":
        return tesseract
    if name not in ENGINES:
        raise ValueError(f"unknown OCR engine {name!r}: one of {', '.join(ENGINES)}")
    folder = options.recordings or os.environ.get(RECORDINGS_VARIABLE)
    if not folder:
        raise ValueError(f"the {name} OCR engine needs a recordings folder: set {RECORDINGS_VARIABLE}")
    recordings = Recordings(Path(folder))
    if name == "replay":
        return ReplayEngine(options.language, recordings)
    return RecordingEngine(tesseract, options.language, recordings)
