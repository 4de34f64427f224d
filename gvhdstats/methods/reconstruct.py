"""Patient-level data rebuilt from published Kaplan-Meier and cumulative-incidence curves.

:func:`reconstruct_km` implements the algorithm of Guyot et al. (2012): from
digitised coordinates of a Kaplan-Meier curve and the number-at-risk table
printed under it (and, when printed, the total number of events) it rebuilds,
interval by interval, the event and censoring times of every patient.
:func:`reconstruct_cif` extends it to competing risks in the spirit of
reconstructKM's ``CIC_reconstruct``: the overall event-free curve gives the
event times, and one or more cumulative-incidence curves give each event its
cause.  Both are deterministic (no random numbers).

The rebuilt data feed the estimators of :mod:`gvhdstats.methods.survival`,
:mod:`gvhdstats.methods.competing` and :mod:`gvhdstats.methods.finegray`;
claims of type ``reconstructed`` are checked by
:mod:`gvhdstats.checks.reconstructed` (see ``docs/reconstruction.md``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from gvhdstats._validation import as_real_array
from gvhdstats.errors import (
    InvalidArgumentError,
    InvalidCountError,
    UnknownMethodError,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


__all__ = [
    "Accuracy",
    "CIFReconstruction",
    "CleaningReport",
    "KMReconstruction",
    "reconstruct_cif",
    "reconstruct_km",
    "stack_arms",
]

_SCALES = ("auto", "proportion", "percent")

#: Columns of ``KMReconstruction.steps``.
STEP_COLUMNS = ("time", "survival", "n_risk", "n_event", "n_censor", "rebuilt")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class CleaningReport:
    """What was done to the digitised coordinates before rebuilding.

    Attributes
    ----------
    n_points : int
        Number of coordinates given.
    percent : bool
        Whether the values were read as percentages and divided by 100.
    scale : str
        ``"percent"`` or ``"proportion"``: the scale used (given, or decided by
        ``scale="auto"``, with the reason in ``notes``).
    n_negative_times : int
        Times below 0 set to 0 (digitisation noise at the origin).
    n_clipped : int
        Values outside [0, 1] clipped into it.
    n_monotone : int
        Points moved to keep the curve monotone (survival non-increasing,
        cumulative incidence non-decreasing): each takes the running minimum
        (maximum) of the points before it, in time order.
    max_monotone_change : float
        The largest such move, on the probability scale.
    origin_added : bool
        Whether the point ``(0, 1)`` (``(0, 0)`` for an incidence curve) was
        added because no coordinate lay at time 0.
    n_inserted : int
        Points inserted at number-at-risk times that had no coordinate (the
        value of the step curve just there).
    notes : tuple of str
        Anything else worth knowing (a risk table that runs past the curve).
    """

    n_points: int
    percent: bool
    n_negative_times: int
    n_clipped: int
    n_monotone: int
    max_monotone_change: float
    origin_added: bool
    n_inserted: int
    notes: tuple[str, ...] = ()
    scale: str = "proportion"

    def __repr__(self) -> str:
        return (
            f"CleaningReport(n_points={self.n_points}, scale={self.scale!r}, "
            f"n_negative_times={self.n_negative_times}, n_clipped={self.n_clipped}, "
            f"n_monotone={self.n_monotone}, max_monotone_change={self.max_monotone_change:.4g}, "
            f"origin_added={self.origin_added}, n_inserted={self.n_inserted})"
        )


@dataclass(frozen=True)
class Accuracy:
    """How well the rebuilt data reproduce what was given.

    Attributes
    ----------
    max_error, rms_error : float
        Largest and root-mean-square absolute difference between the
        Kaplan-Meier (or Aalen-Johansen) curve of the rebuilt data and the
        cleaned digitised values, over the digitised times.
    risk_table : pandas.DataFrame
        Columns ``time``, ``n_risk_given``, ``n_risk_rebuilt``, ``difference``
        (rebuilt minus given).
    total_events_given : int or None
        The total number of events given, if any.
    total_events_rebuilt : int
        The number of events in the rebuilt data.
    """

    max_error: float
    rms_error: float
    risk_table: pd.DataFrame = field(repr=False)
    total_events_given: int | None
    total_events_rebuilt: int

    @property
    def risk_mismatches(self) -> pd.DataFrame:
        """Rows of :attr:`risk_table` whose rebuilt number at risk differs from the given one."""
        rt = self.risk_table
        return rt[rt["difference"] != 0].reset_index(drop=True)

    def __repr__(self) -> str:
        return (
            f"Accuracy(max_error={self.max_error:.4g}, rms_error={self.rms_error:.4g}, "
            f"risk_mismatches={len(self.risk_mismatches)}, "
            f"total_events_given={self.total_events_given}, "
            f"total_events_rebuilt={self.total_events_rebuilt})"
        )


@dataclass(frozen=True)
class KMReconstruction:
    """Patient-level data rebuilt from one Kaplan-Meier curve (one arm).

    Attributes
    ----------
    data : pandas.DataFrame
        One row per patient, columns ``time`` (float) and ``event``
        (1 event, 0 censored), sorted by time.
    steps : pandas.DataFrame
        One row per (cleaned, completed) coordinate, columns :data:`STEP_COLUMNS`:
        ``time``, ``survival`` (digitised), ``n_risk`` (rebuilt number at risk
        just before ``time``), ``n_event`` (events at ``time``), ``n_censor``
        (censorings in ``[time, next time)``), ``rebuilt`` (the rebuilt
        Kaplan-Meier value at ``time``).
    accuracy : Accuracy
        Differences between the rebuilt and the digitised curve, at-risk table.
    cleaning : CleaningReport
        What was done to the coordinates.
    """

    data: pd.DataFrame = field(repr=False)
    steps: pd.DataFrame = field(repr=False)
    accuracy: Accuracy
    cleaning: CleaningReport

    @property
    def n(self) -> int:
        """Number of patients."""
        return len(self.data)

    @property
    def scale(self) -> str:
        """``"percent"`` or ``"proportion"``: how the digitised values were read."""
        return self.cleaning.scale

    @property
    def n_events(self) -> int:
        """Number of events."""
        return int(self.data["event"].sum())

    def __repr__(self) -> str:
        return (
            f"KMReconstruction(n={self.n}, events={self.n_events}, "
            f"follow_up={float(self.data['time'].max()):.4g},\n  {self.accuracy!r},\n"
            f"  {self.cleaning!r})"
        )


@dataclass(frozen=True)
class CIFReconstruction:
    """Cause-labelled patient-level data rebuilt from curves (one arm).

    Attributes
    ----------
    data : pandas.DataFrame
        Columns ``time`` and ``status`` (0 censored, else the cause code).
    overall : KMReconstruction
        The rebuild of the overall event-free curve that gave the event times.
    accuracy : dict of int to Accuracy
        For each plotted cause, the differences between the Aalen-Johansen
        cumulative incidence of the rebuilt data and the digitised curve.
    cleaning : dict of int to CleaningReport
        Cleaning of each cumulative-incidence curve.
    """

    data: pd.DataFrame = field(repr=False)
    overall: KMReconstruction = field(repr=False)
    accuracy: Mapping[int, Accuracy]
    cleaning: Mapping[int, CleaningReport] = field(repr=False)

    @property
    def scale(self) -> dict[int, str]:
        """For each plotted cause, how its digitised values were read."""
        return {c: r.scale for c, r in self.cleaning.items()}

    def __repr__(self) -> str:
        counts = self.data["status"].value_counts().sort_index()
        # the index holds the integer status codes
        parts = ", ".join(f"{int(cast(int, k))}: {int(v)}" for k, v in counts.items())
        acc = "\n".join(
            f"  cause {c}: max_error={a.max_error:.4g}, rms_error={a.rms_error:.4g}"
            for c, a in self.accuracy.items()
        )
        return f"CIFReconstruction(n={len(self.data)}, status counts {{{parts}}},\n{acc})"


# --------------------------------------------------------------------------- input checks


def _as_float_array(x: Any, name: str) -> np.ndarray:
    return as_real_array(x, name)


def _as_count_array(x: Any, name: str) -> np.ndarray:
    a = _as_float_array(x, name)
    if np.any(a < 0) or np.any(a != np.round(a)):
        bad = a[(a < 0) | (a != np.round(a))][0]
        raise InvalidCountError(f"`{name}` must hold integers not less than 0, but got {bad!r}")
    return a.astype(np.int64)


def _check_scale(scale: str) -> str:
    if not isinstance(scale, str) or scale.lower() not in _SCALES:
        raise UnknownMethodError(f"`scale` must be one of {_SCALES}, but got {scale!r}")
    return scale.lower()


def _check_risk_table(risk_times: Any, n_risk: Any) -> tuple[np.ndarray, np.ndarray]:
    rt = _as_float_array(risk_times, "risk_times")
    nr = _as_count_array(n_risk, "n_risk")
    if rt.size != nr.size:
        raise InvalidArgumentError(
            f"`risk_times` and `n_risk` must have the same length, but got {rt.size} and {nr.size}"
        )
    if rt[0] != 0:
        raise InvalidArgumentError(
            f"`risk_times` must start at 0 (the number randomised), but got {rt[0]!r}"
        )
    if np.any(np.diff(rt) <= 0):
        raise InvalidArgumentError(
            f"`risk_times` must be strictly increasing, but got {rt.tolist()}"
        )
    if nr[0] < 1:
        raise InvalidCountError(f"`n_risk[0]` must be an integer not less than 1, but got {nr[0]}")
    if np.any(np.diff(nr) > 0):
        raise InvalidCountError(f"`n_risk` must be non-increasing, but got {nr.tolist()}")
    return rt, nr


# --------------------------------------------------------------------------- cleaning


def _auto_scale(t: np.ndarray, v: np.ndarray, *, kind: str, name: str) -> tuple[bool, str]:
    """Decide whether digitised values are percentages, from all of them, not the largest.

    A value above 1.5 cannot be a proportion.  Percent is read when most
    values exceed 1.5, or when those that do form the part of the curve
    where a percentage curve is high (its start for a survival curve, its
    end for a cumulative incidence), at least two of them.  No value above
    1.5 means proportions.  Anything else (for instance one digitising
    outlier among proportions) is ambiguous and refused.
    """
    big = v > 1.5
    n_big = int(big.sum())
    if n_big == 0:
        return False, "scale='auto' read proportions (no value above 1.5)"
    order = np.argsort(t, kind="stable")
    seq = big[order]
    # percent curves are high early (survival) or late (incidence)
    high_part = seq[::-1] if kind == "incidence" else seq
    contiguous = bool(np.all(high_part[:n_big]))
    if 2 * n_big > v.size or (contiguous and n_big >= 2):
        return True, (f"scale='auto' read percentages ({n_big} of {v.size} values above 1.5)")
    i = int(np.flatnonzero(big)[0])
    raise InvalidArgumentError(
        f"`{name}` values: scale='auto' cannot tell proportions from percentages: {n_big} of "
        f"{v.size} values exceed 1.5 (e.g. {float(v[i])!r} at position {i}) but the others "
        "do not read as a percentage curve; fix the outlying point(s), or pass "
        "scale='proportion' or scale='percent'"
    )


def _clean_curve(
    times: Any, values: Any, *, kind: str, scale: str, name: str
) -> tuple[np.ndarray, np.ndarray, CleaningReport]:
    """Sort, rescale, clip and make monotone one digitised curve.

    ``kind`` is ``"survival"`` (starts at 1, non-increasing) or ``"incidence"``
    (starts at 0, non-decreasing).
    """
    t = _as_float_array(times, f"{name} times")
    v = _as_float_array(values, f"{name} values")
    if t.size != v.size:
        raise InvalidArgumentError(
            f"`{name}` times and values must have the same length, but got {t.size} and {v.size}"
        )
    scale = _check_scale(scale)
    notes = []
    if scale == "auto":
        percent, why = _auto_scale(t, v, kind=kind, name=name)
        notes.append(why)
    else:
        percent = scale == "percent"
    if percent:
        v = v / 100.0
    if float(t.min()) < -0.05 * max(float(t.max()), 1e-12):
        raise InvalidArgumentError(
            f"`{name}` times must not be negative beyond digitisation noise, but got {t.min()!r}"
        )
    n_neg = int(np.sum(t < 0))
    t = np.maximum(t, 0.0)
    n_clip = int(np.sum((v < 0) | (v > 1)))
    v = np.clip(v, 0.0, 1.0)
    # survival curves: at equal times the higher value first (top of a step);
    # incidence curves: the lower value first
    sign = -1.0 if kind == "survival" else 1.0
    order = np.lexsort((sign * v, t))
    t, v = t[order], v[order]
    mono = np.minimum.accumulate(v) if kind == "survival" else np.maximum.accumulate(v)
    change = np.abs(mono - v)
    n_mono = int(np.sum(change > 0))
    max_change = float(change.max()) if change.size else 0.0
    v = mono
    start = 1.0 if kind == "survival" else 0.0
    at0 = t == 0
    origin_added = not bool(at0.any())
    if at0.any() and np.any(v[at0] != start):
        notes.append(f"values at time 0 set to {start:g} (digitised {v[at0].tolist()})")
        v = v.copy()
        v[at0] = start
        v = np.minimum.accumulate(v) if kind == "survival" else np.maximum.accumulate(v)
    if origin_added:
        t = np.concatenate([[0.0], t])
        v = np.concatenate([[start], v])
    report = CleaningReport(
        n_points=int(np.asarray(times).size),
        percent=bool(percent),
        scale="percent" if percent else "proportion",
        n_negative_times=n_neg,
        n_clipped=n_clip,
        n_monotone=n_mono,
        max_monotone_change=max_change,
        origin_added=origin_added,
        n_inserted=0,
        notes=tuple(notes),
    )
    return t, v, report


def _step_value(t: np.ndarray, v: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Value of the right-continuous step curve through (t, v) at ``at`` (t sorted)."""
    idx = np.searchsorted(t, at, side="right") - 1
    return v[np.clip(idx, 0, None)]


