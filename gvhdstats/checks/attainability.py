"""Can a printed survival or cumulative incidence arise from n patients at all?

:func:`km_attainable` decides exactly (in rational arithmetic) whether a
printed survival probability (or ``1 -`` a cumulative incidence) is a
Kaplan-Meier estimate for ``n`` patients, without censoring (``k / n``) and
with censoring, and gives the simplest path of events and censorings that
prints as the number.  Up to ``n = 36`` every path is enumerated; above,
a search that may answer ``None`` (undecided) for a few high values.  The
work is bounded: the paths without censoring are found in closed form for any
``n``, and the searches over censored paths run only up to
:data:`SEARCH_MAX_N` patients (above, an estimate that no ``k / n`` gives is
undecided, ``None``, with the reason in the note).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from gvhdstats.checks.ratio import _fmt
from gvhdstats.checks.verdicts import ROW_COLUMNS, CheckRow, Verdict, percent_text, tie_note
from gvhdstats.errors import InvalidArgumentError, UnknownMethodError
from gvhdstats.numbers import DEFAULT_MODE, CountRange, Reported, RoundingMode
from gvhdstats.numbers.recover import _check_int

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "MEASURES",
    "SEARCH_MAX_N",
    "Attainability",
    "KMStep",
    "km_attainable",
]

Range = tuple[float, float]

MEASURES = ("survival", "cumulative-incidence")

# p0 solves p = exp(-2 (1 - p)) in (0, 1): the minimum of (1 - p) / (p log(p)^2),
# the effective-n factor of the log-log transformation.
# (p0 = -W0(-2 exp(-2)) / 2; fixed-point iteration, converges fast from 0.2)


def _is_percent(percent: bool | None, *reps: Reported | None) -> bool:
    if percent is not None:
        return bool(percent)
    vals = [r for r in reps if r is not None]
    return any(r.percent for r in vals) or any(r.value > 1 for r in vals)


_EXHAUSTIVE_N = 36
#: Largest number of patients for which paths with censoring are searched
#: (the searches grow like ``n**2``; at this size they take well under a second).
SEARCH_MAX_N = 1000


@dataclass(frozen=True)
class KMStep:
    """One step of an example Kaplan-Meier path: ``events`` tied events among
    ``at_risk`` patients, then ``censored`` patients censored before the next event."""

    at_risk: int
    events: int
    censored: int


@dataclass(frozen=True, repr=False)
class Attainability:
    """Result of :func:`km_attainable`.

    Attributes
    ----------
    estimate : str
        The printed number.
    n : int
        Number of patients.
    measure : str
        ``"survival"`` or ``"cumulative-incidence"``.
    attainable_without_censoring : bool
        Whether ``k / n`` prints as the estimate for some ``k``.
    counts : CountRange
        Those ``k`` (survivors for survival, events for a cumulative
        incidence): consecutive integers, compares equal to their tuple.
    attainable_with_censoring : bool or None
        Whether some Kaplan-Meier path with censoring gives the estimate;
        ``None`` when not decided (no path with at most ``max_censored``
        censored patients and ``n`` too large for the exhaustive search, or a
        cumulative incidence with competing risks that no path without
        competing events reaches).
    min_censored : int or None
        Fewest patients censored before the time point on a path that gives the
        estimate (0 when ``k / n`` works); ``None`` when the exact search (up to
        ``max_censored``) found none and only a longer path is known (then the
        example's number of censored patients is an upper bound).
    example : tuple of KMStep or None
        The simplest path: fewest censored patients, then fewest events.
    example_value : Fraction or None
        The exact Kaplan-Meier value (survival; ``1 -`` it for an incidence).
    note : str
        What was found, in words (which ``k / n``, how many censored patients,
        whether a rounding tie was needed, why a question stays undecided).
    """

    estimate: str
    n: int
    measure: str
    attainable_without_censoring: bool
    counts: Sequence[int]
    attainable_with_censoring: bool | None
    min_censored: int | None
    example: tuple[KMStep, ...] | None
    example_value: Fraction | None
    note: str = ""
    percent: bool = False

    @property
    def attainable(self) -> bool | None:
        """True when some path gives the estimate, False when none can, None when undecided.

        ``None`` (never False) when the search could not settle the question:
        a cumulative incidence with competing risks that no path without
        competing events reaches, more censored patients than were searched,
        or ``n`` above :data:`SEARCH_MAX_N`.
        """
        if self.attainable_without_censoring or self.attainable_with_censoring is True:
            return True
        return self.attainable_with_censoring

    def to_frame(self) -> pd.DataFrame:
        """One ``attainable`` row with the columns of every check (``ROW_COLUMNS``)."""
        import pandas as pd

        return pd.DataFrame([self.row().as_dict()], columns=list(ROW_COLUMNS))

    def row(self) -> CheckRow:
        """The verdict row: ``reproduced`` (attainable), ``inconsistent`` or ``not-checkable``."""
        methods = []
        if self.attainable_without_censoring:
            methods.append("without-censoring")
        if self.attainable_with_censoring:
            methods.append("with-censoring")
        att = self.attainable
        verdict = (
            Verdict.REPRODUCED
            if att
            else Verdict.INCONSISTENT
            if att is False
            else Verdict.NOT_CHECKABLE
        )
        note = self.note
        if self.example is not None and self.min_censored:
            path = ", ".join(
                f"{s.at_risk} at risk: {s.events} event(s), {s.censored} censored"
                for s in self.example
            )
            note += f"; e.g. {path} (value {self.example_value})"
        recomputed = None
        if self.example_value is not None:
            v = float(self.example_value)
            if self.measure == "cumulative-incidence":
                v = 1 - v
            recomputed = v * (100 if self.percent else 1)
        return CheckRow(
            "attainable", self.estimate, verdict, tuple(methods), recomputed, None, note
        )

    def __repr__(self) -> str:
        return (
            f"Attainability(estimate={self.estimate!r}, n={self.n}, "
            f"attainable={self.attainable}, "
            f"without_censoring={self.attainable_without_censoring}, "
            f"min_censored={self.min_censored}, example={self.example!r},\n"
            f"  note={self.note!r})"
        )


def _steps(n: int, j: int, gaps: Sequence[int]) -> tuple[KMStep, ...]:
    """Path for events at every risk-set size in ``(j, n]`` except ``gaps`` (censorings).

    Runs of events are taken in one step each, so the work grows with the
    number of censorings, not with ``n``.
    """
    g = sorted({x for x in gaps if j < x <= n}, reverse=True)
    steps: list[KMStep] = []
    k, i = n, 0
    while k > j:
        at = k
        nxt = g[i] if i < len(g) else j
        d = k - max(nxt, j)
        k -= d
        c = 0
        while i < len(g) and k > j and g[i] == k:
            c += 1
            k -= 1
            i += 1
        steps.append(KMStep(at, d, c))
    return tuple(steps)


def _km_value(steps: Sequence[KMStep], n: int) -> Fraction:
    del n
    s = Fraction(1)
    for st in steps:
        s *= Fraction(st.at_risk - st.events, st.at_risk)
    return s


class _Target:
    """Exact target interval ``[lo, hi]`` (closedness flags) for a survival value."""

    def __init__(self, lo: Fraction, hi: Fraction, lc: bool, hc: bool) -> None:
        self.lo, self.hi, self.lc, self.hc = lo, hi, lc, hc

    def contains(self, x: Fraction) -> bool:
        ok_lo = x >= self.lo if self.lc else x > self.lo
        ok_hi = x <= self.hi if self.hc else x < self.hi
        return ok_lo and ok_hi


def _last_factor_range(
    a_num: np.ndarray,
    a_den: np.ndarray,
    b_num: np.ndarray,
    b_den: np.ndarray,
    lc: bool,
    hc: bool,
    n: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Integer ``g`` range with ``A <= g/(g-1) < B`` (closedness per ``lc``, ``hc``).

    ``g / (g - 1)`` decreases in ``g``; ``A = a_num / a_den``, ``B = b_num / b_den``.
    """
    big = np.full(a_num.shape, n + 1, dtype=a_num.dtype)
    # g/(g-1) >= A  <=>  g (A_num - A_den) <= A_num   (always true when A <= 1)
    da = a_num - a_den
    with np.errstate(divide="ignore", invalid="ignore"):
        if lc:
            g_max = np.where(da > 0, a_num // np.where(da > 0, da, 1), big)
        else:
            g_max = np.where(da > 0, (a_num - 1) // np.where(da > 0, da, 1), big)
        # g/(g-1) < B  <=>  g (B_num - B_den) > B_num   (never when B <= 1)
        db = b_num - b_den
        safe = np.where(db > 0, db, 1)
        if hc:
            g_min = np.where(db > 0, -((-b_num) // safe), big + 1)
        else:
            g_min = np.where(db > 0, b_num // safe + 1, big + 1)
    return g_min, g_max


def _search_censored(n: int, target: _Target, c: int) -> tuple[int, tuple[int, ...]] | None:
    """A path with exactly ``c`` censorings: largest ``j`` (fewest events) first.

    Survival is ``S = (j / n) * prod_{g in G} g / (g - 1)`` where ``j`` patients
    remain at risk after the last event and ``G`` (``|G| = c``, a subset of
    ``{j + 2, ..., n}``) are the risk-set sizes at which a patient was censored.
    """
    lo, hi = target.lo, target.hi
    a_n, a_d = lo.numerator, lo.denominator
    b_n, b_d = hi.numerator, hi.denominator
    bound = max(a_n, a_d, b_n, b_d) * n ** (2 * c + 1)
    dtype = np.int64 if bound < 2**62 else object
    for j in range(n - c - 1, 0, -1):
        # quick bounds: the product lies in [n/(n-c), (j+c+1)/(j+1)]
        s_min = Fraction(j, n) * Fraction(n, n - c)
        s_max = Fraction(j, n) * Fraction(j + c + 1, j + 1)
        if s_max < lo or s_min > hi:
            continue
        cands = np.arange(j + 2, n + 1, dtype=dtype)
        if c == 1:
            pref = np.zeros((1, 0), dtype=dtype)
        else:
            import itertools

            if len(cands) < c:
                continue
            pref = np.array(
                list(itertools.combinations(range(j + 2, n + 1), c - 1)), dtype=dtype
            ).reshape(-1, c - 1)
            pref = pref[pref[:, -1] < n]  # room for the last element
            if len(pref) == 0:
                continue
        num = np.prod(pref, axis=1, dtype=dtype) if pref.shape[1] else np.ones(1, dtype=dtype)
        den = np.prod(pref - 1, axis=1, dtype=dtype) if pref.shape[1] else np.ones(1, dtype=dtype)
        # last factor x = g/(g-1) must satisfy lo <= (j/n) (num/den) x < hi
        an = a_n * n * den
        ad = a_d * j * num
        bn = b_n * n * den
        bd = b_d * j * num
        g_min, g_max = _last_factor_range(an, ad, bn, bd, target.lc, target.hc, n)
        prev = pref[:, -1] + 1 if pref.shape[1] else np.full(1, j + 2, dtype=dtype)
        g_lo = np.maximum(g_min, prev)
        g_hi = np.minimum(g_max, n)
        ok = np.nonzero(g_lo <= g_hi)[0]
        if len(ok):
            i = int(ok[0])
            gaps = (*(int(x) for x in pref[i]), int(g_lo[i]))
            return j, gaps
    return None


def _search_one_run(n: int, target: _Target) -> tuple[int, tuple[int, ...]] | None:
    """Paths whose censorings form one run: sizes ``a + 1, ..., b`` censored, events elsewhere.

    ``S = (j / n) (b / a)`` with ``0 <= j < a < b <= n`` and ``b - a`` censored; the path with
    fewest censored, then fewest events, is returned.  Exact integer arithmetic.
    """
    lo, hi = target.lo, target.hi
    a_idx, b_idx = np.triu_indices(n + 1, 1)
    keep = a_idx >= 1
    a = a_idx[keep].astype(object if n > 10**5 else np.int64)
    b = b_idx[keep].astype(a.dtype)
    # j / n * b / a in target  <=>  j in target * n * a / b
    num_lo = lo.numerator * n * a
    den_lo = lo.denominator * b
    num_hi = hi.numerator * n * a
    den_hi = hi.denominator * b
    j_min = -((-num_lo) // den_lo) if target.lc else num_lo // den_lo + 1
    j_max = num_hi // den_hi if target.hc else (num_hi - 1) // den_hi
    j_max = np.minimum(j_max, a - 1)
    j_min = np.maximum(j_min, 0)
    ok = np.nonzero(j_min <= j_max)[0]
    if len(ok) == 0:
        return None
    cens = (b - a)[ok]
    best_c = cens.min()
    sel = ok[cens == best_c]
    i = sel[np.argmax(j_max[sel])]
    j = int(j_max[i])
    return j, tuple(range(int(a[i]) + 1, int(b[i]) + 1))


def _subset_products(ks: Sequence[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Products of ``(k - 1) / k`` over all subsets of ``ks``: value, size, min, bitmask."""
    vals = np.ones(1)
    sizes = np.zeros(1, dtype=np.int64)
    mins = np.full(1, 1 << 30, dtype=np.int64)
    masks = np.zeros(1, dtype=np.int64)
    for b, k in enumerate(ks):
        vals = np.concatenate([vals, vals * ((k - 1) / k)])
        sizes = np.concatenate([sizes, sizes + 1])
        mins = np.concatenate([mins, np.minimum(mins, k)])
        masks = np.concatenate([masks, masks | (1 << b)])
    return vals, sizes, mins, masks


def _exhaustive(n: int, target: _Target) -> tuple[int, tuple[int, ...]] | None:
    """Every path (meet in the middle over subsets of event sizes): fewest censored, then
    fewest events.  Float products locate candidates; each is confirmed in exact arithmetic.
    """
    ks = list(range(n, 1, -1))  # size 1 events give S = 0, handled without censoring
    half = len(ks) // 2
    top, bottom = ks[:half], ks[half:]
    va, sa, ma, xa = _subset_products(top)
    vb, sb, mb, xb = _subset_products(bottom)
    order = np.argsort(vb)
    vb, sb, mb, xb = vb[order], sb[order], mb[order], xb[order]
    lo, hi = float(target.lo), float(target.hi)
    tol = 1e-9
    with np.errstate(divide="ignore"):
        left = np.searchsorted(vb, (lo - tol) / va, side="left")
        right = np.searchsorted(vb, (hi + tol) / va, side="right")
    cand: list[tuple[int, int, int, int]] = []
    for i in np.nonzero(right > left)[0]:
        for jb in range(int(left[i]), min(int(right[i]), int(left[i]) + 2000)):
            m = int(min(ma[i], mb[jb]))
            size = int(sa[i] + sb[jb])
            if size == 0:
                continue
            cens = (n - m + 1) - size
            cand.append((cens, m, int(i), jb))
        if len(cand) > 200_000:
            break
    cand.sort(key=lambda c: (c[0], -c[1]))
    for cens, m, ia, jb in cand:
        events = [top[b] for b in range(len(top)) if (int(xa[ia]) >> b) & 1]
        events += [bottom[b] for b in range(len(bottom)) if (int(xb[jb]) >> b) & 1]
        s = Fraction(1)
        for k in events:
            s *= Fraction(k - 1, k)
        if target.contains(s):
            gaps = tuple(sorted(set(range(m, n + 1)) - set(events)))
            del cens
            return m - 1, gaps
    return None


def km_attainable(
    estimate: str | Reported,
    n: int,
    *,
    percent: bool | None = None,
    measure: str = "survival",
    competing_risks: bool = False,
    max_censored: int = 3,
    mode: RoundingMode | str = DEFAULT_MODE,
) -> Attainability:
    """Whether a printed probability can be a Kaplan-Meier estimate for ``n`` patients.

    Parameters
    ----------
    estimate : str
        The printed survival probability (or cumulative incidence), e.g. ``"74.3"``.
    n : int
        Number of patients at the start.
    percent : bool, optional
        Whether ``estimate`` is a percentage (default: a ``%`` is printed or
        the value exceeds 1).
    measure : {"survival", "cumulative-incidence"}
        For a cumulative incidence ``F`` the check is on ``1 - F``; without
        competing risks that is exact (``F = 1 - KM``).
    competing_risks : bool
        For a cumulative incidence with competing events (Aalen-Johansen): a
        path without competing events proves attainability, but failing to find
        one decides nothing, so ``attainable_with_censoring`` is then ``None``.
    max_censored : int
        Largest number of censored patients tried by the exact search (the
        search is exhaustive over all paths for ``n <= 36``).
    mode : str
        Rounding mode of the printed number.

    Returns
    -------
    Attainability
        ``.attainable``, ``.attainable_without_censoring``,
        ``.attainable_with_censoring``, ``.min_censored``, ``.example`` (a
        tuple of :class:`KMStep`) and ``.example_value`` (exact).

    Raises
    ------
    InvalidCountError
        When ``n`` is not a positive integer.
    InvalidArgumentError
        For a probability outside [0, 1], or bad ``max_censored``.
    UnknownMethodError
        For an unknown ``measure``.

    Notes
    -----
    A Kaplan-Meier estimate multiplies ``1 - d / r`` over event times.  Taking
    tied events one at a time (the product telescopes), every path is a walk
    down the risk-set sizes ``n, n - 1, ...`` where each step is an event or a
    censoring, so the attainable values are exactly the products
    ``prod_{k in E} (k - 1) / k`` over subsets ``E`` of ``{1, ..., n}`` (the
    sizes at which an event happened).  Without censoring ``E`` is
    ``{j + 1, ..., n}`` and ``S = j / n``.  If ``G`` is the set of sizes at
    which a patient was censored above the last event, ``S = (j / n)
    prod_{g in G} g / (g - 1)``: the search runs over the number of censored
    patients ``c = |G|`` (0, 1, 2, ...), then ``j`` from large to small (fewest
    events), and for the largest element of ``G`` solves the rational
    inequality in closed form (integer arithmetic, no floating point).  Any
    value in ``(0, 1/n)`` or ``((n - 1)/n, 1)`` is unattainable.  No R
    function does this; ``survfit`` on the example path reproduces its value.

    References
    ----------
    Kaplan EL, Meier P. Nonparametric estimation from incomplete observations.
    J Am Stat Assoc 1958;53:457-481.
    Brown NJL, Heathers JAJ. The GRIM test: a simple technique detects numerous
    anomalies in the reporting of results in psychology. Soc Psychol Personal
    Sci 2017;8:363-369 (the same idea for a mean of counts).

    Examples
    --------
    One-year overall survival of 74.3% among the 25 patients of the phase Ib/IIa
    trial (Zhao et al. 2025): 18/25 = 72% and 19/25 = 76%, so at least two
    patients must have been censored before one year.

    >>> from gvhdstats import km_attainable
    >>> res = km_attainable(estimate="74.3", n=25)
    >>> res.attainable, res.attainable_without_censoring, res.min_censored
    (True, False, 2)
    >>> res.example_value
    Fraction(2992, 4025)
    >>> res.example
    (KMStep(at_risk=25, events=1, censored=1), KMStep(at_risk=23, events=1, censored=1),
     KMStep(at_risk=21, events=4, censored=0))
    """
    nn = _check_int(n, "n", minimum=1)
    mode = RoundingMode.coerce(mode)
    if measure not in MEASURES:
        raise UnknownMethodError(
            f"`measure` must be one of {', '.join(map(repr, MEASURES))}, but got {measure!r}"
        )
    if isinstance(max_censored, bool) or not isinstance(max_censored, int) or max_censored < 0:
        raise InvalidArgumentError(
            f"`max_censored` must be an integer not less than 0, but got {max_censored!r}"
        )
    rep = Reported.parse(estimate, name="estimate")
    pct = _is_percent(percent, rep)
    scale = Fraction(100) if pct else Fraction(1)
    lo, hi, lc, hc = rep.exact_bounds(mode)
    lo = Fraction(0) if lo is None else Fraction(lo) / scale
    hi = Fraction(1) if hi is None else Fraction(hi) / scale
    if lo is not None and lo < 0:
        lo, lc = Fraction(0), True
    if hi > 1:
        hi, hc = Fraction(1), True
    if rep.value < 0 or rep.value / float(scale) > 1:
        unit = "a percentage in [0, 100]" if pct else "a probability in [0, 1]"
        raise InvalidArgumentError(f"`estimate` must be {unit}, but got {rep.text!r}")
    cif = measure == "cumulative-incidence"
    if cif:  # work on S = 1 - F
        lo, hi, lc, hc = 1 - hi, 1 - lo, hc, lc
    target = _Target(lo, hi, lc, hc)

    # without censoring: S = j / n, j from ceil(lo n) to floor(hi n) (closed form)
    j_lo = math.ceil(target.lo * nn) if target.lc else math.floor(target.lo * nn) + 1
    j_hi = math.floor(target.hi * nn) if target.hc else math.ceil(target.hi * nn) - 1
    js = CountRange(max(j_lo, 0), min(j_hi, nn))
    counts = CountRange(nn - js.high, nn - js.low) if (cif and js) else js
    found: tuple[int, tuple[int, ...]] | None = None
    min_c: int | None = None
    exhaustive = False
    too_big = False
    outside = _outside(target, nn)
    if js:
        # fewest events; a count off the rounding tie when there is one
        j0 = js.high
        if len(js) > 1 and rep.at_tie(
            Fraction(js.high, nn) * scale if not cif else (1 - Fraction(js.high, nn)) * scale
        ):
            j0 = js.high - 1
        found, min_c = (j0, ()), 0
    elif not outside and nn > SEARCH_MAX_N:
        too_big = True
    elif not outside:
        for c in range(1, min(max_censored, nn - 2) + 1):
            found = _search_censored(nn, target, c)
            if found is not None:
                min_c = c
                break
        if found is None and nn <= _EXHAUSTIVE_N:
            exhaustive = True
            found = _exhaustive(nn, target)
            if found is not None:
                min_c = len(found[1])
        elif found is None:
            # beyond the exhaustive search: one run of censorings of any length; proves
            # attainability, and its length bounds the minimal number of censored patients
            found = _search_one_run(nn, target)
    with_c: bool | None
    if found is not None:
        with_c = True
    elif cif and competing_risks:
        with_c = None
    elif outside or exhaustive:
        with_c = False
    else:
        with_c = None
    example = example_value = None
    if found is not None:
        j, gaps = found
        example = _steps(nn, j, gaps)
        example_value = _km_value(example, nn)
        if not target.contains(example_value):  # pragma: no cover - defensive
            raise RuntimeError("internal error: example path does not reproduce the value")
    n_cens = None if found is None else len(found[1])
    note = _attain_note(
        rep, nn, pct, cif, competing_risks, js, min_c, with_c, max_censored, n_cens, too_big
    )
    if example_value is not None:
        shown = 1 - example_value if cif else example_value
        j_ex = found[0] if found is not None else 0
        label = (
            "the example path's value" if min_c else f"{nn - j_ex}/{nn}" if cif else f"{j_ex}/{nn}"
        )
        tie = tie_note(rep, {label: shown * scale}, mode=mode)
        if tie:
            note += f"; {tie}"
    return Attainability(
        estimate=rep.text,
        n=nn,
        measure=measure,
        attainable_without_censoring=bool(js),
        counts=counts,
        attainable_with_censoring=with_c,
        min_censored=min_c,
        example=example,
        example_value=example_value,
        note=note,
        percent=pct,
    )


def _outside(target: _Target, n: int) -> bool:
    gap_lo = Fraction(1, n)
    gap_hi = Fraction(n - 1, n)
    return (target.hi < gap_lo or (target.hi == gap_lo and not target.hc)) or (
        target.lo > gap_hi or (target.lo == gap_hi and not target.lc)
    )


def _attain_note(
    rep: Reported,
    n: int,
    pct: bool,
    cif: bool,
    competing: bool,
    js: CountRange,
    min_c: int | None,
    with_c: bool | None,
    max_censored: int,
    n_cens: int | None = None,
    too_big: bool = False,
) -> str:
    unit = "%" if pct else ""
    mult = 100 if pct else 1
    what = "events" if cif else "survivors"
    if js:
        ks = CountRange(n - js.high, n - js.low) if cif else js
        printed = percent_text(rep) if pct else rep.text  # "35.0%" printed with its % stays so
        if len(ks) <= 10:
            shown = ", ".join(f"{k}/{n}" for k in ks)
        else:
            shown = f"{ks.low}/{n} to {ks.high}/{n} ({len(ks)} counts)"
        return f"{shown} {what} print as {printed}"
    # neighbours k/n around the value
    v = rep.value / mult
    k = math.floor(v * n)
    near = [x for x in (k, k + 1) if 0 <= x <= n]
    nb = ", ".join(f"{x}/{n} = {_fmt(100 * x / n) if pct else _fmt(x / n)}{unit}" for x in near)
    base = f"not k/{n} ({nb})"
    if with_c is True:
        kind = "a Kaplan-Meier path without competing events" if cif else "a Kaplan-Meier path"
        if min_c is not None:
            return f"{base}; {kind} needs at least {min_c} patient(s) censored before the time"
        return (
            f"{base}; {kind} needs more than {max_censored} and at most {n_cens} patients "
            "censored before the time point"
        )
    if with_c is False:
        return f"{base}; no Kaplan-Meier path with censoring gives it either"
    if too_big:
        return (
            f"{base}; paths with censoring are searched only up to n = {SEARCH_MAX_N} "
            f"(SEARCH_MAX_N): not decided"
        )
    return (
        f"{base}; no path with at most {max_censored} censored patients"
        + (" and no competing events" if cif and competing else "")
        + " gives it: not decided"
    )


# --------------------------------------------------------------------------
# engine plug-ins
# --------------------------------------------------------------------------
