"""The documentation site builds with Sphinx, warnings as errors, examples executed.

``docs/conf.py`` runs every ``>>>`` example of every page during the build and
turns a failing one into a warning, so this one build checks the pages, the
generated API reference (autodoc + numpydoc) and the worked examples.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import missing_reference

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _need(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        missing_reference(f"{module} is not installed (the `docs` extra)")


@pytest.mark.docs
def test_sphinx_build_has_no_warning_and_runs_the_examples(tmp_path):
    for module in ("sphinx", "myst_parser", "numpydoc", "matplotlib"):
        _need(module)
    out = tmp_path / "html"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            "-d",
            str(tmp_path / "doctrees"),
            str(DOCS),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    pages = {p.stem for p in out.glob("*.html")}
    md = {p.stem for p in DOCS.glob("*.md")}
    assert md <= pages
    api = (out / "api.html").read_text(encoding="utf-8")
    # the API reference is generated from the docstrings (numpydoc sections rendered)
    assert 'id="gvhdstats.check_2x2"' in api
    assert "Parameters" in api
    assert "Returns" in api
    for image in ("plot_km.png", "plot_cuminc.png", "report_or_day28.svg"):
        assert (out / "_images" / image).exists()


@pytest.mark.docs
def test_a_failing_example_fails_the_build(tmp_path):
    """The example runner is not decoration: a wrong output is a build error."""
    _need("sphinx")
    _need("myst_parser")
    _need("numpydoc")
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text((DOCS / "conf.py").read_text(encoding="utf-8"))
    (src / "index.md").write_text("# t\n\n```python\n>>> 1 + 1\n3\n\n```\n")
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(src), str(tmp_path / "o")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode != 0
    assert "example failed" in proc.stderr