def _insert_risk_times(
    t: np.ndarray, s: np.ndarray, risk_times: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int, list[str]]:
    """Add a coordinate at every risk-table time that has none (step value there)."""
    missing = np.array([rt for rt in risk_times if not np.any(t == rt)])
    notes: list[str] = []
    if missing.size == 0:
        return t, s, 0, notes
    if np.any(missing > t.max()):
        notes.append(
            "the number-at-risk table runs past the last coordinate; the curve is taken as "
            f"flat from {t.max():g} to {missing.max():g}"
        )
    sv = _step_value(t, s, missing)
    # an inserted point goes before any existing point with the same time (none by
    # construction) and after every earlier one
    t2 = np.concatenate([t, missing])
    s2 = np.concatenate([s, sv])
    order = np.lexsort((-s2, t2))
    return t2[order], s2[order], int(missing.size), notes


# --------------------------------------------------------------------------- Guyot


def _round_half_up(x: float) -> int:
    return math.floor(x + 0.5)


@dataclass
class _Pass:
    d: np.ndarray  # events at each coordinate of the interval
    cen: np.ndarray  # censorings in [t_k, t_k+1)
    cen_times: np.ndarray
    n_at: np.ndarray  # number at risk at each coordinate
    km: np.ndarray  # rebuilt KM at each coordinate
    n_end: int
    km_end: float


