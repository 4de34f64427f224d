"""Sphinx configuration of the gvhdstats documentation site.

Build (the tests do this with ``-W``, so any warning fails them)::

    python -m pip install -e ".[docs]"
    python -m sphinx -W --keep-going -b html docs docs/_build/html

The pages are the Markdown files of ``docs/`` (MyST), the API reference is
generated from the numpydoc docstrings (``api.md``: autodoc + numpydoc), and
every ``>>>`` example of every page is executed during the build
(:func:`_run_examples`): a failing example is a build warning, hence an error
under ``-W``.
"""

from __future__ import annotations

import doctest
import os
import sys
from pathlib import Path

from docutils import nodes

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

from gvhdstats import __version__  # noqa: E402

project = "gvhdstats"
author = "gvhdstats developers"
copyright = "gvhdstats developers"
release = version = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "numpydoc",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "img/*.md"]
myst_heading_anchors = 3

html_theme = "alabaster"
html_title = f"gvhdstats {release}"
html_static_path: list[str] = []
html_theme_options = {"nosidebar": False, "page_width": "1100px"}

autodoc_default_options = {"members": False}
autodoc_typehints = "none"  # numpydoc's Parameters sections carry the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks: set[str] = set()
suppress_warnings = ["myst.header"]


# --------------------------------------------------------------------------
# run the worked examples of every page during the build
# --------------------------------------------------------------------------


def _run_examples(app, doctree) -> None:
    """Execute the ``>>>`` examples of a page, in order, in one namespace per page."""
    from sphinx.util import logging

    logger = logging.getLogger("gvhdstats.examples")
    parser = doctest.DocTestParser()
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    globs: dict = {"__name__": "__docs__"}
    docname = app.env.docname
    for block in doctree.findall(nodes.literal_block):
        text = block.astext()
        if ">>>" not in text:
            continue
        test = parser.get_doctest(text, globs, docname, docname, block.line or 0)
        out: list[str] = []
        runner = doctest.DocTestRunner(optionflags=flags)
        runner.run(test, out=out.append, clear_globs=False)
        globs.update(test.globs)
        if runner.failures:
            logger.warning(
                "example failed:\n%s", "".join(out)[-3000:], location=block, type="examples"
            )
    app.env.metadata.setdefault(docname, {})


def setup(app):
    app.connect("doctree-read", _run_examples)
    return {"parallel_read_safe": True}
