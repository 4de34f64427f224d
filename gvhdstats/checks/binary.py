"""Printed two-arm binary comparisons checked against every 2x2 method.

:func:`check_2x2` takes the counts of each arm (treatment first) and the
printed odds ratio, risk ratio or risk difference with its CI and P value,
recomputes every estimator, interval and test of
:mod:`gvhdstats.methods.twobytwo`, and reports which methods (and which
coherent method *families*, :data:`FAMILIES`) reproduce each printed number
within its rounding interval.  :func:`check_claim` is the engine's checker for
claims of type ``two-arm-binary``.

The catalogue of methods, the families and the map to R and other software
are in ``docs/methods-binary.md``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, cast

from gvhdstats.checks.proportion import percent_row
from gvhdstats.checks.verdicts import (
    CheckResult,
    CheckRow,
    Verdict,
    joint_precision_note,
    match_reported,
)
from gvhdstats.errors import (
    InvalidArgumentError,
    InvalidCountError,
    InvalidIntervalError,
    InvalidPValueError,
)
from gvhdstats.methods._results import ConfidenceInterval
from gvhdstats.methods.proportions import (
    _confidence_level,
)
from gvhdstats.methods.stratified import (
    breslow_day_test,
    cmh_test,
    mantel_haenszel,
    peto_odds_ratio,
    strata_tables,
)
from gvhdstats.methods.twobytwo import (
    EFFECT_PVALUE_METHODS,
    OR_CI_METHODS,
    OR_ESTIMATORS,
    PVALUE_METHODS,
    RD_CI_METHODS,
    RR_CI_METHODS,
    _or_ci,
    _or_estimate,
    _pvalue,
    _Table,
    _table,
    risk_difference,
    risk_ratio,
)
from gvhdstats.numbers import DEFAULT_MODE, Reported, RoundingMode

if TYPE_CHECKING:  # pragma: no cover
    from gvhdstats.records import Claim, Record

__all__ = [
    "DIFFERENCE_UNITS",
    "EXACT_MAX_TOTAL",
    "FAMILIES",
    "OR_CI_METHODS",
    "OR_ESTIMATORS",
    "OTHER_LEVELS",
    "PVALUE_METHODS",
    "RD_CI_METHODS",
    "RR_CI_METHODS",
    "STRATIFIED_FAMILIES",
    "TwoByTwoCheck",
    "check_2x2",
    "check_claim",
    "risk_difference",
    "risk_ratio",
]

#: Coherent method families: (estimator, CI method, P method) that one package
#: or one analysis produces together.  Keys are the family names used in joint
#: rows; values say where the combination comes from (see docs/methods-binary.md).
FAMILIES: dict[str, dict[tuple[str, str, str], str]] = {
    "odds_ratio": {
        ("sample", "wald", "pearson-chi2"): "epitools::oddsratio.wald; SAS PROC FREQ relrisk "
        "with chisq; SPSS CROSSTABS risk with Pearson chi-square; Stata cc, woolf",
        ("sample", "wald", "yates-chi2"): "Woolf CI with R chisq.test() default",
        ("sample", "wald", "fisher-exact"): "Woolf CI with Fisher's exact P (Stata cc, woolf "
        "exact; SPSS CROSSTABS risk with Fisher's test)",
        ("sample", "wald", "wald"): "logistic regression, Wald CI and Wald z; RevMan "
        "(Mantel-Haenszel, one study: Woolf CI, Z test)",
        ("sample", "exact-conditional", "pearson-chi2"): "Stata cc/cci default: exact "
        "(Cornfield-exact) CI with Pearson chi2",
        ("sample", "exact-conditional", "fisher-exact"): "Stata cc, exact; SAS PROC FREQ "
        "exact or fisher (sample OR, exact CI, Fisher's P)",
        ("sample", "profile-likelihood", "likelihood-ratio"): "logistic regression, "
        "profile-likelihood CI and LR test (R confint.glm, anova)",
        ("sample", "score", "pearson-chi2"): "Miettinen-Nurminen score CI (SAS cl=score)",
        ("sample", "cornfield", "pearson-chi2"): "Cornfield approximate CI (inverts Pearson); "
        "Stata cc, cornfield",
        ("sample", "cornfield-cc", "yates-chi2"): "Cornfield CI with continuity correction "
        "(Fleiss; Epi Info)",
        ("haldane", "wald-haldane", "pearson-chi2"): "Haldane-Anscombe +0.5",
        ("haldane", "wald-haldane", "fisher-exact"): "Haldane-Anscombe +0.5 to every cell "
        "with Fisher's exact P (zero cells)",
        ("small-sample", "wald-haldane", "pearson-chi2"): "epitools::oddsratio.small",
        ("conditional-mle", "exact-conditional", "fisher-exact"): "R fisher.test; "
        "epitools::oddsratio.fisher",
        ("conditional-mle", "exact-conditional", "fisher-central"): "exact2x2 central; StatXact",
        ("conditional-mle", "blaker", "blaker"): "exact2x2(tsmethod = 'blaker')",
        ("median-unbiased", "mid-p", "mid-p"): "epitools::oddsratio.midp",
        ("peto", "peto", "n-1-chi2"): "Peto one-step OR (RevMan Peto; metafor rma.peto), "
        "whose test (O - E)^2/V is the N-1 chi-square",
    },
    "risk_ratio": {
        ("sample", "katz-log", "pearson-chi2"): "epitools::riskratio.wald; Stata cs/csi default",
        ("sample", "katz-log", "yates-chi2"): "Katz CI with R chisq.test() default",
        ("sample", "katz-log", "fisher-exact"): "Katz CI with Fisher's exact P (Stata cs, exact)",
        ("sample", "katz-log", "wald-log-rr"): "RevMan (Mantel-Haenszel RR, one study) and "
        "metafor rma.mh: Katz CI, Z test of ln RR; log-binomial GLM Wald",
        ("sample", "score", "pearson-chi2"): "Miettinen-Nurminen / Koopman score CI",
    },
    "risk_difference": {
        ("sample", "wald", "pearson-chi2"): "R prop.test(correct = FALSE); Stata cs/csi default",
        ("sample", "wald", "fisher-exact"): "Wald CI with Fisher's exact P (Stata cs, exact)",
        ("sample", "wald", "wald-rd"): "RevMan (Mantel-Haenszel RD, one study) and metafor "
        "rma.mh: Wald CI, Z test of the RD",
        ("sample", "wald-cc", "yates-chi2"): "R prop.test() default",
        ("sample", "newcombe", "pearson-chi2"): "Newcombe hybrid score (method 10)",
        ("sample", "newcombe", "fisher-exact"): "Newcombe CI with Fisher's exact P",
        ("sample", "newcombe-cc", "yates-chi2"): "Newcombe with continuity correction (method 11)",
        ("sample", "agresti-caffo", "pearson-chi2"): "Agresti-Caffo",
        ("sample", "score", "pearson-chi2"): "Miettinen-Nurminen score CI",
    },
}

#: Families of stratified tables (``check_2x2(strata=...)``): pooled estimate,
#: CI and P that one package reports together.
STRATIFIED_FAMILIES: dict[str, dict[tuple[str, str, str], str]] = {
    "odds_ratio": {
        ("mantel-haenszel", "rbg", "cmh-cc"): "R mantelhaen.test() default",
        ("mantel-haenszel", "rbg", "cmh"): "R mantelhaen.test(correct = FALSE); SAS PROC FREQ "
        "cmh; statsmodels StratifiedTable",
        ("mantel-haenszel", "rbg", "wald"): "RevMan / metafor rma.mh fixed-effect MH: Z test "
        "of the pooled log OR",
        ("peto", "peto", "cmh"): "Peto one-step OR (RevMan Peto; metafor rma.peto)",
    },
    "risk_ratio": {
        ("mantel-haenszel", "greenland-robins", "wald"): "RevMan / metafor rma.mh MH risk "
        "ratio: Z test of the pooled log RR",
        ("mantel-haenszel", "greenland-robins", "cmh"): "MH risk ratio with the CMH test",
        ("mantel-haenszel", "greenland-robins", "cmh-cc"): "MH risk ratio with the "
        "continuity-corrected CMH test",
    },
    "risk_difference": {
        ("mantel-haenszel", "sato", "wald"): "RevMan / metafor rma.mh MH risk difference",
        ("mantel-haenszel", "sato", "cmh"): "MH risk difference with the CMH test",
        ("mantel-haenszel", "greenland-robins", "wald"): "MH risk difference, "
        "large-strata Greenland-Robins variance",
    },
}


#: Largest number of patients (both arms) for which the conditional (exact) methods
#: are computed: the conditional MLE and median-unbiased odds ratios, the
#: exact-conditional, mid-p and Blaker CIs, and Fisher's, the central, Blaker's
#: and the mid-p P.  Their cost grows with the size of the conditional support
#: (well under a second at this size, several seconds at 200,000); above it they
#: are not computed and the rows say so.
EXACT_MAX_TOTAL = 50_000

#: The methods that :data:`EXACT_MAX_TOTAL` switches off, by quantity.
_CONDITIONAL = {
    "odds_ratio": ("conditional-mle", "median-unbiased"),
    "odds_ratio.ci": ("exact-conditional", "mid-p", "blaker"),
    "p": ("fisher-exact", "fisher-central", "blaker", "mid-p"),
}


def _exact_note(t: _Table) -> str:
    return (
        f"conditional (exact) methods not computed: {t.N} patients exceed "
        f"EXACT_MAX_TOTAL = {EXACT_MAX_TOTAL}"
    )


@dataclass(frozen=True, repr=False)
class TwoByTwoCheck(CheckResult):
    """Result of :func:`check_2x2`.

    Attributes
    ----------
    rows : tuple of CheckRow
        One row per printed number plus joint rows (``to_frame()`` for a table).
    treatment, control : (int, int)
        The arms (summed over strata when ``strata`` were given).
    confidence_level : float
    strata : tuple
        The strata, ``((treatment, control), ...)``, or empty for one table.
    recomputed : dict
        Every recomputed value by quantity and method (not rounded), e.g.
        ``recomputed["p"]["fisher-exact"]``.
    """

    treatment: tuple[int, int] = (0, 1)
    control: tuple[int, int] = (0, 1)
    confidence_level: float = 0.95
    recomputed: dict = field(default_factory=dict)
    strata: tuple = ()


def _parse_p(p: str | Reported) -> Reported:
    rep = Reported.parse(p, name="p")
    if rep.relation in ("<", "<="):
        bad = rep.value <= 0 or rep.value > 1
    elif rep.relation in (">", ">="):
        bad = rep.value < 0 or rep.value >= 1
    else:
        bad = rep.value <= 0 or rep.value > 1
    if bad:
        raise InvalidPValueError(
            f"`p` must be a printed P value in (0, 1], but got {rep.text!r} "
            "(write a P printed as 0.000 as '<0.0005')"
        )
    return rep


def _parse_ci(ci: object) -> tuple[Reported, Reported]:
    if isinstance(ci, str) or not isinstance(ci, Sequence) or len(ci) != 2:
        raise InvalidIntervalError(
            f"`ci` must be a pair (low, high) of printed strings, got {ci!r}"
        )
    lo = Reported.parse(ci[0], name="ci[0]")
    hi = Reported.parse(ci[1], name="ci[1]")
    if lo.value > hi.value:
        raise InvalidIntervalError(
            f"`ci` must be (low, high) with low <= high, but got ({lo.text!r}, {hi.text!r})"
        )
    return lo, hi


def _or_cis(t: _Table, cl: float) -> dict[str, ConfidenceInterval]:
    """Every odds-ratio CI; the conditional ones NaN above :data:`EXACT_MAX_TOTAL` patients."""
    exact = t.N <= EXACT_MAX_TOTAL
    nan_ci = ConfidenceInterval(math.nan, math.nan)
    return {
        m: _or_ci(t, m, cl) if exact or m not in _CONDITIONAL["odds_ratio.ci"] else nan_ci
        for m in OR_CI_METHODS
    }


def _all_values(t: _Table, cl: float) -> dict[str, dict[str, float]]:
    rr = risk_ratio((t.a, t.n1), (t.c, t.n2))
    rd = risk_difference((t.a, t.n1), (t.c, t.n2))
    exact = t.N <= EXACT_MAX_TOTAL
    groups = (
        (
            "odds_ratio",
            {
                e: _or_estimate(t, e) if exact or e not in _CONDITIONAL["odds_ratio"] else math.nan
                for e in OR_ESTIMATORS
            },
            _or_cis(t, cl),
        ),
        (
            "risk_ratio",
            {"sample": rr.statistic},
            {m: rr.confidence_interval(m, cl) for m in RR_CI_METHODS},
        ),
        (
            "risk_difference",
            {"sample": rd.statistic},
            {m: rd.confidence_interval(m, cl) for m in RD_CI_METHODS},
        ),
    )
    out: dict[str, dict[str, float]] = {}
    for key, estimates, cis in groups:
        out[key] = estimates
        out[f"{key}.ci_low"] = {m: cast(float, ci.low) for m, ci in cis.items()}
        out[f"{key}.ci_high"] = {m: cast(float, ci.high) for m, ci in cis.items()}
    return out


def _joint(
    group: str,
    est_row: CheckRow | None,
    lo_row: CheckRow | None,
    hi_row: CheckRow | None,
    p_row: CheckRow | None,
    null: float,
    p_rep: Reported | None,
    ci_reps: tuple[Reported, Reported] | None,
    fams: dict[tuple[str, str, str], str] | None = None,
    extra: Sequence[str] = (),
) -> CheckRow:
    parts = [r for r in (est_row, lo_row, hi_row, p_row) if r is not None]
    text = " / ".join(
        x
        for x in (
            est_row.reported if est_row else None,
            f"{lo_row.reported}-{hi_row.reported}" if lo_row and hi_row else None,
            p_row.reported if p_row else None,
        )
        if x
    )
    est_m = set(est_row.methods) if est_row else None
    ci_m = set(lo_row.methods) & set(hi_row.methods) if lo_row and hi_row else None
    p_m = set(p_row.methods) if p_row else None
    if fams is None:
        fams = FAMILIES[group]

    def fits(e: str, c: str, p: str) -> bool:
        return (
            (est_m is None or e in est_m)
            and (ci_m is None or c in ci_m)
            and (p_m is None or p in p_m)
        )

    named = [f"{e}+{c}+{p}" for (e, c, p) in fams if fits(e, c, p)]
    # generic search over every combination of the printed parts' methods
    pools = [
        sorted(est_m) if est_m is not None else ["*"],
        sorted(ci_m) if ci_m is not None else ["*"],
        sorted(p_m) if p_m is not None else ["*"],
    ]
    combos = [f"{e}+{c}+{p}" for e in pools[0] for c in pools[1] for p in pools[2]]
    named_keys = {f"{e}+{c}+{p}" for (e, c, p) in fams}

    # collapse named families onto the printed parts ('*' for parts not printed)
    def project(name: str) -> str:
        e, c, p = name.split("+")
        return "+".join(
            x if pool != ["*"] else "*" for x, pool in zip((e, c, p), pools, strict=True)
        )

    named_proj = {project(k) for k in named}
    mixed = [x for x in combos if x not in named_proj and x not in named_keys]
    notes: list[str] = []
    # printed-level discordance between CI and P
    if ci_reps is not None and p_rep is not None:
        lo_v, hi_v = ci_reps[0].value, ci_reps[1].value
        excl = lo_v > null or hi_v < null
        p_iv = p_rep.interval()
        if excl and p_iv.low >= 0.05:
            notes.append(f"printed CI excludes {null:g} but printed P >= 0.05")
        elif (not excl) and lo_v < null < hi_v and p_iv.high < 0.05:
            notes.append(f"printed CI includes {null:g} but printed P < 0.05")
    if named:
        precision = joint_precision_note(len(named), [est_row, lo_row, hi_row, p_row])
        if mixed:
            notes.append("also reproduced by mixed combinations: " + ", ".join(mixed[:8]))
        return CheckRow(
            f"joint[{group}]",
            text,
            Verdict.REPRODUCED,
            tuple(named),
            None,
            None,
            "; ".join(x for x in (precision, *notes) if x),
            discriminates=len(named) == 1,
        )
    if any(r.verdict is Verdict.NOT_CHECKABLE for r in parts):
        return CheckRow(
            f"joint[{group}]",
            text,
            Verdict.NOT_CHECKABLE,
            (),
            None,
            None,
            "; ".join(["a part is not checkable", *notes]),
        )
    bad = [r.quantity for r in parts if not r.methods]
    if bad:
        why = "no method reproduces: " + ", ".join(bad)
    elif ci_m is not None and not ci_m and lo_row is not None and hi_row is not None:
        why = (
            "no single CI method reproduces both bounds (ci_low: "
            + ", ".join(lo_row.methods)
            + "; ci_high: "
            + ", ".join(hi_row.methods)
            + ")"
        )
    elif mixed:
        why = (
            "no coherent family reproduces all parts together; only mixed combinations do: "
            + ", ".join(mixed[:8])
        )
    else:  # pragma: no cover - every part has methods, so combos is not empty
        why = "no combination reproduces all parts"
    return CheckRow(
        f"joint[{group}]",
        text,
        Verdict.INCONSISTENT,
        (),
        None,
        None,
        "; ".join([why, *notes, *extra]),
    )


#: Confidence levels tried when no method reproduces the CI at the printed level.
OTHER_LEVELS = (0.90, 0.95, 0.99)

#: P methods whose one-sided P (observed direction) is half the two-sided one.
_SYMMETRIC_P = (
    "wald-log-rr",
    "wald-rd",
    "pearson-chi2",
    "n-1-chi2",
    "yates-chi2",
    "likelihood-ratio",
    "wald",
    "fisher-central",
    "mid-p",
    "cmh",
    "cmh-cc",
)

#: Units of a printed risk difference (``difference_unit``; the record's ``unit``).
DIFFERENCE_UNITS = ("proportion", "percentage-points")

_CRUDE_NOTE = (
    "the crude table of these counts reproduces no method family: the printed numbers may "
    "come from a stratified (e.g. Mantel-Haenszel) or adjusted (regression) analysis"
)


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _stratified_values(
    tables: Sequence[_Table], cl: float, ci_owner: str | None
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Pooled estimates and CIs by measure and method, and the P values, of stratified tables."""
    pairs = [((t.a, t.n1), (t.c, t.n2)) for t in tables]
    effects = {
        "odds_ratio": {"mantel-haenszel": mantel_haenszel(pairs), "peto": peto_odds_ratio(pairs)},
        "risk_ratio": {"mantel-haenszel": mantel_haenszel(pairs, measure="risk_ratio")},
        "risk_difference": {
            "mantel-haenszel": mantel_haenszel(pairs, measure="risk_difference"),
            "greenland-robins": mantel_haenszel(
                pairs, measure="risk_difference", variance="greenland-robins"
            ),
        },
    }
    out: dict[str, dict[str, float]] = {}
    for key, by_method in effects.items():
        out[key] = {"mantel-haenszel": by_method["mantel-haenszel"].statistic}
        if "peto" in by_method:
            out[key]["peto"] = by_method["peto"].statistic
        cis = {eff.variance: eff.confidence_interval(cl) for eff in by_method.values()}
        out[f"{key}.ci_low"] = {m: cast(float, ci.low) for m, ci in cis.items()}
        out[f"{key}.ci_high"] = {m: cast(float, ci.high) for m, ci in cis.items()}
    pvals = {
        "cmh": cmh_test(pairs).pvalue,
        "cmh-cc": cmh_test(pairs, correction=True).pvalue,
        "wald": effects[ci_owner or "odds_ratio"]["mantel-haenszel"].pvalue,
    }
    return out, pvals