def _one_pass(
    t: np.ndarray,
    s: np.ndarray,
    lo: int,
    hi: int,
    t_end: float,
    n_start: int,
    km_start: float,
    n_censor: int,
    first: bool,
    bias: float = 0.0,
) -> _Pass:
    """Events and censorings of one risk-table interval, given its number of censorings.

    Censorings are spread evenly over ``[t[lo], t_end)``; events at each
    coordinate are those that make the rebuilt Kaplan-Meier curve meet the
    digitised value: ``d_k = round(n_k (1 - S_k / S_last))``.
    """
    m = hi - lo + 1
    tt = t[lo : hi + 1]
    if n_censor > 0 and t_end > tt[0]:
        cen_times = tt[0] + np.arange(1, n_censor + 1) * (t_end - tt[0]) / (n_censor + 1)
    elif n_censor > 0:
        cen_times = np.full(n_censor, tt[0])
    else:
        cen_times = np.empty(0)
    edges = np.concatenate([tt, [np.inf]])
    # censor times in [t_k, t_{k+1}); the last bin is open to the end
    pos = np.searchsorted(edges, cen_times, side="right") - 1
    cen = np.bincount(np.clip(pos, 0, m - 1), minlength=m).astype(np.int64)
    d = np.zeros(m, dtype=np.int64)
    n_at = np.zeros(m, dtype=np.int64)
    km = np.zeros(m)
    n = n_start
    km_last = km_start
    kept = np.ones(cen_times.size, dtype=bool)
    for j in range(m):
        n_at[j] = n
        if (first and j == 0) or n <= 0 or km_last <= 0:
            dj = 0
        else:
            dj = math.floor(n * (1.0 - s[lo + j] / km_last) + 0.5 - bias)
            dj = min(max(dj, 0), n)
        if dj > 0:
            km_last = km_last * (1.0 - dj / n)
        d[j] = dj
        km[j] = km_last
        room = n - dj
        if cen[j] > room:
            # fewer patients left than censorings planned here: drop the excess
            idx = np.flatnonzero(pos == j)
            kept[idx[room:]] = False
            cen[j] = room
        n = n - dj - cen[j]
    return _Pass(d, cen, cen_times[kept], n_at, km, int(n), float(km_last))


