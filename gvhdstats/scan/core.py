"""``scan``: from a paper's text to claims, verdicts and a draft record."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gvhdstats.engine import VERIFY_COLUMNS
from gvhdstats.errors import InvalidArgumentError
from gvhdstats.scan.claims import Scan, ScannedClaim, build_claims
from gvhdstats.scan.draft import draft_document, dumps
from gvhdstats.scan.text import Document, iter_documents

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from gvhdstats.records import Record

__all__ = ["SCAN_COLUMNS", "ScanResult", "scan", "scan_document", "scan_many"]


#: Columns of :meth:`ScanResult.verify`: those of :func:`gvhdstats.verify`, then the
#: sentence and the character span ``[start, end)`` of the printed number in the text.
SCAN_COLUMNS = (*VERIFY_COLUMNS, "sentence", "start", "end")


@dataclass
class ScanResult:
    """What :func:`scan` found in one document.

    Attributes
    ----------
    document : Document
        The text scanned (spans point into ``document.text``).
    claims : tuple of ScannedClaim
        The claims, in the record schema, with the spans of their numbers.
    skipped : tuple
        Statements seen but not turned into claims, with the reason.
    """

    document: Document
    scan: Scan = field(repr=False)

    @property
    def id(self) -> str:
        return self.document.id

    @property
    def claims(self) -> tuple[ScannedClaim, ...]:
        return tuple(self.scan.claims)

    @property
    def skipped(self) -> tuple[tuple[Any, str], ...]:
        return tuple(self.scan.skipped)

    def to_document(self) -> dict[str, Any]:
        """The draft record as a dict in the record schema."""
        src = Path(self.document.source).name if self.document.source not in ("", "-") else ""
        return draft_document(self.scan, self.document.id, src)

    @cached_property
    def record(self) -> Record:
        """The draft record, validated by the record loader (:class:`gvhdstats.records.Record`)."""
        from gvhdstats.records.loader import parse_record

        return parse_record(self.to_document(), f"<scan of {self.document.source or self.id}>")

    def to_toml(self) -> str:
        """The draft record as TOML (``gvhdstats verify`` reads it)."""
        head = (
            f"Draft record scanned by gvhdstats from {self.document.source or self.id}.\n"
            "Quotes are the sentences of the input (whitespace collapsed); every `assumed`\n"
            "entry says why. Curate before relying on it."
        )
        return dumps(self.to_document(), header=head)

    def verify(self) -> pd.DataFrame:
        """Verdict rows (the columns of :func:`gvhdstats.verify`) plus sentence and span.

        ``start`` and ``end`` index ``document.text`` (the printed number of the row,
        or the whole statement for joint and record-level rows); ``None`` for rows
        of no scanned claim.
        """
        import pandas as pd

        from gvhdstats.engine import verify_rows

        by_id = {c.id: c for c in self.scan.claims}
        rows = []
        for cid, row in verify_rows(self.record):
            d = {"record": self.record.id, "claim": cid, **row.as_dict()}
            c = by_id.get(cid)
            if c is None:
                d.update(sentence="", start=None, end=None)
            else:
                a, b = _row_span(c, row.quantity, row.reported)
                d.update(sentence=c.quote, start=a, end=b)
            rows.append(d)
        frame = pd.DataFrame(rows, columns=list(SCAN_COLUMNS))
        for col in ("start", "end"):
            frame[col] = frame[col].astype(object)
        return frame

    def explain(self) -> str:
        """Each sentence with a statement: the spans taken and the claim type of each."""
        text = self.document.text
        lines = [f"== {self.id} ({self.document.source or 'text'}): {len(self.claims)} claims"]
        by_sentence: dict[int, list[ScannedClaim]] = {}
        for c in self.scan.claims:
            by_sentence.setdefault(c.sentence.index, []).append(c)
        skipped: dict[int, list[tuple[Any, str]]] = {}
        for st, why in self.scan.skipped:
            for s in self.scan.sentences:
                if s.start <= st.start < s.end:
                    skipped.setdefault(s.index, []).append((st, why))
        for s in self.scan.sentences:
            cl = by_sentence.get(s.index, [])
            sk = skipped.get(s.index, [])
            if not cl and not sk:
                continue
            lines.append(f"[{s.index}] {s.start}-{s.end}: {' '.join(s.text.split())}")
            for c in cl:
                nums = ", ".join(f"{k}={text[a:b]!r}@{a}-{b}" for k, (a, b) in c.spans.items())
                lines.append(f"    {c.type:<15} {c.id:<14} {nums}")
                for k, (v, why) in c.assumed.items():
                    lines.append(f"    {'':<15} {'':<14} assumed {k} = {v}: {why}")
            for st, why in sk:
                lines.append(
                    f"    {'(not taken)':<15} {st.kind:<14} {text[st.start : st.end]!r}@"
                    f"{st.start}-{st.end}: {why}"
                )
        return "\n".join(lines)

    def __repr__(self) -> str:
        types: dict[str, int] = {}
        for c in self.scan.claims:
            types[c.type] = types.get(c.type, 0) + 1
        kinds = ", ".join(f"{n} {t}" for t, n in sorted(types.items()))
        return f"ScanResult(id={self.id!r}, claims={len(self.scan.claims)} [{kinds}])"


_QUANTITY_KEYS = {
    "percent[treatment]": "treatment_percent",
    "percent[control]": "control_percent",
    "hazard_ratio": "estimate",
    "subdistribution_hazard_ratio": "estimate",
    "odds_ratio": "odds_ratio",
    "risk_ratio": "risk_ratio",
}


def _row_span(c: ScannedClaim, quantity: str, reported: str) -> tuple[int, int]:
    key = _QUANTITY_KEYS.get(quantity, quantity)
    if key in c.spans and c.printed.get(key) == reported:
        return c.spans[key]
    if c.type in ("ratio",) and quantity in ("odds_ratio", "risk_ratio") and "estimate" in c.spans:
        return c.spans["estimate"]
    for k, v in c.printed.items():
        if isinstance(v, list):
            for i, item in enumerate(v):
                if item == reported and f"{k}[{i}]" in c.spans:
                    return c.spans[f"{k}[{i}]"]
        elif v == reported and k in c.spans:
            return c.spans[k]
    if key in c.spans:
        return c.spans[key]
    return (c.start, c.end)


def scan_document(document: Document) -> ScanResult:
    """Scan one :class:`Document`."""
    return ScanResult(document, build_claims(document.text))


def _is_file(text: str) -> bool:
    try:
        return len(text) < 1024 and Path(text).is_file()
    except (OSError, ValueError):
        return False


def scan(text_or_path: str | os.PathLike[str], *, id: str | None = None) -> ScanResult:
    """Find every checkable statement of a paper's text and build a draft record.

    Parameters
    ----------
    text_or_path : str or path
        The text itself, or the path of a text, Markdown, HTML or PDF file.
        (A string is taken as a path when it names an existing file.)
    id : str, optional
        The record id of the draft (default: the file stem, or ``"text"``).

    Returns
    -------
    ScanResult
        ``.claims`` (with spans), ``.record`` (validated by the record loader),
        ``.to_toml()``, ``.verify()`` (verdict DataFrame with sentence and span)
        and ``.explain()``.

    Raises
    ------
    InvalidArgumentError
        The path cannot be read, or a JSON Lines file holds more than one text
        (use :func:`scan_many`).

    Examples
    --------
    >>> res = scan("Response: 82 (82.8%) vs 70 (70.7%); odds ratio, 2.00; "
    ...            "95% CI, 1.01-3.94; P = 0.043. Arms: n = 99 and n = 99.")
    >>> [c.type for c in res.claims]
    ['two-arm-binary']
    >>> rows = res.verify()
    >>> rows.loc[rows["quantity"] == "joint[odds_ratio]", "methods"].iloc[0]
    ('sample+wald+pearson-chi2',)
    """
    if isinstance(text_or_path, os.PathLike) or (
        isinstance(text_or_path, str) and "\n" not in text_or_path and _is_file(text_or_path)
    ):
        docs = list(iter_documents([Path(text_or_path)]))
        if len(docs) != 1:
            raise InvalidArgumentError(
                f"`text_or_path` {str(text_or_path)!r} holds {len(docs)} texts: use scan_many"
            )
        doc = docs[0]
        if id is not None:
            doc = Document(id, doc.text, doc.source, doc.format)
        return scan_document(doc)
    if not isinstance(text_or_path, str):
        raise InvalidArgumentError(
            f"`text_or_path` must be a text or a path, but got {type(text_or_path).__name__}"
        )
    return scan_document(Document(id or "text", text_or_path, "", "text"))


def scan_many(
    documents: Iterable[Document],
    *,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
    chunksize: int = 8,
) -> list[ScanResult]:
    """Scan many documents, in parallel through any :class:`concurrent.futures.Executor`.

    Results come back in input order and are identical to the serial run
    (scanning is deterministic; nothing is shared between documents).  A
    ``dask.distributed.Client`` takes part through ``client.get_executor()``.

    Parameters
    ----------
    documents : iterable of Document
        E.g. from :func:`gvhdstats.scan.text.iter_documents`.
    executor : Executor, optional
        Runs :func:`scan_document` over the documents; ``None`` scans serially.
    progress : callable, optional
        Called as ``progress(done, total)`` after each document.
    chunksize : int
        Documents per task for a process pool.
    """
    docs = list(documents)
    out: list[ScanResult] = []
    if executor is None:
        results: Iterable[ScanResult] = map(scan_document, docs)
    else:
        try:
            results = executor.map(scan_document, docs, chunksize=chunksize)
        except TypeError:  # executors whose map has no chunksize
            results = executor.map(scan_document, docs)
    for i, res in enumerate(results, start=1):
        out.append(res)
        if progress is not None:
            progress(i, len(docs))
    return out


def terminal_progress(done: int, total: int) -> None:  # pragma: no cover - terminal only
    """A one-line progress bar on stderr."""
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\rscanning [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def verify_many(results: Sequence[ScanResult]) -> pd.DataFrame:
    """The verdict rows of several scans, one block per document, in order."""
    import pandas as pd

    frames = [f for f in (r.verify() for r in results) if len(f)]
    if not frames:
        return pd.DataFrame(columns=list(SCAN_COLUMNS))
    return pd.concat(frames, ignore_index=True)