def _ci_values(t: _Table, key: str, cl: float) -> dict[str, dict[str, float]]:
    """CI bounds of one measure of a crude table at level ``cl``."""
    if key == "odds_ratio":
        cis = _or_cis(t, cl)
    elif key == "risk_ratio":
        rr = risk_ratio((t.a, t.n1), (t.c, t.n2))
        cis = {m: rr.confidence_interval(m, cl) for m in RR_CI_METHODS}
    else:
        rd = risk_difference((t.a, t.n1), (t.c, t.n2))
        cis = {m: rd.confidence_interval(m, cl) for m in RD_CI_METHODS}
    return {
        "ci_low": {m: cast(float, ci.low) for m, ci in cis.items()},
        "ci_high": {m: cast(float, ci.high) for m, ci in cis.items()},
    }


def _level_hint(
    ci_reps: tuple[Reported, Reported],
    values_at: dict[float, dict[str, dict[str, float]]],
    cl: float,
    mode: RoundingMode,
    scale: float,
) -> str:
    """Say which other confidence level (90%, 95%, 99%) a printed CI fits, if any."""
    found = []
    for lev, vals in values_at.items():
        if abs(lev - cl) < 1e-12:
            continue
        fits = None
        for q, rep in zip(("ci_low", "ci_high"), ci_reps, strict=True):
            iv = rep.interval(mode)
            ok = {
                m
                for m, v in vals[q].items()
                if v is not None and not math.isnan(v) and iv.contains(v * scale)
            }
            fits = ok if fits is None else fits & ok
        if fits:
            found.append(f"{lev * 100:g}% ({', '.join(sorted(fits))})")
    if not found:
        return ""
    return (
        f"no method reproduces this CI at the printed {cl * 100:g}% level, but it fits a "
        + " or a ".join(found)
        + " interval; the verdict is for the printed level"
    )


