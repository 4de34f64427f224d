"""Stratified 2x2 tables: Mantel-Haenszel and Peto pooled effects and their tests.

Each stratum is given by arm, as in :mod:`gvhdstats.methods.twobytwo`: a pair
``(treatment, control)`` of ``(events, total)``, so stratum ``i`` is::

                 events   non-events   total
    treatment     a_i        b_i        n1_i
    control       c_i        d_i        n2_i

with ``m_i = a_i + c_i`` and ``N_i = n1_i + n2_i``.  Every effect is treatment
versus control.  The functions know nothing of printed numbers;
:func:`gvhdstats.checks.binary.check_2x2` (``strata=``) runs them against a
paper's numbers.

=============================================  ==========================================
ours                                           R
=============================================  ==========================================
:func:`mantel_haenszel` OR, ``rbg`` CI         ``mantelhaen.test()$estimate``, ``$conf.int``;
                                               ``metafor::rma.mh(measure = "OR")``
:func:`mantel_haenszel` RR, ``greenland-robins``  ``metafor::rma.mh(measure = "RR")``
:func:`mantel_haenszel` RD, ``sato``           ``metafor::rma.mh(measure = "RD")``
:func:`peto_odds_ratio`                        ``metafor::rma.peto()``
:func:`cmh_test` (``correction``)              ``mantelhaen.test(correct = ...)``
:func:`breslow_day_test` (``tarone``)          ``metafor::rma.mh()$TA`` (Tarone)
=============================================  ==========================================

The Mantel-Haenszel estimates and variances are those of
:mod:`gvhdstats.methods.meta` (``rma.mh``'s formulas, one implementation for
both modules); the rest is computed here with numpy (statsmodels is not a
runtime dependency).  The tests compare the odds ratio, its
Robins-Breslow-Greenland variance and the Breslow-Day statistic with
statsmodels' ``StratifiedTable`` as well as with R.  The CMH statistic follows R:
statsmodels (and metafor ``rma.mh``) subtract the continuity correction 1/2 even
when ``|sum(O - E)| < 1/2``, where R's ``mantelhaen.test`` applies none (the
two differ only there).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gvhdstats._validation import z_two_sided
from gvhdstats.errors import InvalidCountError, UnknownMethodError
from gvhdstats.methods._results import ConfidenceInterval
from gvhdstats.methods.meta import _mh
from gvhdstats.methods.proportions import _confidence_level
from gvhdstats.methods.twobytwo import _fitted_a, _Table, _table

__all__ = [
    "MEASURES",
    "VARIANCES",
    "PooledEffect",
    "StratifiedTestResult",
    "breslow_day_test",
    "cmh_test",
    "mantel_haenszel",
    "peto_odds_ratio",
    "strata_tables",
]

#: Pooled effect measures.
MEASURES = ("odds_ratio", "risk_ratio", "risk_difference")

#: Variance estimators of the Mantel-Haenszel estimate, by measure (the first is the default).
VARIANCES = {
    "odds_ratio": ("rbg",),
    "risk_ratio": ("greenland-robins",),
    "risk_difference": ("sato", "greenland-robins"),
}


def strata_tables(strata: object) -> tuple[_Table, ...]:
    """Validated strata: a sequence of ``(treatment, control)`` pairs of ``(events, total)``."""
    if isinstance(strata, str | bytes) or not isinstance(strata, Sequence) or len(strata) == 0:
        raise InvalidCountError(
            "`strata` must be a non-empty sequence of (treatment, control) pairs, each arm "
            f"(events, total), but got {strata!r}"
        )
    out = []
    for i, s in enumerate(strata):
        if isinstance(s, str | bytes) or not isinstance(s, Sequence) or len(s) != 2:
            raise InvalidCountError(
                f"`strata[{i}]` must be a pair (treatment, control) of (events, total), "
                f"but got {s!r}"
            )
        try:
            out.append(_table(s[0], s[1]))
        except InvalidCountError as exc:
            raise InvalidCountError(f"`strata[{i}]`: {exc}") from None
    return tuple(out)


def _arrays(tables: Sequence[_Table]) -> dict[str, np.ndarray]:
    a = np.array([t.a for t in tables], dtype=float)
    n1 = np.array([t.n1 for t in tables], dtype=float)
    c = np.array([t.c for t in tables], dtype=float)
    n2 = np.array([t.n2 for t in tables], dtype=float)
    return {"a": a, "b": n1 - a, "c": c, "d": n2 - c, "n1": n1, "n2": n2, "N": n1 + n2}


def _peto_sums(tables: Sequence[_Table]) -> tuple[float, float]:
    """``sum(O - E)`` and ``sum(V)`` over the strata (see :func:`peto_odds_ratio`)."""
    x = _arrays(tables)
    a, n1, n2, N = x["a"], x["n1"], x["n2"], x["N"]
    m = a + x["c"]
    o_e = a - n1 * m / N
    v = n1 * n2 * m * (N - m) / (N * N * (N - 1))
    return float(o_e.sum()), float(v.sum())


@dataclass(frozen=True)
class PooledEffect:
    """A pooled effect over strata (Mantel-Haenszel or Peto).

    Attributes
    ----------
    statistic : float
        The pooled odds ratio, risk ratio or risk difference (NaN when undefined).
    se : float
        Its standard error: of the log for ratios, of the difference itself
        for the risk difference.
    measure : str
        ``"odds_ratio"``, ``"risk_ratio"`` or ``"risk_difference"``.
    method : str
        ``"mantel-haenszel"`` or ``"peto"``.
    variance : str
        The variance estimator (``"rbg"``, ``"greenland-robins"``, ``"sato"``, ``"peto"``).
    strata : int
        Number of strata.
    """

    statistic: float
    se: float
    measure: str
    method: str
    variance: str
    strata: int

    @property
    def _log(self) -> bool:
        return self.measure != "risk_difference"

    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """Wald interval on the log scale (ratios) or the difference scale."""
        cl = _confidence_level(confidence_level)
        z = z_two_sided(cl)
        est, se = self.statistic, self.se
        if not (math.isfinite(se) and math.isfinite(est)) or (self._log and est <= 0):
            return ConfidenceInterval(math.nan, math.nan)
        if self._log:
            return ConfidenceInterval(
                math.exp(math.log(est) - z * se), math.exp(math.log(est) + z * se)
            )
        return ConfidenceInterval(est - z * se, est + z * se)

    @property
    def pvalue(self) -> float:
        """Two-sided Wald P of the pooled effect (RevMan's "test for overall effect")."""
        from scipy.special import ndtr

        est, se = self.statistic, self.se
        if not (math.isfinite(se) and se > 0 and math.isfinite(est)) or (self._log and est <= 0):
            return math.nan
        zstat = math.log(est) / se if self._log else est / se
        return float(2 * ndtr(-abs(zstat)))


def mantel_haenszel(
    strata: Sequence[tuple[tuple[int, int], tuple[int, int]]],
    *,
    measure: str = "odds_ratio",
    variance: str | None = None,
) -> PooledEffect:
    r"""Mantel-Haenszel pooled odds ratio, risk ratio or risk difference.

    Parameters
    ----------
    strata : sequence of ((int, int), (int, int))
        Each stratum's ``(treatment, control)`` arms as ``(events, total)``.
    measure : {"odds_ratio", "risk_ratio", "risk_difference"}
    variance : str, optional
        ``"rbg"`` (odds ratio), ``"greenland-robins"`` (risk ratio; risk
        difference, large-strata form), ``"sato"`` (risk difference, the
        default: consistent in sparse and large strata).

    Returns
    -------
    PooledEffect
        ``statistic``, ``se``, ``.confidence_interval(level)``, ``.pvalue`` (Wald).

    Raises
    ------
    InvalidCountError
        Bad strata.
    UnknownMethodError
        Unknown ``measure`` or ``variance``.

    Notes
    -----
    With :math:`R_i = a_i d_i/N_i`, :math:`S_i = b_i c_i/N_i`,
    :math:`P_i = (a_i + d_i)/N_i`, :math:`Q_i = (b_i + c_i)/N_i`:

    * odds ratio :math:`\hat\psi = \sum R/\sum S`, Robins-Breslow-Greenland
      (1986) variance :math:`\widehat{Var}(\ln\hat\psi) = \frac{\sum PR}{2(\sum
      R)^2} + \frac{\sum (PS + QR)}{2\sum R\sum S} + \frac{\sum QS}{2(\sum
      S)^2}` (as statsmodels ``StratifiedTable.oddsratio_pooled``,
      ``logodds_pooled_se`` and R ``mantelhaen.test``);
    * risk ratio :math:`\sum (a n_2/N)/\sum (c n_1/N)`, Greenland-Robins
      (1985) variance :math:`\frac{\sum (n_1 n_2 m - a c N)/N^2}{\sum(a
      n_2/N)\sum(c n_1/N)}` of its log;
    * risk difference :math:`\sum (a n_2 - c n_1)/N / \sum w`,
      :math:`w = n_1 n_2/N`; Sato, Greenland & Robins (1989) variance
      :math:`(\hat\Delta \sum P' + \sum Q')/(\sum w)^2` with
      :math:`P' = (n_1^2 c - n_2^2 a + n_1 n_2 (n_2 - n_1)/2)/N^2`,
      :math:`Q' = \{a(n_2 - c) + c(n_1 - a)\}/(2N)` (metafor ``rma.mh``);
      ``greenland-robins``: :math:`\sum w^2 (\hat p_1\hat q_1/n_1 + \hat
      p_2\hat q_2/n_2)/(\sum w)^2`, valid for large strata only.

    With one stratum the odds ratio is the sample odds ratio with Woolf's
    variance, and the risk ratio the sample risk ratio with Katz's.

    References
    ----------
    Mantel N, Haenszel W (1959). J Natl Cancer Inst 22:719-748.
    Robins J, Breslow N, Greenland S (1986). Biometrics 42:311-323.
    Greenland S, Robins JM (1985). Biometrics 41:55-68.
    Sato T, Greenland S, Robins JM (1989). Biometrics 45:1323-1324.

    Examples
    --------
    Berkeley admissions by department (R ``UCBAdmissions``; admitted = event,
    male = treatment): ``mantelhaen.test(UCBAdmissions)`` gives 0.9046968
    (0.7719074-1.0603298).

    >>> from gvhdstats.methods.stratified import mantel_haenszel
    >>> ucb = [((512, 825), (89, 108)), ((353, 560), (17, 25)), ((120, 325), (202, 593)),
    ...        ((138, 417), (131, 375)), ((53, 191), (94, 393)), ((22, 373), (24, 341))]
    >>> res = mantel_haenszel(ucb)
    >>> print(f"{res.statistic:.7f}", *(f"{x:.7f}" for x in res.confidence_interval()))
    0.9046968 0.7719074 1.0603298
    """
    if measure not in MEASURES:
        raise UnknownMethodError(f"`measure` must be one of {MEASURES}, but got {measure!r}")
    allowed = VARIANCES[measure]
    var = allowed[0] if variance is None else variance
    if var not in allowed:
        raise UnknownMethodError(
            f"`variance` for {measure} must be one of {allowed}, but got {variance!r}"
        )
    return _mantel_haenszel(strata_tables(strata), measure, var)


def _mantel_haenszel(tables: Sequence[_Table], measure: str, var: str) -> PooledEffect:
    """The pooled estimate and SE; the formulas are those of the meta-analysis module."""
    x = _arrays(tables)
    a, b, c, d, n1, n2, N = (x[k] for k in ("a", "b", "c", "d", "n1", "n2", "N"))
    k = len(tables)
    if measure != "risk_difference":
        num, den = (a * d / N, b * c / N) if measure == "odds_ratio" else (a * n2 / N, c * n1 / N)
        if num.sum() == 0 or den.sum() == 0:
            est = math.nan if num.sum() == den.sum() else (0.0 if num.sum() == 0 else math.inf)
            return PooledEffect(est, math.nan, measure, "mantel-haenszel", var, k)
        log_est, se, _ = _mh(a, n1, c, n2, "OR" if measure == "odds_ratio" else "RR")
        return PooledEffect(math.exp(log_est), se, measure, "mantel-haenszel", var, k)
    if var == "sato":
        est, se, _ = _mh(a, n1, c, n2, "RD")
        return PooledEffect(est, se, measure, "mantel-haenszel", var, k)
    w = n1 * n2 / N
    est = float(((a * n2 - c * n1) / N).sum() / w.sum())
    p1, p2 = a / n1, c / n2
    v = float((w * w * (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)).sum() / w.sum() ** 2)
    return PooledEffect(est, math.sqrt(v), measure, "mantel-haenszel", var, k)


def peto_odds_ratio(strata: Sequence[tuple[tuple[int, int], tuple[int, int]]]) -> PooledEffect:
    r"""Peto's one-step pooled odds ratio :math:`\exp\{\sum(O - E)/\sum V\}`.

    Parameters
    ----------
    strata : sequence of ((int, int), (int, int))
        Each stratum's ``(treatment, control)`` arms as ``(events, total)``.

    Returns
    -------
    PooledEffect
        ``se`` :math:`= 1/\sqrt{\sum V}`; ``pvalue`` equals the CMH test without
        continuity correction (:math:`\{\sum(O - E)\}^2/\sum V`).

    Notes
    -----
    :math:`O_i = a_i`, :math:`E_i = n_{1i} m_i/N_i`, :math:`V_i = n_{1i}
    n_{2i} m_i (N_i - m_i)/\{N_i^2 (N_i - 1)\}` (Yusuf et al. 1985).  R:
    ``metafor::rma.peto(ai, n1i = n1, ci, n2i = n2)``.  NaN when every
    stratum has no events or no non-events.

    Examples
    --------
    >>> from gvhdstats.methods.stratified import peto_odds_ratio
    >>> res = peto_odds_ratio([((82, 99), (70, 99))])
    >>> print(f"{res.statistic:.4f}", *(f"{x:.4f}" for x in res.confidence_interval()))
    1.9664 1.0184 3.7969
    """
    tables = strata_tables(strata)
    o_e, v = _peto_sums(tables)
    if v == 0:
        return PooledEffect(math.nan, math.nan, "odds_ratio", "peto", "peto", len(tables))
    return PooledEffect(
        math.exp(o_e / v), 1 / math.sqrt(v), "odds_ratio", "peto", "peto", len(tables)
    )


@dataclass(frozen=True)
class StratifiedTestResult:
    """Result of :func:`cmh_test` or :func:`breslow_day_test`.

    Attributes
    ----------
    statistic : float
        Chi-square statistic.
    df : int
        Degrees of freedom.
    pvalue : float
    method : str
    note : str
    """

    statistic: float
    df: int
    pvalue: float
    method: str
    note: str = ""


def cmh_test(
    strata: Sequence[tuple[tuple[int, int], tuple[int, int]]], *, correction: bool = False
) -> StratifiedTestResult:
    r"""Cochran-Mantel-Haenszel test of "odds ratio 1 in every stratum".

    Parameters
    ----------
    strata : sequence of ((int, int), (int, int))
    correction : bool
        Continuity correction: subtract 1/2 from :math:`|\sum(O - E)|` when it
        is at least 1/2 (R ``mantelhaen.test(correct = TRUE)``, the default in
        R; SAS PROC FREQ and statsmodels' default use none).

    Returns
    -------
    StratifiedTestResult
        :math:`X^2 = (|\sum(a - E)| - y)^2/\sum V` on 1 df, with
        :math:`E`, :math:`V` as in :func:`peto_odds_ratio`.

    Examples
    --------
    ``mantelhaen.test(UCBAdmissions)``: X-squared = 1.4269, P = 0.2323.

    >>> from gvhdstats.methods.stratified import cmh_test
    >>> ucb = [((512, 825), (89, 108)), ((353, 560), (17, 25)), ((120, 325), (202, 593)),
    ...        ((138, 417), (131, 375)), ((53, 191), (94, 393)), ((22, 373), (24, 341))]
    >>> res = cmh_test(ucb, correction=True)
    >>> print(f"{res.statistic:.4f} {res.pvalue:.4f}")
    1.4269 0.2323
    """
    from scipy.special import chdtrc

    tables = strata_tables(strata)
    delta, v = _peto_sums(tables)
    method = "cmh-cc" if correction else "cmh"
    if v == 0:
        return StratifiedTestResult(
            math.nan, 1, math.nan, method, "no stratum has both events and non-events"
        )
    y = 0.5 if correction and abs(delta) >= 0.5 else 0.0
    stat = (abs(delta) - y) ** 2 / v
    return StratifiedTestResult(float(stat), 1, float(chdtrc(1, stat)), method)


def breslow_day_test(
    strata: Sequence[tuple[tuple[int, int], tuple[int, int]]], *, tarone: bool = True
) -> StratifiedTestResult:
    r"""Breslow-Day test of a common odds ratio (homogeneity), with Tarone's correction.

    Parameters
    ----------
    strata : sequence of ((int, int), (int, int))
    tarone : bool
        Subtract Tarone's (1985) correction :math:`\{\sum(a_i - A_i)\}^2/\sum
        V_i` (R ``metafor::rma.mh()$TA``; SAS PROC FREQ ``bdt``).

    Returns
    -------
    StratifiedTestResult
        :math:`\sum (a_i - A_i)^2/V_i` on :math:`K - 1` df, where :math:`A_i`
        is the fitted cell of stratum i with its margins and the
        Mantel-Haenszel odds ratio, and :math:`1/V_i = 1/A_i + 1/B_i + 1/C_i
        + 1/D_i` over its fitted cells.  Strata with no events or no
        non-events carry no information and are left out (and out of K).

    References
    ----------
    Breslow NE, Day NE (1980). Statistical Methods in Cancer Research, vol 1.
    IARC, section 4.4.
    Tarone RE (1985). On heterogeneity tests based on efficient scores.
    Biometrika 72:91-95.

    Examples
    --------
    >>> from gvhdstats.methods.stratified import breslow_day_test
    >>> ucb = [((512, 825), (89, 108)), ((353, 560), (17, 25)), ((120, 325), (202, 593)),
    ...        ((138, 417), (131, 375)), ((53, 191), (94, 393)), ((22, 373), (24, 341))]
    >>> res = breslow_day_test(ucb)
    >>> print(f"{res.statistic:.4f} {res.df} {res.pvalue:.4f}")
    18.8255 5 0.0021
    """
    from scipy.special import chdtrc

    tables = strata_tables(strata)
    method = "tarone" if tarone else "breslow-day"
    informative = [t for t in tables if not t.degenerate]
    psi = _mantel_haenszel(tables, "odds_ratio", "rbg").statistic
    if len(informative) < 2 or not (math.isfinite(psi) and psi > 0):
        return StratifiedTestResult(
            math.nan,
            max(len(informative) - 1, 0),
            math.nan,
            method,
            "needs two strata with events and non-events and a finite, positive MH odds ratio",
        )
    devs, vars_ = [], []
    for t in informative:
        A = _fitted_a(psi, t)
        devs.append(t.a - A)
        vars_.append(1.0 / (1.0 / A + 1.0 / (t.n1 - A) + 1.0 / (t.m - A) + 1.0 / (t.n2 - t.m + A)))
    dev, var = np.array(devs), np.array(vars_)
    stat = float(np.sum(dev * dev / var))
    if tarone:
        stat -= float(dev.sum() ** 2 / var.sum())
    df = len(informative) - 1
    return StratifiedTestResult(stat, df, float(chdtrc(df, stat)), method)