def _search_censoring(run, n0: int, target_of, cap: int) -> _Pass:
    """Guyot's fixed-point adjustment of the number of censorings, with cycle guard.

    ``run(c)`` gives the pass for ``c`` censorings; ``target_of(p)`` the signed
    excess (positive: too many patients left or too many events, so censor more).
    Returns the pass that meets the target or, if none does, the one closest to it.
    """
    seen: dict[int, _Pass] = {}
    c = min(max(n0, 0), cap)
    while c not in seen:
        p = run(c)
        seen[c] = p
        excess = target_of(p)
        if excess == 0 or (excess < 0 and c == 0):
            return p
        c = min(max(c + excess, 0), cap)
    # cycle: keep the closest (prefer fewer censorings on ties: deterministic)
    best = min(seen.items(), key=lambda kv: (abs(target_of(kv[1])), kv[0]))
    return best[1]


def _guyot(
    t: np.ndarray,
    s: np.ndarray,
    risk_times: np.ndarray,
    n_risk: np.ndarray,
    total_events: int | None,
    tolerance: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[np.ndarray], int, int]:
    """Run the interval-by-interval rebuild.

    Returns events, censorings, numbers at risk and the rebuilt KM at each
    coordinate, the censoring times, and the number of coordinates snapped
    forward to a risk-table time.  ``t`` may be modified (snapping).
    """
    nint = risk_times.size
    npts = t.size
    d = np.zeros(npts, dtype=np.int64)
    cen = np.zeros(npts, dtype=np.int64)
    n_at = np.zeros(npts, dtype=np.int64)
    km = np.ones(npts)
    cen_times: list[np.ndarray] = []
    n_cur = int(n_risk[0])
    km_cur = 1.0
    censored_so_far = 0
    n_snapped = 0
    n_rounded_down = 0
    lo = 0
    for i in range(nint):
        first = i == 0
        if i < nint - 1:
            t_end = float(risk_times[i + 1])
            target = int(n_risk[i + 1])
            nxt = int(np.searchsorted(t, t_end, side="left"))
            p, hi = None, nxt - 1
            # j = number of coordinates at the end of the interval moved to t_end
            # (their drop read a little early); j = 0 is plain Guyot
            for j in range(0, nxt - lo):
                if j > 0 and t[nxt - j] < t_end - tolerance:
                    break
                hi_j = nxt - 1 - j
                s_lo = s[lo]
                s_next = s[nxt] if j == 0 else s[hi_j]
                guess = (
                    _round_half_up(n_cur * s_next / s_lo - target) if s_lo > 0 else n_cur - target
                )

                def run(c, lo=lo, hi=hi_j, t_end=t_end, n_cur=n_cur, km_cur=km_cur, first=first):
                    return _one_pass(t, s, lo, hi, t_end, n_cur, km_cur, c, first)

                pj = _search_censoring(
                    run, guess, lambda p, target=target: p.n_end - target, n_cur
                )
                if p is None or abs(pj.n_end - target) < abs(p.n_end - target):
                    p, hi = pj, hi_j
                if not (pj.n_end < target and int(pj.cen.sum()) == 0):
                    break
            if p is None:  # pragma: no cover - every risk time has a coordinate
                raise InvalidArgumentError(
                    "the digitised curve has no coordinate in the risk-table interval "
                    f"[{float(risk_times[i]):g}, {t_end:g})"
                )
            if p.n_end < target and int(p.cen.sum()) == 0:
                # still too many events with no censoring left: the digitised drops
                # overstate them; round the marginal ones down (bisection on a
                # rounding offset, the smallest offset that meets the table)
                b_lo, b_hi = 0.0, 1.0
                for _ in range(30):
                    mid = 0.5 * (b_lo + b_hi)
                    q = _one_pass(t, s, lo, hi, t_end, n_cur, km_cur, 0, first, mid)
                    if q.n_end >= target:
                        b_hi = mid
                    else:
                        b_lo = mid
                p = _one_pass(t, s, lo, hi, t_end, n_cur, km_cur, 0, first, b_hi)
                n_rounded_down += 1
            if hi < nxt - 1:
                n_snapped += nxt - 1 - hi
                t[hi + 1 : nxt] = t_end
        else:
            hi = npts - 1
            t_end = float(t[hi])
            events_before = int(d[:lo].sum())
            if total_events is None:
                if nint > 1 and risk_times[-1] > 0:
                    rate = censored_so_far / float(risk_times[-1])
                    guess = min(_round_half_up(rate * (t_end - t[lo])), n_cur)
                else:
                    guess = 0
                p = _one_pass(t, s, lo, hi, t_end, n_cur, km_cur, guess, first)
            else:
                need = int(total_events) - events_before

                def run(c, lo=lo, hi=hi, t_end=t_end, n_cur=n_cur, km_cur=km_cur, first=first):
                    return _one_pass(t, s, lo, hi, t_end, n_cur, km_cur, c, first)

                p = _search_censoring(run, 0, lambda p, need=need: int(p.d.sum()) - need, n_cur)
        d[lo : hi + 1] = p.d
        cen[lo : hi + 1] = p.cen
        n_at[lo : hi + 1] = p.n_at
        km[lo : hi + 1] = p.km
        cen_times.append(p.cen_times)
        censored_so_far += int(p.cen.sum())
        n_cur, km_cur = p.n_end, p.km_end
        lo = hi + 1
    return d, cen, n_at, km, cen_times, n_snapped, n_rounded_down


def _ipd_frame(t: np.ndarray, d: np.ndarray, cen_times: list[np.ndarray], n_left: int, t_last):
    import pandas as pd

    ev_t = np.repeat(t, d)
    ct = np.concatenate([*cen_times, np.full(n_left, t_last)]) if cen_times else np.empty(0)
    time = np.concatenate([ev_t, ct])
    event = np.concatenate([np.ones(ev_t.size, dtype=np.int64), np.zeros(ct.size, dtype=np.int64)])
    order = np.lexsort((-event, time))
    return pd.DataFrame({"time": time[order], "event": event[order]})


