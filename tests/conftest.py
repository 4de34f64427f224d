"""Shared test helpers: R reference fixtures, live R runs, and test isolation.

Reference values come from committed R scripts in ``tests/reference/``
(``gen_<domain>.R``), which write the fixture files next to them together with
the R and package versions that produced them.  Tests read the fixtures; tests
marked ``r`` also run R live when ``Rscript`` is on PATH (CI installs R).

In CI (environment variable ``CI`` set to ``true`` or ``1``) a missing
reference tool (Rscript) or a missing ``../shared/seeds`` folder is a test
failure with a clear message, never a quiet skip; on a developer's machine
those tests skip.

Every test runs with numpy's floating-point error state restored afterwards,
and fails if it leaves the state changed (lifelines' fitters call
``np.seterr`` and never restore it, which silently turned off the suite's
"no numpy warnings" guards for every later test).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import numpy as np
import pytest

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"
#: ids of the bundled records (written out here, not read from the package)
BUNDLED_RECORD_IDS = frozenset(
    {
        "cgvhd-msc-phase2",
        "NCT02241018",
        "NCT04738981",
        "zhao2022",
        "zhao2025",
        "khan2025",
        "xiao2025",
    }
)


def in_ci() -> bool:
    """True when running in CI (``CI=true``), where missing references are failures."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def missing_reference(what: str) -> NoReturn:
    """Skip (laptop) or fail (CI) a test whose independent reference is unavailable."""
    if in_ci():
        pytest.fail(f"{what}; CI=true requires it (.ci/run installs R and needs ../shared/seeds)")
    pytest.skip(what)


@pytest.fixture(autouse=True)
def _numpy_error_state_is_restored() -> Iterator[None]:
    """Restore numpy's error state after each test and fail a test that changed it."""
    before = np.geterr()
    yield
    after = np.geterr()
    np.seterr(**before)
    if after != before:
        changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        pytest.fail(
            f"the test left numpy's error state changed {changed}: wrap the call that changes "
            "it (e.g. a lifelines fitter) in `with np.errstate(**np.geterr()):`"
        )


@pytest.fixture
def seeds_dir() -> Path:
    """``../shared/seeds``; skips on a laptop without it, fails in CI."""
    if not SEEDS_DIR.is_dir():
        missing_reference(f"{SEEDS_DIR} (the seed documents) is not beside the checkout")
    return SEEDS_DIR


def rscript_path() -> str | None:
    """Path of Rscript, or None."""
    return shutil.which("Rscript")


def run_r(script: str | Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run an R script (path or code) with Rscript, failing the test on error."""
    exe = rscript_path()
    if exe is None:
        missing_reference("Rscript is not on PATH")
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
    """The Rscript executable; skips the test when R is not installed (fails in CI)."""
    exe = rscript_path()
    if exe is None:
        missing_reference("Rscript is not on PATH")
    return str(exe)


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    return REFERENCE_DIR


@pytest.fixture
def two_files_one_id(tmp_path: Path) -> tuple[Path, Path]:
    """Two record files that differ only in their path and share the id ``same``."""
    body = (
        'schema = 1\nid = "same"\nkind = "publication"\n[[claims]]\nid = "s"\ntype = "sum"\n'
        'quote = "1 + 1 = 2"\nprinted = { total = "2", parts = ["1", "1"] }\n'
    )
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(body)
    b.write_text(body)
    return a, b
