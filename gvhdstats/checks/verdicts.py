"""Verdict rows shared by every check.

Every check in gvhdstats, whatever its statistical domain, answers with
:class:`CheckRow` objects: one per printed number (and one "joint" row per
group of numbers that must be reproduced together).  :class:`CheckResult` is
the base of the result objects the public ``check_*`` functions return; its
:meth:`~CheckResult.to_frame` gives the DataFrame with the fixed columns
:data:`ROW_COLUMNS`.

:func:`match_reported` is the one place where a printed number is compared
with the values recomputed by several methods.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from gvhdstats.numbers import DEFAULT_MODE, Reported, RoundingMode

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "ROW_COLUMNS",
    "VERDICTS",
    "CheckResult",
    "CheckRow",
    "Verdict",
    "closest_method",
    "fit_note",
    "fmt_number",
    "fmt_range",
    "joint_precision_note",
    "joint_row",
    "match_reported",
    "percent_text",
    "significance_flips",
    "tie_note",
]

#: Columns of every ``to_frame()`` of a check result (``verify`` adds
#: ``record`` and ``claim`` in front).  ``discriminates`` and
#: ``recomputed_method`` were added after the first release; the other
#: columns keep their names and meaning.
ROW_COLUMNS = (
    "quantity",
    "reported",
    "verdict",
    "methods",
    "discriminates",
    "recomputed",
    "recomputed_method",
    "decision_error",
    "note",
)


class Verdict(StrEnum):
    """Outcome of checking one printed number.

    ``reproduced``, ``inconsistent`` and ``not-checkable`` compare a printed
    number with named methods.  ``plausible`` and ``implausible`` are the
    weaker answers of a model-based simulation (``verify --simulate``): the
    printed number lies inside (outside) the central band of values simulated
    under an assumed model; no method reproduced it.
    """

    REPRODUCED = "reproduced"
    INCONSISTENT = "inconsistent"
    NOT_CHECKABLE = "not-checkable"
    PLAUSIBLE = "plausible"
    IMPLAUSIBLE = "implausible"

    def __str__(self) -> str:
        return self.value


#: The verdict words in the order summaries list them.
VERDICTS = tuple(v.value for v in Verdict)


def fmt_number(x: float | None, digits: int = 4) -> str:
    """A number for a note: ``digits`` significant digits (never used on stored values).

    Values of at least 100 keep one decimal; values below 0.01 keep
    ``digits - 1`` significant digits.  Notes are text: the rows keep the
    unrounded values in their fields.

    >>> fmt_number(0.3987434763408506), fmt_number(131.88234), fmt_number(2.26e-07)
    ('0.3987', '131.9', '2.26e-07')
    """
    if x is None or math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    ax = abs(x)
    if ax >= 100:
        return f"{x:.1f}"
    if ax >= 0.01:
        return f"{x:.{digits}g}"
    return f"{x:.{max(digits - 1, 1)}g}"


def fmt_range(r: tuple[float, float]) -> str:
    """``[low, high]`` with :func:`fmt_number`."""
    return f"[{fmt_number(r[0])}, {fmt_number(r[1])}]"


def _fmt_outside(x: float, rep: Reported, mode: RoundingMode | str, scale: float = 1.0) -> str:
    """:func:`fmt_number` with enough digits that the text does not read as fitting ``rep``.

    A value just outside a rounding interval (0.042497 against "0.043",
    i.e. [0.0425, 0.0435)) would print as 0.0425 at four digits; more digits
    are shown until the printed text lies outside the interval too.
    """
    iv = rep.interval(mode)
    for digits in range(4, 13):
        text = fmt_number(x, digits)
        try:
            if not iv.contains(float(text)):
                return text
        except ValueError:  # pragma: no cover - 'nan', 'inf' parse as floats
            return text
    return repr(x)


def percent_text(rep: Reported | str) -> str:
    """A printed percentage with exactly one ``%`` (``"35"`` and ``"35%"`` both give ``"35%"``)."""
    text = rep.text if isinstance(rep, Reported) else str(rep)
    return text if text.rstrip().endswith("%") else f"{text}%"


@dataclass(frozen=True)
class CheckRow:
    """The verdict on one printed number.

    Attributes
    ----------
    quantity : str
        What the number is, e.g. ``"odds_ratio"``, ``"ci_low"``, ``"p"``,
        ``"percent[treatment]"`` or ``"joint[odds_ratio]"``.
    reported : str
        The number as printed.
    verdict : Verdict
        ``reproduced``, ``inconsistent``, ``not-checkable``, or, for
        simulation rows only, ``plausible`` / ``implausible``.
    methods : tuple of str
        The methods that reproduce the number within its rounding interval
        (for a ``plausible`` row: the simulation it is plausible under).
    recomputed : float or None
        Among the reproducing methods, the value of the one closest to the
        printed value; else the value of the nearest method (never rounded).
    decision_error : bool or None
        For P values and CIs: whether the recomputed value would flip
        significance at 0.05; ``None`` where that does not apply.
    note : str
        Free text: which methods fit and which do not (at note precision),
        why a row is not checkable, the model of a simulation, etc.
    recomputed_method : str or None
        The method whose value ``recomputed`` is.  Defaults to the single
        method in ``methods`` when there is exactly one.
    discriminates : bool or None
        Whether the printed precision tells the candidate methods apart:
        ``True`` when exactly one of several methods reproduces the number,
        ``False`` when several do (the printed number cannot say which one
        was used), ``None`` when nothing is reproduced or only one method
        was tried (undecided, never ``False``).
    matching : mapping of str to float
        Each reproducing method and its value (unrounded; for range checks
        the value of its range nearest the printed one).
    nonmatching : mapping of str to float
        Each method that was computed but does not reproduce the number, and
        its value nearest the printed one.
    """

    quantity: str
    reported: str
    verdict: Verdict
    methods: tuple[str, ...] = ()
    recomputed: float | None = None
    decision_error: bool | None = None
    note: str = ""
    recomputed_method: str | None = None
    discriminates: bool | None = None
    matching: Mapping[str, float] = field(default_factory=dict, hash=False)
    nonmatching: Mapping[str, float] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if (
            self.recomputed_method is None
            and self.recomputed is not None
            and len(self.methods) == 1
        ):
            object.__setattr__(self, "recomputed_method", self.methods[0])

    def as_dict(self) -> dict[str, Any]:
        """The row as a plain dict with the :data:`ROW_COLUMNS` keys."""
        return {
            "quantity": self.quantity,
            "reported": self.reported,
            "verdict": self.verdict.value,
            "methods": tuple(self.methods),
            "discriminates": self.discriminates,
            "recomputed": self.recomputed,
            "recomputed_method": self.recomputed_method,
            "decision_error": self.decision_error,
            "note": self.note,
        }


@dataclass(frozen=True)
class CheckResult:
    """Base of check results: a tuple of :class:`CheckRow`.

    Subclasses add the recomputed statistics as attributes.
    """

    rows: tuple[CheckRow, ...] = field(default_factory=tuple)

    @property
    def consistent(self) -> bool:
        """True when no row is ``inconsistent``."""
        return all(r.verdict is not Verdict.INCONSISTENT for r in self.rows)

    def to_frame(self) -> pd.DataFrame:
        """One row per printed number with the fixed :data:`ROW_COLUMNS`."""
        import pandas as pd

        return pd.DataFrame([r.as_dict() for r in self.rows], columns=list(ROW_COLUMNS))

    def _repr_rows(self) -> str:
        lines = []
        for r in self.rows:
            m = ", ".join(r.methods) if r.methods else "-"
            if r.discriminates is False:
                m += "  (printed precision cannot tell these apart)"
            lines.append(f"  {r.quantity:<24} {r.reported:>10}  {r.verdict.value:<14} {m}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(\n{self._repr_rows()}\n)"


def tie_note(
    reported: Reported,
    values: Mapping[str, float | Fraction | int] | Iterable[tuple[str, float | Fraction | int]],
    *,
    mode: RoundingMode | str = DEFAULT_MODE,
) -> str:
    """A note for values that match ``reported`` only through a rounding tie (else ``""``).

    A value exactly halfway between the printed number and its neighbour
    (13/16 = 81.25% against "81.2") prints as the printed number under one
    tie rule only: R and C print the binary value half-even ("81.2"), Stata,
    SAS, Excel and hand rounding half-up ("81.3").  Under the default mode
    (either rule) the match stands and this note says that it needed the tie;
    under a strict mode the tie was already decided by the mode, and the note
    is empty.
    """
    if RoundingMode.coerce(mode) is not RoundingMode.UP_OR_DOWN:
        return ""
    pairs = list(values.items() if isinstance(values, Mapping) else values)
    tied = [(name, v) for name, v in pairs if v is not None and reported.at_tie(v)]
    if not tied:
        return ""
    ties = reported.tie_values()
    if ties is None:  # pragma: no cover - at_tie is False for inequalities
        return ""
    half = Decimal(5).scaleb(-reported.decimals - 1)
    parts = []
    for side in (-1, 1):
        names = [n for n, v in tied if (float(v) > reported.value) == (side > 0)]
        if not names:
            continue
        tie = reported.exact + side * half
        other = (reported.exact + 2 * side * half).quantize(Decimal(1).scaleb(-reported.decimals))
        toward_zero = abs(tie) > abs(reported.exact)
        parts.append(
            f"{', '.join(names)} = {tie.normalize():f}, halfway between "
            f"{min(reported.exact, other):f} and {max(reported.exact, other):f}: it prints "
            f"as {reported.text} only if the tie went {'toward' if toward_zero else 'away from'} "
            "zero"
        )
    return (
        "; ".join(parts)
        + " (R and C print the binary value half-even; Stata, SAS and Excel round ties away"
        " from zero)"
    )


def significance_flips(
    reported: Reported,
    value: float,
    *,
    alpha: float = 0.05,
    mode: RoundingMode | str = DEFAULT_MODE,
) -> bool | None:
    """Whether a recomputed P ``value`` and the printed P disagree about ``p < alpha``.

    Returns ``None`` when the printed P straddles ``alpha`` (e.g. ``"0.05"``
    printed with two decimals covers both sides), so no decision can be read.
    """
    iv = reported.interval(mode)
    if iv.high < alpha or (iv.high == alpha and not iv.high_closed):
        rep_sig = True
    elif iv.low >= alpha:
        rep_sig = False
    else:
        return None
    if value is None or math.isnan(value):
        return None
    return rep_sig != (value < alpha)


def _value_distance(v: float, target: float, log_distance: bool) -> float:
    """Distance of ``v`` from the printed value ``target`` (on the log scale for ratios)."""
    if log_distance and v > 0 and target > 0:
        return abs(math.log(v) - math.log(target))
    return abs(v - target)


def closest_method(
    values: Mapping[str, float], target: float, *, log_distance: bool = False
) -> str:
    """The method whose value is closest to ``target``; the first listed on (float) ties.

    Values within a relative 1e-12 of the smallest distance count as tied, so
    two methods that compute the same number by different routes (Fisher's
    P by doubling and by summing) are resolved by their order, not by the
    last bit of floating-point noise.
    """
    dist = {m: _value_distance(v, target, log_distance) for m, v in values.items()}
    d_min = min(dist.values())
    return next(m for m, d in dist.items() if d <= d_min * (1 + 1e-12))


def fit_note(
    reported: Reported,
    matching: Mapping[str, float],
    nonmatching: Mapping[str, float],
    *,
    mode: RoundingMode | str = DEFAULT_MODE,
    log_distance: bool = False,
    what: str = "methods",
) -> str:
    """Readable text of which methods fit a printed number and which do not.

    ``matching`` and ``nonmatching`` map method names to values (on the
    printed scale).  Several fitting methods are said to be
    indistinguishable at the printed precision; the non-fitting ones are
    listed nearest first with their value at note precision (with more
    digits when four would read as fitting).

    >>> from gvhdstats.numbers import Reported
    >>> print(fit_note(Reported.parse("0.001"), {"wald": 0.000906, "pearson-chi2": 0.000625}, {}))
    all 2 methods reproduce 0.001 (0.000625 to 0.000906): the printed precision
    cannot tell them apart

    Fisher's 0.06345 and the likelihood-ratio P 0.042497 (which would read as
    fitting at four digits, 0.0425) do not print as 0.043:

    >>> print(fit_note(Reported.parse("0.043"), {"pearson-chi2": 0.04345},
    ...                {"fisher-exact": 0.06345, "likelihood-ratio": 0.042497}))
    not reproducing 0.043: likelihood-ratio 0.042497, fisher-exact 0.06345
    """
    parts: list[str] = []
    target = reported.value
    if len(matching) > 1:
        vals = sorted(matching.values())
        span = (
            fmt_number(vals[0])
            if fmt_number(vals[0]) == fmt_number(vals[-1])
            else f"{fmt_number(vals[0])} to {fmt_number(vals[-1])}"
        )
        how_many = f"all {len(matching)}" if not nonmatching else str(len(matching))
        parts.append(
            f"{how_many} {what} reproduce {reported.text} ({span}): the printed precision "
            "cannot tell them apart"
        )
    if nonmatching:
        order = sorted(
            nonmatching.items(), key=lambda kv: _value_distance(kv[1], target, log_distance)
        )
        shown = ", ".join(f"{m} {_fmt_outside(v, reported, mode)}" for m, v in order)
        parts.append(f"not reproducing {reported.text}: {shown}")
    return "; ".join(parts)


def match_reported(
    quantity: str,
    reported: str | Reported,
    candidates: Mapping[str, float | None] | Iterable[tuple[str, float | None]],
    *,
    mode: RoundingMode | str = DEFAULT_MODE,
    scale: float = 1.0,
    log_distance: bool = False,
    decision: str | None = None,
    alpha: float = 0.05,
    note: str = "",
) -> CheckRow:
    """Compare one printed number with values recomputed by several methods.

    Parameters
    ----------
    quantity : str
        Name of the quantity (goes into the row).
    reported : str or Reported
        The printed number.
    candidates : mapping or iterable of (method, value)
        Recomputed values, on the scale of the true quantity; ``None`` or NaN
        for a method that could not compute it.
    scale : float
        Factor applied to each candidate before comparing (100 for a
        percentage printed from a proportion).
    log_distance : bool
        Judge "nearest" on the log scale (ratios).
    decision : {"p", "ci-ratio", "ci-difference", None}
        How a decision error is judged: for ``"p"`` the recomputed P is
        compared with ``alpha``; CI rows leave it to joint checks (``None``).
    note : str
        Added to the row's note (after the fit text).

    Returns
    -------
    CheckRow
        ``reproduced`` when at least one method's value lies in the rounding
        interval, else ``inconsistent``; ``not-checkable`` when no candidate
        could be computed.  ``matching`` / ``nonmatching`` give every
        method's value (scaled); ``recomputed`` is the value, and
        ``recomputed_method`` the name, of the reproducing method closest to
        the printed value (else of the method nearest the rounding
        interval); ``discriminates`` is ``False`` when several methods
        reproduce the number, ``True`` when one of several does.

    Examples
    --------
    A P printed as "0.001" for 54/65 vs 36/65: Pearson's chi-square gives
    0.000625, Yates' 0.00124 and the Wald z test 0.000906; every one of them
    prints as 0.001, so the printed number cannot say which test was used:

    >>> row = match_reported("p", "0.001", {"pearson-chi2": 0.000625,
    ...                                     "yates-chi2": 0.001236, "wald": 0.000906})
    >>> row.verdict.value, row.discriminates, row.recomputed_method
    ('reproduced', False, 'wald')
    """
    rep = Reported.parse(reported, name=quantity)
    items = list(candidates.items() if isinstance(candidates, Mapping) else candidates)
    iv = rep.interval(mode)
    matching: dict[str, float] = {}
    nonmatching: dict[str, float] = {}
    best: tuple[float, str, float] | None = None
    for name, val in items:
        if val is None or (isinstance(val, float) and math.isnan(val)):
            continue
        v = float(val) * scale
        if iv.contains(v):
            matching[name] = v
        else:
            nonmatching[name] = v
        if log_distance and v > 0 and iv.low > 0:
            lo = iv.low
            hi = iv.high
            if v < lo:
                d = math.log(lo) - math.log(v)
            elif v > hi:
                d = math.log(v) - math.log(hi)
            else:
                d = 0.0
        else:
            d = iv.distance(v)
        if best is None or d < best[0]:
            best = (d, name, v)
    if best is None:
        return CheckRow(
            quantity,
            rep.text,
            Verdict.NOT_CHECKABLE,
            (),
            None,
            None,
            note or "no method could compute this quantity",
        )
    n_tried = len(matching) + len(nonmatching)
    fits = fit_note(rep, matching, nonmatching, mode=mode, log_distance=log_distance)
    if matching:
        dec = None
        if decision == "p":
            # reproduced within rounding: the printed P and a true P agree
            dec = False
        pick = closest_method(matching, rep.value, log_distance=log_distance)
        tie = tie_note(rep, matching, mode=mode)
        return CheckRow(
            quantity,
            rep.text,
            Verdict.REPRODUCED,
            tuple(matching),
            matching[pick],
            dec,
            "; ".join(x for x in (tie, fits, note) if x),
            recomputed_method=pick,
            discriminates=(len(matching) == 1) if n_tried > 1 else None,
            matching=matching,
            nonmatching=nonmatching,
        )
    _, name, v = best
    dec = significance_flips(rep, v / scale, alpha=alpha) if decision == "p" else None
    msg = f"nearest: {name} = {_fmt_outside(v, rep, mode)}"
    if len(nonmatching) > 1:
        msg += "; " + fits
    return CheckRow(
        quantity,
        rep.text,
        Verdict.INCONSISTENT,
        (),
        v,
        dec,
        "; ".join(x for x in (msg, note) if x),
        recomputed_method=name,
        discriminates=None,
        matching=matching,
        nonmatching=nonmatching,
    )


def joint_row(
    quantity: str,
    parts: Sequence[CheckRow],
    families: Mapping[str, Sequence[str]],
    *,
    reported: str = "",
) -> CheckRow:
    """A joint row: which method family reproduces every part together.

    ``families`` maps a family name to the method names (one per part, in the
    order of ``parts``) that make up that family.  A family reproduces the
    group when each part's method is among that part's reproducing methods.
    When several families do, the row's ``discriminates`` is ``False`` and
    its note names the parts whose printed precision could not tell the
    methods apart (:func:`joint_precision_note`).
    """
    good = [
        fam
        for fam, methods in families.items()
        if all(m in p.methods for m, p in zip(methods, parts, strict=True))
    ]
    text = reported or " / ".join(p.reported for p in parts)
    if any(p.verdict is Verdict.NOT_CHECKABLE for p in parts) and not good:
        return CheckRow(
            quantity, text, Verdict.NOT_CHECKABLE, (), None, None, "a part is not checkable"
        )
    if good:
        return CheckRow(
            quantity,
            text,
            Verdict.REPRODUCED,
            tuple(good),
            None,
            None,
            joint_precision_note(len(good), parts),
            discriminates=len(good) == 1 if len(families) > 1 else None,
        )
    bad = [p.quantity for p in parts if p.verdict is Verdict.INCONSISTENT]
    if bad:
        note = "no single method reproduces all parts; inconsistent: " + ", ".join(bad)
    else:
        note = "each part is reproduced by some method, but no single family reproduces all"
    return CheckRow(quantity, text, Verdict.INCONSISTENT, (), None, None, note)


def joint_precision_note(n_families: int, parts: Sequence[CheckRow | None]) -> str:
    """The note of a joint row reproduced by ``n_families`` families.

    With one family the printed numbers identify it (empty note).  With
    several, the note says that the printed numbers do not identify a
    method family and which parts were reproduced by several methods.

    >>> rows = [CheckRow("p", "0.001", Verdict.REPRODUCED, ("a", "b", "c"), discriminates=False)]
    >>> print(joint_precision_note(2, rows))
    the printed numbers do not identify the method: 2 families reproduce every
    part; at the printed precision p (0.001) fits 3 methods
    """
    if n_families <= 1:
        return ""
    loose = [
        f"{p.quantity} ({p.reported}) fits {len(p.methods)} methods"
        for p in parts
        if p is not None and p.discriminates is False
    ]
    note = (
        "the printed numbers do not identify the method: "
        f"{n_families} families reproduce every part"
    )
    if loose:
        note += "; at the printed precision " + ", ".join(loose)
    return note