def _risk_table_frame(time: np.ndarray, risk_times: np.ndarray, n_risk: np.ndarray):
    import pandas as pd

    ts = np.sort(time)
    rebuilt = ts.size - np.searchsorted(ts, risk_times, side="left")
    return pd.DataFrame(
        {
            "time": risk_times,
            "n_risk_given": n_risk.astype(np.int64),
            "n_risk_rebuilt": rebuilt.astype(np.int64),
            "difference": (rebuilt - n_risk).astype(np.int64),
        }
    )


def reconstruct_km(
    times: Sequence[float] | np.ndarray,
    survival: Sequence[float] | np.ndarray,
    risk_times: Sequence[float] | np.ndarray,
    n_risk: Sequence[int] | np.ndarray,
    *,
    total_events: int | None = None,
    scale: str = "auto",
    time_tolerance: float | None = None,
) -> KMReconstruction:
    """Rebuild patient-level data from a digitised Kaplan-Meier curve (Guyot et al. 2012).

    Parameters
    ----------
    times, survival : array_like
        Digitised coordinates of one arm's curve, in any order.  ``survival``
        in [0, 1] or in percent (see ``scale``).  Digitise both ends of every
        drop; small noise is cleaned (see Notes and ``.cleaning``).
    risk_times, n_risk : array_like
        The number-at-risk table printed under the curve: times (the first
        must be 0) and the numbers at risk (``n_risk[0]`` is the arm size).
        ``risk_times=[0], n_risk=[N]`` when only the arm size is known.
    total_events : int, optional
        The total number of events in the arm, when printed; it fixes the
        censoring in the last interval.
    scale : {"auto", "proportion", "percent"}
        Whether ``survival`` is a proportion or a percentage.  ``"auto"``
        decides from all the values, not the largest one: percentages when
        most values exceed 1.5, or when those that do are the early part of
        the curve (at least two); proportions when none does; otherwise (one
        digitising outlier above 1.5 among proportions) it refuses with an
        error asking for the scale.  The scale used is reported as
        ``result.scale`` (and ``result.cleaning.scale``, with the reason in
        ``result.cleaning.notes``).

    Returns
    -------
    KMReconstruction
        ``.data`` (columns ``time``, ``event``), ``.steps`` (events and
        censorings at each coordinate), ``.accuracy`` (max and RMS difference
        between the Kaplan-Meier curve of ``.data`` and the digitised points;
        at-risk numbers rebuilt against given; total events) and
        ``.cleaning``.

    Raises
    ------
    InvalidArgumentError
        Mismatched lengths, non-finite values, a risk table that does not
        start at 0 or whose times do not increase, negative times beyond
        noise.
    InvalidCountError
        Negative, fractional or increasing numbers at risk; a negative
        ``total_events``.
    UnknownMethodError
        ``scale`` is not one of the documented names.

    Notes
    -----
    Cleaning (reported in ``.cleaning``): percentages divided by 100; times
    below 0 set to 0; values clipped to [0, 1]; points sorted by time (the
    higher value first at equal times) and each value replaced by the running
    minimum, so the curve never rises; the point (0, 1) added; a point added
    at every number-at-risk time with no coordinate, with the step value there.

    Rebuild (Guyot et al. 2012, steps 1-6).  For each interval
    :math:`[t_i, t_{i+1})` of the risk table, with :math:`n_i` at risk at its
    start and :math:`S` the digitised values:

    1. first guess of the censorings :math:`c_i = \\mathrm{round}(n_i
       S(t_{i+1}) / S(t_i) - n_{i+1})`, spread evenly over the interval
       (:math:`t_i + j (t_{i+1} - t_i)/(c_i + 1)`, :math:`j = 1..c_i`);
    2. at each coordinate :math:`k`, events :math:`d_k = \\mathrm{round}(
       n_k (1 - S_k / \\hat S_{\\text{last}}))` where :math:`\\hat S_{\\text{last}}`
       is the rebuilt Kaplan-Meier value so far, then
       :math:`\\hat S_k = \\hat S_{\\text{last}} (1 - d_k / n_k)` and
       :math:`n_{k+1} = n_k - d_k - \\text{(censorings in } [t_k, t_{k+1}))`;
    3. if the rebuilt number at risk at :math:`t_{i+1}` differs from the
       printed :math:`n_{i+1}`, add the difference to :math:`c_i` and repeat
       (stopping when they agree, when there are too few patients and no
       censoring left to remove, or when the adjustment cycles: then the
       closest pass is kept and the mismatch is reported).
    4. In the last interval the censorings are, without ``total_events``,
       the earlier censoring rate per unit time times the interval length;
       with ``total_events`` they are adjusted as in 3 until the events add
       up.  Patients still at risk at the end are censored at the last time.

    Rounding is half-up; the result is deterministic.  The next interval
    starts from the rebuilt number at risk (not the printed one), so the data
    are always self-consistent.

    References
    ----------
    Guyot P, Ades AE, Ouwens MJNM, Welton NJ. Enhanced secondary analysis of
    survival data: reconstructing the data from published Kaplan-Meier
    survival curves. BMC Med Res Methodol 2012;12:9.

    The equivalent R call: ``IPDfromKM::getIPD(prep, armID = 1, tot.events =
    ...)`` after ``preprocess(dat, trisk, nrisk, maxy = 1)``, or the authors'
    script; this implementation differs in the cleaning, the cycle guard and
    in placing censorings at their spread times rather than at midpoints.

    Examples
    --------
    A small curve of 10 patients with drops at 1, 2 and 4; the table says 6
    are at risk at 3, so one patient is censored in [0, 3) (placed at 1.5):

    >>> res = reconstruct_km([0, 1, 1, 2, 2, 4, 4, 5],
    ...                      [1, 1, 0.9, 0.9, 0.7, 0.7, 7 / 12, 7 / 12],
    ...                      risk_times=[0, 3], n_risk=[10, 6])
    >>> res.data["time"].tolist()
    [1.0, 1.5, 2.0, 2.0, 4.0, 4.0, 5.0, 5.0, 5.0, 5.0]
    >>> res.data["event"].tolist()
    [1, 0, 1, 1, 1, 0, 0, 0, 0, 0]
    >>> res.accuracy.risk_table["n_risk_rebuilt"].tolist()
    [10, 6]
    """
    rt, nr = _check_risk_table(risk_times, n_risk)
    if total_events is not None:
        if isinstance(total_events, bool) or not isinstance(total_events, int | np.integer):
            raise InvalidCountError(
                f"`total_events` must be an integer not less than 0, but got {total_events!r}"
            )
        if not 0 <= int(total_events) <= int(nr[0]):
            raise InvalidCountError(
                f"`total_events` must be an integer between 0 and n_risk[0] = {int(nr[0])}, "
                f"but got {total_events!r}"
            )
        total_events = int(total_events)
    t, s, rep = _clean_curve(times, survival, kind="survival", scale=scale, name="survival")
    # accuracy is judged on the digitised points only (not the added origin)
    k0 = 1 if rep.origin_added else 0
    t_dig, s_dig = t[k0:].copy(), s[k0:].copy()
    t, s, n_ins, notes = _insert_risk_times(t, s, rt)
    rep = CleaningReport(
        **{**rep.__dict__, "n_inserted": n_ins, "notes": rep.notes + tuple(notes)}
    )
    if time_tolerance is None:
        tol = 0.01 * float(max(t.max(), rt.max()))
    else:
        tol = float(time_tolerance)
        if not math.isfinite(tol) or tol < 0:
            raise InvalidArgumentError(
                "`time_tolerance` must be a finite number not less than 0, "
                f"but got {time_tolerance!r}"
            )
    t = t.copy()
    d, cen, n_at, km, cen_times, n_snap, n_down = _guyot(t, s, rt, nr, total_events, tol)
    extra = []
    if n_snap:
        extra.append(
            f"{n_snap} coordinate(s) within {tol:g} before a number-at-risk time moved to "
            "that time, so that the table is met (a drop digitised a little early)"
        )
    if n_down:
        extra.append(
            f"in {n_down} interval(s) the drops implied more events than the table allows "
            "with no censoring; the most marginal event counts were rounded down"
        )
    if extra:
        rep = CleaningReport(**{**rep.__dict__, "notes": (*rep.notes, *extra)})
    n_left = int(n_at[-1] - d[-1] - cen[-1])
    data = _ipd_frame(t, d, cen_times, n_left, float(t[-1]))
    import pandas as pd

    steps = pd.DataFrame(
        {"time": t, "survival": s, "n_risk": n_at, "n_event": d, "n_censor": cen, "rebuilt": km},
        columns=list(STEP_COLUMNS),
    )
    acc = _km_accuracy(data, t_dig, s_dig, rt, nr, total_events)
    return KMReconstruction(data=data, steps=steps, accuracy=acc, cleaning=rep)


