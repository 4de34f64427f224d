"""Shared test helpers: R reference fixtures and live R runs.

Reference values come from committed R scripts in ``tests/reference/``
(``gen_<domain>.R``), which write the fixture files next to them together with
the R and package versions that produced them.  Tests read the fixtures; tests
marked ``r`` also run R live when ``Rscript`` is on PATH (CI installs R).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def rscript_path() -> str | None:
    """Path of Rscript, or None."""
    return shutil.which("Rscript")


def run_r(script: str | Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run an R script (path or code) with Rscript, failing the test on error."""
    exe = rscript_path()
    if exe is None:
        pytest.skip("Rscript is not on PATH")
    script = Path(script)
    cmd = [exe, "--vanilla", str(script), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        pytest.fail(f"R failed ({' '.join(cmd)}):\n{proc.stderr[-4000:]}")
    return proc


def run_r_code(code: str, tmp_path: Path, timeout: float = 600) -> str:
    """Run R code given as a string; returns its stdout."""
    f = tmp_path / "snippet.R"
    f.write_text(code)
    return run_r(f, timeout=timeout).stdout


@pytest.fixture
def rscript() -> str:
    """The Rscript executable; skips the test when R is not installed."""
    exe = rscript_path()
    if exe is None:
        pytest.skip("Rscript is not on PATH")
    return exe


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    return REFERENCE_DIR
