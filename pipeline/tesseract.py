"""The Tesseract engine: each call with ``OMP_THREAD_LIMIT=1`` in its own environment and its own time
limit, real failures told apart from the known harmless messages, Tesseract's quirks fixed in the
words it reads (``pipeline/tesseract_fixes.py``), and the installation checked up front.

Only this module knows pytesseract and Tesseract's output; ``pipeline/ocr.py`` sees ``OcrWord``s
through the engine seam (``pipeline/ocr_engine.py``).

Tesseract with OpenMP threads is several times slower on a small machine; parallelism comes
from processes instead. The environment is set for each call, never in this process's
``os.environ``. Images go to Tesseract as an uncompressed BMP in an anonymous in-memory file (Linux's
``memfd_create``, named ``/dev/fd/N`` to Tesseract; nothing on disk, nothing left if the process is
killed), with their resolution (``--dpi``), and the result comes back on its standard output.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType

import cv2
import numpy as np

from vnplan.models.errors import Category, InputError, MissingDependency
from vnplan.pipeline.ocr_engine import OcrWord
from vnplan.pipeline.options import OcrOptions
from vnplan.pipeline.tesseract_fixes import fix_ocr_text

log = logging.getLogger(__name__)

#: Orientation detection's language data, needed for turned pages whatever the text's language.
OSD = "osd"
#: Messages Tesseract prints for a page that simply has nothing to read: not failures.
HARMLESS = ("Empty page", "Image too large", "Too few characters")


def command() -> str:
    """The Tesseract program (``pytesseract.pytesseract.tesseract_cmd``, ``tesseract`` by default)."""
    return _pytesseract().tesseract_cmd


def _pytesseract() -> ModuleType:
    """pytesseract, imported at first use: it imports pandas (0.3 s), which most commands never need."""
    import pytesseract.pytesseract

    return pytesseract.pytesseract


def environment() -> dict[str, str]:
    """The environment of a Tesseract call: this process's, with OpenMP held to one thread."""
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def bmp(image: np.ndarray) -> bytes:
    """A grayscale image as an uncompressed BMP: nothing to encode (a PNG costs 0.21 s of CPU for a 300 dpi
    A4 page, this under 0.01 s), and Leptonica reads it with one copy (a PGM is parsed slower, by 0.1 s
    of Tesseract's CPU on such a page). A BMP made so carries no resolution: the caller passes ``--dpi``."""
    done, data = cv2.imencode(".bmp", np.ascontiguousarray(image, np.uint8))
    assert done, "OpenCV encodes any 8-bit grayscale image as a BMP"
    return data.tobytes()


@contextmanager
def image_file(image: np.ndarray) -> Iterator[tuple[str, int]]:
    """The image as a file Tesseract can open, and its descriptor (to pass to the child): an in-memory
    file, gone when it is closed. Not Tesseract's standard input: it reads that a byte at a time
    (0.3 s of its CPU for a 300 dpi A4 page). Where the system has no ``memfd_create`` (not Linux), a
    temporary file, removed when it is closed."""
    if not hasattr(os, "memfd_create"):
        with tempfile.NamedTemporaryFile(suffix=".bmp") as out:
            out.write(bmp(image))
            out.flush()
            yield out.name, out.fileno()
        return
    fd = os.memfd_create("vnplan-page", os.MFD_CLOEXEC)
    try:
        with open(fd, "wb", closefd=False) as out:
            out.write(bmp(image))
        yield f"/dev/fd/{fd}", fd
    finally:
        os.close(fd)


def _first_error(errors: str, code: int) -> str:
    lines = [x.strip() for x in errors.splitlines() if x.strip() and not any(h in x for h in HARMLESS)]
    return lines[0] if lines else f"exit status {code}"


