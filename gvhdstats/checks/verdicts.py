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
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from gvhdstats.numbers import Reported, RoundingMode

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "ROW_COLUMNS",
    "CheckResult",
    "CheckRow",
    "Verdict",
    "match_reported",
    "significance_flips",
]

#: Columns of every ``to_frame()`` of a check result (``verify`` adds
#: ``record`` and ``claim`` in front).
ROW_COLUMNS = (
    "quantity",
    "reported",
    "verdict",
    "methods",
    "recomputed",
    "decision_error",
    "note",
)


class Verdict(StrEnum):
    """Outcome of checking one printed number."""

    REPRODUCED = "reproduced"
    INCONSISTENT = "inconsistent"
    NOT_CHECKABLE = "not-checkable"

    def __str__(self) -> str:
        return self.value


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
        ``reproduced``, ``inconsistent`` or ``not-checkable``.
    methods : tuple of str
        The methods that reproduce the number within its rounding interval.
    recomputed : float or None
        The value of the first reproducing method, else the nearest recomputed
        value (never rounded).
    decision_error : bool or None
        For P values and CIs: whether the recomputed value would flip
        significance at 0.05; ``None`` where that does not apply.
    note : str
        Free text: which method is nearest, why a row is not checkable, etc.
    """

    quantity: str
    reported: str
    verdict: Verdict
    methods: tuple[str, ...] = ()
    recomputed: float | None = None
    decision_error: bool | None = None
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The row as a plain dict with the :data:`ROW_COLUMNS` keys."""
        return {
            "quantity": self.quantity,
            "reported": self.reported,
            "verdict": self.verdict.value,
            "methods": tuple(self.methods),
            "recomputed": self.recomputed,
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
            lines.append(f"  {r.quantity:<24} {r.reported:>10}  {r.verdict.value:<14} {m}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(\n{self._repr_rows()}\n)"


def significance_flips(
    reported: Reported, value: float, *, alpha: float = 0.05, mode: RoundingMode | str = "half-up"
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


def match_reported(
    quantity: str,
    reported: str | Reported,
    candidates: Mapping[str, float | None] | Iterable[tuple[str, float | None]],
    *,
    mode: RoundingMode | str = RoundingMode.HALF_UP,
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

    Returns
    -------
    CheckRow
        ``reproduced`` when at least one method's value lies in the rounding
        interval, else ``inconsistent`` with the nearest value; ``not-checkable``
        when no candidate could be computed.
    """
    rep = Reported.parse(reported, name=quantity)
    items = list(candidates.items() if isinstance(candidates, Mapping) else candidates)
    iv = rep.interval(mode)
    ok: list[str] = []
    first_ok: float | None = None
    best: tuple[float, str, float] | None = None
    for name, val in items:
        if val is None or (isinstance(val, float) and math.isnan(val)):
            continue
        v = float(val) * scale
        if iv.contains(v):
            ok.append(name)
            if first_ok is None:
                first_ok = float(val) * scale
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
    if ok:
        dec = None
        if decision == "p":
            # reproduced within rounding: the printed P and a true P agree
            dec = False
        return CheckRow(
            quantity,
            rep.text,
            Verdict.REPRODUCED,
            tuple(ok),
            first_ok,
            dec,
            note,
        )
    _, name, v = best
    dec = significance_flips(rep, v / scale, alpha=alpha) if decision == "p" else None
    msg = f"nearest: {name} = {v!r}"
    return CheckRow(
        quantity,
        rep.text,
        Verdict.INCONSISTENT,
        (),
        v,
        dec,
        f"{msg}; {note}" if note else msg,
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
        return CheckRow(quantity, text, Verdict.REPRODUCED, tuple(good), None, None, "")
    bad = [p.quantity for p in parts if p.verdict is Verdict.INCONSISTENT]
    if bad:
        note = "no single method reproduces all parts; inconsistent: " + ", ".join(bad)
    else:
        note = "each part is reproduced by some method, but no single family reproduces all"
    return CheckRow(quantity, text, Verdict.INCONSISTENT, (), None, None, note)
