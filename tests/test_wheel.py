"""The wheel installs one package, ``vnplan``, and runs outside the checkout."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES

#: What a checkout holds that is not the project: environments, build products, caches, results.
BUILD_PRODUCTS = (".git", ".venv", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache", "results", "*.db")


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built as pip builds it, from a copy of the checkout without its build products
    (setuptools reuses ``build/``, so a module deleted since the last build would still be packaged)."""
    out = tmp_path_factory.mktemp("wheel")
    source = out / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*BUILD_PRODUCTS))
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)], out, dict(os.environ))
    assert built.returncode == 0, built.stderr
    (path,) = out.glob("vnplan-*.whl")
    return path


def test_the_wheel_holds_one_top_level_package_with_its_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"vnplan"}
    for data in (
        "vnplan/notebooks/review.ipynb",
        "vnplan/normalizers/restoration/data/syllable_lm.npz",
        "vnplan/models/migrations/env.py",
        "vnplan/models/migrations/script.py.mako",
    ):
        assert data in names


def test_the_installed_wheel_ingests_and_offers_the_reviewer(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, dict(os.environ)).returncode == 0
    python = venv / "bin" / "python"
    # The dependencies come from this environment's site-packages, added as a plain path: its .pth files,
    # among them the editable install's finder that points at the checkout, are not run.
    packages = Path(sysconfig.get_paths()["purelib"])
    venv_site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path,
                          dict(os.environ)).stdout.strip())
    (venv_site / "dependencies.pth").write_text(f"{packages}\n" + "".join(f"{p}\n" for p in site.getsitepackages()
                                                                          if Path(p) != packages))
    installed = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
                     tmp_path, dict(os.environ))
    assert installed.returncode == 0, installed.stderr

    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    where = _run([str(python), "-c", "import vnplan.pipeline.ingest as i; print(i.__file__)"], tmp_path, env)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr

    sample = SAMPLES / "born-digital" / "002_1f5460d5dbdbbf5b.pdf"
    database = tmp_path / "plans.db"
    ingest = _run([str(venv / "bin" / "vnplan"), "ingest", str(sample), "--db", f"sqlite:///{database}"], tmp_path, env)
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    assert "1 ingested" in ingest.stdout
    assert database.stat().st_size > 0

    review = _run([str(venv / "bin" / "vnplan"), "review", "--help"], tmp_path, env)
    assert review.returncode == 0, review.stderr
    assert "--reviewer" in review.stdout
