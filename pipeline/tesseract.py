"""Tesseract calls: each with ``OMP_THREAD_LIMIT=1`` in its own environment and its own time limit,
real failures told apart from the known harmless messages, and the installation checked up front.

Tesseract with OpenMP threads is several times slower on a small machine; parallelism comes
from processes instead. The environment is set for each call, never in this process's
``os.environ``. Images go to Tesseract on its standard input as uncompressed PGM, with their
resolution, and the result comes back on its standard output: no temporary files.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess

import numpy as np
import pytesseract

from models.errors import Category, InputError, MissingDependency

log = logging.getLogger(__name__)

LANGUAGE = "vie"
#: The languages the pipeline needs: Vietnamese text, and orientation detection for turned pages.
REQUIRED_LANGUAGES = {"vie": "tesseract-ocr-vie", "osd": "tesseract-ocr-osd"}
#: Seconds one Tesseract call may take (a dense 300 dpi page takes under 30 s on one core).
CALL_TIMEOUT = 180.0
#: Messages Tesseract prints for a page that simply has nothing to read: not failures.
HARMLESS = ("Empty page", "Image too large", "Too few characters")


def command() -> str:
    """The Tesseract program (``pytesseract.pytesseract.tesseract_cmd``, ``tesseract`` by default)."""
    return pytesseract.pytesseract.tesseract_cmd


def environment() -> dict[str, str]:
    """The environment of a Tesseract call: this process's, with OpenMP held to one thread."""
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def pgm(image: np.ndarray) -> bytes:
    """A grayscale image as an uncompressed PGM: nothing to encode (a PNG costs 0.21 s of CPU for a 300 dpi
    A4 page, this 0.002 s). A PGM carries no resolution: the caller passes ``--dpi``."""
    gray = np.ascontiguousarray(image, np.uint8)
    return b"P5 %d %d 255\n" % (gray.shape[1], gray.shape[0]) + gray.tobytes()


def run(image: np.ndarray, args: list[str], timeout: float = CALL_TIMEOUT) -> str:
    """Tesseract's output for a grayscale image with ``args``; "" for a page Tesseract finds empty.

    Raises InputError (``ocr_failed``) for any other failure, and (``timeout``) past ``timeout`` s:
    the Tesseract process is killed then."""
    try:
        done = subprocess.run(
            [command(), "stdin", "stdout", *args],
            input=pgm(image),
            capture_output=True,
            env=environment(),
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise InputError(f"Tesseract ran longer than its {timeout:g} s limit on a page", Category.TIMEOUT) from exc
    except FileNotFoundError as exc:
        raise MissingDependency(missing_message(True, [])) from exc
    errors = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        if any(h in errors for h in HARMLESS):
            log.debug("Tesseract: %s", errors.strip())
            return ""
        raise InputError(f"Tesseract failed on a page: {_first_error(errors, done.returncode)}", Category.OCR_FAILED)
    return done.stdout.decode("utf-8", "replace")


def _first_error(errors: str, code: int) -> str:
    lines = [x.strip() for x in errors.splitlines() if x.strip() and not any(h in x for h in HARMLESS)]
    return lines[0] if lines else f"exit status {code}"


def image_to_data(image: np.ndarray, psm: int, dpi: float, lang: str = LANGUAGE) -> dict[str, list]:
    """Tesseract's words with their boxes and confidences, as ``pytesseract.image_to_data`` gives
    them (``Output.DICT``), for an image of ``dpi``; no words for an empty page."""
    tsv = run(image, ["-l", lang, "--psm", str(psm), "--dpi", str(round(dpi)), "tsv"])
    if not tsv.strip():
        return {"text": []}
    return pytesseract.pytesseract.file_to_dict(tsv, "\t", -1)


def rotation(image: np.ndarray, dpi: float) -> int:
    """How many degrees clockwise the page must turn to stand upright (Tesseract's OSD); 0 when it
    cannot tell (too few letters)."""
    found = re.search(r"Rotate: (\d+)", run(image, ["--psm", "0", "--dpi", str(round(dpi))]))
    return int(found.group(1)) if found else 0


def missing_message(program: bool, languages: list[str]) -> str:
    """One line naming what is missing (the program, or which language data) and how to install it."""
    packages = (
        ["tesseract-ocr", *REQUIRED_LANGUAGES.values()] if program else [REQUIRED_LANGUAGES[x] for x in languages]
    )
    what = "the tesseract program" if program else " and ".join(f"Tesseract's {x} language data" for x in languages)
    where = os.environ.get("TESSDATA_PREFIX")
    hint = "" if program or not where else f" (or put {', '.join(f'{x}.traineddata' for x in languages)} in {where})"
    verb = "are" if len(languages) > 1 and not program else "is"
    return f"{what} {verb} missing: apt-get install {' '.join(packages)}{hint}"


def check_installed() -> None:
    """Raise MissingDependency, naming what is missing and how to install it, unless the Tesseract
    program and its ``vie`` and ``osd`` language data are there (``TESSDATA_PREFIX`` respected)."""
    if shutil.which(command()) is None:
        raise MissingDependency(missing_message(True, []))
    try:
        done = subprocess.run(
            [command(), "--list-langs"], capture_output=True, env=environment(), timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MissingDependency(f"the tesseract program does not run ({exc})") from exc
    listed = done.stdout.decode("utf-8", "replace").splitlines()[1:] if done.returncode == 0 else []
    languages = {line.strip() for line in listed}
    missing = [lang for lang in REQUIRED_LANGUAGES if lang not in languages]
    if missing:
        raise MissingDependency(missing_message(False, missing))