def _one_sided_hint(p_rep: Reported, pvals: dict[str, float], mode: RoundingMode) -> str:
    iv = p_rep.interval(mode)
    fits = [
        (m, v / 2)
        for m, v in pvals.items()
        if m in _SYMMETRIC_P and v is not None and not math.isnan(v) and iv.contains(v / 2)
    ]
    if not fits:
        return ""
    named = ", ".join(f"{m} ({_fmt(v)})" for m, v in fits)
    return (
        f"half the two-sided P fits (one-sided P in the observed direction): {named}; if the "
        'paper reports a one-sided P, say so (p_sided=1; record: p_sided = "one-sided")'
    )


def _with_note(row: CheckRow, *extra: str) -> CheckRow:
    parts = [x for x in (row.note, *extra) if x]
    return replace(row, note="; ".join(parts))


def _strata_arg(
    strata: object, treatment: object, control: object
) -> tuple[tuple[_Table, ...] | None, _Table]:
    if strata is None:
        if treatment is None or control is None:
            raise InvalidArgumentError(
                "pass `treatment` and `control` as (events, total), or `strata`"
            )
        return None, _table(treatment, control)
    if treatment is not None or control is not None:
        raise InvalidArgumentError(
            "pass either `strata` or `treatment` and `control`, not both (each stratum gives "
            "its own (treatment, control) arms)"
        )
    tables = strata_tables(strata)
    crude = _Table(
        sum(t.a for t in tables),
        sum(t.n1 for t in tables),
        sum(t.c for t in tables),
        sum(t.n2 for t in tables),
    )
    return tables, crude


