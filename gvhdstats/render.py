"""Rendering verdict tables as text: the only place where numbers are rounded.

``table`` and ``markdown`` show recomputed values with 6 significant digits;
``json`` and ``csv`` carry the full floating-point value.  Notes are text made
by the checks with :func:`gvhdstats.checks.verdicts.fmt_number` (4 significant
digits); the ``discriminates`` column shows ``yes``/``no``/blank (undecided).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from typing import Any

from gvhdstats.errors import InvalidArgumentError

__all__ = ["FORMATS", "render"]

FORMATS = ("table", "json", "csv", "markdown")


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


def _records(frame) -> list[dict[str, Any]]:
    out = []
    for row in frame.to_dict(orient="records"):
        clean = {}
        for k, v in row.items():
            if isinstance(v, tuple):
                v = list(v)
            elif isinstance(v, float) and math.isnan(v):
                v = None
            elif hasattr(v, "item"):  # numpy scalar
                v = v.item()
            clean[k] = v
        out.append(clean)
    return out


def _summary(rows: Sequence[dict[str, Any]]) -> str:
    """``N rows: a reproduced, b inconsistent, c not-checkable`` (+ simulation counts).

    The plausibility verdicts of ``verify --simulate`` are counted apart,
    after a semicolon, so that they never read as reproduced numbers:
    ``...; simulation: 1 plausible, 1 implausible``.
    """
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    parts = [f"{counts.get(v, 0)} {v}" for v in ("reproduced", "inconsistent", "not-checkable")]
    text = f"{len(rows)} rows: " + ", ".join(parts)
    if counts.get("plausible") or counts.get("implausible"):
        sim = [f"{counts.get(v, 0)} {v}" for v in ("plausible", "implausible")]
        text += "; simulation: " + ", ".join(sim)
    return text


def render(frame, fmt: str = "table", *, max_note: int = 100) -> str:
    """Render a verdict DataFrame as ``table``, ``json``, ``csv`` or ``markdown`` text."""
    if fmt not in FORMATS:
        raise InvalidArgumentError(f"`format` must be one of {FORMATS}, but got {fmt!r}")
    rows = _records(frame)
    cols = list(frame.columns)
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
    cells = [[_fmt_value(r[c]) for c in cols] for r in rows]
    if fmt == "markdown":
        esc = [[c.replace("|", "\\|") for c in row] for row in cells]
        lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        lines += ["| " + " | ".join(row) + " |" for row in esc]
        return "\n".join(lines) + "\n\n" + _summary(rows)
    # plain table
    if "note" in cols:
        i = cols.index("note")
        for row in cells:
            if len(row[i]) > max_note:
                row[i] = row[i][: max_note - 3] + "..."
    widths = [max([len(c)] + [len(row[j]) for row in cells]) for j, c in enumerate(cols)]
    fmt_line = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt_line.format(*cols), fmt_line.format(*["-" * w for w in widths])]
    lines += [fmt_line.format(*row).rstrip() for row in cells]
    return "\n".join(lines) + "\n" + _summary(rows)
