"""Reading papers: text, Markdown, HTML and PDF -> statements -> claims -> verdicts.

Layer (docs/architecture.md): above the engine, below the interfaces.  It may
import the engine, records, checks, methods and numbers; the command line
(``gvhdstats scan``) and ``gvhdstats.scan`` of the public API import it.

Modules: ``text`` (reading and normalising inputs), ``sentences`` (splitting
with spans), ``patterns`` (the statement forms), ``claims`` (grouping, arms,
denominators, claims), ``draft`` (draft record and TOML), ``core``
(:func:`scan`, :class:`ScanResult`, :func:`scan_many`).
"""

import os
import sys as _sys
import types as _types

from gvhdstats.scan.core import SCAN_COLUMNS, ScanResult, scan, scan_document, scan_many
from gvhdstats.scan.text import Document, iter_documents

__all__ = [
    "SCAN_COLUMNS",
    "Document",
    "ScanResult",
    "iter_documents",
    "scan",
    "scan_document",
    "scan_many",
]


class _CallableModule(_types.ModuleType):
    """``gvhdstats.scan`` is both this package and the function :func:`scan`.

    ``import gvhdstats.scan`` binds the package to ``gvhdstats.scan``; making the
    package callable keeps ``gvhdstats.scan(text)`` working either way.
    """

    def __call__(
        self, text_or_path: str | os.PathLike[str], *, id: str | None = None
    ) -> ScanResult:
        return scan(text_or_path, id=id)


_sys.modules[__name__].__class__ = _CallableModule