def check_2x2(
    treatment: tuple[int, int] | None = None,
    control: tuple[int, int] | None = None,
    *,
    strata: Sequence[tuple[tuple[int, int], tuple[int, int]]] | None = None,
    odds_ratio: str | Reported | None = None,
    ci: tuple[str | Reported, str | Reported] | None = None,
    p: str | Reported | None = None,
    percents: tuple[str | Reported | None, str | Reported | None] | None = None,
    risk_ratio: str | Reported | None = None,
    risk_difference: str | Reported | None = None,
    p_heterogeneity: str | Reported | None = None,
    p_sided: int = 2,
    difference_unit: str | None = None,
    confidence_level: float = 0.95,
    mode: RoundingMode | str = DEFAULT_MODE,
    note: str = "",
) -> TwoByTwoCheck:
    r"""Check the printed numbers of a two-arm binary comparison against the counts.

    Every estimator, CI method and P method of this module is recomputed and
    compared with each printed number's rounding interval
    (:func:`~gvhdstats.checks.verdicts.match_reported`).

    Parameters
    ----------
    treatment, control : (int, int)
        ``(events, total)`` of each arm (of a single table).
    strata : sequence of ((int, int), (int, int)), optional
        Instead of ``treatment`` and ``control``: each stratum's
        ``(treatment, control)`` arms as ``(events, total)``.  The printed
        estimate, CI and P are then compared with the pooled
        Mantel-Haenszel and Peto estimates, their CIs and the CMH and Wald
        tests (:mod:`gvhdstats.methods.stratified`, families
        :data:`STRATIFIED_FAMILIES`); ``percents`` belong to the summed arms.
    odds_ratio, risk_ratio, risk_difference : str or Reported, optional
        The printed effect estimates.
    ci : (str or Reported, str or Reported), optional
        The printed CI bounds.  They belong to the odds ratio if one is
        printed, else to the risk ratio, else to the risk difference.
    p : str or Reported, optional
        The printed P value (``"0.043"``, ``"<0.001"``), two-sided unless
        ``p_sided=1``.
    percents : (str, Reported or None; str, Reported or None), optional
        Printed percentages of events in the treatment and control arms.
    p_heterogeneity : str or Reported, optional
        With ``strata``: the printed P of a test of a common odds ratio,
        compared with Breslow-Day and Breslow-Day-Tarone.
    p_sided : {2, 1}
        1 when the paper reports a one-sided P: the candidates are then half
        the two-sided P of every symmetric test (the one-sided P in the
        observed direction).  With 2 (the default) a printed P that only
        fits as such a half gets a note saying so.
    difference_unit : {"proportion", "percentage-points"}, optional
        How a printed risk difference (and its CI) is written: ``-0.4`` is
        -0.4 percentage points with ``"percentage-points"`` and -40 points
        with ``"proportion"``.  Default (None): percentage points when
        printed with ``%`` or when a printed value exceeds 1 in absolute
        value, else a proportion; a difference that only fits in the other
        unit gets a note.
    confidence_level : float
        Level of the printed CI.  When no method reproduces the CI at this
        level but one does at 90%, 95% or 99%, the CI rows and the joint
        row say so (the verdict stays that of the printed level).
    mode : str
        Rounding mode of the printed numbers (see ``RoundingMode``).
    note : str
        Added to every row (e.g. that arm totals were assumed).

    Returns
    -------
    TwoByTwoCheck
        Rows (``to_frame()``): ``percent[treatment]``, ``percent[control]``
        (GRIM, exact arithmetic), then per printed estimate its row
        (``odds_ratio``, ``risk_ratio`` or ``risk_difference``), ``ci_low``,
        ``ci_high``, then ``p`` (with ``decision_error``), ``p_heterogeneity``,
        then one ``joint[<estimate>]`` row per estimate listing the coherent
        method families (:data:`FAMILIES`) that reproduce estimate, CI and P
        together, mixed combinations in its note; or ``inconsistent`` with
        the part that disagrees (and, for a single table, that the numbers
        may come from a stratified or adjusted analysis).

    Raises
    ------
    InvalidCountError
        Bad counts or strata.
    InvalidArgumentError
        Neither or both of ``strata`` and ``treatment``/``control``; a bad
        ``p_sided`` or ``difference_unit``; ``p_heterogeneity`` without strata.
    InvalidIntervalError
        CI bounds in the wrong order.
    InvalidPValueError
        A printed P outside (0, 1].
    ReportedNumberError
        A printed number that does not parse (or a float instead of a string).

    Notes
    -----
    A family is (estimator, CI method, P method) as one package or analysis
    reports them together, e.g. ``sample+wald+pearson-chi2`` (epitools'
    ``oddsratio.wald``), ``sample+exact-conditional+pearson-chi2`` (Stata
    ``cc``) or ``conditional-mle+exact-conditional+fisher-exact`` (R
    ``fisher.test``); the map to software is in ``docs/methods-binary.md``.
    The joint row is ``reproduced`` only when a named family reproduces
    every printed part; combinations of methods that no package uses
    together are listed as *mixed* and never make the joint row reproduced
    on their own.

    References
    ----------
    Agresti A. Categorical Data Analysis, 3rd ed. Wiley 2013, chapters 2-3.
    Fagerland MW, Lydersen S, Laake P. Statistical Analysis of Contingency
    Tables. Chapman & Hall/CRC 2017, chapter 4.

    Examples
    --------
    The day-28 response of the phase 3 MSC trial (Zhao et al. 2022): "82.8%
    [82 patients] vs. 70.7% [70]; odds ratio, 2.00; 95% CI, 1.01-3.94;
    P = 0.043", with 99 analysed per arm:

    >>> from gvhdstats import check_2x2
    >>> res = check_2x2((82, 99), (70, 99), odds_ratio="2.00", ci=("1.01", "3.94"),
    ...                 p="0.043", percents=("82.8", "70.7"))
    >>> for row in res.rows:
    ...     print(f"{row.quantity:<19} {row.reported:<24} {row.verdict:<11} {row.methods}")
    percent[treatment]  82.8                     reproduced  ('grim',)
    percent[control]    70.7                     reproduced  ('grim',)
    odds_ratio          2.00                     reproduced  ('sample',)
    ci_low              1.01                     reproduced  ('wald', 'wald-haldane', 'mid-p')
    ci_high             3.94                     reproduced  ('wald',)
    p                   0.043                    reproduced  ('pearson-chi2',)
    joint[odds_ratio]   2.00 / 1.01-3.94 / 0.043 reproduced  ('sample+wald+pearson-chi2',)

    The day-56 durable response, "78.8% [78] vs. 64.6% [64]; odds ratio,
    2.02; 95% CI, 1.08-3.83; P = 0.027": the sample odds ratio is
    78 x 35 / (21 x 64) = 2.03, so 2.02 is only the conditional MLE or the
    median-unbiased estimate, while the CI is Woolf's; no single family fits:

    >>> res = check_2x2((78, 99), (64, 99), odds_ratio="2.02", ci=("1.08", "3.83"), p="0.027")
    >>> res.rows[0].methods, res.rows[-1].verdict
    (('conditional-mle', 'median-unbiased'), <Verdict.INCONSISTENT: 'inconsistent'>)

    Stata's ``cci 12 16 55 125`` (12 of 67 exposed and 16 of 141 unexposed
    are cases) prints "Odds ratio 1.704545 .6848212 4.125435 (exact)" and
    "Pr>chi2 = 0.1950": the sample odds ratio with the exact CI and Pearson's
    chi-square, Stata ``cc``'s default family:

    >>> check_2x2((12, 67), (16, 141), odds_ratio="1.70", ci=("0.68", "4.13"),
    ...           p="0.195").rows[-1].methods
    ('sample+exact-conditional+pearson-chi2',)
    """
    tables, t = _strata_arg(strata, treatment, control)
    cl = _confidence_level(confidence_level)
    mode = RoundingMode.coerce(mode)
    if p_sided not in (1, 2) or isinstance(p_sided, bool):
        raise InvalidArgumentError(f"`p_sided` must be 1 or 2, but got {p_sided!r}")
    if difference_unit is not None and difference_unit not in DIFFERENCE_UNITS:
        raise InvalidArgumentError(
            f"`difference_unit` must be one of {DIFFERENCE_UNITS} or None, but got "
            f"{difference_unit!r}"
        )
    if p_heterogeneity is not None and tables is None:
        raise InvalidArgumentError("`p_heterogeneity` needs `strata`")
    p_rep = _parse_p(p) if p is not None else None
    ci_reps = _parse_ci(ci) if ci is not None else None
    if percents is not None and (isinstance(percents, str) or len(percents) != 2):
        raise InvalidArgumentError(
            f"`percents` must be a pair (treatment, control) of printed strings, got {percents!r}"
        )
    est_reps: dict[str, Reported] = {}
    for key, val in (
        ("odds_ratio", odds_ratio),
        ("risk_ratio", risk_ratio),
        ("risk_difference", risk_difference),
    ):
        if val is not None:
            est_reps[key] = Reported.parse(val, name=key)
    ci_owner = next(iter(est_reps), None)
    if ci_owner is None and ci_reps is not None:
        raise InvalidArgumentError(
            "`ci` was given without an estimate: pass `odds_ratio`, `risk_ratio` or "
            "`risk_difference` so the CI can be attributed"
        )

    rows: list[CheckRow] = []
    if percents is not None:
        for arm, pct, (x, n) in (
            ("treatment", percents[0], (t.a, t.n1)),
            ("control", percents[1], (t.c, t.n2)),
        ):
            if pct is not None:
                rows.append(percent_row(f"percent[{arm}]", pct, x, n, mode=mode, note=note))

    pvals: dict[str, float] = {}
    p_notes: list[str] = []
    # the conditional (exact) methods only up to EXACT_MAX_TOTAL patients (bounded work)
    exact = tables is not None or t.N <= EXACT_MAX_TOTAL
    if tables is not None:
        values, strat_p = _stratified_values(tables, cl, ci_owner)
        if p_rep is not None:
            pvals = strat_p
        families = STRATIFIED_FAMILIES
    else:
        values = _all_values(t, cl) if (est_reps or ci_reps) else {}
        families = FAMILIES
        if p_rep is not None:
            effect_p = tuple(
                m
                for m, key in zip(
                    EFFECT_PVALUE_METHODS, ("risk_ratio", "risk_difference"), strict=True
                )
                if key in est_reps
            )
            for m in PVALUE_METHODS + effect_p:
                if not exact and m in _CONDITIONAL["p"]:
                    pvals[m] = math.nan
                    continue
                r = _pvalue(t, m)
                pvals[m] = r.pvalue
                if r.note and m in ("barnard", "boschloo"):
                    p_notes.append(r.note)
            if not exact:
                p_notes.insert(0, _exact_note(t))
    if p_sided == 1:
        pvals = {m: v / 2 for m, v in pvals.items() if m in _SYMMETRIC_P}
        p_notes.append("one-sided P: each candidate is half the two-sided P")

    est_rows: dict[str, CheckRow] = {}
    ci_rows: tuple[CheckRow, CheckRow] | None = None
    level_note = ""
    for key, rep in est_reps.items():
        ratio = key != "risk_difference"
        key_note = note
        if key == "odds_ratio" and not exact:
            key_note = "; ".join(x for x in (_exact_note(t), note) if x)
        scale = 1.0
        unit_note = ""
        reps = [rep, *(ci_reps if (ci_reps and key == ci_owner) else ())]
        if not ratio:
            auto_points = any(r.percent or abs(r.value) > 1 for r in reps)
            if difference_unit == "percentage-points" or (difference_unit is None and auto_points):
                scale = 100.0
            if difference_unit is None:
                other = 1.0 if scale == 100.0 else 100.0
                if not match_reported(key, rep, values[key], mode=mode, scale=scale).methods and (
                    match_reported(key, rep, values[key], mode=mode, scale=other).methods
                ):
                    unit_note = (
                        "read as a "
                        + ("proportion" if scale == 1.0 else "percentage-point difference")
                        + ", it fits only as "
                        + ("percentage points" if other == 100.0 else "a proportion")
                        + ": give the unit (difference_unit; record field unit)"
                    )
        est_rows[key] = match_reported(
            key, rep, values[key], mode=mode, scale=scale, log_distance=ratio, note=key_note
        )
        if unit_note:
            est_rows[key] = _with_note(est_rows[key], unit_note)
        if tables is None and est_rows[key].verdict is Verdict.INCONSISTENT:
            est_rows[key] = _with_note(est_rows[key], _CRUDE_NOTE)
        rows.append(est_rows[key])
        if key == ci_owner and ci_reps is not None:
            lo_r, hi_r = (
                match_reported(
                    q,
                    r,
                    values[f"{key}.{q}"],
                    mode=mode,
                    scale=scale,
                    log_distance=ratio,
                    note=key_note,
                )
                for q, r in zip(("ci_low", "ci_high"), ci_reps, strict=True)
            )
            if tables is None and not (set(lo_r.methods) & set(hi_r.methods)):
                level_note = _level_hint(
                    ci_reps,
                    {lev: _ci_values(t, key, lev) for lev in OTHER_LEVELS},
                    cl,
                    mode,
                    scale,
                )
                if level_note:
                    lo_r, hi_r = _with_note(lo_r, level_note), _with_note(hi_r, level_note)
            ci_rows = (lo_r, hi_r)
            rows += [lo_r, hi_r]
    p_row = None
    if p_rep is not None:
        pn = "; ".join([*p_notes, note] if note else p_notes)
        p_row = match_reported("p", p_rep, pvals, mode=mode, decision="p", note=pn)
        if p_sided == 2 and p_row.verdict is Verdict.INCONSISTENT:
            hint = _one_sided_hint(p_rep, pvals, mode)
            if hint:
                p_row = _with_note(p_row, hint)
        rows.append(p_row)
    if p_heterogeneity is not None and tables is not None:
        pairs = [((x.a, x.n1), (x.c, x.n2)) for x in tables]
        het = {
            "breslow-day": breslow_day_test(pairs, tarone=False).pvalue,
            "tarone": breslow_day_test(pairs).pvalue,
        }
        rows.append(
            match_reported("p_heterogeneity", _parse_p(p_heterogeneity), het, mode=mode, note=note)
        )
    for key in est_reps:
        key_ci_rows = ci_rows if key == ci_owner else None
        has_ci = key_ci_rows is not None
        n_parts = 1 + (2 if has_ci else 0) + (1 if p_row is not None else 0)
        if n_parts < 2:
            continue
        extra = [level_note] if (level_note and has_ci) else []
        if tables is None:
            extra.append(_CRUDE_NOTE)
        rows.append(
            _joint(
                key,
                est_rows[key],
                key_ci_rows[0] if key_ci_rows is not None else None,
                key_ci_rows[1] if key_ci_rows is not None else None,
                p_row,
                0.0 if key == "risk_difference" else 1.0,
                p_rep,
                ci_reps if has_ci else None,
                families[key],
                extra,
            )
        )
    rec = dict(values)
    if pvals:
        rec["p"] = pvals
    return TwoByTwoCheck(
        rows=tuple(rows),
        treatment=(t.a, t.n1),
        control=(t.c, t.n2),
        confidence_level=cl,
        recomputed=rec,
        strata=tuple(((x.a, x.n1), (x.c, x.n2)) for x in tables) if tables is not None else (),
    )


