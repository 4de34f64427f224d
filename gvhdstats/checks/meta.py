"""Printed pooled results of meta-analyses checked against every pooling method.

:func:`check_meta` takes the studies (2x2 counts or effects) and a review's
printed pooled estimate, CI, P, I^2, tau^2 and Q, recomputes the pooled result
under every combination of pooling method x tau^2 estimator x
Hartung-Knapp-Sidik-Jonkman adjustment x zero-cell rule (including RevMan 5's
random-effects model for dichotomous data, and the defaults of R meta and
Stata metan), and reports which combinations reproduce each printed number,
and all of them jointly, within their rounding.  It answers with the rows of
every check (:data:`gvhdstats.checks.verdicts.ROW_COLUMNS`).

:func:`check_claim` is the engine's checker for claims of type
``meta-analysis`` (keys in docs/records.md): it resolves studies that point to
bundled trial claims (``"record#claim"``), compares the counts a review used
with the trial record's own, and checks the printed pooled numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from gvhdstats.checks.verdicts import CheckResult, CheckRow, Verdict, match_reported
from gvhdstats.errors import InvalidArgumentError, InvalidIntervalError, InvalidPValueError
from gvhdstats.methods.meta import (
    TAU2_ESTIMATORS,
    _as_effects,
    _as_tables,
    _escalc,
    _mh_counts,
    _peto,
    _pool,
)
from gvhdstats.numbers import Reported, RoundingMode

if TYPE_CHECKING:  # pragma: no cover
    from gvhdstats.records import Claim, Record

__all__ = ["FAMILIES", "MetaCheck", "check_claim", "check_meta", "combinations"]

#: Zero-cell rules searched, in order of preference for naming a group of
#: rules that give identical per-study effects.
_RULES = (
    ("only0", False),
    ("only0", True),
    ("all", False),
    ("all", True),
    ("if0all", False),
    ("if0all", True),
    ("none", False),
    ("none", True),
)

#: Named families: combinations that a package or a review tool produces
#: (label -> where it comes from).  Labels are ``method[+knha][|rule]``.
FAMILIES: dict[str, str] = {
    "REML|only0": "metafor rma() default (REML; escalc add 1/2 to zero-cell studies)",
    "DL|only0": "metafor rma(method = 'DL'); statsmodels combine_effects(method_re = 'chi2')",
    "fixed|only0": "metafor rma(method = 'FE')",
    "DL|only0+drop00": "RevMan 5 inverse-variance random effects; R meta metabin(method = "
    "'Inverse', method.tau = 'DL')",
    "fixed|only0+drop00": "RevMan 5 inverse-variance fixed effect; R meta metabin(method = "
    "'Inverse') common effect; Stata metan, fixedi",
    "REML|only0+drop00": "R meta (>= 6.0) metabin() random-effects default (REML)",
    "REML+knha|only0+drop00": "R meta (>= 6.0) metabin(method.random.ci = 'HK')",
    "PM|only0": "statsmodels combine_effects(method_re = 'iterated') (to its tolerance)",
    "mantel-haenszel": "metafor rma.mh() (no continuity correction)",
    "mantel-haenszel+cc": "RevMan 5 Mantel-Haenszel fixed effect; R meta metabin() common "
    "effect default (MH.exact = FALSE); Stata metan default",
    "peto": "metafor rma.peto(); RevMan 5 Peto; Stata metan, peto",
    "revman-dl": "RevMan 5 random effects for dichotomous data (DL with Q about the MH "
    "estimate); R meta metabin(method.tau = 'DL') with Q.Cochrane; Stata metan, random",
    "revman-dl+knha": "R meta metabin(method.tau = 'DL', hakn = TRUE) with Q.Cochrane",
    # effects (HR, generic)
    "DL": "RevMan 5 generic inverse variance, random effects; metafor rma(method = 'DL'); "
    "Stata metan, random",
    "REML": "metafor rma() default; R meta (>= 6.0) metagen() random-effects default",
    "fixed": "RevMan 5 generic inverse variance, fixed effect; metafor rma(method = 'FE')",
    "DL+knha": "R meta metagen(method.tau = 'DL', hakn = TRUE)",
    "REML+knha": "R meta metagen(method.random.ci = 'HK'); metafor rma(test = 'knha')",
}

_QUANTITIES = ("estimate", "ci_low", "ci_high", "p", "i2", "tau2", "q")


@dataclass(frozen=True, repr=False)
class MetaCheck(CheckResult):
    """Result of :func:`check_meta`.

    Attributes
    ----------
    rows : tuple of CheckRow
        One row per printed number and a ``joint[meta]`` row.
    measure : str
    k : int
        Number of studies.
    combinations : tuple of str
        Every combination searched (``method[+knha][|zero-cell rule]``).
    equivalent_rules : dict
        Zero-cell rule label -> the rules that give identical effects here.
    recomputed : dict
        ``recomputed[quantity][combination]``: every recomputed value
        (estimate and CI on the printed scale, I^2 in percent), never rounded.
    """

    measure: str = "OR"
    k: int = 0
    combinations: tuple[str, ...] = ()
    equivalent_rules: dict = field(default_factory=dict)
    recomputed: dict = field(default_factory=dict)


def _rule_label(add_to: str, drop00: bool) -> str:
    return add_to + ("+drop00" if drop00 else "")


def _same(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> bool:
    return all(np.array_equal(x, y, equal_nan=True) for x, y in zip(a, b, strict=True))


def _summary(fit: dict[str, Any], ratio: bool, scale: float) -> dict[str, float]:
    lo, hi = fit["ci"]
    b = fit["b"]
    if ratio:
        est, lo, hi = math.exp(b), math.exp(lo), math.exp(hi)
    else:
        est, lo, hi = b * scale, lo * scale, hi * scale
    return {
        "estimate": est,
        "ci_low": lo,
        "ci_high": hi,
        "p": fit["pvalue"],
        "i2": fit["i2"],
        "tau2": fit["tau2"],
        "q": fit["q"],
    }


def combinations(
    studies: Sequence,
    *,
    measure: str,
    confidence_level: float = 0.95,
    correction: float = 0.5,
    scale: float = 1.0,
) -> tuple[dict[str, dict[str, float]], dict[str, tuple[str, ...]]]:
    """Every pooled result of ``studies`` under every searched combination.

    Returns
    -------
    results : dict
        combination label -> {estimate, ci_low, ci_high, p, i2, tau2, q}
        (ratios on the ratio scale, a risk difference times ``scale``).
    equivalent_rules : dict
        zero-cell rule label -> every rule label giving identical effects.
    """
    level = confidence_level
    out: dict[str, dict[str, float]] = {}
    equivalent: dict[str, tuple[str, ...]] = {}
    ratio = measure in ("OR", "RR", "HR")
    if measure in ("OR", "RR", "RD") and _are_tables(studies):
        a, n1, c, n2 = _as_tables(studies)
        groups: list[tuple[str, list[str], tuple[np.ndarray, np.ndarray]]] = []
        for add_to, drop00 in _RULES:
            yv = _escalc(a, n1, c, n2, measure, correction, add_to, drop00)
            lab = _rule_label(add_to, drop00)
            for g in groups:
                if _same(g[2], yv):
                    g[1].append(lab)
                    break
            else:
                groups.append((lab, [lab], yv))
        for lab, members, (y, v) in groups:
            equivalent[lab] = tuple(members)
            if not np.isfinite(y).any() or (v[np.isfinite(v)] <= 0).any():
                continue  # nothing computable, or a zero variance (RD without correction)
            for method in ("fixed", *TAU2_ESTIMATORS):
                for knha in (False, True):
                    if method == "fixed" and knha:
                        continue
                    fit = _pool(y, v, method, knha, level, qprofile=False)
                    name = method + ("+knha" if knha else "") + "|" + lab
                    out[name] = _summary(fit, ratio, scale)
        y00, v00 = _escalc(a, n1, c, n2, measure, correction, "only0", True)
        mh_exact = _mh_counts(a, n1, c, n2, measure, None)
        mh_cc = _mh_counts(a, n1, c, n2, measure, correction)
        if np.isfinite(y00).any():
            fit = _pool(y00, v00, "mantel-haenszel", False, level, mh=mh_exact, qprofile=False)
            out["mantel-haenszel"] = _summary(fit, ratio, scale)
            if not (mh_cc[0] == mh_exact[0] and mh_cc[1] == mh_exact[1]):
                fit = _pool(y00, v00, "mantel-haenszel", False, level, mh=mh_cc, qprofile=False)
                out["mantel-haenszel+cc"] = _summary(fit, ratio, scale)
            else:
                equivalent["mantel-haenszel"] = ("mantel-haenszel", "mantel-haenszel+cc")
            if not (v00[np.isfinite(v00)] <= 0).any():
                for knha in (False, True):
                    fit = _pool(y00, v00, "DL", knha, level, q_center=mh_cc[0], qprofile=False)
                    out["revman-dl" + ("+knha" if knha else "")] = _summary(fit, ratio, scale)
        if measure == "OR":
            pet = _peto(a, n1, c, n2)
            if pet[3].any():
                fit = _pool(pet[5], pet[6], "peto", False, level, peto=pet, qprofile=False)
                out["peto"] = _summary(fit, ratio, scale)
        return out, equivalent
    y, v = _as_effects(studies, measure, level)
    for method in ("fixed", *TAU2_ESTIMATORS):
        for knha in (False, True):
            if method == "fixed" and knha:
                continue
            fit = _pool(y, v, method, knha, level, qprofile=False)
            out[method + ("+knha" if knha else "")] = _summary(fit, ratio, scale)
    return out, equivalent


def _are_tables(studies: Sequence) -> bool:
    try:
        first = studies[0]
        (_, _), (_, _) = first
    except (TypeError, ValueError, IndexError):
        return False
    return True


def _canonical(label: str, equivalent: dict[str, tuple[str, ...]]) -> str:
    """The searched label that a family label falls into (rules merged when identical)."""
    if "|" not in label:
        for canon, members in equivalent.items():
            if label in members:
                return canon
        return label
    method, rule = label.split("|", 1)
    for canon, members in equivalent.items():
        if rule in members:
            return f"{method}|{canon}"
    return label


def _parse_p(p: str | Reported) -> Reported:
    rep = Reported.parse(p, name="p")
    lo_ok = rep.value > 0 or rep.relation in (">", ">=")
    if not lo_ok or rep.value > 1:
        raise InvalidPValueError(f"`p` must be a printed P value in (0, 1], but got {rep.text!r}")
    return rep


def check_meta(
    studies: Sequence,
    *,
    measure: str,
    estimate: str | Reported,
    ci: tuple[str | Reported, str | Reported] | None = None,
    p: str | Reported | None = None,
    i2: str | Reported | None = None,
    tau2: str | Reported | None = None,
    q: str | Reported | None = None,
    confidence_level: float = 0.95,
    correction: float = 0.5,
    mode: RoundingMode | str = "half-up",
    note: str = "",
) -> MetaCheck:
    r"""Which poolings of ``studies`` reproduce a printed pooled result.

    Parameters
    ----------
    studies : sequence
        Per study ``((events, total) treatment, (events, total) control)``
        for measures "OR", "RR", "RD"; or ``(estimate, se)`` on the analysis
        scale, or ``(ratio, ci_low, ci_high)``, for "HR", "generic" (and
        ratio measures given as effects).
    measure : {"OR", "RR", "RD", "HR", "generic"}
    estimate : str or Reported
        The printed pooled estimate (a ratio for OR/RR/HR; a risk difference
        as a proportion, or in percentage points when printed with ``%`` or
        beyond 1 in absolute value).
    ci : (str, str), optional
        The printed CI of the pooled estimate.
    p : str, optional
        The printed P of the pooled estimate (``"0.007"``, ``"<0.001"``).
    i2 : str, optional
        The printed I^2 in percent (``"35"``, ``"35%"``).
    tau2, q : str, optional
        The printed tau^2 (analysis scale) and Cochran's Q.
    confidence_level : float
    correction : float
        The continuity correction of the zero-cell rules (0.5).
    mode : str
        Rounding mode of the printed numbers.
    note : str
        Added to every row.

    Returns
    -------
    MetaCheck
        Rows ``estimate``, ``ci_low``, ``ci_high``, ``p`` (with
        ``decision_error``), ``i2``, ``tau2``, ``q`` (those printed), each
        listing the combinations that reproduce it, then ``joint[meta]``:
        the combinations that reproduce every printed number together, the
        named :data:`FAMILIES` among them in the note, and what the printed
        precision cannot tell apart.

    Raises
    ------
    InvalidArgumentError, InvalidCountError
        Bad studies or measure.
    InvalidIntervalError
        CI bounds in the wrong order.
    InvalidPValueError
        A printed P outside (0, 1].
    ReportedNumberError
        A printed number that does not parse.

    Notes
    -----
    A combination is a pooling method ("fixed", "mantel-haenszel",
    "mantel-haenszel+cc", "peto", "revman-dl", or a tau^2 estimator of
    :func:`gvhdstats.meta_analysis`), ``+knha`` for the
    Hartung-Knapp-Sidik-Jonkman adjustment, and for inverse-variance
    pooling of counts the zero-cell rule ``|only0``, ``|all``, ``|if0all``,
    ``|none`` (metafor ``to``) with ``+drop00`` when double-zero studies are
    dropped.  Rules that give identical per-study effects here (every rule
    but ``all`` when no study has a zero cell) are searched once, under the
    first name; :attr:`MetaCheck.equivalent_rules` lists the others.
    Estimators that give the same tau^2 (often 0 with few studies) give
    identical pooled results, which the joint row says: then the printed
    numbers cannot tell those estimators apart.  Every combination is an
    analysis that one call of metafor (or meta, RevMan, metan) performs, so
    any combination reproducing all printed numbers makes the joint row
    ``reproduced``.

    Examples
    --------
    The BCG vaccine trials (metadat ``dat.bcg``, 13 trials), printed as
    metafor's default REML random-effects model gives them, rounded
    (RR 0.49, 95% CI 0.34-0.70, P < .0001, I^2 = 92.22%, tau^2 = 0.3132):

    >>> from gvhdstats import check_meta
    >>> bcg = [((4, 123), (11, 139)), ((6, 306), (29, 303)), ((3, 231), (11, 220)),
    ...        ((62, 13598), (248, 12867)), ((33, 5069), (47, 5808)),
    ...        ((180, 1541), (372, 1451)), ((8, 2545), (10, 629)),
    ...        ((505, 88391), (499, 88391)), ((29, 7499), (45, 7277)),
    ...        ((17, 1716), (65, 1665)), ((186, 50634), (141, 27338)),
    ...        ((5, 2498), (3, 2341)), ((27, 16913), (29, 17854))]
    >>> res = check_meta(bcg, measure="RR", estimate="0.49", ci=("0.34", "0.70"),
    ...                  p="<0.0001", i2="92.22", tau2="0.3132")
    >>> res.rows[-1].verdict, res.rows[-1].methods
    (<Verdict.REPRODUCED: 'reproduced'>, ('REML|only0',))
    """
    measure_s = str(measure)
    if measure_s not in ("OR", "RR", "RD", "HR", "generic"):
        raise InvalidArgumentError(
            f"`measure` must be one of 'OR', 'RR', 'RD', 'HR', 'generic', but got {measure!r}"
        )
    mode = RoundingMode.coerce(mode)
    reps: dict[str, Reported] = {"estimate": Reported.parse(estimate, name="estimate")}
    if ci is not None:
        if isinstance(ci, str) or len(ci) != 2:
            raise InvalidIntervalError(f"`ci` must be a pair (low, high), got {ci!r}")
        reps["ci_low"] = Reported.parse(ci[0], name="ci[0]")
        reps["ci_high"] = Reported.parse(ci[1], name="ci[1]")
        if reps["ci_low"].value > reps["ci_high"].value:
            raise InvalidIntervalError(
                f"`ci` must be (low, high) with low <= high, got ({ci[0]!r}, {ci[1]!r})"
            )
    if p is not None:
        reps["p"] = _parse_p(p)
    for key, val in (("i2", i2), ("tau2", tau2), ("q", q)):
        if val is not None:
            reps[key] = Reported.parse(val, name=key)
    ratio = measure_s in ("OR", "RR", "HR")
    scale = 1.0
    if measure_s == "RD":
        parts = [reps[k] for k in ("estimate", "ci_low", "ci_high") if k in reps]
        if any(r.percent or abs(r.value) > 1 for r in parts):
            scale = 100.0
    if isinstance(studies, str) or not isinstance(studies, Sequence) or not studies:
        raise InvalidArgumentError(f"`studies` must be a non-empty sequence, got {studies!r}")
    results, equivalent = combinations(
        studies,
        measure=measure_s,
        confidence_level=confidence_level,
        correction=correction,
        scale=scale,
    )
    k = len(studies)
    rows: list[CheckRow] = []
    by_q: dict[str, CheckRow] = {}
    recomputed: dict[str, dict[str, float]] = {q_: {} for q_ in _QUANTITIES}
    for name, vals in results.items():
        for q_ in _QUANTITIES:
            recomputed[q_][name] = vals[q_]
    for q_ in _QUANTITIES:
        if q_ not in reps:
            continue
        row = match_reported(
            q_,
            reps[q_],
            recomputed[q_],
            mode=mode,
            log_distance=ratio and q_ in ("estimate", "ci_low", "ci_high"),
            decision="p" if q_ == "p" else None,
            note=note,
        )
        by_q[q_] = row
        rows.append(row)
    rows.append(_joint(by_q, results, equivalent, note))
    return MetaCheck(
        rows=tuple(rows),
        measure=measure_s,
        k=k,
        combinations=tuple(results),
        equivalent_rules={k_: tuple(v) for k_, v in equivalent.items()},
        recomputed=recomputed,
    )


def _indistinct(good: list[str], results: dict[str, dict[str, float]]) -> list[str]:
    """Groups of reproducing combinations whose pooled results are identical."""
    groups: dict[tuple, list[str]] = {}
    for name in good:
        key = tuple(round(results[name][q_], 12) for q_ in ("estimate", "ci_low", "ci_high", "p"))
        groups.setdefault(key, []).append(name)
    return [" = ".join(g) for g in groups.values() if len(g) > 1]


def _joint(
    by_q: dict[str, CheckRow],
    results: dict[str, dict[str, float]],
    equivalent: dict[str, tuple[str, ...]],
    note: str,
) -> CheckRow:
    parts = list(by_q.values())
    text = " / ".join(r.reported for r in parts)
    sets = [set(r.methods) for r in parts]
    good = [n for n in results if all(n in s for s in sets)]
    notes: list[str] = []
    merged = [f"{k} = {', '.join(v[1:])}" for k, v in equivalent.items() if len(v) > 1]
    if good:
        named = []
        for fam, where in FAMILIES.items():
            canon = _canonical(fam, equivalent)
            if canon in good:
                named.append(f"{fam} ({where})")
        if named:
            notes.append("named: " + "; ".join(named))
        else:
            notes.append("no named software default among them")
        same = _indistinct(good, results)
        if same:
            notes.append("identical results (not distinguishable): " + "; ".join(same[:6]))
        if len(good) > 1:
            notes.append(
                f"{len(good)} of {len(results)} combinations fit: the printed precision "
                "cannot tell them apart"
            )
        if merged:
            notes.append("zero-cell rules giving identical effects: " + "; ".join(merged))
        if note:
            notes.append(note)
        return CheckRow(
            "joint[meta]",
            text,
            Verdict.REPRODUCED,
            tuple(good),
            None,
            None,
            "; ".join(notes),
            discriminates=(len(good) == 1) if len(results) > 1 else None,
        )
    if any(r.verdict is Verdict.NOT_CHECKABLE for r in parts):
        return CheckRow(
            "joint[meta]", text, Verdict.NOT_CHECKABLE, (), None, None, "a part is not checkable"
        )
    bad = [r.quantity for r in parts if not r.methods]
    if bad:
        why = "no combination reproduces: " + ", ".join(bad)
    else:
        why = "each part is reproduced by some combination, but none reproduces all together"
    if note:
        why += f"; {note}"
    return CheckRow("joint[meta]", text, Verdict.INCONSISTENT, (), None, None, why)


# ------------------------------------------------------------------ claims

_MEASURES = {
    "odds-ratio": "OR",
    "risk-ratio": "RR",
    "risk-difference": "RD",
    "hazard-ratio": "HR",
    "generic": "generic",
}
_COUNT_KEYS = ("treatment_events", "treatment_total", "control_events", "control_total")


def _trial_counts(ref: str, claim: Claim) -> tuple[tuple[int, int], tuple[int, int], str]:
    """Counts of a bundled two-arm claim ``"record#claim"`` (with its assumption note)."""
    from gvhdstats.records import load_record

    rid, sep, cid = ref.partition("#")
    if not sep or not rid or not cid:
        raise claim.error(f"must be 'record#claim', got {ref!r}", "studies.claim")
    trial = load_record(rid)
    tc = trial.claim(cid)
    vals = [tc.integer(k) for k in _COUNT_KEYS]
    if any(v is None for v in vals):
        raise claim.error(f"{ref!r} does not give the counts of both arms", "studies.claim")
    a, n1, c, n2 = (int(v) for v in vals if v is not None)
    return (a, n1), (c, n2), tc.assumption_note(*_COUNT_KEYS)


def _study_counts(study: dict[str, Any], claim: Claim, i: int) -> tuple[int, int, int, int] | None:
    vals = []
    for key in _COUNT_KEYS:
        v = study.get(key)
        if v is None:
            return None
        if not isinstance(v, str):
            raise claim.error(
                f'printed counts must be strings as printed (e.g. "82"), got {v!r}',
                f"studies[{i}].{key}",
            )
        rep = Reported.parse(v, name=key)
        if rep.value != int(rep.value) or rep.value < 0:
            raise claim.error(f"must be a count, got {v!r}", f"studies[{i}].{key}")
        vals.append(int(rep.value))
    return vals[0], vals[1], vals[2], vals[3]


def check_claim(claim: Claim, record: Record) -> list[CheckRow]:
    """Engine plug-in for claims of type ``meta-analysis`` (keys in docs/records.md).

    Rows: one ``study[label]`` row per study that names a bundled trial claim
    (the review's counts against the trial record's), then the rows of
    :func:`check_meta` when every study's data are known; otherwise the
    printed numbers are ``not-checkable`` (which studies are missing), and
    the printed estimate, CI and P are checked against each other as a
    z-based pooled ratio (:func:`gvhdstats.checks.ratio.check_ratio`).
    """
    measure_name = claim.get("measure")
    if measure_name not in _MEASURES:
        raise claim.error(f"must be one of {sorted(_MEASURES)}, got {measure_name!r}", "measure")
    measure = _MEASURES[measure_name]
    raw_studies = claim.get("studies")
    if not isinstance(raw_studies, list) or not raw_studies:
        raise claim.error("must be a non-empty array of study tables", "studies")
    rows: list[CheckRow] = []
    data: list[Any] = []
    missing: list[str] = []
    notes: list[str] = []
    for i, st in enumerate(raw_studies):
        if not isinstance(st, dict) or not isinstance(st.get("label"), str):
            raise claim.error("must be a table with a `label`", f"studies[{i}]")
        label = st["label"]
        own = _study_counts(st, claim, i)
        ref = st.get("claim")
        if ref is not None:
            t, c, anote = _trial_counts(str(ref), claim)
            trial = (t[0], t[1], c[0], c[1])
            if own is None:
                own = trial
                notes.append(f"{label}: counts from {ref}")
            else:
                ok = own == trial
                msg = f"review {own[0]}/{own[1]} vs {own[2]}/{own[3]}; {ref} {t[0]}/{t[1]} vs "
                msg += f"{c[0]}/{c[1]}"
                if anote:
                    msg += f" ({anote})"
                rows.append(
                    CheckRow(
                        f"study[{label}]",
                        f"{own[0]}/{own[1]} vs {own[2]}/{own[3]}",
                        Verdict.REPRODUCED if ok else Verdict.INCONSISTENT,
                        ("trial-record",) if ok else (),
                        None,
                        None,
                        msg if ok else "counts differ from the trial record: " + msg,
                    )
                )
        if own is not None:
            data.append(((own[0], own[1]), (own[2], own[3])))
            continue
        eff = [st.get(k) for k in ("estimate", "ci_low", "ci_high")]
        if all(isinstance(x, str) for x in eff):
            try:
                data.append(tuple(Reported.parse(str(x), name="estimate").value for x in eff))
            except InvalidArgumentError as exc:
                raise claim.error(str(exc), f"studies[{i}]") from None
            continue
        missing.append(f"{label} ({st.get('why', 'no data')})")
    lo, hi = claim.printed_number("ci_low"), claim.printed_number("ci_high")
    est = claim.printed_number("estimate")
    if est is None:
        raise claim.error("is required for a meta-analysis claim", "printed.estimate")
    lev = claim.printed_number("ci_level")
    cl = 0.95 if lev is None else (lev.value / 100 if lev.value > 1 else lev.value)
    printed = {k: claim.printed_number(k) for k in ("p", "i2", "tau2", "q")}
    if not missing:
        res = check_meta(
            data,
            measure=measure,
            estimate=est,
            ci=(lo, hi) if lo is not None and hi is not None else None,
            confidence_level=cl,
            note="; ".join(notes),
            p=printed["p"],
            i2=printed["i2"],
            tau2=printed["tau2"],
            q=printed["q"],
        )
        return rows + list(res.rows)
    why = f"per-study data missing for {len(missing)} of {len(raw_studies)} studies: " + ", ".join(
        missing
    )
    for key, rep in (("estimate", est), ("ci_low", lo), ("ci_high", hi), *printed.items()):
        if rep is not None:
            rows.append(CheckRow(key, rep.text, Verdict.NOT_CHECKABLE, note=why))
    if measure in ("OR", "RR", "HR") and lo is not None and hi is not None:
        from gvhdstats.checks.ratio import check_ratio

        rname = {"OR": "odds-ratio", "RR": "risk-ratio", "HR": "hazard-ratio"}[measure]
        rc = check_ratio(est, (lo, hi), printed["p"], confidence_level=cl, measure=rname)
        for r in rc.rows:
            rows.append(
                replace(
                    r,
                    quantity=f"pooled-wald[{r.quantity}]",
                    note="printed pooled numbers against each other (z-based pooled ratio, "
                    "symmetric on the log scale; a t-based KNHA CI would not be)"
                    + (f"; {r.note}" if r.note else ""),
                )
            )
    return rows