def _km_curve_at(time: np.ndarray, event: np.ndarray, at: np.ndarray) -> np.ndarray:
    from gvhdstats.methods.survival import kaplan_meier

    km = kaplan_meier(time, event)
    return np.asarray(km.at(at)["survival"], dtype=float)


def _segment_error(value: np.ndarray, right: np.ndarray, left: np.ndarray) -> np.ndarray:
    """Signed distance from digitised values to a step curve drawn with its risers.

    A point at time t lies on the drawn curve when its value is between the
    curve's right limit and left limit at t (the vertical segment of a drop).
    """
    lo = np.minimum(right, left)
    hi = np.maximum(right, left)
    return np.where(value < lo, value - lo, np.where(value > hi, value - hi, 0.0))


def _km_accuracy(data, t_dig, s_dig, rt, nr, total_events) -> Accuracy:
    time = data["time"].to_numpy()
    event = data["event"].to_numpy()
    right = _km_curve_at(time, event, t_dig)
    left = _km_curve_at(time, event, np.nextafter(t_dig, -np.inf))
    left = np.where(t_dig <= 0, 1.0, left)
    err = _segment_error(s_dig, right, left)
    return Accuracy(
        max_error=float(np.max(np.abs(err))),
        rms_error=float(np.sqrt(np.mean(err**2))),
        risk_table=_risk_table_frame(time, rt, nr),
        total_events_given=total_events,
        total_events_rebuilt=int(event.sum()),
    )


# --------------------------------------------------------------------------- competing risks


def _cif_curve_at(time, status, cause, at) -> np.ndarray:
    from gvhdstats.methods.competing import cuminc

    res = cuminc(time, status, cause=cause)
    est = np.asarray(res.at(at, cause=cause)["estimate"], dtype=float)
    # beyond the last observed time cmprsk gives NA; the curve is flat there
    last = float(res.at([float(np.max(time))], cause=cause)["estimate"].iloc[0])
    return np.where(np.isnan(est), last, est)


def _largest_remainder(x: np.ndarray, total: int) -> np.ndarray:
    """Integers summing to ``total``, proportional to ``x`` (largest remainders)."""
    if total <= 0:
        return np.zeros(x.size, dtype=np.int64)
    w = x / x.sum() * total
    base = np.floor(w).astype(np.int64)
    rest = total - int(base.sum())
    if rest > 0:
        order = np.argsort(-(w - base), kind="stable")
        base[order[:rest]] += 1
    return base