def _claim_options(claim: Claim) -> dict:
    """``p_sided`` and ``difference_unit`` from the claim's top-level ``p_sided`` and ``unit``.

    (The record loader has already checked both against the schema; the checks
    here keep the checker safe on claims built by hand.)
    """
    opts: dict = {}
    sided = claim.get("p_sided")
    if sided is not None:
        if sided not in ("one-sided", "two-sided"):
            raise claim.error(f'must be "one-sided" or "two-sided", got {sided!r}', "p_sided")
        opts["p_sided"] = 1 if sided == "one-sided" else 2
    unit = claim.get("unit")
    if unit is not None:
        if unit not in DIFFERENCE_UNITS:
            raise claim.error(f"must be one of {DIFFERENCE_UNITS}, got {unit!r}", "unit")
        opts["difference_unit"] = unit
    return opts


def _claim_level(claim: Claim) -> float:
    lev = claim.printed_number("ci_level")
    return 0.95 if lev is None else (lev.value / 100 if lev.value > 1 else lev.value)


def _check_strata_claim(claim: Claim, raw: object, opts: dict) -> list[CheckRow]:
    """A two-arm-binary claim with ``strata = [[te, tt, ce, ct], ...]`` (counts per stratum)."""
    if not isinstance(raw, list) or not raw:
        raise claim.error(
            "must be a non-empty list of [treatment_events, treatment_total, control_events, "
            "control_total] lists",
            "strata",
        )
    strata = []
    for i, row in enumerate(raw):
        if (
            not isinstance(row, list)
            or len(row) != 4
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in row)
        ):
            raise claim.error(
                "must be a list of four integer counts [treatment_events, treatment_total, "
                f"control_events, control_total], got {row!r}",
                f"strata[{i}]",
            )
        strata.append(((row[0], row[1]), (row[2], row[3])))
    lo, hi = claim.printed_number("ci_low"), claim.printed_number("ci_high")
    try:
        res = check_2x2(
            strata=strata,
            odds_ratio=claim.printed_number("odds_ratio"),
            risk_ratio=claim.printed_number("risk_ratio"),
            risk_difference=claim.printed_number("risk_difference"),
            ci=(lo, hi) if lo is not None and hi is not None else None,
            p=claim.printed_number("p"),
            p_heterogeneity=claim.printed_number("p_heterogeneity"),
            percents=(
                claim.printed_number("treatment_percent"),
                claim.printed_number("control_percent"),
            ),
            confidence_level=_claim_level(claim),
            **opts,
        )
    except InvalidCountError as exc:
        raise claim.error(str(exc), "strata") from None
    return list(res.rows)


