"""Printed percentages and proportion CIs checked against the counts.

:func:`check_proportion` (and the engine plug-in :func:`check_claim` for
claims of type ``proportion``) compares a printed percentage and its CI with
what the counts imply: the percentage by GRIM in exact rational arithmetic,
each CI bound against every interval method of
:func:`gvhdstats.methods.proportions.proportion_ci`.  :func:`percent_row` is
the one row builder for a printed percentage of a count, shared with the 2x2
checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, cast

from gvhdstats._validation import check_confidence_level as _confidence_level
from gvhdstats.checks.verdicts import (
    CheckResult,
    CheckRow,
    Verdict,
    fmt_number,
    match_reported,
    percent_text,
    tie_note,
)
from gvhdstats.errors import (
    InvalidCountError,
    InvalidIntervalError,
)
from gvhdstats.methods.proportions import _count, proportion_ci
from gvhdstats.numbers import DEFAULT_MODE, CountRange, Reported, RoundingMode, recover_counts
from gvhdstats.numbers.recover import _total_bounds

if TYPE_CHECKING:  # pragma: no cover
    from gvhdstats.records import Claim, Record

__all__ = [
    "PROPORTION_CI_METHODS",
    "ProportionCheck",
    "check_claim",
    "check_proportion",
    "proportion_ci",
]

#: The interval methods of :func:`proportion_ci`, in the order checks list them.
PROPORTION_CI_METHODS = (
    "clopper-pearson",
    "wilson",
    "wilson-cc",
    "jeffreys",
    "agresti-coull",
    "wald",
    "mid-p",
)

#: Map of our method names to the R call giving the same interval.
R_NAMES = {
    "clopper-pearson": "binom.test",
    "wilson": "prop.test(correct = FALSE)",
    "wilson-cc": "prop.test(correct = TRUE)",
    "jeffreys": "qbeta(x + 0.5, n - x + 0.5)",
    "agresti-coull": "binom::binom.agresti.coull",
    "wald": "binom::binom.asymp",
    "mid-p": "exactci::binom.exact(midp = TRUE)",
}


# --------------------------------------------------------------------------
# validation helpers (shared with twobytwo)
# --------------------------------------------------------------------------


def _show(values: CountRange, limit: int = 10) -> str:
    """The integers of ``values`` for a note: all when few, else the ends and the count."""
    if len(values) <= limit:
        return ", ".join(map(str, values))
    return f"{values.low}, {values.low + 1}, ..., {values.high} ({len(values)} values)"


def _ends(values: CountRange) -> tuple[int, ...]:
    """First and last element (the only ones that can lie on a rounding tie)."""
    if not values:
        return ()
    return (values.low,) if values.low == values.high else (values.low, values.high)


def percent_row(
    quantity: str,
    percent: str | Reported,
    events: int | None,
    total: int | None,
    *,
    mode: RoundingMode | str = DEFAULT_MODE,
    note: str = "",
) -> CheckRow:
    """GRIM row for a printed percentage of ``events / total`` (exact arithmetic).

    With both counts the row is ``reproduced`` iff ``100 * events / total``
    lies in the rounding interval of ``percent``.  With ``total`` only, the
    counts that print as ``percent`` are listed (reproduced when there is at
    least one).  With ``events`` only, the totals that make ``events`` print
    as ``percent`` are listed (closed form, no upper limit:
    :func:`~gvhdstats.numbers.recover_totals`).  Under the default rounding
    mode a count that matches only through a rounding tie is named in the note.
    """
    rep = Reported.parse(percent, name=quantity)
    mode = RoundingMode.coerce(mode)
    extra = [note] if note else []
    if events is not None and total is not None:
        exact = Fraction(100 * events, total)
        ok = rep.contains_exact(exact, mode)
        value = 100 * events / total
        if ok:
            tie = tie_note(rep, {f"{events}/{total}": exact}, mode=mode)
            return CheckRow(
                quantity,
                rep.text,
                Verdict.REPRODUCED,
                ("grim",),
                value,
                None,
                "; ".join([tie or f"{events}/{total}", *extra]),
            )
        possible = recover_counts(rep, total, mode=mode)
        msg = (
            f"{events}/{total} = {fmt_number(value)}%; counts printing as {percent_text(rep)}: "
            + (_show(possible) if possible else "none")
        )
        return CheckRow(
            quantity,
            rep.text,
            Verdict.INCONSISTENT,
            (),
            value,
            None,
            "; ".join([msg, *extra]),
            recomputed_method="grim",
        )
    if total is not None:
        possible = recover_counts(rep, total, mode=mode)
        if possible:
            msg = (
                f"events not printed; counts out of {total} printing as {percent_text(rep)}: "
                + _show(possible)
            )
            tie = tie_note(
                rep, {f"{k}/{total}": Fraction(100 * k, total) for k in _ends(possible)}, mode=mode
            )
            if tie:
                msg += f"; {tie}"
            return CheckRow(
                quantity,
                rep.text,
                Verdict.REPRODUCED,
                ("grim",),
                100 * possible[0] / total,
                None,
                "; ".join([msg, *extra]),
            )
        msg = f"no count out of {total} prints as {percent_text(rep)}"
        return CheckRow(quantity, rep.text, Verdict.INCONSISTENT, (), None, None, msg)
    if events is not None:
        bounds = _total_bounds(events, rep, mode)
        n_min = None if bounds is None else max(bounds[0], events, 1)
        n_max = None if bounds is None else bounds[1]
        if n_min is None or (n_max is not None and n_max < n_min):
            msg = f"no total makes {events} print as {percent_text(rep)}"
            return CheckRow(quantity, rep.text, Verdict.INCONSISTENT, (), None, None, msg)
        if n_max is None:
            shown = f"every total from {n_min} up"
        else:
            shown = _show(CountRange(n_min, n_max))
        msg = f"total not given; totals giving {percent_text(rep)}: {shown}"
        return CheckRow(
            quantity,
            rep.text,
            Verdict.REPRODUCED,
            ("grim",),
            100 * events / n_min,
            None,
            "; ".join([msg, *extra]),
        )
    return CheckRow(
        quantity,
        rep.text,
        Verdict.NOT_CHECKABLE,
        (),
        None,
        None,
        "neither events nor total is known",
    )


def _ci_scale(*reps: Reported | None) -> float:
    """100 when printed CI bounds are percentages, else 1."""
    vals = [r for r in reps if r is not None]
    if any(r.percent for r in vals) or any(abs(r.value) > 1 for r in vals):
        return 100.0
    return 1.0


@dataclass(frozen=True, repr=False)
class ProportionCheck(CheckResult):
    """Result of :func:`check_proportion`: rows plus the counts used."""

    events: int | None = None
    total: int | None = None
    confidence_level: float = 0.95


def check_proportion(
    events: int | None = None,
    total: int | None = None,
    *,
    percent: str | None = None,
    ci: tuple[str | Reported, str | Reported] | None = None,
    confidence_level: float = 0.95,
    mode: RoundingMode | str = DEFAULT_MODE,
    note: str = "",
) -> ProportionCheck:
    """Check a printed percentage and its CI against ``events / total``.

    Parameters
    ----------
    events, total : int or None
        The counts (either may be unknown).
    percent : str, optional
        The printed percentage, e.g. ``"80.0"``.
    ci : (str or Reported, str or Reported), optional
        The printed CI bounds (percent when printed with ``%`` or above 1,
        else proportions).
    confidence_level : float
        Level of the printed CI.
    mode : str
        Rounding mode of the printed numbers.
    note : str
        Appended to every row (e.g. which counts were assumed).

    Returns
    -------
    ProportionCheck
        Rows ``percent``, ``ci_low``, ``ci_high`` and ``joint[proportion]``.

    Examples
    --------
    The day-28 ORR of the phase Ib/IIa trial, 80.0% of 25 patients:

    >>> from gvhdstats.checks.proportion import check_proportion
    >>> res = check_proportion(total=25, percent="80.0")
    >>> res.rows[0].verdict.value, res.rows[0].note
    ('reproduced', 'events not printed; counts out of 25 printing as 80.0%: 20')
    """
    mode = RoundingMode.coerce(mode)
    cl = _confidence_level(confidence_level)
    x = None if events is None else _count(events, "events")
    n = None if total is None else _count(total, "total", minimum=1)
    if x is not None and n is not None and x > n:
        raise InvalidCountError(f"`events` must not exceed `total` ({n}), but got {x}")
    rows: list[CheckRow] = []
    if percent is not None:
        rows.append(percent_row("percent", percent, x, n, mode=mode, note=note))
        if x is None and n is not None:
            cands = recover_counts(percent, n, mode=mode)
            if len(cands) == 1:
                x = cands[0]
    if ci is not None:
        lo_rep = Reported.parse(ci[0], name="ci[0]")
        hi_rep = Reported.parse(ci[1], name="ci[1]")
        if lo_rep.value > hi_rep.value:
            raise InvalidIntervalError(
                f"`ci` must be (low, high) with low <= high, but got {tuple(ci)!r}"
            )
        if x is None or n is None:
            why = "events and total are needed to recompute the CI"
            rows += [
                CheckRow("ci_low", lo_rep.text, Verdict.NOT_CHECKABLE, note=why),
                CheckRow("ci_high", hi_rep.text, Verdict.NOT_CHECKABLE, note=why),
            ]
        else:
            scale = _ci_scale(lo_rep, hi_rep)
            cis = {
                m: proportion_ci(x, n, method=m, confidence_level=cl)
                for m in PROPORTION_CI_METHODS
            }
            r_lo = match_reported(
                "ci_low",
                lo_rep,
                {m: cast(float, c.low) for m, c in cis.items()},
                mode=mode,
                scale=scale,
            )
            r_hi = match_reported(
                "ci_high",
                hi_rep,
                {m: cast(float, c.high) for m, c in cis.items()},
                mode=mode,
                scale=scale,
            )
            rows += [r_lo, r_hi]
            both = [m for m in PROPORTION_CI_METHODS if m in r_lo.methods and m in r_hi.methods]
            text = f"{lo_rep.text}-{hi_rep.text}"
            if both:
                rows.append(CheckRow("joint[proportion]", text, Verdict.REPRODUCED, tuple(both)))
            else:
                why = (
                    "no single interval method reproduces both bounds"
                    if r_lo.methods and r_hi.methods
                    else "a bound is reproduced by no interval method"
                )
                rows.append(
                    CheckRow("joint[proportion]", text, Verdict.INCONSISTENT, (), None, None, why)
                )
    return ProportionCheck(rows=tuple(rows), events=x, total=n, confidence_level=cl)


def check_claim(claim: Claim, record: Record) -> list[CheckRow]:
    """Engine plug-in for claims of type ``proportion``.

    Keys (``docs/records.md``): ``events``, ``total``, ``percent``,
    ``ci_low``, ``ci_high``, ``ci_level``; a ``total`` neither printed nor
    assumed is the size of the claim's design arm (the note says which).
    """
    x = claim.integer("events")
    # a total neither printed nor assumed is the size of the claim's design arm
    n, n_note = claim.denominator("total", record)
    if n is not None and n < 1:
        raise claim.error("must be at least 1", "total")
    pct = claim.printed_number("percent")
    lo = claim.printed_number("ci_low")
    hi = claim.printed_number("ci_high")
    lev = claim.printed_number("ci_level")
    cl = 0.95 if lev is None else (lev.value / 100 if lev.value > 1 else lev.value)
    note = "; ".join(x for x in (claim.assumption_note("events"), n_note) if x)
    ci = (lo, hi) if lo is not None and hi is not None else None
    res = check_proportion(
        x, n, percent=pct.text if pct else None, ci=ci, confidence_level=cl, note=note
    )
    return list(res.rows)
