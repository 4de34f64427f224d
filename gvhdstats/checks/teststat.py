"""Test statistics with degrees of freedom and a P value, checked as statcheck does.

A printed statistic (``t(45) = 2.31``) stands for every value that prints as it;
the P values at the two ends of that interval bound the P the statistic can
give.  The printed P is ``reproduced`` when its own rounding interval meets
that range, else ``inconsistent``; a *decision error* is an inconsistency that
changes significance at 0.05 for every statistic in the interval (Nuijten et
al. 2016; Epskamp & Nuijten, R package statcheck).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gvhdstats.checks.verdicts import CheckResult, CheckRow, Verdict, significance_flips
from gvhdstats.errors import InvalidArgumentError
from gvhdstats.numbers import DEFAULT_MODE, Reported, RoundingMode

if TYPE_CHECKING:  # pragma: no cover
    from gvhdstats.records import Claim, Record

__all__ = ["TESTS", "StatisticCheck", "check_claim", "check_test_statistic", "statistic_pvalue"]

#: The statistics understood, with the number of degrees of freedom each needs.
TESTS = {"t": 1, "F": 2, "chi2": 1, "z": 0, "r": 1}

ALPHA = 0.05


def statistic_pvalue(
    test: str, value: float, df1: float | None = None, df2: float | None = None
) -> float:
    """The P value of a test statistic: two-sided for ``t``, ``z`` and ``r``, upper tail
    for ``F`` and ``chi2``.

    Formulas: ``t``: ``2 P(T_df >= |t|)``; ``z``: ``2 (1 - Phi(|z|))``; ``r`` with
    ``df = n - 2``: the ``t`` test of ``t = r sqrt(df / (1 - r^2))``; ``F``:
    ``P(F_{df1,df2} >= F)``; ``chi2``: ``P(X^2_df >= x)``.  R: ``2 * pt(-abs(t), df)``,
    ``2 * pnorm(-abs(z))``, ``pf(F, df1, df2, lower.tail = FALSE)``,
    ``pchisq(x, df, lower.tail = FALSE)``.

    Examples
    --------
    >>> round(statistic_pvalue("chi2", 4.08, 1), 4)
    0.0434
    """
    from scipy import stats

    test = _test_name(test)
    _check_df(test, df1, df2)
    if test == "t":
        return float(2 * stats.t.sf(abs(value), df1))
    if test == "z":
        return float(2 * stats.norm.sf(abs(value)))
    if test == "r":
        if abs(value) > 1:
            raise InvalidArgumentError(
                f"`value` of a correlation must lie in [-1, 1], got {value!r}"
            )
        if abs(value) == 1:
            return 0.0
        t = abs(value) * math.sqrt(float(df1) / (1 - value * value))  # type: ignore[arg-type]
        return float(2 * stats.t.sf(t, df1))
    if value < 0:
        raise InvalidArgumentError(
            f"`value` of an {test} statistic must be non-negative, got {value!r}"
        )
    if test == "F":
        return float(stats.f.sf(value, df1, df2))
    return float(stats.chi2.sf(value, df1))


def _test_name(test: str) -> str:
    t = str(test)
    key = {"f": "F", "x2": "chi2", "χ2": "chi2", "chi-square": "chi2", "chisq": "chi2"}.get(
        t.lower(), t.lower() if t.lower() in ("t", "z", "r", "chi2") else t
    )
    if key not in TESTS:
        raise InvalidArgumentError(f"`test` must be one of {tuple(TESTS)}, but got {test!r}")
    return key


def _check_df(test: str, df1: float | None, df2: float | None) -> None:
    need = TESTS[test]
    have = [d for d in (df1, df2) if d is not None]
    if len(have) != need or (need == 1 and df1 is None):
        raise InvalidArgumentError(
            f"a {test} statistic needs {need} degree(s) of freedom, got df1={df1!r}, df2={df2!r}"
        )
    for name, d in (("df1", df1), ("df2", df2)):
        if d is not None and not (d > 0 and math.isfinite(d)):
            raise InvalidArgumentError(f"`{name}` must be a positive number, but got {d!r}")


@dataclass(frozen=True, repr=False)
class StatisticCheck(CheckResult):
    """Result of :func:`check_test_statistic`: rows and the P range the statistic allows."""

    test: str = ""
    p_low: float = math.nan
    p_high: float = math.nan
    p_nominal: float = math.nan


def check_test_statistic(
    test: str,
    statistic: str | Reported,
    p: str | Reported,
    df1: str | Reported | float | None = None,
    df2: str | Reported | float | None = None,
    *,
    one_tailed: bool = False,
    mode: RoundingMode | str = DEFAULT_MODE,
) -> StatisticCheck:
    """Check a printed P against the P range of a printed test statistic (statcheck's rule).

    Parameters
    ----------
    test : {"t", "F", "chi2", "z", "r"}
        The statistic.
    statistic, p : str
        The printed statistic and P (``"2.31"``, ``"0.026"``, ``"<0.001"``, ``".04"``).
    df1, df2 : str or float, optional
        Degrees of freedom (``t``, ``chi2``, ``r``: ``df1``; ``F``: both; ``z``: none).
    one_tailed : bool
        The text says the test is one-sided: the printed P is also compared with
        half the two-sided P (``t``, ``z``, ``r`` only).
    mode : str
        Rounding mode of the printed numbers.

    Returns
    -------
    StatisticCheck
        One row, quantity ``p``: ``reproduced`` when the rounding interval of the
        printed P meets ``[P(|stat| high), P(|stat| low)]``, the P range of the
        statistic's rounding interval; ``decision_error`` True when every P in that
        range is on the other side of 0.05 from the printed P.

    Raises
    ------
    InvalidArgumentError
        Unknown ``test``, wrong number of degrees of freedom, a correlation
        outside [-1, 1] or a negative F or chi-square.

    Notes
    -----
    statcheck (R) compares the printed P with ``round(p_low)`` and ``round(p_up)``
    computed from the rounded-down and rounded-up statistic; comparing rounding
    intervals exactly is the same rule without the second rounding.  The
    equivalent R for ``t``: ``2 * pt(-abs(c(2.305, 2.315)), 45)``.

    References
    ----------
    Nuijten MB, Hartgerink CHJ, van Assen MALM, Epskamp S, Wicherts JM. The
    prevalence of statistical reporting errors in psychology (1985-2013). Behav
    Res Methods 2016;48:1205-1226.

    Examples
    --------
    R: ``pchisq(c(4.085, 4.075), 1, lower.tail = FALSE)`` gives 0.0432655 and 0.0435223.

    >>> res = check_test_statistic("chi2", "4.08", "0.043", df1="1")
    >>> res.rows[0].verdict.value, round(res.p_low, 4), round(res.p_high, 4)
    ('reproduced', 0.0433, 0.0435)
    >>> check_test_statistic("t", "2.31", "0.01", df1="45").rows[0].verdict.value
    'inconsistent'
    """
    name = _test_name(test)
    stat = Reported.parse(statistic, name="statistic")
    rep_p = Reported.parse(p, name="p")
    dfs: list[float | None] = []
    for nm, d in (("df1", df1), ("df2", df2)):
        if d is None:
            dfs.append(None)
        elif isinstance(d, int | float) and not isinstance(d, bool):
            dfs.append(float(d))
        elif isinstance(d, str | Reported):
            dfs.append(Reported.parse(d, name=nm).value)
        else:
            raise InvalidArgumentError(f"`{nm}` must be a number or printed string, got {d!r}")
    _check_df(name, dfs[0], dfs[1])
    if stat.relation != "=":
        raise InvalidArgumentError(f"`statistic` must be a printed value, got {stat.text!r}")
    iv = stat.interval(mode)
    a, b = abs(iv.low), abs(iv.high)
    lo_abs, hi_abs = (0.0, max(a, b)) if iv.low < 0 < iv.high else (min(a, b), max(a, b))
    if name == "r":
        hi_abs = min(hi_abs, 1.0)
    if name in ("F", "chi2"):
        lo_abs = max(lo_abs, 0.0)
    p_high = statistic_pvalue(name, lo_abs, dfs[0], dfs[1])  # smaller statistic, larger P
    p_low = statistic_pvalue(name, hi_abs, dfs[0], dfs[1])
    p_nom = statistic_pvalue(name, stat.value, dfs[0], dfs[1])
    rp = rep_p.interval(mode)
    label = f"{name}" + (
        f"({', '.join(_fmt(d) for d in dfs if d is not None)})" if any(dfs) else ""
    )
    note = (
        f"{label} = {stat.text} gives P in [{p_low:.4g}, {p_high:.4g}] "
        f"(two-sided for t, z, r; upper tail for F, chi2)"
    )
    methods: tuple[str, ...] = ()
    fits = _meets(rp, p_low, p_high)
    if fits:
        methods = ("two-tailed" if name in ("t", "z", "r") else "upper-tail",)
    elif one_tailed and name in ("t", "z", "r") and _meets(rp, p_low / 2, p_high / 2):
        methods = ("one-tailed",)
        p_nom = p_nom / 2
        note += "; the text says one-sided: half of it fits"
    if methods:
        verdict = Verdict.REPRODUCED
        decision: bool | None = False
        recomputed = p_nom
    else:
        verdict = Verdict.INCONSISTENT
        recomputed = p_nom
        decision = _decision(rep_p, p_low, p_high, mode)
        if decision:
            note += "; significance at 0.05 differs (decision error)"
    row = CheckRow("p", rep_p.text, verdict, methods, recomputed, decision, note)
    return StatisticCheck(rows=(row,), test=name, p_low=p_low, p_high=p_high, p_nominal=p_nom)


def _fmt(d: float) -> str:
    return str(int(d)) if float(d).is_integer() else f"{d:g}"


def _meets(iv, lo: float, hi: float) -> bool:
    # closed recomputed range [lo, hi] against the printed interval
    below = hi < iv.low or (hi == iv.low and not iv.low_closed)
    above = lo > iv.high or (lo == iv.high and not iv.high_closed)
    return not below and not above


def _decision(rep: Reported, lo: float, hi: float, mode: RoundingMode | str) -> bool | None:
    """True when every P in ``[lo, hi]`` is on the other side of 0.05 from the printed P."""
    ends = [significance_flips(rep, v, alpha=ALPHA, mode=mode) for v in (lo, hi)]
    if None in ends:
        return None
    return all(ends)


_ONE_SIDED = re.compile(r"one[- ](?:tailed|sided)", re.IGNORECASE)


def check_claim(claim: Claim, record: Record) -> list[CheckRow]:
    """Engine plug-in for claims of type ``test-statistic``.

    Keys (``docs/records.md``): printed ``statistic``, ``p``, ``df1``, ``df2``;
    top-level ``test`` (``"t"``, ``"F"``, ``"chi2"``, ``"z"``, ``"r"``).  A quote
    that says *one-tailed* / *one-sided* lets half the two-sided P fit.
    """
    stat = claim.printed_number("statistic")
    p = claim.printed_number("p")
    if stat is None:
        raise claim.error("is required for a test-statistic claim", "printed.statistic")
    if p is None:
        raise claim.error("is required for a test-statistic claim", "printed.p")
    test = claim.get("test")
    if not isinstance(test, str):
        raise claim.error(f"must be one of {tuple(TESTS)}", "test")
    try:
        res = check_test_statistic(
            test,
            stat,
            p,
            claim.printed_number("df1"),
            claim.printed_number("df2"),
            one_tailed=bool(_ONE_SIDED.search(claim.quote)),
        )
    except InvalidArgumentError as exc:
        raise claim.error(str(exc)) from None
    return list(res.rows)