@dataclass(frozen=True)
class TesseractEngine:
    """Tesseract in ``language`` (``vie``), each call killed after ``timeout`` seconds."""

    language: str
    timeout: float
    name = "tesseract"

    def read_words(self, image: np.ndarray, psm: int, dpi: float) -> list[OcrWord]:
        """The words Tesseract reads on a grayscale image of ``dpi`` with ``--psm psm``, quirks fixed;
        none for an empty page."""
        args = ["-l", self.language, "--psm", str(psm), "--dpi", str(round(dpi)), "tsv"]
        return words_of(self.run(image, args))

    def orientation(self, image: np.ndarray, dpi: float) -> int:
        """How many degrees clockwise the page must turn to stand upright (Tesseract's OSD); 0 when it
        cannot tell (too few letters)."""
        found = re.search(r"Rotate: (\d+)", self.run(image, ["--psm", "0", "--dpi", str(round(dpi))]))
        return int(found.group(1)) if found else 0

    def run(self, image: np.ndarray, args: list[str]) -> str:
        """Tesseract's output for a grayscale image with ``args``; "" for a page Tesseract finds empty.

        Raises InputError (``ocr_failed``) for any other failure, and (``timeout``) past the time
        limit: the Tesseract process is killed then."""
        try:
            with image_file(image) as (path, fd):
                done = subprocess.run(
                    [command(), path, "stdout", *args],
                    capture_output=True,
                    env=environment(),
                    timeout=self.timeout,
                    check=False,
                    pass_fds=(fd,),
                )
        except subprocess.TimeoutExpired as exc:
            raise InputError(
                f"Tesseract ran longer than its {self.timeout:g} s limit on a page", Category.TIMEOUT
            ) from exc
        except FileNotFoundError as exc:
            raise MissingDependency(missing_message(True, required_languages(self.language))) from exc
        errors = done.stderr.decode("utf-8", "replace")
        if done.returncode != 0:
            if any(h in errors for h in HARMLESS):
                log.debug("Tesseract: %s", errors.strip())
                return ""
            raise InputError(
                f"Tesseract failed on a page: {_first_error(errors, done.returncode)}", Category.OCR_FAILED
            )
        return done.stdout.decode("utf-8", "replace")


def words_of(tsv: str) -> list[OcrWord]:
    """The words of Tesseract's TSV output (read as ``pytesseract.image_to_data`` reads it: numbers
    truncated to integers), the lines of blocks and paragraphs and empty words left out."""
    if not tsv.strip():
        return []
    data = _pytesseract().file_to_dict(tsv, "\t", -1)
    words = []
    for i, text in enumerate(data["text"]):
        if not text.strip():
            continue
        left, top = data["left"][i], data["top"][i]
        box = (left, top, left + data["width"][i], top + data["height"][i])
        ids = (data["block_num"][i], data["par_num"][i], data["line_num"][i], data["word_num"][i])
        words.append(OcrWord(fix_ocr_text(text), max(0.0, float(data["conf"][i])) / 100, box, *ids))
    return words


def required_languages(language: str) -> list[str]:
    """The language data a run needs: each of ``language``'s (``vie``, ``vie+eng``), and ``osd``."""
    return [*dict.fromkeys([*language.split("+"), OSD])]


def package(language: str) -> str:
    """The Debian package of a language's data (``chi_sim`` → ``tesseract-ocr-chi-sim``)."""
    return "tesseract-ocr-" + language.lower().replace("_", "-")


def missing_message(program: bool, languages: list[str]) -> str:
    """One line naming what is missing (the program, or which language data) and how to install it."""
    packages = ["tesseract-ocr", *map(package, languages)] if program else [package(x) for x in languages]
    what = "the tesseract program" if program else " and ".join(f"Tesseract's {x} language data" for x in languages)
    where = os.environ.get("TESSDATA_PREFIX")
    hint = "" if program or not where else f" (or put {', '.join(f'{x}.traineddata' for x in languages)} in {where})"
    verb = "are" if len(languages) > 1 and not program else "is"
    return f"{what} {verb} missing: apt-get install {' '.join(packages)}{hint}"


def check_installed(options: OcrOptions = OcrOptions()) -> None:
    """Raise MissingDependency, naming what is missing and how to install it, unless the Tesseract
    program and the language data of ``options.language`` and ``osd`` are there (``TESSDATA_PREFIX``
    respected)."""
    required = required_languages(options.language)
    if shutil.which(command()) is None:
        raise MissingDependency(missing_message(True, required))
    try:
        done = subprocess.run(
            [command(), "--list-langs"], capture_output=True, env=environment(), timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MissingDependency(f"the tesseract program does not run ({exc})") from exc
    listed = done.stdout.decode("utf-8", "replace").splitlines()[1:] if done.returncode == 0 else []
    languages = {line.strip() for line in listed}
    missing = [lang for lang in required if lang not in languages]
    if missing:
        raise MissingDependency(missing_message(False, missing))
