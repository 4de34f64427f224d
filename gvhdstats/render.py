"""Rendering verdict tables as text: the only place where numbers are rounded.

Formats (:data:`FORMATS`):

``table`` (the terminal default)
    For each record a summary line (rows per verdict, decision errors), then
    the *findings* only (:func:`findings`); with ``all_rows=True`` every row.
    Every row is a header line (claim, quantity, printed number, verdict) and
    its methods, recomputed value and note wrapped to ``width`` below it:
    nothing is cut.  Recomputed values show 6 significant digits.
``markdown``
    Every row, every column, as a Markdown table (6 significant digits).
``json`` and ``csv``
    Every row, every column, with the full floating-point values.

The ``discriminates`` column shows ``yes``/``no``/blank (undecided); notes are
text made by the checks (:func:`gvhdstats.checks.verdicts.fmt_number`).
Colour (ANSI) is added only when asked for (:func:`use_color` decides for a
stream: a terminal, and the ``NO_COLOR`` environment variable not set).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
import textwrap
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from gvhdstats.errors import InvalidArgumentError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "FORMATS",
    "findings",
    "render",
    "render_rows",
    "summary_frame",
    "terminal_width",
    "use_color",
    "verdict_names",
]

FORMATS = ("table", "json", "csv", "markdown")

# verdict words counted in every summary, even at 0; other Verdict members
# (e.g. plausible) are shown when they occur
_BASIC = ("reproduced", "inconsistent", "not-checkable")

#: Why a row is a finding (the ``finding`` labels of :func:`findings`).
FINDING_KINDS = ("inconsistent", "decision-error", "ambiguous")

_ANSI = {
    "reproduced": "32",  # green
    "inconsistent": "31;1",  # bold red
    "not-checkable": "2",  # dim
    "plausible": "36",  # cyan
    "implausible": "35;1",  # bold magenta
    "decision-error": "31;1",
    "ambiguous": "33",  # yellow
    "heading": "1",
}


def verdict_names() -> tuple[str, ...]:
    """The verdict words, in the order of :class:`~gvhdstats.checks.verdicts.Verdict`.

    Read from the enum each time, so verdicts added to it are counted too.
    """
    from gvhdstats.checks.verdicts import VERDICTS

    return VERDICTS


def use_color(stream: IO[str] | None = None) -> bool:
    """Whether to colour output written to ``stream`` (default ``sys.stdout``).

    True only when the stream is a terminal and the ``NO_COLOR`` environment
    variable is unset or empty (https://no-color.org).
    """
    import sys

    if os.environ.get("NO_COLOR", ""):
        return False
    s = sys.stdout if stream is None else stream
    isatty = getattr(s, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def terminal_width(stream: IO[str] | None = None, default: int = 100) -> int:
    """The width to wrap output written to ``stream`` (default ``sys.stdout``), at least 40.

    ``COLUMNS`` if set; else, when ``stream`` is a terminal, its width
    (``shutil.get_terminal_size``); else ``default``, so that output sent to
    a pipe or a file is the same wherever it is produced.
    """
    import sys

    if os.environ.get("COLUMNS", "").strip().isdigit():
        return max(40, int(os.environ["COLUMNS"]))
    s = sys.stdout if stream is None else stream
    isatty = getattr(s, "isatty", None)
    try:
        tty = bool(isatty and isatty())
    except ValueError:  # a closed stream
        tty = False
    if not tty:
        return max(40, default)
    return max(40, shutil.get_terminal_size((default, 24)).columns)


def _paint(text: str, kind: str, color: bool) -> str:
    code = _ANSI.get(kind)
    if not color or not code:
        return text
    return f"\x1b[{code}m{text}\x1b[0m"


def _fmt_value(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, list | tuple):
        return ", ".join(map(str, v))
    return str(v)


def _clean_rows(rows: Sequence[dict[Any, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        clean = {}
        for k, v in row.items():
            if isinstance(v, tuple):
                v = list(v)
            elif isinstance(v, float) and math.isnan(v):
                v = None
            elif hasattr(v, "item"):  # numpy scalar
                v = v.item()
            clean[str(k)] = v
        out.append(clean)
    return out


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return _clean_rows(frame.to_dict(orient="records"))


def _plain_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of :func:`gvhdstats.engine.verify_dicts` as :func:`_records` gives them from
    :func:`gvhdstats.engine.verify`'s DataFrame, without pandas.

    The one conversion the DataFrame makes on verify's columns is the ``recomputed``
    column (float64): a number there becomes a float.
    """
    out = _clean_rows(rows)
    for r in out:
        v = r.get("recomputed")
        if v is not None and not isinstance(v, bool | float) and isinstance(v, int):
            r["recomputed"] = float(v)
    return out


_SIMULATION = ("plausible", "implausible")


def _counts_line(rows: Sequence[dict[str, Any]]) -> str:
    """``N rows: a reproduced, b inconsistent, c not-checkable`` (+ simulation counts).

    The plausibility verdicts of ``verify --simulate`` are counted apart, after
    a semicolon, so that they never read as reproduced numbers:
    ``...; simulation: 1 plausible, 1 implausible``; any other verdict word
    (a member added to :class:`~gvhdstats.checks.verdicts.Verdict`) follows.
    """
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    text = f"{len(rows)} rows: " + ", ".join(f"{counts.get(v, 0)} {v}" for v in _BASIC)
    if any(counts.get(v) for v in _SIMULATION):
        text += "; simulation: " + ", ".join(f"{counts.get(v, 0)} {v}" for v in _SIMULATION)
    names = list(verdict_names())
    names += sorted(v for v in counts if v not in names)
    other = [v for v in names if v not in _BASIC + _SIMULATION and counts.get(v)]
    if other:
        text += "; " + ", ".join(f"{counts[v]} {v}" for v in other)
    return text


def _family_claims(rows: Sequence[dict[str, Any]]) -> set[tuple[Any, Any]]:
    """(record, claim) pairs that have a joint row: their methods are alternatives."""
    return {
        (r.get("record"), r.get("claim"))
        for r in rows
        if str(r.get("quantity", "")).startswith("joint[")
    }


def finding_kinds(
    row: dict[str, Any], family_claims: set[tuple[Any, Any]] | None = None
) -> list[str]:
    """Why a verdict row is a finding (empty when it is not one).

    ``inconsistent``
        The verdict is ``inconsistent`` (or ``implausible``).
    ``decision-error``
        ``decision_error`` is true: the recomputed value flips significance.
    ``ambiguous``
        Reproduced by several methods that the printed precision cannot tell
        apart: the row's ``discriminates`` is ``False``.  For a table without
        that column, rows reproduced by two or more methods of a claim that
        has a joint row (``joint[...]``: its methods are alternative method
        families) when ``family_claims`` (the set of ``(record, claim)`` with a
        joint row) is given.
    """
    out = []
    verdict = str(row.get("verdict", ""))
    if verdict in ("inconsistent", "implausible"):
        out.append("inconsistent")
    if row.get("decision_error") is True:
        out.append("decision-error")
    if "discriminates" in row:
        ambiguous = row["discriminates"] is False
    else:
        methods = row.get("methods") or ()
        ambiguous = bool(
            family_claims
            and verdict == "reproduced"
            and len(methods) >= 2
            and not str(row.get("quantity", "")).startswith("joint[")
            and (row.get("record"), row.get("claim")) in family_claims
        )
    if ambiguous:
        out.append("ambiguous")
    return out


def findings(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows a reader should see first, with a ``finding`` column added.

    A row is a finding when it is ``inconsistent`` (or ``implausible``), has a
    decision error, or is reproduced by several methods that its printed
    precision cannot tell apart (see :func:`finding_kinds`).

    Examples
    --------
    >>> from gvhdstats import verify
    >>> from gvhdstats.render import findings
    >>> f = findings(verify("zhao2022"))
    >>> p = f.loc[f["quantity"] == "p", ["claim", "reported", "verdict", "finding"]]
    >>> p.reset_index(drop=True)
            claim reported       verdict       finding
    0   dor-day56    0.027    reproduced     ambiguous
    1  relapse-hr    0.610  inconsistent  inconsistent
    """
    import pandas as pd

    rows = _records(frame)
    fam = _family_claims(rows)
    keep = []
    kinds = []
    for i, r in enumerate(rows):
        k = finding_kinds(r, fam)
        if k:
            keep.append(i)
            kinds.append(", ".join(k))
    out = frame.iloc[keep].reset_index(drop=True).copy()
    out["finding"] = pd.Series(kinds, dtype=object)
    return out


def summary_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows per verdict and decision errors, one line per record.

    Columns: ``record``, ``rows``, one column per verdict word (every member
    of :class:`~gvhdstats.checks.verdicts.Verdict`, plus any other word found),
    ``decision_errors`` and ``findings``.

    Examples
    --------
    >>> from gvhdstats import verify
    >>> from gvhdstats.render import summary_frame
    >>> s = summary_frame(verify(["zhao2022", "zhao2025"]))
    >>> s[["record", "rows", "reproduced", "inconsistent", "decision_errors"]]
         record  rows  reproduced  inconsistent  decision_errors
    0  zhao2022    79          51             2                0
    1  zhao2025    22           7             0                0
    """
    import pandas as pd

    out, cols = _summary_rows(_records(frame))
    return pd.DataFrame(out, columns=cols)


def _summary_rows(rows: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """The lines of :func:`summary_frame` as dicts, and its columns."""
    names = list(verdict_names())
    names += sorted({str(r["verdict"]) for r in rows} - set(names))
    fam = _family_claims(rows)
    order: list[Any] = []
    for r in rows:
        if r.get("record") not in order:
            order.append(r.get("record"))
    out = []
    for rid in order:
        mine = [r for r in rows if r.get("record") == rid]
        line: dict[str, Any] = {"record": rid, "rows": len(mine)}
        for v in names:
            line[v] = sum(1 for r in mine if r["verdict"] == v)
        line["decision_errors"] = sum(1 for r in mine if r.get("decision_error") is True)
        line["findings"] = sum(1 for r in mine if finding_kinds(r, fam))
        out.append(line)
    cols = ["record", "rows", *names, "decision_errors", "findings"]
    return out, cols


def _summary_lines(
    rid: str, s: dict[str, Any], names: Sequence[str], width: int, color: bool
) -> list[str]:
    nb = "\xa0"  # keeps "51 reproduced" together when wrapping
    tokens: list[tuple[str, str, bool]] = []
    sim: list[tuple[str, str, bool]] = []
    for v in names:
        n = int(s.get(v, 0))
        (sim if v in _SIMULATION else tokens).append((f"{n}{nb}{v}", v, n > 0))
    de = int(s["decision_errors"])
    tokens.append((f"{de}{nb}decision{nb}error{'s' if de != 1 else ''}", "decision-error", de > 0))
    head = f"{rid}{nb}{nb}{s['rows']}{nb}rows:"
    text = head + " " + ", ".join(t for t, _, _ in tokens)
    if sim:  # model-based verdicts apart, never read as reproduced numbers
        text += "; simulation: " + ", ".join(t for t, _, _ in sim)
    tokens += sim
    lines = textwrap.wrap(text, width=width, subsequent_indent="  ", break_on_hyphens=False)
    out = []
    for line in lines:
        if color:
            line = line.replace(head, _paint(head, "heading", True), 1)
            for t, kind, on in tokens:
                if on:
                    line = line.replace(t, _paint(t, kind, True), 1)
        out.append(line.replace(nb, " "))
    return out


def _row_block(
    r: dict[str, Any], kinds: list[str], width: int, claim_w: int, qty_w: int, color: bool
) -> list[str]:
    verdict = str(r.get("verdict", ""))
    head = (
        f"  {r.get('claim', '')!s:<{claim_w}}  {r.get('quantity', '')!s:<{qty_w}}  "
        f"{r.get('reported', '')}  "
    )
    label = verdict
    extra = [k for k in kinds if k != "inconsistent"]
    if extra:
        label += " [" + ", ".join(extra) + "]"
    lines = textwrap.wrap(
        head + label, width=width, subsequent_indent=" " * 6, break_on_hyphens=False
    )
    if color and lines:
        last = lines[-1]
        idx = last.rfind(verdict)
        if idx >= 0:
            kind = "ambiguous" if "ambiguous" in kinds and verdict == "reproduced" else verdict
            lines[-1] = last[:idx] + _paint(last[idx:], kind, True)
    detail = []
    if r.get("methods"):
        detail.append("methods: " + _fmt_value(r["methods"]))
    if r.get("recomputed") is not None:
        by = f" ({r['recomputed_method']})" if r.get("recomputed_method") else ""
        detail.append("recomputed: " + _fmt_value(r["recomputed"]) + by)
    if r.get("decision_error") is True:
        detail.append("decision error: the recomputed value flips significance")
    if r.get("note"):
        detail.append(str(r["note"]))
    for d in detail:
        lines += textwrap.wrap(
            d,
            width=width,
            initial_indent=" " * 6,
            subsequent_indent=" " * 8,
            break_on_hyphens=False,
            break_long_words=True,
        )
    return lines


def _table(rows: list[dict[str, Any]], *, all_rows: bool, width: int, color: bool) -> str:
    if not rows:
        return "0 rows"
    fam = _family_claims(rows)
    summary, scols = _summary_rows(rows)
    skip = ("record", "rows", "decision_errors", "findings")
    names = [str(c) for c in scols if c not in skip]
    # every verdict word that occurs, always the three basic ones, and both simulation
    # words when either occurs
    sim = any(int(s.get(v, 0)) for s in summary for v in _SIMULATION)
    names = [
        v
        for v in names
        if any(int(s.get(v, 0)) for s in summary) or v in _BASIC or (sim and v in _SIMULATION)
    ]
    out: list[str] = []
    for s in summary:
        rid = s["record"]
        mine = [r for r in rows if r.get("record") == rid]
        shown = mine if all_rows else [r for r in mine if finding_kinds(r, fam)]
        rid = "" if rid is None else rid
        out += _summary_lines(str(rid), s, names, width, color)
        if not shown:
            out.append("  no findings" if not all_rows else "")
            out.append("")
            continue
        if not all_rows:
            out.append(f"  findings ({len(shown)}):")
        claim_w = min(24, max(len(str(r.get("claim", ""))) for r in shown))
        qty_w = min(24, max(len(str(r.get("quantity", ""))) for r in shown))
        for r in shown:
            out += _row_block(r, finding_kinds(r, fam), width, claim_w, qty_w, color)
        out.append("")
    total = _counts_line(rows)
    if not all_rows:
        hidden = len(rows) - sum(1 for r in rows if finding_kinds(r, fam))
        total += f" ({hidden} rows without findings not shown; --all shows every row)"
    out += textwrap.wrap(total, width=width)
    return "\n".join(out)


def render(
    frame: pd.DataFrame,
    fmt: str = "table",
    *,
    all_rows: bool = False,
    width: int | None = None,
    color: bool = False,
) -> str:
    """Render a verdict DataFrame as ``table``, ``json``, ``csv`` or ``markdown`` text.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table from :func:`gvhdstats.verify` (or any frame with its columns).
    fmt : {"table", "json", "csv", "markdown"}
        ``table`` gives per-record summaries and the findings (every row with
        ``all_rows``), wrapped to ``width``; the other formats always carry
        every row and column.
    all_rows : bool
        ``table`` only: show every row, not just the findings.
    width : int, optional
        ``table`` only: wrap to this many columns (default
        :func:`terminal_width`).
    color : bool
        ``table`` only: colour verdicts with ANSI escapes.

    Returns
    -------
    str

    Raises
    ------
    InvalidArgumentError
        If ``fmt`` is not one of :data:`FORMATS`.
    """
    return _render(
        _records(frame),
        [str(c) for c in frame.columns],
        fmt,
        all_rows=all_rows,
        width=width,
        color=color,
    )


def render_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: str = "table",
    *,
    all_rows: bool = False,
    width: int | None = None,
    color: bool = False,
) -> str:
    """:func:`render` for the rows of :func:`gvhdstats.engine.verify_dicts` (no pandas).

    ``render_rows(verify_dicts(x), VERIFY_COLUMNS, fmt)`` gives the same text as
    ``render(verify(x), fmt)``; the command line uses it so that it need not
    import pandas.  Parameters and errors as :func:`render`; ``columns`` are
    the columns, in order.

    Examples
    --------
    >>> from gvhdstats.engine import VERIFY_COLUMNS, verify_dicts
    >>> text = render_rows(verify_dicts("zhao2025"), VERIFY_COLUMNS, "csv")
    >>> text.splitlines()[0]
    'record,claim,quantity,reported,verdict,methods,discriminates,recomputed,recomputed_method,decision_error,note'
    """
    return _render(
        _plain_rows(rows),
        [str(c) for c in columns],
        fmt,
        all_rows=all_rows,
        width=width,
        color=color,
    )


def _render(
    rows: list[dict[str, Any]],
    cols: list[str],
    fmt: str,
    *,
    all_rows: bool,
    width: int | None,
    color: bool,
) -> str:
    if fmt not in FORMATS:
        raise InvalidArgumentError(f"`format` must be one of {FORMATS}, but got {fmt!r}")
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow(
                [
                    "; ".join(r[c]) if isinstance(r[c], list) else ("" if r[c] is None else r[c])
                    for c in cols
                ]
            )
        return buf.getvalue().rstrip("\n")
    if fmt == "markdown":
        cells = [[_fmt_value(r[c]) for c in cols] for r in rows]
        esc = [[c.replace("|", "\\|") for c in row] for row in cells]
        lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        lines += ["| " + " | ".join(row) + " |" for row in esc]
        return "\n".join(lines) + "\n\n" + _counts_line(rows)
    return _table(rows, all_rows=all_rows, width=width or terminal_width(), color=color)