def check_claim(claim: Claim, record: Record) -> list[CheckRow]:
    """Engine plug-in for claims of type ``two-arm-binary`` (keys in docs/records.md)."""
    from gvhdstats.numbers import recover_counts

    keys = ("treatment", "control")
    opts = _claim_options(claim)
    raw_strata = claim.get("strata")
    if raw_strata is not None:
        return _check_strata_claim(claim, raw_strata, opts)
    counts: dict[str, tuple[int | None, int | None]] = {}
    notes = []
    sources = []
    for arm in keys:
        x = claim.integer(f"{arm}_events")
        # a total neither printed nor assumed is the size of the claim's design arm
        n, n_note = claim.denominator(f"{arm}_total", record)
        if n is not None and n < 1:
            raise claim.error("must be at least 1", f"{arm}_total")
        counts[arm] = (x, n)
        sources += [claim.assumption_note(f"{arm}_events"), n_note]
    note = "; ".join(x for x in sources if x)
    pct = {arm: claim.printed_number(f"{arm}_percent") for arm in keys}
    # recover an unprinted count from its percentage when it is unique
    for arm in keys:
        x, n = counts[arm]
        arm_pct = pct[arm]
        if x is None and n is not None and arm_pct is not None:
            cands = recover_counts(arm_pct, n)
            if len(cands) == 1:
                counts[arm] = (cands[0], n)
                notes.append(f"{arm} events = {cands[0]} recovered from {arm_pct.text}% of {n}")
    full = all(counts[a][0] is not None and counts[a][1] is not None for a in keys)
    cl = _claim_level(claim)
    lo, hi = claim.printed_number("ci_low"), claim.printed_number("ci_high")
    all_note = "; ".join(x for x in (note, *notes) if x)
    if full:
        ci = (lo, hi) if lo is not None and hi is not None else None
        # `full`: both counts of both arms are known
        res = check_2x2(
            cast(tuple[int, int], counts["treatment"]),
            cast(tuple[int, int], counts["control"]),
            odds_ratio=claim.printed_number("odds_ratio"),
            risk_ratio=claim.printed_number("risk_ratio"),
            risk_difference=claim.printed_number("risk_difference"),
            ci=ci,
            p=claim.printed_number("p"),
            percents=(pct["treatment"], pct["control"]),
            confidence_level=cl,
            note=all_note,
            **opts,
        )
        return list(res.rows)
    rows = []
    for arm in keys:
        arm_pct = pct[arm]
        if arm_pct is not None:
            x, n = counts[arm]
            rows.append(percent_row(f"percent[{arm}]", arm_pct, x, n, note=note))
    why = "counts of both arms are needed"
    for key in ("odds_ratio", "risk_ratio", "risk_difference", "ci_low", "ci_high", "p"):
        rep = claim.printed_number(key)
        if rep is not None:
            rows.append(CheckRow(key, rep.text, Verdict.NOT_CHECKABLE, note=why))
    return rows
