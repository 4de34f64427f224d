"""Inline SVG figures of the HTML audit report, drawn without matplotlib.

Every figure is built from *panels*: one panel per printed number (or per
derived quantity), each with its own horizontal axis.  A panel shows

- the printed number's **rounding interval** as a shaded band (the values
  that print as the number; ``Reported.interval``), and
- one line per **method** with the value that method recomputes, as a point,
  or as a bar for a *range* of values (a quantity computed over the whole
  rounding box of the printed inputs, or a confidence interval).

A point inside the band reproduces the printed number; a point outside it
does not.  Points and bars are green when they reproduce and grey otherwise,
so "mixed methods" (the estimate from one method, the CI from another) shows
as green points on different lines of different panels.

Figures per claim type (:func:`claim_figure`):

the method map (``two-arm-binary``, ``proportion``, ``median``, ...)
    For each printed number, every method's value that the check computed
    (the rows' ``matching`` and ``nonmatching`` values: for a two-arm table
    every estimator, CI method and P-value method of
    :func:`gvhdstats.check_2x2`), or the row's recomputed value.
``ratio``
    The Wald P range that the printed CI allows (over its rounding box)
    against the printed P; the geometric midpoint of the CI against the
    printed estimate (:func:`gvhdstats.check_ratio`).
``incidence``
    For each CI transformation, the interval it implies around the printed
    estimate (with the SE implied by the printed CI) against the printed
    bounds (:func:`gvhdstats.check_incidence`); and the nearest values
    ``k / n`` a Kaplan-Meier estimate can take without censoring
    (:func:`gvhdstats.km_attainable`).
``reconstructed``
    The Kaplan-Meier (or cumulative-incidence) curves of the patient-level
    data rebuilt from the digitised curves, with the digitised points and
    the number at risk of the rebuilt data at the published risk table's
    times (:func:`curves_svg`).
``meta-analysis``
    A forest plot: each study's estimate and CI (from its counts or its
    printed estimate and CI; a study without data is listed as such) against
    the printed pooled estimate and CI, then the method map of the rows.

Other claim types plug in with :func:`register_figure`.

The SVG is plain text (no fonts or images fetched), so the report stays one
self-contained file and needs neither matplotlib nor a network.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from gvhdstats.checks.verdicts import CheckRow
    from gvhdstats.records import Claim, Record

__all__ = [
    "SVG_CSS",
    "Band",
    "Curve",
    "Item",
    "Panel",
    "claim_figure",
    "curves_svg",
    "panels_svg",
    "register_figure",
    "standalone_svg",
]

#: Style of the figures (part of the report's inline CSS; embedded by :func:`standalone_svg`).
SVG_CSS = """
svg.figure { max-width: 100%; height: auto; font: 11px system-ui, sans-serif; }
svg .ptitle { font-weight: 600; fill: #1d2433; }
svg .mlabel, svg .mvalue { fill: #344054; }
svg .tick, svg .blabel { fill: #667085; font-size: 10px; }
svg .grid { stroke: #eef0f3; }
svg .axis { stroke: #98a2b3; }
svg .mark { stroke: #b42318; stroke-dasharray: 3 3; }
svg .risk, svg .risklabel { font-size: 11px; fill: #344054; }
"""

REPRODUCES = "#1a7f37"
MISSES = "#8c8c8c"
BAND_OK = "#b7e4c7"
BAND_BAD = "#f6c2c2"
BAND_INFO = "#dbe4f0"


@dataclass(frozen=True)
class Band:
    """A printed number's rounding interval ``[low, high]`` (shaded)."""

    low: float
    high: float
    label: str = ""


@dataclass(frozen=True)
class Item:
    """One method's recomputed value (``value``) or range (``low``-``high``)."""

    label: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    ok: bool = False
    text: str = ""


@dataclass(frozen=True)
class Panel:
    """One axis: bands of printed numbers and the methods' values against them."""

    title: str
    bands: tuple[Band, ...] = ()
    items: tuple[Item, ...] = ()
    note: str = ""
    log: bool = False
    marks: tuple[float, ...] = field(default_factory=tuple)
    #: bands drawn in a neutral colour (references, not a verdict: a forest plot)
    neutral: bool = False


#: ``builder(claim, record, rows)``: panels to stack, or a finished ``<svg>`` string.
FigureBuilder = Callable[["Claim", "Record", Sequence["CheckRow"]], "list[Panel] | str"]
_FIGURES: dict[str, FigureBuilder] = {}


def register_figure(claim_type: str, builder: FigureBuilder) -> None:
    """Draw claims of ``claim_type`` with ``builder(claim, record, rows) -> list[Panel]``.

    The hook for figures this module does not draw itself, e.g. the forest
    plot of a meta-analysis claim or the curves of a reconstructed claim.
    """
    _FIGURES[claim_type] = builder


# --------------------------------------------------------------------------
# drawing
# --------------------------------------------------------------------------

_W = 680
_LABEL_W = 190
_VALUE_W = 150
_ROW_H = 17
_TITLE_H = 20
_AXIS_H = 22


def _fmt(x: float) -> str:
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    return f"{x:.4g}"


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def _values(p: Panel) -> list[float]:
    vals: list[float] = []
    for b in p.bands:
        vals += [b.low, b.high]
    for it in p.items:
        vals += [v for v in (it.value, it.low, it.high) if v is not None]
    vals += list(p.marks)
    out = [v for v in vals if math.isfinite(v)]
    if p.log:
        out = [v for v in out if v > 0]
    return out


def _scale(p: Panel) -> tuple[Callable[[float], float], float, float]:
    vals = _values(p)
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    f: Callable[[float], float] = math.log if p.log else (lambda v: v)
    flo, fhi = f(lo), f(hi)
    span = fhi - flo
    if span <= 0:
        span = abs(flo) * 0.02 or 1e-3
        flo, fhi = flo - span / 2, fhi + span / 2
    pad = 0.06 * (fhi - flo)
    flo, fhi = flo - pad, fhi + pad
    x0, x1 = _LABEL_W, _W - _VALUE_W

    def to_x(v: float) -> float:
        if p.log and v <= 0:
            return float(x0)
        t = (f(v) - flo) / (fhi - flo)
        return x0 + min(1.0, max(0.0, t)) * (x1 - x0)

    inv = math.exp if p.log else (lambda v: v)
    return to_x, inv(flo), inv(fhi)


def _panel_svg(p: Panel, y0: float) -> tuple[list[str], float]:
    to_x, dlo, dhi = _scale(p)
    out = [
        f'<text x="4" y="{y0 + 14:.1f}" class="ptitle">{_esc(p.title)}</text>',
    ]
    top = y0 + _TITLE_H
    n = max(1, len(p.items))
    bottom = top + n * _ROW_H
    any_ok = any(it.ok for it in p.items)
    for b in p.bands:
        xa, xb = sorted((to_x(b.low), to_x(b.high)))
        if xb - xa < 2:
            mid = (xa + xb) / 2
            xa, xb = mid - 1, mid + 1
        fill = (
            BAND_INFO
            if p.neutral
            else (BAND_OK if any_ok else (BAND_BAD if p.items else BAND_INFO))
        )
        title = f"{b.label} rounding interval [{_fmt(b.low)}, {_fmt(b.high)}]"
        out.append(
            f'<rect class="band" x="{xa:.1f}" y="{top:.1f}" width="{xb - xa:.1f}" '
            f'height="{bottom - top:.1f}" fill="{fill}"><title>{_esc(title)}</title></rect>'
        )
        if b.label:
            out.append(
                f'<text x="{(xa + xb) / 2:.1f}" y="{bottom + 10:.1f}" class="blabel" '
                f'text-anchor="middle">{_esc(b.label)}</text>'
            )
    for m in p.marks:
        x = to_x(m)
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top:.1f}" y2="{bottom:.1f}" class="mark"/>'
        )
    for i, it in enumerate(p.items):
        y = top + (i + 0.5) * _ROW_H
        color = REPRODUCES if it.ok else MISSES
        out.append(
            f'<text x="{_LABEL_W - 8}" y="{y + 4:.1f}" text-anchor="end" class="mlabel">'
            f"{_esc(it.label)}</text>"
        )
        out.append(
            f'<line x1="{_LABEL_W}" x2="{_W - _VALUE_W}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
        )
        if it.low is not None and it.high is not None:
            xa, xb = to_x(it.low), to_x(it.high)
            out.append(
                f'<line class="range" x1="{xa:.1f}" x2="{xb:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                f'stroke="{color}" stroke-width="4"/>'
            )
            for x in (xa, xb):
                out.append(
                    f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 5:.1f}" y2="{y + 5:.1f}" '
                    f'stroke="{color}" stroke-width="2"/>'
                )
        if it.value is not None and math.isfinite(it.value):
            out.append(
                f'<circle class="point" cx="{to_x(it.value):.1f}" cy="{y:.1f}" r="4.5" '
                f'fill="{color}"><title>{_esc(it.label)}: {it.value!r}</title></circle>'
            )
        text = it.text or (
            _fmt(it.value)
            if it.value is not None
            else (
                f"{_fmt(it.low)} to {_fmt(it.high)}"
                if it.low is not None and it.high is not None
                else ""
            )
        )
        if text:
            out.append(
                f'<text x="{_W - _VALUE_W + 8}" y="{y + 4:.1f}" class="mvalue">{_esc(text)}</text>'
            )
    ay = bottom + (14 if any(b.label for b in p.bands) else 4)
    out.append(
        f'<line x1="{_LABEL_W}" x2="{_W - _VALUE_W}" y1="{ay:.1f}" y2="{ay:.1f}" class="axis"/>'
    )
    for v, anchor in ((dlo, "start"), (dhi, "end")):
        out.append(
            f'<text x="{to_x(v):.1f}" y="{ay + 12:.1f}" text-anchor="{anchor}" '
            f'class="tick">{_esc(_fmt(v))}</text>'
        )
    if p.note:
        out.append(
            f'<text x="{(_LABEL_W + _W - _VALUE_W) / 2:.1f}" y="{ay + 12:.1f}" '
            f'text-anchor="middle" class="tick">{_esc(p.note)}</text>'
        )
    return out, ay + _AXIS_H - y0


def panels_svg(panels: Sequence[Panel], *, title: str = "") -> str:
    """One inline ``<svg>`` element holding ``panels`` stacked vertically."""
    parts: list[str] = []
    y = 0.0
    for p in panels:
        body, h = _panel_svg(p, y)
        parts += body
        y += h + 6
    height = max(40.0, y)
    label = _esc(title or "figure")
    return (
        f'<svg class="figure" role="img" '
        f'aria-label="{label}" viewBox="0 0 {_W} {height:.0f}" width="{_W}" '
        f'height="{height:.0f}">' + "".join(parts) + "</svg>"
    )


def standalone_svg(svg: str) -> str:
    """An inline figure as a stand-alone ``.svg`` file (namespace and style added)."""
    ns = "http://www.w3.org/2000/svg"
    body = svg.replace("<svg ", f'<svg xmlns="{ns}" ', 1)
    head, _, rest = body.partition(">")
    return f"{head}><style>{SVG_CSS}svg {{ background: #fff; }}</style>{rest}\n"


# --------------------------------------------------------------------------
# figure data per claim type
# --------------------------------------------------------------------------


def _band(rep: Any, label: str = "", scale: float = 1.0) -> Band:
    iv = rep.interval()
    return Band(iv.low / scale, iv.high / scale, label)


def _inside(rep: Any, v: float | None, scale: float = 1.0) -> bool:
    return v is not None and math.isfinite(v) and rep.interval().contains(v * scale)


def _meets(rep: Any, low: float, high: float) -> bool:
    """Whether ``[low, high]`` meets the interval the printed ``rep`` rounds from."""
    iv = rep.interval()
    return low <= iv.high and high >= iv.low


def _ratio_panels(claim: Claim, record: Record, rows: Sequence[CheckRow]) -> list[Panel]:
    from gvhdstats.checks.ratio import (
        _allocation_ratio,
        _claim_level,
        _coerce_measure,
        check_ratio,
    )

    est = claim.printed_number("estimate")
    lo, hi = claim.printed_number("ci_low"), claim.printed_number("ci_high")
    p = claim.printed_number("p")
    res = check_ratio(
        est,
        None if lo is None or hi is None else (lo, hi),
        p,
        confidence_level=_claim_level(claim),
        measure=_coerce_measure(claim.get("measure", "hazard-ratio")),
        allocation_ratio=_allocation_ratio(claim, record)[0],
    )
    panels: list[Panel] = []
    if p is not None and res.p_wald is not None:
        a, b = res.p_wald
        iv = p.interval()
        panels.append(
            Panel(
                f"P: printed {p.text} against the Wald P that the printed CI allows",
                (_band(p, p.text),),
                (Item("Wald P from the CI", low=a, high=b, ok=_meets(p, a, b)),),
                marks=(0.05,) if min(a, iv.low) < 0.05 < max(b, iv.high) else (),
            )
        )
    if est is not None and res.midpoint is not None:
        a, b = res.midpoint
        panels.append(
            Panel(
                f"estimate: printed {est.text} against the geometric midpoint of the CI",
                (_band(est, est.text),),
                (Item("sqrt(lower x upper)", low=a, high=b, ok=_meets(est, a, b)),),
                log=True,
            )
        )
    return panels or _generic_panels(claim, record, rows)


def _z(cl: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(0.5 + cl / 2))


def _incidence_panels(claim: Claim, record: Record, rows: Sequence[CheckRow]) -> list[Panel]:
    from gvhdstats.checks.attainability import km_attainable
    from gvhdstats.checks.incidence import (
        _TRANSFORMS,
        _claim_n,
        _claim_percent,
        check_incidence,
    )
    from gvhdstats.checks.ratio import _claim_level

    est = claim.printed_number("estimate")
    lo, hi = claim.printed_number("ci_low"), claim.printed_number("ci_high")
    if est is None:
        return _generic_panels(claim, record, rows)
    n, _ = _claim_n(claim, record)
    percent = _claim_percent(est, lo, hi)
    scale = 100.0 if percent else 1.0
    panels: list[Panel] = []
    if lo is not None and hi is not None:
        cl = _claim_level(claim)
        res = check_incidence(est, (lo, hi), confidence_level=cl, percent=percent, n=n)
        z = _z(cl)
        p_hat = est.value / scale
        items = []
        for name, fit in res.fits.items():
            t = _TRANSFORMS[name]
            try:
                c = t.h(p_hat)
                a = t.hinv(c - z * fit.sigma_nominal) * scale
                b = t.hinv(c + z * fit.sigma_nominal) * scale
            except (ValueError, ZeroDivisionError, OverflowError):
                continue
            if t.clip_low:
                a = max(a, 0.0)
            if t.clip_high:
                b = min(b, scale)
            a, b = sorted((a, b))
            items.append(
                Item(
                    name,
                    fit.midpoint * scale,
                    low=a,
                    high=b,
                    ok=fit.consistent,
                    text=f"{_fmt(a)} to {_fmt(b)}",
                )
            )
        panels.append(
            Panel(
                f"CI {lo.text}-{hi.text} around {est.text}: the interval each transformation "
                "implies (point: the estimate it implies)",
                (_band(lo, lo.text), _band(est, est.text), _band(hi, hi.text)),
                tuple(items),
            )
        )
    if n is not None:
        measure = str(claim.get("measure", "survival"))
        att = km_attainable(
            est,
            n,
            percent=percent,
            measure="cumulative-incidence" if "incidence" in measure else "survival",
            competing_risks=bool(claim.get("competing_risks", False)),
        )
        k0 = est.value / scale * n
        ks = sorted({k for k in range(int(k0) - 2, int(k0) + 4) if 0 <= k <= n})
        items2 = [Item(f"{k}/{n}", 100 * k / n if percent else k / n) for k in ks]
        items2 = [Item(i.label, i.value, ok=_inside(est, i.value)) for i in items2]
        if att.example_value is not None and not att.attainable_without_censoring:
            v = float(att.example_value) * scale
            if "incidence" in measure:
                v = scale - v
            items2.append(
                Item(
                    f"KM path, {att.min_censored} censored"
                    if att.min_censored is not None
                    else "KM path with censoring",
                    v,
                    ok=_inside(est, v),
                )
            )
        panels.append(
            Panel(
                f"{est.text}: the nearest values a Kaplan-Meier estimate takes with n = {n}",
                (_band(est, est.text),),
                tuple(items2),
            )
        )
    return panels or _generic_panels(claim, record, rows)


def _generic_panels(claim: Claim, record: Record, rows: Sequence[CheckRow]) -> list[Panel]:
    """One panel per row: every method's value (``matching`` and ``nonmatching``), else the
    row's recomputed value, against the printed number's rounding interval."""
    from gvhdstats.errors import GvhdstatsError
    from gvhdstats.numbers import Reported

    panels = []
    for r in rows:
        if r.quantity.startswith("joint["):
            continue
        try:
            rep = Reported.parse(r.reported)
        except GvhdstatsError:
            continue
        matching = dict(getattr(r, "matching", {}) or {})
        nonmatching = dict(getattr(r, "nonmatching", {}) or {})
        if matching or nonmatching:
            items = tuple(
                Item(m, float(v), ok=m in matching)
                for m, v in (*matching.items(), *nonmatching.items())
                if v is not None and math.isfinite(v)
            )
        elif r.recomputed is not None and math.isfinite(r.recomputed):
            label = r.recomputed_method or (", ".join(r.methods) if r.methods else "nearest")
            items = (Item(label[:40], r.recomputed, ok=r.verdict.value == "reproduced"),)
        else:
            continue
        panels.append(Panel(f"{r.quantity}: printed {rep.text}", (_band(rep, rep.text),), items))
    return panels


# --------------------------------------------------------------------------
# curves of patient-level or reconstructed data
# --------------------------------------------------------------------------

_PALETTE = ("#1f6fb4", "#d4551f", "#2a9d3f", "#8e44ad")


@dataclass(frozen=True)
class Curve:
    """A right-continuous step curve starting at ``(0, start)``, with optional points.

    ``time`` and ``value`` are the steps; ``points`` are the digitised
    coordinates the curve was rebuilt from (drawn as small circles).
    """

    label: str
    time: tuple[float, ...]
    value: tuple[float, ...]
    start: float = 1.0
    points: tuple[tuple[float, float], ...] = ()


def _nice_ticks(tmax: float, n: int = 5) -> list[float]:
    if not math.isfinite(tmax) or tmax <= 0:
        return [0.0]
    raw = tmax / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    k = math.floor(tmax / step + 1e-9)
    return [i * step for i in range(k + 1)]


def curves_svg(
    curves: Sequence[Curve],
    *,
    risk: Sequence[tuple[str, Sequence[int]]] = (),
    times: Sequence[float] | None = None,
    title: str = "",
    xlabel: str = "Time",
    ylabel: str = "Survival probability",
) -> str:
    """Step curves on a 0-1 axis with a number-at-risk table under them (inline SVG).

    ``risk`` holds, per curve label, the number at risk at each of ``times``
    (also the x ticks; default: round ticks up to the last time).
    """
    tmax = max((max(c.time) for c in curves if c.time), default=1.0)
    tmax = max([tmax, *(t for c in curves for t, _ in c.points)])
    ticks = list(times) if times is not None else _nice_ticks(tmax)
    tmax = max(tmax, max(ticks, default=0.0)) or 1.0
    x0, x1, y0, y1 = 110.0, _W - 30.0, 34.0, 244.0

    def sx(t: float) -> float:
        return x0 + (x1 - x0) * t / tmax

    def sy(v: float) -> float:
        return y1 - (y1 - y0) * min(1.0, max(0.0, v))

    out = [f'<text x="4" y="16" class="ptitle">{_esc(title)}</text>'] if title else []
    for v in (0.0, 0.25, 0.5, 0.75, 1.0):
        out.append(f'<line x1="{x0}" x2="{x1}" y1="{sy(v):.1f}" y2="{sy(v):.1f}" class="grid"/>')
        out.append(
            f'<text x="{x0 - 6}" y="{sy(v) + 4:.1f}" text-anchor="end" class="tick">{v:g}</text>'
        )
    out.append(f'<line x1="{x0}" x2="{x1}" y1="{y1}" y2="{y1}" class="axis"/>')
    out.append(f'<line x1="{x0}" x2="{x0}" y1="{y0}" y2="{y1}" class="axis"/>')
    for t in ticks:
        out.append(
            f'<text x="{sx(t):.1f}" y="{y1 + 14}" text-anchor="middle" class="tick">'
            f"{_esc(_fmt(t))}</text>"
        )
    out.append(
        f'<text x="{(x0 + x1) / 2:.1f}" y="{y1 + 28}" text-anchor="middle" class="mlabel">'
        f"{_esc(xlabel)}</text>"
    )
    out.append(
        f'<text x="{x0 - 44}" y="{(y0 + y1) / 2:.1f}" text-anchor="middle" class="mlabel" '
        f'transform="rotate(-90 {x0 - 44} {(y0 + y1) / 2:.1f})">{_esc(ylabel)}</text>'
    )
    for i, c in enumerate(curves):
        color = _PALETTE[i % len(_PALETTE)]
        d = [f"M{sx(0.0):.1f},{sy(c.start):.1f}"]
        for t, v in zip(c.time, c.value, strict=True):
            d.append(f"H{sx(t):.1f}V{sy(v):.1f}")
        out.append(
            f'<path class="curve" d="{"".join(d)}" fill="none" stroke="{color}" '
            f'stroke-width="2"><title>{_esc(c.label)}</title></path>'
        )
        for t, v in c.points:
            out.append(
                f'<circle class="digitised" cx="{sx(t):.1f}" cy="{sy(v):.1f}" r="1.8" '
                f'fill="none" stroke="{color}" stroke-opacity="0.6"/>'
            )
        ly = y0 + 6 + 16 * i
        out.append(
            f'<line x1="{x1 - 150}" x2="{x1 - 126}" y1="{ly:.1f}" y2="{ly:.1f}" '
            f'stroke="{color}" stroke-width="2"/>'
            f'<text x="{x1 - 120}" y="{ly + 4:.1f}" class="mlabel">{_esc(c.label)}</text>'
        )
    y = y1 + 48.0
    if risk:
        out.append(f'<text x="4" y="{y:.1f}" class="ptitle">Number at risk</text>')
        for i, (label, counts) in enumerate(risk):
            y += 16
            color = _PALETTE[i % len(_PALETTE)]
            out.append(
                f'<text x="{x0 - 22}" y="{y:.1f}" text-anchor="end" fill="{color}" '
                f'class="risklabel">{_esc(label)}</text>'
            )
            for t, n in zip(ticks, counts, strict=True):
                out.append(
                    f'<text x="{sx(t):.1f}" y="{y:.1f}" text-anchor="middle" class="risk">'
                    f"{int(n)}</text>"
                )
    height = y + 10
    return (
        f'<svg class="figure curves" role="img" aria-label="{_esc(title or "curves")}" '
        f'viewBox="0 0 {_W} {height:.0f}" width="{_W}" height="{height:.0f}">'
        + "".join(out)
        + "</svg>"
    )


def _reconstructed_figure(claim: Claim, record: Record, rows: Sequence[CheckRow]) -> str:
    """The curves rebuilt from a ``reconstructed`` claim's digitised data, with risk table."""
    import numpy as np

    from gvhdstats.checks.reconstructed import _rebuild_arms, read_risk_table_csv
    from gvhdstats.methods.competing import cuminc
    from gvhdstats.methods.survival import kaplan_meier
    from gvhdstats.plotting import number_at_risk

    arms, measure, cause, data = _rebuild_arms(claim, record)
    curves: list[Curve] = []
    tables = []
    for arm, res in arms.items():
        d = res.data
        if measure == "survival":
            table = kaplan_meier(d["time"], d["event"]).table
            value, start = "survival", 1.0
            steps = res.steps
            pts = tuple(
                zip(steps["time"].astype(float), steps["survival"].astype(float), strict=True)
            )
        else:
            table = cuminc(d["time"], d["status"]).table
            table = table[table["cause"] == cause]
            value, start, pts = "estimate", 0.0, ()
        tables.append((arm, table))
        curves.append(
            Curve(
                str(arm),
                tuple(float(t) for t in table["time"]),
                tuple(float(v) for v in table[value]),
                start,
                pts,
            )
        )
    # the times of the published risk table, so its numbers can be compared with the rebuilt ones
    published = read_risk_table_csv(Path(record.file).resolve().parent / str(data["risk_table"]))
    ticks = sorted({float(t) for t in published["time"]})
    if not ticks:  # pragma: no cover - the checker refuses an empty risk table
        ticks = _nice_ticks(max(float(np.max(t["time"])) for _, t in tables))
    risk = [(arm, [int(n) for n in number_at_risk(t, ticks)["n_risk"]]) for arm, t in tables]
    what = "survival" if measure == "survival" else f"cumulative incidence of cause {cause}"
    return curves_svg(
        curves,
        risk=risk,
        times=ticks,
        title=f"{what} of the data rebuilt from the digitised curves (points: digitised)",
        ylabel="Survival probability" if measure == "survival" else "Cumulative incidence",
    )


def _forest_panels(claim: Claim, record: Record, rows: Sequence[CheckRow]) -> list[Panel]:
    """Forest plot of a ``meta-analysis`` claim, then the method map of its rows.

    Each study is a point with its CI (from its printed counts, with
    :func:`gvhdstats.methods.meta.study_effects` and a Wald interval, or from its
    printed estimate and CI); a study without data is listed as such.  The
    printed pooled estimate and CI bounds are the shaded bands.
    """
    from gvhdstats.checks.meta import _MEASURES, _study_counts
    from gvhdstats.checks.ratio import _claim_level
    from gvhdstats.errors import GvhdstatsError
    from gvhdstats.methods.meta import study_effects
    from gvhdstats.numbers import Reported

    measure = _MEASURES.get(str(claim.get("measure")), "generic")
    ratio = measure in ("OR", "RR", "HR")
    z = _z(_claim_level(claim))
    items: list[Item] = []
    for i, st in enumerate(claim.get("studies") or []):
        if not isinstance(st, dict):
            continue
        label = str(st.get("label", f"study {i + 1}"))[:40]
        counts = _study_counts(st, claim, i)
        eff = [st.get(k) for k in ("estimate", "ci_low", "ci_high")]
        if counts is not None and measure in ("OR", "RR", "RD"):
            a, n1, c, n2 = counts
            y, v = study_effects([((a, n1), (c, n2))], measure=measure)
            yi, se = float(y[0]), math.sqrt(float(v[0]))
            if not math.isfinite(yi) or not math.isfinite(se):
                items.append(Item(label, text="effect not computable"))
                continue
            f = math.exp if ratio else (lambda x: x)
            e, lo, hi = f(yi), f(yi - z * se), f(yi + z * se)
            items.append(
                Item(label, e, low=lo, high=hi, text=f"{_fmt(e)} ({_fmt(lo)}-{_fmt(hi)})")
            )
        elif all(isinstance(x, str) for x in eff):
            try:
                e, lo, hi = (Reported.parse(str(x)).value for x in eff)
            except GvhdstatsError:
                items.append(Item(label, text="unreadable estimate"))
                continue
            items.append(Item(label, e, low=lo, high=hi, text=f"{eff[0]} ({eff[1]}-{eff[2]})"))
        else:
            items.append(Item(label, text="no data in the record"))
    bands = tuple(
        _band(rep, rep.text)
        for rep in (claim.printed_number(k) for k in ("ci_low", "estimate", "ci_high"))
        if rep is not None
    )
    title = "forest plot: each study (point and CI) against the printed pooled estimate and CI"
    forest = Panel(
        title, bands, tuple(items), log=ratio, marks=(1.0,) if ratio else (0.0,), neutral=True
    )
    return [forest, *_generic_panels(claim, record, rows)]


_BUILTIN: dict[str, FigureBuilder] = {
    "ratio": _ratio_panels,
    "incidence": _incidence_panels,
    "reconstructed": _reconstructed_figure,
    "meta-analysis": _forest_panels,
}


def claim_figure(claim: Claim, record: Record, rows: Sequence[CheckRow]) -> str | None:
    """The inline SVG figure of one claim, or None when nothing was recomputed.

    Uses the builder registered for the claim's type (:func:`register_figure`),
    else the built-in one, else one panel per row with a recomputed value.
    """
    builder = _FIGURES.get(claim.type) or _BUILTIN.get(claim.type) or _generic_panels
    panels = builder(claim, record, rows)
    if isinstance(panels, str):
        return panels
    if not panels:
        return None
    return panels_svg(panels, title=f"{claim.id}: printed numbers against recomputed values")
