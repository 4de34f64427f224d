"""Lint and type checks as part of the test suite.

Each test runs one tool from the repository root with the configuration in
``pyproject.toml`` (``[tool.ruff]``, ``[tool.mypy]``) and fails with the
tool's output.  A test is skipped when its tool is not installed
(``pip install gvhdstats[test]`` installs them).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(module: str, *args: str) -> None:
    """Run ``python -m module args`` in the repository root; fail with its output."""
    proc = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"`{module} {' '.join(args)}` exited with status {proc.returncode}:\n"
            f"{proc.stdout}{proc.stderr}",
            pytrace=False,
        )


def test_ruff_check():
    pytest.importorskip("ruff")
    _run("ruff", "check", "gvhdstats", "tests")


def test_ruff_format():
    pytest.importorskip("ruff")
    _run("ruff", "format", "--check", "gvhdstats", "tests")


def test_mypy():
    pytest.importorskip("mypy")
    if not (ROOT / "pyproject.toml").is_file():
        pytest.skip("pyproject.toml (the mypy configuration) is not available")
    # files, python_version and options come from [tool.mypy] in pyproject.toml
    _run("mypy")
