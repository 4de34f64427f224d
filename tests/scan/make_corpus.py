"""Write tests/scan/corpus.json: short made-up result texts in journal styles, annotated.

Every text is written here from templates (no sentence comes from a paper); every
number is computed from made-up counts and effects with textbook formulas (scipy
only, nothing from gvhdstats), so the annotation says what each text states and
whether it is consistent:

- two-arm counts ``a/n1``, ``c/n2``: percentages ``100 k / n`` rounded half up; the
  sample odds ratio ``ad/bc`` with Woolf's CI ``exp(ln OR +/- 1.96 sqrt(1/a+1/b+1/c+1/d))``
  or the risk ratio with Katz's log CI, and Pearson's chi-square P without correction
  (``scipy.stats.chi2_contingency(correction=False)``);
- hazard ratios: ``exp(ln HR +/- 1.96 SE)`` and the Wald P ``2 Phi(-|ln HR| / SE)``;
- cumulative incidence and survival: log-log CIs ``F^exp(-/+1.96 SE / (F ln F))`` with
  ``SE = sqrt(F (1 - F) / (0.9 n))``;
- test statistics: P from ``scipy.stats`` (two-sided t, z, r; upper tail F, chi-square).

Planted errors (``planted``): a P that its CI cannot give, a percentage that no count
of the stated arm gives, an odds ratio its counts cannot produce, a test statistic
whose P does not follow, a response rate sum that does not add up.

Run from the repository root: ``python tests/scan/make_corpus.py`` (deterministic).
"""

from __future__ import annotations

import json
import math
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
from scipy import stats

Z = 1.959963984540054


def rnd(x: float, d: int) -> str:
    return str(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP))


def pct(k: int, n: int, d: int = 1) -> str:
    return rnd(100 * k / n, d)


def fmt_p(p: float, style: str) -> str:
    if p < 0.001:
        s = "<0.001"
    elif p < 0.01:
        s = rnd(p, 3)
    else:
        s = rnd(p, 3 if style in ("nejm", "blood", "bmj") else 2)
    if style in ("jama", "jco"):
        s = s.replace("0.", ".", 1)
    return s


def p_text(p: str, style: str) -> str:
    rel = "" if p.startswith("<") else "="
    if style == "lancet":
        return f"p{rel}{p}" if rel else f"p{p}"
    if style == "bmj":
        return f"P{rel}{p}" if rel else f"P{p}"
    return f"P {rel} {p}".replace("  ", " ") if rel else f"P {p[0]} {p[1:]}"


def or_stats(a: int, n1: int, c: int, n2: int) -> tuple[float, float, float, float]:
    b, d = n1 - a, n2 - c
    o = a * d / (b * c)
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    p = stats.chi2_contingency([[a, b], [c, d]], correction=False)[1]
    return o, o * math.exp(-Z * se), o * math.exp(Z * se), float(p)


def rr_stats(a: int, n1: int, c: int, n2: int) -> tuple[float, float, float, float]:
    r = (a / n1) / (c / n2)
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    p = stats.chi2_contingency([[a, n1 - a], [c, n2 - c]], correction=False)[1]
    return r, r * math.exp(-Z * se), r * math.exp(Z * se), float(p)


def hr_stats(hr: float, se: float) -> tuple[str, str, str, float]:
    lo, hi = hr * math.exp(-Z * se), hr * math.exp(Z * se)
    p = 2 * stats.norm.sf(abs(math.log(hr)) / se)
    return rnd(hr, 2), rnd(lo, 2), rnd(hi, 2), float(p)


def loglog_ci(f: float, n: int) -> tuple[float, float]:
    se = math.sqrt(f * (1 - f) / (0.9 * n))
    e = Z * se / (f * math.log(f))
    a, b = f ** math.exp(e), f ** math.exp(-e)
    return min(a, b), max(a, b)


def lancet(text: str) -> str:
    import re

    return re.sub(r"(?<=\d)\.(?=\d)", "·", text)