def reconstruct_cif(
    curves: Mapping[int, tuple[Sequence[float] | np.ndarray, Sequence[float] | np.ndarray]],
    risk_times: Sequence[float] | np.ndarray,
    n_risk: Sequence[int] | np.ndarray,
    *,
    event_free: tuple[Sequence[float] | np.ndarray, Sequence[float] | np.ndarray] | None = None,
    total_events: int | None = None,
    other_cause: int | None = None,
    scale: str = "auto",
    time_tolerance: float | None = None,
) -> CIFReconstruction:
    """Rebuild cause-labelled patient-level data from cumulative-incidence curves.

    Parameters
    ----------
    curves : mapping of int to (times, values)
        For each plotted cause (a positive integer code), the digitised
        coordinates of its cumulative-incidence curve (proportion or percent).
    risk_times, n_risk : array_like
        The number-at-risk table (at risk of any event), starting at time 0.
    event_free : (times, values), optional
        The digitised overall event-free curve (no event of any cause).  When
        omitted it is ``1 - sum of the curves``, which is right only when
        every cause is plotted.
    total_events : int, optional
        The total number of events of any cause, when printed.
    other_cause : int, optional
        Code for events not explained by the plotted curves (needs
        ``event_free``); default one more than the largest plotted cause.
    scale : {"auto", "proportion", "percent"}
        Scale of every curve (see :func:`reconstruct_km`).
    time_tolerance : float, optional
        See :func:`reconstruct_km`.

    Returns
    -------
    CIFReconstruction
        ``.data`` (columns ``time``, ``status``: 0 censored, else the cause),
        ``.overall`` (the :class:`KMReconstruction` of the event-free curve),
        ``.accuracy`` (per plotted cause: max and RMS difference between the
        Aalen-Johansen estimate of the rebuilt data and the digitised
        curve) and ``.cleaning`` (per cause).

    Raises
    ------
    InvalidArgumentError
        Bad curves or codes (see :func:`reconstruct_km` for the rest).

    Notes
    -----
    Step 1: the event times come from :func:`reconstruct_km` on the
    event-free curve.  Step 2: causes are assigned in time order.  At an event
    time :math:`t` with :math:`d` events, :math:`n` at risk and rebuilt
    event-free survival :math:`\\hat S(t-)`, each event of cause :math:`j` raises
    the Aalen-Johansen estimate :math:`\\hat F_j` by :math:`\\hat S(t-)/n`.  The
    wanted number of cause-:math:`j` events is
    :math:`x_j = \\max(0, (F_j^{dig}(t^*) - \\hat F_j(t-))\\, n / \\hat S(t-))`,
    where :math:`F_j^{dig}(t^*)` is the digitised curve just before the next
    event time (midway to it, which absorbs small horizontal digitisation
    error).  When every cause is plotted the :math:`d` events are split in
    proportion to :math:`x_j` (largest remainders); otherwise each plotted
    cause gets :math:`\\mathrm{round}(x_j)` (scaled down if they exceed
    :math:`d`) and the rest go to ``other_cause``.  Because the target is the
    cumulative curve, rounding errors do not accumulate.

    References
    ----------
    Guyot P et al. BMC Med Res Methodol 2012;12:9.  Sun R et al.
    reconstructKM (R package), ``CIC_reconstruct``, which assigns causes to
    the failures of a rebuilt overall curve from digitised cumulative
    incidence curves.

    Examples
    --------
    Ten patients, one cause plotted and the event-free curve given; the
    single drop of the event-free curve at time 2 that the incidence curve
    does not show is labelled cause 2:

    >>> res = reconstruct_cif(
    ...     {1: ([0, 1, 1, 3, 3], [0, 0, 0.1, 0.1, 0.2])},
    ...     risk_times=[0], n_risk=[10],
    ...     event_free=([0, 1, 1, 2, 2, 3, 3, 4], [1, 1, 0.9, 0.9, 0.8, 0.8, 0.7, 0.7]))
    >>> res.data.groupby("status")["time"].apply(list).to_dict()
    {0: [4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0], 1: [1.0, 3.0], 2: [2.0]}
    """
    import pandas as pd

    if not isinstance(curves, Mapping) or len(curves) == 0:
        raise InvalidArgumentError(
            f"`curves` must be a non-empty mapping of cause code to (times, values), "
            f"but got {curves!r}"
        )
    causes = []
    for c in curves:
        if isinstance(c, bool) or not isinstance(c, int | np.integer) or int(c) < 1:
            raise InvalidArgumentError(
                f"`curves` keys must be cause codes (integers not less than 1), but got {c!r}"
            )
        causes.append(int(c))
    causes.sort()
    cleaned: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    reports: dict[int, CleaningReport] = {}
    for c in causes:
        pair = curves[c]
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise InvalidArgumentError(
                f"`curves[{c}]` must be a pair (times, values), but got {pair!r}"
            )
        t, v, rep = _clean_curve(
            pair[0], pair[1], kind="incidence", scale=scale, name=f"curves[{c}]"
        )
        cleaned[c] = (t, v)
        reports[c] = rep
    ef_t: Sequence[float] | np.ndarray
    ef_s: Sequence[float] | np.ndarray
    if event_free is None:
        if other_cause is not None:
            raise InvalidArgumentError(
                "`other_cause` needs `event_free`: without the event-free curve every cause "
                f"must be plotted, but got other_cause={other_cause!r}"
            )
        grid = np.unique(np.concatenate([cleaned[c][0] for c in causes]))
        # `causes` is not empty (checked above): the sum is an array
        tot = cast(np.ndarray, sum(_step_value(*cleaned[c], grid) for c in causes))
        if np.any(tot > 1 + 1e-9):
            raise InvalidArgumentError(
                f"the cumulative-incidence `curves` add up to more than 1 ({float(tot.max())!r})"
            )
        # both ends of each drop, so the overall curve is a proper step curve
        prev = np.concatenate([[0.0], tot[:-1]])
        ef_t = np.concatenate([grid, grid])
        ef_s = 1.0 - np.concatenate([prev, tot])
        other = None
    else:
        if not isinstance(event_free, tuple | list) or len(event_free) != 2:
            raise InvalidArgumentError(
                f"`event_free` must be a pair (times, values), but got {event_free!r}"
            )
        ef_t, ef_s = event_free
        other = max(causes) + 1 if other_cause is None else other_cause
        if isinstance(other, bool) or not isinstance(other, int | np.integer) or other < 1:
            raise InvalidArgumentError(
                f"`other_cause` must be an integer not less than 1, but got {other_cause!r}"
            )
        other = int(other)
        if other in causes:
            raise InvalidArgumentError(
                f"`other_cause` must differ from the plotted causes {causes}, but got {other}"
            )
    overall = reconstruct_km(
        ef_t,
        ef_s,
        risk_times,
        n_risk,
        total_events=total_events,
        scale=scale if event_free is not None else "proportion",
        time_tolerance=time_tolerance,
    )
    st = overall.steps
    ev_rows = st[st["n_event"] > 0]
    ev_t = ev_rows["time"].to_numpy()
    ev_d = ev_rows["n_event"].to_numpy().astype(np.int64)
    ev_n = ev_rows["n_risk"].to_numpy().astype(float)
    # rebuilt event-free survival just before each event time
    km_after = ev_rows["rebuilt"].to_numpy()
    km_before = np.concatenate([[1.0], km_after[:-1]])
    t_last = float(overall.data["time"].max())
    nxt = np.concatenate([ev_t[1:], [t_last]])
    t_star = 0.5 * (ev_t + nxt)
    t_star = np.where(nxt > ev_t, t_star, ev_t)
    targets = np.column_stack([_step_value(*cleaned[c], t_star) for c in causes])
    fhat = np.zeros(len(causes))
    alloc = np.zeros((ev_t.size, len(causes) + (other is not None)), dtype=np.int64)
    for i in range(ev_t.size):
        n, d, s_before = ev_n[i], int(ev_d[i]), km_before[i]
        unit = s_before / n
        x = np.maximum(targets[i] - fhat, 0.0) / unit
        if other is None:
            if x.sum() <= 0:
                # nothing wanted anywhere: follow what is still to come on each curve
                x = np.maximum(np.array([cleaned[c][1][-1] for c in causes]) - fhat, 0.0)
                if x.sum() <= 0:
                    x = np.ones(len(causes))
            m = _largest_remainder(x, d)
        else:
            m = np.floor(x + 0.5).astype(np.int64)
            if m.sum() > d:
                m = _largest_remainder(x, d)
            alloc[i, -1] = d - int(m.sum())
        alloc[i, : len(causes)] = m
        fhat = fhat + m * unit
    codes = [*causes, *([other] if other is not None else [])]
    ev_status = (
        np.concatenate(
            [np.repeat(np.asarray(codes, dtype=np.int64), alloc[i]) for i in range(ev_t.size)]
        )
        if ev_t.size
        else np.empty(0, dtype=np.int64)
    )
    ev_times = np.repeat(ev_t, ev_d)
    data0 = overall.data
    cens = data0[data0["event"] == 0]["time"].to_numpy()
    time = np.concatenate([ev_times, cens])
    status = np.concatenate([ev_status, np.zeros(cens.size, dtype=np.int64)])
    order = np.lexsort((status == 0, time))
    data = pd.DataFrame({"time": time[order], "status": status[order]})
    accuracy: dict[int, Accuracy] = {}
    rt, nr = _check_risk_table(risk_times, n_risk)
    for c in causes:
        t_dig, f_dig = cleaned[c]
        if reports[c].origin_added:
            t_dig, f_dig = t_dig[1:], f_dig[1:]
        if np.any(status == c):
            right = _cif_curve_at(time, status, c, t_dig)
            left = _cif_curve_at(time, status, c, np.maximum(np.nextafter(t_dig, -np.inf), 0))
            left = np.where(t_dig <= 0, 0.0, left)
        else:
            right = left = np.zeros(t_dig.size)
        err = _segment_error(f_dig, right, left)
        accuracy[c] = Accuracy(
            max_error=float(np.max(np.abs(err))),
            rms_error=float(np.sqrt(np.mean(err**2))),
            risk_table=_risk_table_frame(time, rt, nr),
            total_events_given=None,
            total_events_rebuilt=int(np.sum(status == c)),
        )
    return CIFReconstruction(data=data, overall=overall, accuracy=accuracy, cleaning=reports)


