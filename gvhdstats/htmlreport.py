"""The HTML audit report: one self-contained file a statistical reviewer can attach.

``gvhdstats report ID|PATH... --html OUT.html`` and :func:`report` write one
HTML file per call with, for each record:

1. the citation (title, journal, DOI, PubMed and registry ids, as text) and the
   design (phase, allocation, arms, ...);
2. the verdict summary (rows per verdict word, decision errors, findings);
3. one card per claim: the quoted sentence with each printed number
   highlighted by its verdict, the verdict rows, and a figure
   (:mod:`gvhdstats.svgfigures`: the method map of a two-arm table, the P
   range a ratio's CI allows, each CI transformation's implied interval of an
   incidence, the nearest attainable Kaplan-Meier values);
4. a card for record-level checks (e.g. the registry comparison).

The file has inline CSS and inline SVG only: no script, no font, image or
style sheet is loaded from anywhere, so it opens offline and can be archived
as it is.  The figures are drawn without matplotlib, so a plain install
writes reports.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from gvhdstats.checks.verdicts import CheckRow
    from gvhdstats.records import Claim, Record

__all__ = ["report"]

_CSS = """
:root { --ok: #1a7f37; --bad: #b42318; --nc: #667085; --pl: #0e7490; --bg: #f8f9fb; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #1d2433; background: var(--bg); margin: 0; padding: 24px; }
main { max-width: 980px; margin: 0 auto; }
h1 { font-size: 1.5em; margin: 0 0 4px; }
h2 { font-size: 1.25em; margin: 32px 0 8px; border-bottom: 2px solid #d0d5dd; }
h3 { font-size: 1.05em; margin: 0 0 6px; }
.meta { color: #475467; margin: 2px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 0.88em; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #e4e7ec;
         vertical-align: top; overflow-wrap: break-word; }
table.rows { table-layout: fixed; }
table.rows col.q { width: 15%; } table.rows col.p { width: 11%; }
table.rows col.v { width: 11%; } table.rows col.m { width: 14%; }
table.rows col.r { width: 12%; } table.rows col.d { width: 9%; }
ul.findings li { margin: 2px 0; }
a { color: #1849a9; }
table.design th { width: 150px; white-space: nowrap; }
table.summary td, table.summary th { text-align: center; }
th { background: #f2f4f7; }
td.num { font-variant-numeric: tabular-nums; }
.card { background: #fff; border: 1px solid #d0d5dd; border-left: 6px solid var(--nc);
        border-radius: 6px; padding: 12px 16px; margin: 14px 0; }
.card.v-reproduced { border-left-color: var(--ok); }
.card.v-inconsistent, .card.v-implausible { border-left-color: var(--bad); }
.card.v-plausible { border-left-color: var(--pl); }
blockquote { margin: 6px 0 10px; padding: 6px 12px; background: #f9fafb;
             border-left: 3px solid #d0d5dd; font-style: italic; }
mark { padding: 0 2px; border-radius: 3px; font-style: normal; font-weight: 600; }
mark.v-reproduced { background: #d1fadf; color: #05603a; }
mark.v-inconsistent, mark.v-implausible { background: #fee4e2; color: #912018; }
mark.v-not-checkable { background: #eaecf0; color: #344054; }
mark.v-plausible { background: #cff9fe; color: #155b75; }
.verdict { font-weight: 600; white-space: nowrap; }
.verdict.v-reproduced { color: var(--ok); }
.verdict.v-inconsistent, .verdict.v-implausible { color: var(--bad); }
.verdict.v-not-checkable { color: var(--nc); }
.verdict.v-plausible { color: var(--pl); }
.summary td.n { font-weight: 700; font-size: 1.1em; }
.legend { font-size: 0.85em; color: #475467; }
.legend span.sw { display: inline-block; width: 12px; height: 12px; vertical-align: -1px;
                  margin: 0 4px 0 10px; border-radius: 2px; }
figure { margin: 8px 0 0; overflow-x: auto; }
figcaption { font-size: 0.85em; color: #475467; }
.nofig { color: #667085; font-size: 0.9em; }
.amb { color: #b54708; font-size: 0.85em; }
footer { margin-top: 40px; color: #667085; font-size: 0.85em; }
"""

_SEVERITY = ("inconsistent", "implausible", "plausible", "reproduced", "not-checkable")


def _esc(x: Any) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _cls(verdict: str) -> str:
    return "v-" + re.sub(r"[^a-z0-9-]", "", verdict.lower())


def _fmt(v: Any) -> str:
    from gvhdstats.render import _fmt_value

    return _fmt_value(v)


def _worst(verdicts: Iterable[str]) -> str:
    vs = list(verdicts)
    for v in _SEVERITY:
        if v in vs:
            return v
    return vs[0] if vs else "not-checkable"


def _quote_html(quote: str, marks: dict[str, str]) -> str:
    """The quote, escaped, with each printed string wrapped in ``<mark>`` by verdict."""
    text = _esc(quote)
    # the records keep <sup>/<sub> of the source; show them as such
    text = re.sub(r"&lt;(/?)(sup|sub)&gt;", r"<\1\2>", text)
    if not marks:
        return text
    # longest first, so "10.1" is not marked inside "110.1"; never inside a number
    keys = sorted(marks, key=len, reverse=True)
    pattern = "|".join(re.escape(_esc(k)) for k in keys)
    rx = re.compile(rf"(?<![\w.])({pattern})(?![\w]|\.\d)")
    by_escaped = {_esc(k): v for k, v in marks.items()}

    def sub(m: re.Match[str]) -> str:
        v = by_escaped[m.group(1)]
        return f'<mark class="{_cls(v)}" title="{_esc(v)}">{m.group(1)}</mark>'

    # do not touch the inside of the <sup>/<sub> tags we just restored
    parts = re.split(r"(<[^>]+>)", text)
    return "".join(p if p.startswith("<") else rx.sub(sub, p) for p in parts)


def _printed_marks(claim: Claim, rows: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Printed string -> verdict of the row(s) that check it."""
    marks: dict[str, list[str]] = {}
    by_quantity: dict[str, list[str]] = {}
    for r in rows:
        by_quantity.setdefault(str(r["quantity"]), []).append(str(r["verdict"]))
    reported = {str(r["reported"]): str(r["verdict"]) for r in rows}
    for key, val in claim.printed.items():
        vals = val if isinstance(val, list) else [val]
        for v in vals:
            if not isinstance(v, str) or not v.strip():
                continue
            verdicts = by_quantity.get(key) or [
                vv for q, vs in by_quantity.items() if key in q for vv in vs
            ]
            if not verdicts and v in reported:
                verdicts = [reported[v]]
            verdict = _worst(verdicts) if verdicts else "not-checkable"
            texts = {v, v.lstrip("<>=≤≥ ").strip()}
            for t in texts:
                if t and any(ch.isdigit() for ch in t):
                    marks.setdefault(t, []).append(verdict)
    return {k: _worst(v) for k, v in marks.items()}


def _drop_assumptions(note: str, claim: Claim | None) -> str:
    """A row's note without the assumption texts that the card lists above the rows."""
    if claim is None or not note or not claim.assumed:
        return note
    known = {f"{k} = {a.value} assumed ({a.why})" for k, a in claim.assumed.items()}
    return "; ".join(p for p in note.split("; ") if p.strip() not in known)


def _ambiguous(r: dict[str, Any]) -> str:
    if r.get("discriminates") is False:
        return '<br><span class="amb">printed precision cannot tell these apart</span>'
    return ""


def _by(r: dict[str, Any]) -> str:
    m = r.get("recomputed_method")
    return f"<br><small>({_esc(m)})</small>" if m and r.get("recomputed") is not None else ""


def _rows_table(rows: Sequence[dict[str, Any]], claim: Claim | None = None) -> str:
    head = (
        "<tr><th>quantity</th><th>printed</th><th>verdict</th><th>methods</th>"
        "<th>recomputed</th><th>decision error</th><th>note</th></tr>"
    )
    body = []
    for r in rows:
        v = str(r["verdict"])
        body.append(
            "<tr>"
            f"<td>{_esc(r['quantity'])}</td>"
            f'<td class="num">{_esc(r["reported"])}</td>'
            f'<td class="verdict {_cls(v)}">{_esc(v)}</td>'
            f"<td>{_esc(_fmt(r['methods']))}{_ambiguous(r)}</td>"
            f'<td class="num">{_esc(_fmt(r["recomputed"]))}{_by(r)}</td>'
            f"<td>{_esc(_fmt(r['decision_error']))}</td>"
            f"<td>{_esc(_drop_assumptions(str(r['note'] or ''), claim))}</td>"
            "</tr>"
        )
    cols = "".join(f'<col class="{c}">' for c in ("q", "p", "v", "m", "r", "d", "n"))
    return f'<table class="rows"><colgroup>{cols}</colgroup>{head}{"".join(body)}</table>'


def _figure(claim: Claim, record: Record, rows: Sequence[CheckRow]) -> str:
    from gvhdstats.errors import GvhdstatsError
    from gvhdstats.svgfigures import claim_figure

    try:
        svg = claim_figure(claim, record, rows)
    except GvhdstatsError as exc:  # a figure never hides the rows
        return f'<p class="nofig">no figure: {_esc(exc)}</p>'
    if svg is None:
        return (
            '<p class="nofig">no figure: no recomputed value to set against a printed number</p>'
        )
    if 'class="figure curves"' in svg:
        caption = (
            "Lines: the curves of the patient-level data rebuilt from the digitised curves; "
            "circles: the digitised coordinates; numbers at risk of the rebuilt data at the "
            "times of the published risk table."
        )
    else:
        caption = (
            "Shaded: the values that print as the printed number (its rounding interval). "
            "Points and bars: what each method recomputes; green when it reproduces the "
            "printed number, grey when not."
        )
    return (
        f'<figure data-claim="{_esc(claim.id)}">{svg}<figcaption>{caption}</figcaption></figure>'
    )


def _claim_card(
    claim: Claim, record: Record, rows: Sequence[dict[str, Any]], checked: Sequence[CheckRow]
) -> str:
    verdict = _worst(str(r["verdict"]) for r in rows) if rows else "not-checkable"
    marks = _printed_marks(claim, rows)
    info = [f"type {claim.type}"]
    for key in ("section", "endpoint", "measure", "time"):
        val = claim.get(key)
        if val:
            info.append(f"{key} {val}")
    assumed = "".join(
        f"<li><code>{_esc(k)} = {_esc(a.value)}</code> assumed: {_esc(a.why)}</li>"
        for k, a in claim.assumed.items()
    )
    return (
        f'<section class="card {_cls(verdict)}" id="claim-{_esc(claim.id)}" '
        f'data-claim="{_esc(claim.id)}" data-verdict="{_esc(verdict)}">'
        f'<h3>{_esc(claim.id)} <span class="verdict {_cls(verdict)}">{_esc(verdict)}</span></h3>'
        f'<p class="meta">{_esc("; ".join(info))}</p>'
        + (
            f"<blockquote>{_quote_html(claim.quote, marks)}</blockquote>"
            if claim.quote
            else f'<p class="meta">no sentence quoted; printed at: '
            f"{_esc(claim.get('location') or 'location not recorded')}</p>"
        )
        + (f'<ul class="meta">{assumed}</ul>' if assumed else "")
        + (_rows_table(rows, claim) if rows else '<p class="nofig">no rows</p>')
        + _figure(claim, record, checked)
        + "</section>"
    )


def _design_table(record: Record) -> str:
    items = []
    for key, val in record.design.items():
        if key == "arms":
            continue
        shown = val.get("value", val) if isinstance(val, dict) else val
        items.append(f"<tr><th>{_esc(key.replace('_', ' '))}</th><td>{_esc(shown)}</td></tr>")
    arms = record.design.get("arms") or []
    for arm in arms:
        parts = []
        for k in ("randomised", "analysed"):
            if k in arm:
                v = arm[k]
                if isinstance(v, dict):
                    parts.append(f"{k} {v.get('value')} (assumed: {v.get('why', '')})")
                else:
                    parts.append(f"{k} {v}")
        label = arm.get("label", arm.get("id", ""))
        items.append(
            f"<tr><th>arm {_esc(arm.get('id', ''))}</th><td>{_esc(label)}"
            + (f"<br>{_esc('; '.join(parts))}" if parts else "")
            + "</td></tr>"
        )
    return f'<table class="design">{"".join(items)}</table>' if items else ""


def _citation(record: Record) -> str:
    src = record.source
    bits = []
    for key, label in (
        ("citation", ""),
        ("doi", "doi: "),
        ("pmid", "PubMed "),
        ("registry_id", "registry "),
        ("url", ""),
        ("last_updated", "last updated "),
    ):
        if src.get(key):
            bits.append(f"{label}{src[key]}")
    return f'<p class="meta">{_esc(" · ".join(bits))}</p>' if bits else ""


def _summary(frame: pd.DataFrame) -> str:
    from gvhdstats.render import summary_frame

    s = summary_frame(frame)
    cols = [c for c in s.columns if c != "record"]
    head = "".join(f"<th>{_esc(str(c).replace('_', ' '))}</th>" for c in cols)
    line = s.iloc[0]
    cells = "".join(f'<td class="n {_cls(str(c))}">{_esc(int(line[c]))}</td>' for c in cols)
    return f'<table class="summary"><tr>{head}</tr><tr>{cells}</tr></table>'


def _findings_list(frame: pd.DataFrame, record: Record) -> str:
    from gvhdstats.render import _records, findings

    f = findings(frame)
    if f.empty:
        return (
            '<p class="meta">No findings: no inconsistent row, no decision error, no '
            "printed number that alternative methods reproduce alike.</p>"
        )
    claim_ids = {c.id for c in record.claims}
    items = []
    for r in _records(f):
        cid = str(r["claim"])
        anchor = f"claim-{cid}" if cid in claim_ids else f"check-{cid}"
        v = str(r["verdict"])
        items.append(
            f'<li><a href="#{_esc(anchor)}">{_esc(cid)}</a> {_esc(r["quantity"])} '
            f'<b>{_esc(r["reported"])}</b>: <span class="verdict {_cls(v)}">{_esc(v)}</span> '
            f"({_esc(r['finding'])})</li>"
        )
    return f'<h3>Findings</h3><ul class="findings">{"".join(items)}</ul>'


def _record_html(record: Record, frame: pd.DataFrame) -> str:
    from gvhdstats.engine import verify_rows
    from gvhdstats.render import _records

    rows = _records(frame)
    by_claim: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_claim.setdefault(str(r["claim"]), []).append(r)
    # the check rows themselves: their matching/nonmatching values are every method's value
    checked: dict[str, list[CheckRow]] = {}
    for cid, row in verify_rows(record):
        checked.setdefault(cid, []).append(row)
    cards = [
        _claim_card(c, record, by_claim.pop(c.id, []), checked.get(c.id, []))
        for c in record.claims
    ]
    for cid, extra in by_claim.items():  # record-level checks under an id of their own
        verdict = _worst(str(r["verdict"]) for r in extra)
        cards.append(
            f'<section class="card {_cls(verdict)}" id="check-{_esc(cid)}" '
            f'data-record-check="{_esc(cid)}" data-verdict="{_esc(verdict)}">'
            f"<h3>{_esc(cid)} (record-level check)</h3>{_rows_table(extra)}</section>"
        )
    return (
        f'<article class="record" id="record-{_esc(record.id)}" data-record="{_esc(record.id)}">'
        f"<h2>{_esc(record.id)}: {_esc(record.title)}</h2>"
        f'<p class="meta">{_esc(record.kind)} · {_esc(len(record.claims))} claims · '
        f"file {_esc(Path(record.file).name)}</p>"
        + _citation(record)
        + "<h3>Design</h3>"
        + _design_table(record)
        + "<h3>Verdicts</h3>"
        + _summary(frame)
        + _findings_list(frame, record)
        + "".join(cards)
        + "</article>"
    )


def report(
    records: str | Path | Record | Iterable[str | Path | Record] | None = None,
    *,
    html: str | Path | None = None,
    frame: pd.DataFrame | None = None,
    simulate: int | None = None,
    seed: int = 0,
) -> str:
    """The HTML audit report of one or more records, as text (and written to ``html``).

    Parameters
    ----------
    records : str, path, Record, iterable of them, or None
        As :func:`gvhdstats.verify` (``None``: every bundled record).
    html : str or path, optional
        Write the report to this file (UTF-8).
    frame : pandas.DataFrame, optional
        A table from :func:`gvhdstats.verify` of these records, to reuse
        instead of verifying again.
    simulate, seed
        As :func:`gvhdstats.verify` (ignored with ``frame``).

    Returns
    -------
    str
        The complete HTML document: inline CSS and SVG, no script and no
        external resource.

    Raises
    ------
    UnknownRecordError, RecordError
        As :func:`gvhdstats.verify`.

    Examples
    --------
    >>> import gvhdstats
    >>> page = gvhdstats.report("zhao2022")
    >>> record = gvhdstats.load_record("zhao2022")
    >>> page.count('<section class="card') == len(record.claims) + 1  # + registry comparison
    True
    >>> "<script" in page, " src=" in page
    (False, False)
    """
    from gvhdstats._version import __version__
    from gvhdstats.engine import verify
    from gvhdstats.records import Record, bundled_record_ids, load_record
    from gvhdstats.svgfigures import SVG_CSS

    if records is None:
        items: list[Any] = list(bundled_record_ids())
    elif isinstance(records, str | Path | Record):
        items = [records]
    else:
        items = list(records)
    loaded = [load_record(r) for r in items]
    if frame is None:
        frame = verify(loaded, simulate=simulate, seed=seed)
    parts = []
    for rec in loaded:
        sub = frame[frame["record"] == rec.id].reset_index(drop=True)
        parts.append(_record_html(rec, sub))
    title = "gvhdstats audit report: " + ", ".join(r.id for r in loaded)
    legend = (
        '<p class="legend">Printed numbers in the quotes are marked by verdict:'
        '<span class="sw" style="background:#d1fadf"></span>reproduced'
        '<span class="sw" style="background:#fee4e2"></span>inconsistent'
        '<span class="sw" style="background:#eaecf0"></span>not checkable'
        '<span class="sw" style="background:#cff9fe"></span>plausible (simulation)</p>'
    )
    doc = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{_CSS}{SVG_CSS}</style></head><body><main>"
        f"<h1>{_esc(title)}</h1>"
        '<p class="meta">Every printed number is kept as printed, recomputed under every '
        "standard method and given a verdict: <b>reproduced</b> (a named method gives it "
        "within its rounding), <b>inconsistent</b> (none does; the nearest value is shown) or "
        "<b>not-checkable</b> (with the reason).</p>"
        + legend
        + "".join(parts)
        + f"<footer>gvhdstats {_esc(__version__)}</footer></main></body></html>\n"
    )
    if html is not None:
        Path(html).write_text(doc, encoding="utf-8")
    return doc