class Text:
    def __init__(self, tid: str, style: str):
        self.id, self.style = tid, style
        self.sentences: list[str] = []
        self.claims: list[dict] = []
        self.planted: list[dict] = []

    def add(self, sentence: str, *claims: dict) -> None:
        self.sentences.append(sentence)
        self.claims.extend(claims)

    def plant(self, what: str) -> None:
        self.planted.append({"claim": len(self.claims) - 1, "what": what})

    def out(self) -> dict:
        text = " ".join(self.sentences)
        if self.style == "lancet":
            text = lancet(text)
        return {
            "id": self.id,
            "style": self.style,
            "text": text,
            "claims": self.claims,
            "planted": self.planted,
            "consistent": not self.planted,
        }


DRUGS = [
    "ruxolitinib",
    "drug A",
    "the study drug",
    "itacitinib",
    "the cell product",
    "vedolizumab",
]
ENDPOINTS = [
    "overall response at day 28",
    "complete response at week 4",
    "grade 3 or 4 infection",
    "treatment failure",
    "a durable response at day 56",
]


def arms_sentence(t: Text, n1: int, n2: int, k: int) -> None:
    tot = n1 + n2
    forms = [
        f"A total of {tot} patients were randomized to the study drug (n = {n1}) or control "
        f"(n = {n2}).",
        f"We enrolled {tot} patients with steroid-refractory disease; {n1} were assigned to the "
        f"experimental group and {n2} to the control group.",
        f"Of {tot} patients enrolled at 14 centres between 2016 and 2021, {n1} received the new "
        f"drug and {n2} received placebo.",
        f"In total, {tot} participants were randomized 1:1 (n = {n1} and n = {n2}); the median "
        f"age was 52 years (range, 19 to 74).",
    ]
    s = forms[k % len(forms)]
    t.add(s, {"type": "sum", "printed": {"total": str(tot), "parts": [str(n1), str(n2)]}})


def binary_sentence(
    t: Text, a: int, n1: int, c: int, n2: int, k: int, measure: str = "or", plant: str = ""
) -> None:
    st = t.style
    d = 0 if st == "lancet" and k % 2 == 0 else 1
    p1, p2 = pct(a, n1, d), pct(c, n2, d)
    if plant == "percent":
        # a percentage that no count of this arm gives
        bad = Decimal(p1) + Decimal("0.3")
        while any(pct(j, n1, d) == str(bad) for j in range(n1 + 1)):
            bad += Decimal("0.1")
        p1 = str(bad)
    if measure == "or":
        e, lo, hi, p = or_stats(a, n1, c, n2)
    else:
        e, lo, hi, p = rr_stats(a, n1, c, n2)
    es, los, his, ps = rnd(e, 2), rnd(lo, 2), rnd(hi, 2), fmt_p(p, st)
    if plant == "effect":
        es = rnd(e * 1.12, 2)
    ep = ENDPOINTS[k % len(ENDPOINTS)]
    name = {"or": ("odds ratio", "OR"), "rr": ("relative risk", "RR")}[measure]
    key = {"or": "odds_ratio", "rr": "risk_ratio"}[measure]
    pt = p_text(ps, st)
    if st == "nejm":
        s = (
            f"The percentage of patients with {ep} was higher with {DRUGS[k % 6]} than with "
            f"control ({p1}% [{a} patients] vs. {p2}% [{c}]; {name[0]}, {es}; 95% confidence "
            f"interval [CI], {los} to {his}; {pt})."
        )
    elif st == "lancet":
        s = (
            f"{ep.capitalize()} occurred in {a} ({p1}%) patients in the intervention group and "
            f"{c} ({p2}%) in the control group ({name[0]} {es}, 95% CI {los}–{his}; {pt})."
        )
    elif st == "jama":
        s = (
            f"{ep.capitalize()} was achieved by {a} of {n1} patients ({p1}%) vs {c} of {n2} "
            f"({p2}%) ({name[1]}, {es} [95% CI, {los}-{his}]; {pt})."
        )
    elif st == "bmj":
        s = (
            f"{ep.capitalize()}: {a}/{n1} ({p1}%) versus {c}/{n2} ({p2}%); {name[0]} {es} "
            f"(95% confidence interval {los} to {his}), {pt}."
        )
    elif st == "jco":
        s = (
            f"The rate of {ep} was {p1}% ({a} patients) v {p2}% ({c} patients) "
            f"({name[1]}, {es}; 95% CI, {los} to {his}; {pt})."
        )
    else:  # blood
        s = (
            f"{ep.capitalize()} was observed in {a} ({p1}%) vs {c} ({p2}%) patients "
            f"({name[1]} = {es}; 95% CI: {los}-{his}; {pt})."
        )
    printed = {
        "treatment_events": str(a),
        "treatment_percent": p1,
        "control_events": str(c),
        "control_percent": p2,
        key: es,
        "ci_low": los,
        "ci_high": his,
        "p": ps,
    }
    if st in ("jama", "bmj"):
        printed["treatment_total"] = str(n1)
        printed["control_total"] = str(n2)
    t.add(s, {"type": "two-arm-binary", "printed": printed})
    if plant:
        t.plant(plant)