def stack_arms(arms: Mapping[Any, KMReconstruction | CIFReconstruction]) -> pd.DataFrame:
    """Stack the rebuilt data of several arms with a ``group`` column.

    Parameters
    ----------
    arms : mapping of label to KMReconstruction or CIFReconstruction
        One rebuild per arm, in the order wanted (treatment first).

    Returns
    -------
    pandas.DataFrame
        Columns ``group``, ``time`` and ``event`` (or ``status``).

    Examples
    --------
    >>> a = reconstruct_km([0, 2, 2], [1, 1, 0.5], [0], [2])
    >>> b = reconstruct_km([0, 3], [1, 1], [0], [2])
    >>> stack_arms({"msc": a, "control": b}).to_numpy().tolist()
    [['msc', 2.0, 1], ['msc', 2.0, 0], ['control', 3.0, 0], ['control', 3.0, 0]]
    """
    import pandas as pd

    if not isinstance(arms, Mapping) or not arms:
        raise InvalidArgumentError(f"`arms` must be a non-empty mapping, but got {arms!r}")
    frames = []
    for label, res in arms.items():
        if not isinstance(res, KMReconstruction | CIFReconstruction):
            raise InvalidArgumentError(
                f"`arms[{label!r}]` must be a KMReconstruction or CIFReconstruction, "
                f"but got {type(res).__name__}"
            )
        df = res.data.copy()
        df.insert(0, "group", label)
        frames.append(df)
    cols = {tuple(f.columns) for f in frames}
    if len(cols) != 1:
        raise InvalidArgumentError(
            "`arms` must all be Kaplan-Meier rebuilds or all competing-risk rebuilds"
        )
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------- CSV files and engine

#: Columns of a digitised-curve CSV file.
