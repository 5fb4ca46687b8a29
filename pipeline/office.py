"""Old Word (.doc) and RTF files: converted to .docx by LibreOffice headless, then read as .docx.

Each conversion runs in its own temporary folder with its own LibreOffice profile (so
conversions in parallel workers never share a lock), under a time limit; LibreOffice is
installed by ``make`` (``libreoffice-writer-nogui``).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from vnplan.models.errors import Category, InputError

#: Seconds one conversion may take before it is given up.
CONVERT_TIMEOUT = 180.0


def soffice() -> str | None:
    """The LibreOffice command, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(data: bytes, suffix: str, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """The .docx LibreOffice makes of a .doc or .rtf file's bytes; an InputError when it cannot."""
    command = soffice()
    if command is None:
        raise InputError(
            f"LibreOffice (soffice) is not installed, so {suffix} files cannot be read (make install)",
            Category.MISSING_DEPENDENCY,
        )
    with tempfile.TemporaryDirectory(prefix="vnplan-office-") as folder:
        work = Path(folder)
        source = work / f"input{suffix}"
        source.write_bytes(data)
        args = [
            command, "--headless", "--norestore", "--nolockcheck",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to", "docx", "--outdir", str(work / "out"), str(source),
        ]  # fmt: skip
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise InputError(
                f"LibreOffice gave up converting the {suffix} file after {timeout:g} s", Category.TIMEOUT
            ) from exc
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        out = work / "out" / "input.docx"
        if not out.is_file():
            detail = err.decode("utf-8", "replace").strip().splitlines()
            raise InputError(
                f"LibreOffice could not convert the {suffix} file"
                + (f" ({detail[-1]})" if detail and "javaldx" not in detail[-1] else "")
            )
        return out.read_bytes()