def hr_sentence(t: Text, hr: float, se: float, k: int, plant: str = "", median=None) -> None:
    st = t.style
    es, lo, hi, p = hr_stats(hr, se)
    ps = fmt_p(p, st)
    if plant == "p":
        ps = fmt_p(min(0.9, p * 9 + 0.2), st)
    pt = p_text(ps, st)
    what = ["overall survival", "failure-free survival", "event-free survival"][k % 3]
    med = ""
    claims = []
    if median is not None:
        m1, m2 = median
        med = (
            f"(median, {m1} vs. {m2} months; "
            if st != "lancet"
            else f"(median {m1} months vs {m2} months; "
        )
        claims.append({"type": "median", "printed": {"treatment": m1, "control": m2}})
    if st in ("nejm", "jama"):
        body = f"hazard ratio, {es}; 95% CI, {lo} to {hi}; {pt})"
    elif st == "lancet":
        body = f"hazard ratio {es}, 95% CI {lo}–{hi}; {pt})"
    elif st == "bmj":
        body = f"hazard ratio {es}, 95% confidence interval {lo} to {hi}; {pt})"
    elif st == "jco":
        body = f"HR, {es}; 95% CI, {lo} to {hi}; {pt})"
    else:
        body = f"HR = {es}; 95% CI: {lo}-{hi}; {pt})"
    s = f"{what.capitalize()} was longer in the treatment group {med or '('}{body}."
    claims.insert(
        0, {"type": "ratio", "printed": {"estimate": es, "ci_low": lo, "ci_high": hi, "p": ps}}
    )
    t.add(s, *claims)
    if plant:
        t.planted.append({"claim": len(t.claims) - len(claims), "what": plant})


def incidence_sentence(t: Text, f1: float, f2: float, n1: int, n2: int, k: int) -> None:
    st = t.style
    lo1, hi1 = loglog_ci(f1, n1)
    lo2, hi2 = loglog_ci(f2, n2)
    e1, l1, h1 = rnd(100 * f1, 1), rnd(100 * lo1, 1), rnd(100 * hi1, 1)
    e2, l2, h2 = rnd(100 * f2, 1), rnd(100 * lo2, 1), rnd(100 * hi2, 1)
    years = 1 + k % 3
    what = ["chronic GVHD", "relapse", "non-relapse mortality"][k % 3]
    if st in ("nejm", "jco"):
        s = (
            f"The {years}-year cumulative incidence of {what} was {e1}% (95% CI, {l1} to {h1}) "
            f"and {e2}% (95% CI, {l2} to {h2}) in the two groups, respectively."
        )
    elif st == "lancet":
        s = (
            f"The cumulative incidence of {what} at {years} years was {e1}% (95% CI {l1}–{h1}) "
            f"in the intervention group and {e2}% ({l2}–{h2}) in the control group."
        )
    else:
        s = (
            f"The {years}-year cumulative incidence of {what} was {e1}% (95% CI, {l1}-{h1}%) and "
            f"{e2}% ({l2}-{h2}%) in the treatment and control groups."
        )
    t.add(
        s,
        {"type": "incidence", "printed": {"estimate": e1, "ci_low": l1, "ci_high": h1}},
        {"type": "incidence", "printed": {"estimate": e2, "ci_low": l2, "ci_high": h2}},
    )


def survival_single(t: Text, f: float, n: int, k: int) -> None:
    lo, hi = loglog_ci(f, n)
    e, lo_s, hi_s = rnd(100 * f, 1), rnd(100 * lo, 1), rnd(100 * hi, 1)
    s = (
        f"The {1 + k % 2}-year overall survival was {e}% (95% CI, {lo_s}-{hi_s}) for all "
        f"{n} patients."
    )
    t.add(s, {"type": "incidence", "printed": {"estimate": e, "ci_low": lo_s, "ci_high": hi_s}})


def single_arm_response(t: Text, n: int, cr: int, pr: int, plant: str = "") -> None:
    orr = cr + pr
    o, c, p = pct(orr, n), pct(cr, n), pct(pr, n)
    if plant == "sum":
        o = rnd(float(o) + 2.0, 1)
    t.add(f"The trial enrolled {n} patients with refractory disease.")
    t.add(
        f"An overall response rate of {o}% was seen at day 28, with a complete response rate of "
        f"{c}% and a partial response rate of {p}%.",
        {"type": "proportion", "printed": {"percent": o}},
        {"type": "proportion", "printed": {"percent": c}},
        {"type": "proportion", "printed": {"percent": p}},
        {"type": "sum", "printed": {"total": o, "parts": [c, p]}},
    )
    if plant:
        # the overall rate is wrong: its percentage (no count of n gives it) and the sum
        t.planted.append({"claim": len(t.claims) - 4, "what": plant})
        t.plant(plant)


def proportion_sentence(t: Text, k: int, n: int, style: int) -> None:
    p = pct(k, n)
    if style == 0:
        s = f"Grade 3 or higher adverse events occurred in {k} of {n} patients ({p}%)."
    elif style == 1:
        s = f"Sustained remission was documented in {k}/{n} ({p}%) evaluable patients."
    else:
        s = f"Of {n} treated patients, {k} ({p}%) needed an additional line of therapy."
    t.add(s, {"type": "proportion", "printed": {"events": str(k), "total": str(n), "percent": p}})


def statistic_sentence(t: Text, kind: str, val: float, df1, df2, plant: str = "") -> None:
    if kind == "t":
        p = 2 * stats.t.sf(abs(val), df1)
        stat = f"t({df1}) = {rnd(val, 2)}"
    elif kind == "F":
        p = stats.f.sf(val, df1, df2)
        stat = f"F({df1}, {df2}) = {rnd(val, 2)}"
    elif kind == "chi2":
        p = stats.chi2.sf(val, df1)
        stat = f"χ2({df1}) = {rnd(val, 2)}"
    elif kind == "z":
        p = 2 * stats.norm.sf(abs(val))
        stat = f"z = {rnd(val, 2)}"
    else:
        tt = abs(val) * math.sqrt(df1 / (1 - val * val))
        p = 2 * stats.t.sf(tt, df1)
        stat = f"r({df1}) = {rnd(val, 2)}"
    p_str = fmt_p(float(p), "nejm")
    if plant:
        p_str = fmt_p(float(p) / 4 + 0.0004, "nejm")
    s = {
        "t": f"Symptom scores fell more in the treated arm, {stat}, p = {p_str}.",
        "F": f"Scores differed across the three dose groups, {stat}, p = {p_str}.",
        "chi2": f"Response differed by grade at entry, {stat}, p = {p_str}.",
        "z": f"The difference in slopes was significant, {stat}, p = {p_str}.",
        "r": f"Baseline marker levels correlated with day 28 scores, {stat}, p = {p_str}.",
    }[kind]
    printed = {"statistic": rnd(val, 2), "p": p_str}
    if df1 is not None:
        printed["df1"] = str(df1)
    if df2 is not None:
        printed["df2"] = str(df2)
    t.add(s, {"type": "test-statistic", "printed": printed})
    if plant:
        t.plant(plant)


DISTRACTORS = [
    "The median age was 47 years (range, 18 to 72), and most had received two or more prior "
    "lines.",
    "Cells were given at 2 × 10^6 per kg twice weekly for 4 weeks (8 infusions).",
    "The median follow-up was 26.4 months (interquartile range, 14.2 to 38.0).",
    "Patients were enrolled between March 2015 and June 2020 at 12 centres in 3 countries.",
    "Tacrolimus was dosed to a trough level of 5 to 10 ng/mL from day -3.",
]


def build() -> list[dict]:
    rng = np.random.default_rng(20261202)
    styles = ["nejm", "lancet", "jama", "bmj", "jco", "blood"]
    texts: list[dict] = []
    i = 0
    # 24 two-arm trials: 4 per style
    for rep in range(4):
        for st in styles:
            i += 1
            t = Text(f"two-arm-{i:02d}", st)
            n1 = int(rng.integers(60, 160))
            n2 = n1 + int(rng.integers(-3, 4))
            arms_sentence(t, n1, n2, i)
            if i % 3 == 0:
                t.add(DISTRACTORS[i % len(DISTRACTORS)])
            a = round(n1 * rng.uniform(0.45, 0.8))
            c = round(n2 * rng.uniform(0.3, 0.6))
            plant = {5: "effect", 11: "percent", 17: "effect", 22: "percent"}.get(i, "")
            binary_sentence(t, a, n1, c, n2, i, "rr" if i % 4 == 1 else "or", plant)
            hr = float(rng.uniform(0.5, 0.9))
            # the CI implies about 4 / SE^2 events: no more than 70% of the patients
            se = float(rng.uniform(math.sqrt(4 / (0.7 * (n1 + n2))), 0.3))
            med = None
            if i % 4 == 2:
                med = (rnd(float(rng.uniform(10, 20)), 1), rnd(float(rng.uniform(5, 9.9)), 1))
            hr_sentence(t, hr, se, i, "p" if i in (3, 14, 20) else "", med)
            if rep % 2 == 0:
                incidence_sentence(
                    t, float(rng.uniform(0.15, 0.45)), float(rng.uniform(0.2, 0.6)), n1, n2, i
                )
            texts.append(t.out())
    # 8 single-arm trials
    for j in range(8):
        i += 1
        t = Text(f"single-arm-{j + 1:02d}", styles[j % 6])
        n = int(rng.integers(20, 60))
        cr = int(rng.integers(3, n // 3))
        pr = int(rng.integers(3, n // 3))
        single_arm_response(t, n, cr, pr, "sum" if j in (2, 6) else "")
        if j % 2 == 0:
            t.add(DISTRACTORS[j % len(DISTRACTORS)])
        proportion_sentence(t, int(rng.integers(2, n - 2)), n, j % 3)
        if j % 3 != 2:
            survival_single(t, float(rng.uniform(0.5, 0.85)), n, j)
        texts.append(t.out())
    # 10 texts with test statistics (APA style, as statcheck reads them)
    specs = [
        ("t", 2.31, 45, None, ""),
        ("F", 3.41, 2, 97, ""),
        ("chi2", 4.08, 1, None, ""),
        ("z", 2.03, None, None, ""),
        ("r", 0.32, 48, None, ""),
        ("t", 1.87, 60, None, "p"),
        ("chi2", 7.9, 2, None, ""),
        ("F", 5.2, 1, 88, "p"),
        ("t", -2.64, 33, None, ""),
        ("z", 1.71, None, None, ""),
    ]
    for j, (kind, val, d1, d2, plant) in enumerate(specs):
        t = Text(f"statistic-{j + 1:02d}", "apa")
        t.add("We compared the two groups on the prespecified secondary scores.")
        statistic_sentence(t, kind, val, d1, d2, plant)
        if j % 2:
            t.add(DISTRACTORS[j % len(DISTRACTORS)])
        texts.append(t.out())
    return texts


def rd_stats(a: int, n1: int, c: int, n2: int) -> tuple[float, float, float, float]:
    p1, p2 = a / n1, c / n2
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    p = stats.chi2_contingency([[a, n1 - a], [c, n2 - c]], correction=False)[1]
    d = 100 * (p1 - p2)
    return d, d - 100 * Z * se, d + 100 * Z * se, float(p)


def free_texts() -> list[dict]:
    """Ten texts written one by one, in spellings the templates above do not use."""
    out = []
    # 1. risk difference in percentage points, P-value spelled out, thousands separator
    t = Text("free-01", "jama")
    t.add(
        "Between 2017 and 2020, 1,204 patients were screened and 160 were randomized "
        "(n = 80 and n = 80).",
        {"type": "sum", "printed": {"total": "160", "parts": ["80", "80"]}},
    )
    d, lo, hi, p = rd_stats(41, 80, 31, 80)
    t.add(
        f"Remission at week 8 occurred in 41/80 (51.3%) vs 31/80 (38.8%) patients (risk "
        f"difference, {rnd(d, 1)} percentage points; 95% CI, {rnd(lo, 1)} to {rnd(hi, 1)}; "
        f"P-value {fmt_p(p, 'nejm')}).",
        {
            "type": "two-arm-binary",
            "printed": {
                "treatment_events": "41",
                "treatment_total": "80",
                "treatment_percent": "51.3",
                "control_events": "31",
                "control_total": "80",
                "control_percent": "38.8",
                "risk_difference": rnd(d, 1),
                "ci_low": rnd(lo, 1),
                "ci_high": rnd(hi, 1),
                "p": fmt_p(p, "nejm"),
            },
        },
    )
    out.append(t.out())
    # 2. HR with a bare CI and no P; an adjusted odds ratio
    t = Text("free-02", "bmj")
    t.add(
        "Mortality at one year was lower after transplant from matched donors (hazard ratio "
        "0.72 (0.55-0.94)).",
        {"type": "ratio", "printed": {"estimate": "0.72", "ci_low": "0.55", "ci_high": "0.94"}},
    )
    t.add(
        "After adjustment for age and disease risk, the aOR for severe acute GVHD was 1.80 "
        "(95% CI 1.12-2.89).",
        {"type": "ratio", "printed": {"estimate": "1.80", "ci_low": "1.12", "ci_high": "2.89"}},
    )
    t.add("Patients were aged 18-65 years and received 5.2 × 10^6 CD34+ cells/kg (2.1-9.8).")
    out.append(t.out())
    # 3. three arms: counts in a list of three are not a two-arm comparison
    t = Text("free-03", "nejm")
    t.add(
        "Response rates were 20 of 40 (50.0%), 18 of 41 (43.9%) and 15 of 39 (38.5%) "
        "with the high, middle and low doses.",
        {"type": "proportion", "printed": {"events": "20", "total": "40", "percent": "50.0"}},
        {"type": "proportion", "printed": {"events": "18", "total": "41", "percent": "43.9"}},
        {"type": "proportion", "printed": {"events": "15", "total": "39", "percent": "38.5"}},
    )
    out.append(t.out())
    # 4. percentage before n=, subdistribution HR, p<.001
    t = Text("free-04", "blood")
    es, lo, hi, p = hr_stats(0.46, 0.2)
    t.add(
        f"Grade II-IV acute GVHD developed in 72.5% (n=29) of recipients; the sHR for "
        f"chronic GVHD was {es} (95% CI, {lo}-{hi}; "
        f"p{'' if p < 0.001 else '='}{fmt_p(p, 'nejm')}).",
        {"type": "proportion", "printed": {"events": "29", "percent": "72.5"}},
        {
            "type": "ratio",
            "printed": {"estimate": es, "ci_low": lo, "ci_high": hi, "p": fmt_p(p, "nejm")},
        },
    )
    out.append(t.out())
    # 5. survival at a landmark with "at 2 years" and CI with a colon; a median with its CI
    t = Text("free-05", "jco")
    f = 0.64
    lo_, hi_ = loglog_ci(f, 48)
    t.add(
        f"For the 48 enrolled patients, overall survival at 2 years was {rnd(100 * f, 1)}% "
        f"(95% CI: {rnd(100 * lo_, 1)}%-{rnd(100 * hi_, 1)}%).",
        {
            "type": "incidence",
            "printed": {
                "estimate": rnd(100 * f, 1),
                "ci_low": rnd(100 * lo_, 1),
                "ci_high": rnd(100 * hi_, 1),
            },
        },
    )
    t.add(
        "The median progression-free survival was 14.2 months (95% CI, 10.1 to 18.3).",
        {"type": "median", "printed": {"value": "14.2"}},
    )
    out.append(t.out())
    # 6. Lancet n (%) of N with mid-dots and an odds ratio with square brackets
    t = Text("free-06", "lancet")
    e, lo, hi, p = or_stats(33, 60, 21, 61)
    t.add(
        f"33 (55.0%) of 60 patients in the ruxolitinib group and 21 (34.4%) of 61 in the "
        f"control group responded (odds ratio {rnd(e, 2)} [95% CI {rnd(lo, 2)}–{rnd(hi, 2)}]"
        f"; p={fmt_p(p, 'lancet')}).",
        {
            "type": "two-arm-binary",
            "printed": {
                "treatment_events": "33",
                "treatment_total": "60",
                "treatment_percent": "55.0",
                "control_events": "21",
                "control_total": "61",
                "control_percent": "34.4",
                "odds_ratio": rnd(e, 2),
                "ci_low": rnd(lo, 2),
                "ci_high": rnd(hi, 2),
                "p": fmt_p(p, "lancet"),
            },
        },
    )
    out.append(t.out())
    # 7. a planted P: HR and CI fine, P from somewhere else
    t = Text("free-07", "nejm")
    es, lo, hi, p = hr_stats(0.81, 0.1)
    t.add(
        f"Among 412 patients, the risk of relapse or death was similar (hazard ratio, {es}; "
        f"95% CI, {lo} to {hi}; P = 0.48).",
        {"type": "ratio", "printed": {"estimate": es, "ci_low": lo, "ci_high": hi, "p": "0.48"}},
    )
    t.planted.append({"claim": 0, "what": "p"})
    out.append(t.out())
    # 8. a chi-square with df written after, and a one-sided t test said so
    t = Text("free-08", "apa")
    x2 = 6.25
    p8 = stats.chi2.sf(x2, 2)
    t.add(
        f"Grades differed between centres (chi-square = {x2}, df = 2, P = {fmt_p(p8, 'nejm')}).",
        {
            "type": "test-statistic",
            "printed": {"statistic": "6.25", "df1": "2", "p": fmt_p(p8, "nejm")},
        },
    )
    p9 = stats.t.sf(1.80, 28)
    t.add(
        f"In a one-sided test the score improved, t(28) = 1.80, p = {fmt_p(p9, 'nejm')}.",
        {
            "type": "test-statistic",
            "printed": {"statistic": "1.80", "df1": "28", "p": fmt_p(p9, "nejm")},
        },
    )
    out.append(t.out())
    # 9. distractors only: no checkable statement
    t = Text("free-09", "nejm")
    t.add(
        "The median follow-up was 36 months (IQR 24-48), and 95% of infusions were given "
        "within 2 hours of thawing."
    )
    t.add("Doses were reduced by 25% in 12 patients at a median of day 14 (range, 7-28).")
    out.append(t.out())
    # 10. a planted percentage in a Markdown-like list with bold numbers
    t = Text("free-10", "jama")
    t.add(
        "A total of 120 patients were randomized (n = 60 and n = 60).",
        {"type": "sum", "printed": {"total": "120", "parts": ["60", "60"]}},
    )
    t.add(
        "Complete response: **27 (45.0%)** vs **19 (32.7%)**.",
        {
            "type": "two-arm-binary",
            "printed": {
                "treatment_events": "27",
                "treatment_percent": "45.0",
                "control_events": "19",
                "control_percent": "32.7",
            },
        },
    )
    t.planted.append({"claim": 1, "what": "percent"})
    out.append(t.out())
    return out


def main(argv: list[str]) -> None:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("corpus.json")
    texts = build() + free_texts()
    out.write_text(json.dumps(texts, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"{len(texts)} texts, {sum(len(t['claims']) for t in texts)} claims, "
        f"{sum(1 for t in texts if t['planted'])} with planted errors -> {out}"
    )


if __name__ == "__main__":
    main(sys.argv)
