"""Statement patterns: the printed forms of checkable numbers, as journals spell them.

Each finder takes one sentence (normalised, see :func:`gvhdstats.scan.text.normalize`)
and returns :class:`Statement` objects whose numbers carry their printed text and
their span in the document.  A number is taken only inside one of these forms;
everything else (ages, doses, dates, follow-up times, day numbers) is left alone.

Forms (``N`` a count, ``P`` a percentage, ``E`` an estimate, ``L``-``U`` a CI):

- ``count``: ``N (P%)``, ``N [P%]``, ``P% [N patients]``, ``P% (N)``, ``N/M (P%)``,
  ``N of M (P%)``, ``N of M patients``;
- ``effect``: an effect name (``OR``, ``RR``, ``HR``, ``sHR``, ``IRR``, ``RD``, or written
  out, ``odds ratio``, ``hazard ratio (HR)``) then ``E``, an optional CI in any of
  ``(95% CI, L-U)``, ``95% confidence interval [CI], L to U``, ``(L–U)``, ``95% CI: L, U``,
  and an optional ``P`` (``P = 0.043``, ``p<0.001``, ``P = .61``, ``P-value 0.02``);
- ``estimate``: ``E (95% CI, L-U)`` or ``E% (L-U%)`` (classified later by its words);
- ``median``: after the word *median* and a survival word, ``E months vs E months`` or
  ``E months (95% CI, L-U)``;
- ``arm-size``: ``n = 101``; ``total``: ``enrolled 203 patients``, ``203 patients were
  randomised``, ``Of 203 patients``; ``allocation``: ``randomised 2:1``;
- ``test``: a test statistic with degrees of freedom and P, as statcheck reads them:
  ``t(45) = 2.31, P = .026``, ``F(2, 97) = 3.41``, ``χ2(1) = 4.08``, ``z = 2.03``,
  ``r(48) = .32``;
- ``percent``: a bare ``P%`` that follows a rate word (response, incidence, survival,
  women ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Num", "Statement", "find_statements"]


@dataclass(frozen=True)
class Num:
    """A printed number: its text as printed (mid-dot decimals as ``.``) and its span."""

    text: str
    start: int
    end: int


@dataclass
class Statement:
    """One statement found in a sentence."""

    kind: str
    start: int
    end: int
    nums: dict[str, Num] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        vals = ", ".join(f"{k}={v.text}" for k, v in self.nums.items())
        return f"Statement({self.kind}, {self.start}-{self.end}, {vals})"


NUM = r"\d+(?:\.\d+)?"
SNUM = r"-?\d+(?:\.\d+)?"
DASH = r"\s*(?:-|–|—|‒|\bto\b)\s*"
_PV = r"(?:0?\.\d+|1\.0+|[01])(?:\s*[x×]\s*10\s*\^?\s*-\s*\d+)?"

_EFFECTS = [
    (r"sub-?distribution(?:al)? hazard ratios?", "subdistribution-hazard-ratio"),
    (r"cause-specific hazard ratios?", "hazard-ratio"),
    (r"incidence rate ratios?|rate ratios?", "rate-ratio"),
    (r"adjusted odds ratios?", "odds-ratio*"),
    (r"adjusted hazard ratios?", "hazard-ratio*"),
    (r"adjusted (?:risk ratios?|relative risks?)", "risk-ratio*"),
    (r"odds ratios?", "odds-ratio"),
    (r"hazard ratios?", "hazard-ratio"),
    (r"risk ratios?|relative risks?", "risk-ratio"),
    (r"risk differences?|absolute (?:risk )?differences?", "risk-difference"),
    (r"sHR|SHR|sdHR|subHR", "subdistribution-hazard-ratio"),
    (r"csHR", "hazard-ratio"),
    (r"aOR", "odds-ratio*"),
    (r"aHR", "hazard-ratio*"),
    (r"aRR", "risk-ratio*"),
    (r"IRR", "rate-ratio"),
    (r"OR", "odds-ratio"),
    (r"RR", "risk-ratio"),
    (r"HR", "hazard-ratio"),
    (r"RD", "risk-difference"),
]
_EFFECT_ALT = "|".join(f"(?i:{p})" if " " in p else f"(?:{p})" for p, _ in _EFFECTS)
_EFFECT_RE = re.compile(
    rf"(?<![A-Za-z-])(?P<name>{_EFFECT_ALT})(?![A-Za-z])"
    rf"(?:\s*[\[(]\s*(?:{_EFFECT_ALT})\s*[\])])?"
    r"(?:\s+(?:for|of|in)\s+(?:[\w-]+\s+){0,5}?(?=(?:was|were|is|of)\s|[\w-]+\s*[,:=]))?"
    r"(?:\s+[a-z-]+)?"
    r"\s*(?:[,:=]|\bof\b|\bwas\b|\bis\b)?\s*(?:was\s+|of\s+)?"
    rf"(?P<est>{SNUM})(?P<estpct>\s?%)?(?!\s*(?:[%\d/:]|[x×]\s*10))",
)
_CI_LABEL = (
    r"(?:(?P<lev>\d{2}(?:\.\d+)?)\s?%\s*)?(?:CI|C\.I\.|CrI|confidence intervals?"
    r"(?:\s*[\[(]\s*CI\s*[\])])?|credible intervals?)"
)
_CI_RE = re.compile(
    r"(?:\s*percentage points?)?[\s;,]*(?P<open>[\[(])?\s*"
    rf"(?:(?P<label>{_CI_LABEL})\s*(?:[:,=]|\bof\b|\bwas\b)?\s*(?P<open2>[\[(])?\s*)?"
    rf"(?P<lo>{SNUM})\s?(?P<lopct>%)?(?P<sep>{DASH}|\s*[,;]\s*)(?P<hi>{SNUM})\s?(?P<hipct>%)?"
    r"(?!\s*(?:\d|[x×]\s*10|/))"
    r"(?:\s*(?:percentage points?))?\s*(?P<close>[\])])?"
)
_P_RE = re.compile(
    r"[\s;,)\]]*(?:(?:and|with)\s+)?[\[(]?\s*"
    r"(?:(?<![A-Za-z])[Pp]\s*(?:[-–]\s*values?|\s+values?)?\s*(?P<rel>[=<>≤≥]|<=|>=)\s*"
    rf"(?P<pv>{_PV})"
    r"|(?<![A-Za-z])[Pp]\s*[-–\s]\s*values?\s*(?:of|was|is|:|,)?\s+"
    rf"(?P<pv2>{_PV}))"
)
_P_SEARCH = re.compile(
    r"(?<![A-Za-z])[Pp]\s*(?:[-–]\s*values?|\s+values?)?\s*(?P<rel>[=<>≤≥]|<=|>=)\s*"
    rf"(?P<pv>{_PV})"
)

_EXCLUDE_BEFORE = re.compile(
    r"(?:\bgrades?|\bdays?|\bweeks?|\bmonths?|\byears?|\baged?|\bcycles?|\bphase|\bstage|"
    r"\bdoses?|\blevels?|\bn\s*=|\bN\s*=|\bversion|\bvisit|\bfigure|\btable|\bcohort|"
    r"\bmg|\bkg|\bx|×|\^|\bnumber|\bno\.)\s*$",
    re.IGNORECASE,
)
_PEOPLE = (
    r"(?:patients?|participants?|subjects?|cases?|pts|people|persons?|women|men|children|"
    r"adults|individuals|recipients|responders)"
)
_COUNT_RES = [
    # 33 (55.0%) of 60 patients (Lancet)
    re.compile(
        rf"(?<![\d.,/])(?P<n>\d{{1,6}})\s*[\[(]\s*(?P<pct>{NUM})\s?%\s*[\])]\s+of\s+(?:the\s+)?"
        rf"(?P<tot>\d{{1,6}})\b(?!\s*(?:%|[.,]\d))"
    ),
    # 82/99 (82.8%)
    re.compile(
        rf"(?<![\d.,/])(?P<n>\d{{1,6}})\s*/\s*(?P<tot>\d{{1,6}})(?:\s+{_PEOPLE})?"
        rf"\s*[\[(]\s*(?P<pct>{NUM})\s?%\s*(?=[\]);,])[\])]?"
    ),
    # 82 of 99 patients (82.8%) / 82 of 99 (82.8%) / 82 of 99 patients
    re.compile(
        rf"(?<![\d.,/])(?P<n>\d{{1,6}})\s+of\s+(?:the\s+)?(?P<tot>\d{{1,6}})"
        rf"(?:(?:\s+[a-zA-Z-]+){{0,2}}?\s+{_PEOPLE})?"
        rf"(?:\s*[\[(]\s*(?P<pct>{NUM})\s?%\s*(?=[\]);,])[\])]?|(?<=[a-z]))"
    ),
    # 82.8% [82 patients] / 70.7% [70] / 82.8% (82/99) / 82.8% (82 of 99)
    re.compile(
        rf"(?<![\d.])(?P<pct>{NUM})\s?%\s*[\[(]\s*(?:n\s*=\s*)?(?P<n>\d{{1,6}})"
        rf"(?:\s*(?:/|\bof\b)\s*(?P<tot>\d{{1,6}}))?(?:\s+{_PEOPLE})?\s*[\])]"
    ),
    # 82 (82.8%) / 65 [65.7%] / 198 (97.5%; ...
    re.compile(
        rf"(?<![\d.,/])(?P<n>\d{{1,6}})(?:\s+{_PEOPLE})?\s*[\[(]\s*(?P<pct>{NUM})\s?%"
        r"\s*(?=[\]);,])[\])]?"
    ),
]
_STAT_RE = re.compile(
    r"(?<![A-Za-z0-9])(?P<stat>t|F|z|Z|r|χ2|χ²|χ\^2|chi2|Chi2|chi-square[d]?|Chi-square[d]?|X2|Χ2)"
    r"(?:\s*\(\s*(?:df\s*=\s*)?(?P<df1>\d+(?:\.\d+)?)\s*(?:,\s*(?P<df2>\d+(?:\.\d+)?))?"
    r"\s*(?:,\s*[Nn]\s*=\s*\d+)?\s*\))?"
    r"\s*(?P<rel>=)\s*(?P<val>-?(?:\d+(?:\.\d+)?|\.\d+))"
    r"(?:\s*,\s*df\s*=\s*(?P<dfb>\d+))?"
)
_ARMSIZE_RE = re.compile(r"[\[(]?\s*(?<![A-Za-z])[nN]\s*=\s*(?P<n>\d{1,6})(?![\d.%/])\s*[\])]?")
_TOTAL_RES = [
    re.compile(r"\b(?P<n>\d{1,6})\s+(?:were|was)\s+(?:randomi[sz]ed|enroll?ed)\b"),
    re.compile(
        rf"\b(?P<n>\d{{1,6}})\s+(?:[\w-]+\s+){{0,4}}?{_PEOPLE}\s+(?:were\s+|was\s+)?"
        r"(?:enroll?ed|randomi[sz]ed|included|recruited|assigned|allocated|accrued)\b"
    ),
    re.compile(
        r"\b(?:enroll?ed|involved|included|recruited|randomi[sz]ed|registered|a total of|"
        r"A total of|[Oo]f|comprised|accrued)\s+(?:a total of\s+)?(?P<n>\d{1,6})\s+"
        rf"(?:[\w-]+\s+){{0,4}}?{_PEOPLE}\b"
    ),
]
#: "120 were assigned to X and 118 to placebo", "145 received the drug and 147 received placebo"
_ARM_PAIR_RE = re.compile(
    r"(?<![\d.])(?P<a>\d{1,6})\s+(?:patients\s+)?(?:were\s+|was\s+)?"
    r"(?:assigned|allocated|randomi[sz]ed|received)\b[^.;\d]{0,60}?\band\s+"
    r"(?P<b>\d{1,6})\s+(?:patients\s+)?(?:were\s+)?(?:assigned\s+|allocated\s+|randomi[sz]ed\s+)?"
    r"(?:to|received)\b"
)
_RATIO_RE = re.compile(
    r"(?:randomi[sz]ed|allocated|assigned|ratio)[^.;]{0,40}?\b(?P<r1>[1-9])\s*:\s*(?P<r2>[1-9])\b"
    r"|\b(?P<r3>[1-9])\s*:\s*(?P<r4>[1-9])\s+(?:ratio|randomi[sz]ation|allocation)"
)
_CI_WORD = re.compile(r"\s*(?:CI|C\.I\.|CrI|confidence|credible)\b")
_MEDIAN_WORD = re.compile(r"\bmedian\b", re.IGNORECASE)
_SURVIVAL_WORD = re.compile(
    r"survival|\bOS\b|\bPFS\b|\bEFS\b|\bDFS\b|\bFFS\b|\bGRFS\b|\bRFS\b|time to|duration of "
    r"response|\bDOR\b|\bTTP\b|\bTTF\b",
    re.IGNORECASE,
)
_UNIT = r"(?P<unit>months?|mo|weeks?|wk|days?|years?|yr)\b"
_MEDIAN_PAIR_RE = re.compile(
    rf"(?P<a>{NUM})\s*(?:(?P<unit1>months?|mo|weeks?|wk|days?|years?|yr)\b)?\s*(?:[\[(][^\])]{{0,40}}[\])]\s*)?"
    rf"(?:,\s*)?(?:vs\.?|versus|v\.?|and|compared with|compared to)\s*(?P<b>{NUM})\s*{_UNIT}"
)
_MEDIAN_ONE_RE = re.compile(rf"(?P<a>{NUM})\s*{_UNIT}")
_PERCENT_RE = re.compile(rf"(?<![\d.])(?P<pct>{NUM})\s?%")
_RATE_WORDS = re.compile(
    r"response|respond|\bORR\b|\bCR\b|\bPR\b|\bCRR\b|remission|rate|incidence|survival|"
    r"\bOS\b|\bPFS\b|\bEFS\b|\bDFS\b|\bGRFS\b|\bFFS\b|\bNRM\b|mortality|women|men\b|female|male|"
    r"proportion|probability",
    re.IGNORECASE,
)
_RANGE_BEFORE = re.compile(r"\d\s*%?\s*(?:-|–|—|‒|\bto\b)\s*$")
_LIST_GAP = re.compile(r"\s*(?:,\s*)?(?:and|or|vs\.?|versus)?\s*")
_NOT_RATE = re.compile(
    r"reduc|increas|decreas|lower|higher|improv|dose|concentration|power|confidence|"
    r"\bCI\b|purity|viability|weight|BMI|quantile|percentile|sensitivity|specificity",
    re.IGNORECASE,
)


def _num(s: str, base: int, m: re.Match, group: str) -> Num:
    return Num(m.group(group), base + m.start(group), base + m.end(group))


def _free(taken: list[tuple[int, int]], a: int, b: int) -> bool:
    return all(b <= s or a >= e for s, e in taken)


def _ci_at(
    s: str, pos: int, base: int, *, need_open: bool
) -> tuple[dict[str, Num], int, str] | None:
    m = _CI_RE.match(s, pos)
    if m is None:
        return None
    labelled = m.group("label") is not None
    sep = m.group("sep").strip()
    if not labelled and (not m.group("open") or sep in (",", ";")):
        return None
    if need_open and not labelled and not m.group("open"):
        return None
    if sep in (",", ";") and not labelled:
        return None
    lo, hi = float(m.group("lo")), float(m.group("hi"))
    if lo > hi:
        return None
    nums = {"ci_low": _num(s, base, m, "lo"), "ci_high": _num(s, base, m, "hi")}
    if m.group("lev"):
        nums["ci_level"] = _num(s, base, m, "lev")
    end = m.end()
    if m.group("close") is None and (m.group("open") or m.group("open2")):
        # the bracket may close after a P value: leave it
        pass
    pct = "%" if (m.group("lopct") or m.group("hipct")) else ""
    return nums, end, pct


def _p_at(s: str, pos: int, base: int) -> tuple[Num, int] | None:
    m = _P_RE.match(s, pos)
    if m is None:
        return None
    if m.group("pv") is not None:
        rel = m.group("rel")
        text = m.group("pv") if rel == "=" else rel + m.group("pv")
        start = m.start("rel") if rel != "=" else m.start("pv")
        return Num(text.replace(" ", ""), base + start, base + m.end("pv")), m.end()
    return Num(m.group("pv2"), base + m.start("pv2"), base + m.end("pv2")), m.end()


def find_statements(s: str, base: int = 0) -> list[Statement]:
    """Every statement in the sentence ``s`` (normalised text) starting at offset ``base``.

    Examples
    --------
    >>> st = find_statements("odds ratio, 2.00; 95% CI, 1.01-3.94; P = 0.043")
    >>> st[0].kind, [(k, v.text) for k, v in st[0].nums.items()]  # doctest: +NORMALIZE_WHITESPACE
    ('effect', [('estimate', '2.00'), ('ci_low', '1.01'), ('ci_high', '3.94'),
                ('ci_level', '95'), ('p', '0.043')])
    """
    out: list[Statement] = []
    taken: list[tuple[int, int]] = []

    # test statistics (statcheck's APA forms), needing a P
    for m in _STAT_RE.finditer(s):
        pm = _p_at(s, m.end(), base)
        if pm is None:
            continue
        stat = m.group("stat").lower()
        stat = {"χ2": "chi2", "χ²": "chi2", "χ^2": "chi2", "x2": "chi2", "χ2".lower(): "chi2"}.get(
            stat, stat
        )
        if stat.startswith("chi"):
            stat = "chi2"
        nums = {"statistic": _num(s, base, m, "val"), "p": pm[0]}
        df1 = m.group("df1") or m.group("dfb")
        if df1 is not None:
            nums["df1"] = _num(s, base, m, "df1" if m.group("df1") else "dfb")
        if m.group("df2") is not None:
            nums["df2"] = _num(s, base, m, "df2")
        need = {"t": 1, "f": 2, "chi2": 1, "r": 1, "z": 0}[stat]
        have = (df1 is not None) + (m.group("df2") is not None)
        if have != need:
            continue
        out.append(
            Statement(
                "test",
                base + m.start(),
                base + pm[1],
                nums,
                {"test": stat if stat != "f" else "F"},
            )
        )
        taken.append((m.start(), pm[1]))

    # effects with CI and P
    for m in _EFFECT_RE.finditer(s):
        if not _free(taken, m.start(), m.end()):
            continue
        name = m.group("name")
        measure = next(
            meas
            for pat, meas in _EFFECTS
            if re.fullmatch(pat, name, re.IGNORECASE if " " in pat else 0)
        )
        adjusted = measure.endswith("*") or bool(
            re.search(r"\badjusted\b", s[max(0, m.start() - 30) : m.start()], re.IGNORECASE)
        )
        measure = measure.rstrip("*")
        nums = {"estimate": _num(s, base, m, "est")}
        end = m.end()
        ci = _ci_at(s, end, base, need_open=False)
        pct = bool(m.group("estpct"))
        if ci is not None:
            nums.update(ci[0])
            end = ci[1]
            pct = pct or bool(ci[2])
        p = _p_at(s, end, base)
        if p is not None:
            nums["p"] = p[0]
            end = p[1]
        if measure != "risk-difference" and float(m.group("est")) <= 0:
            continue
        out.append(
            Statement(
                "effect",
                base + m.start(),
                base + end,
                nums,
                {"measure": measure, "adjusted": adjusted, "name": name, "percent": pct},
            )
        )
        taken.append((m.start(), end))

    # counts and percentages
    found: list[Statement] = []
    for rx in _COUNT_RES:
        for m in rx.finditer(s):
            if not _free(taken, m.start(), m.end()):
                continue
            if _EXCLUDE_BEFORE.search(s, 0, m.start()):
                continue
            n = int(m.group("n"))
            tot = m.groupdict().get("tot")
            pct_text = m.groupdict().get("pct")
            if tot is not None and (int(tot) < n or int(tot) == 0):
                continue
            if pct_text is not None and float(pct_text) > 100:
                continue
            if pct_text is None and tot is None:
                continue
            nums = {"events": _num(s, base, m, "n")}
            if tot is not None:
                nums["total"] = _num(s, base, m, "tot")
            if pct_text is not None:
                nums["percent"] = _num(s, base, m, "pct")
            found.append(Statement("count", base + m.start(), base + m.end(), nums))
            taken.append((m.start(), m.end()))
    out.extend(found)

    # medians (survival-type only; follow-up and age medians are left alone)
    for mw in _MEDIAN_WORD.finditer(s):
        tail = s[mw.end() :]
        window = tail[:80]
        first_num = re.search(r"\d", window)
        lead = window[: first_num.start()] if first_num else window
        if re.search(r"follow|\bage\b|aged|dose|time from|interval", lead, re.IGNORECASE):
            continue
        if not _SURVIVAL_WORD.search(lead) and not _SURVIVAL_WORD.search(s, 0, mw.start()):
            continue
        pos = mw.end()
        m2 = _MEDIAN_PAIR_RE.search(s, pos)
        m1 = _MEDIAN_ONE_RE.search(s, pos)
        if (
            m2 is not None
            and (m1 is None or m2.start() <= m1.start())
            and _free(taken, m2.start(), m2.end())
        ):
            out.append(
                Statement(
                    "median",
                    base + m2.start(),
                    base + m2.end(),
                    {"treatment": _num(s, base, m2, "a"), "control": _num(s, base, m2, "b")},
                    {"unit": _unit(m2.group("unit"))},
                )
            )
            taken.append((m2.start(), m2.end()))
        elif m1 is not None and _free(taken, m1.start(), m1.end()) and m1.start() - pos < 60:
            end = m1.end()
            nums = {"value": _num(s, base, m1, "a")}
            ci = _ci_at(s, end, base, need_open=True)
            info: dict[str, Any] = {"unit": _unit(m1.group("unit"))}
            if ci is not None:
                info["ci"] = ci[0]
                end = ci[1]
            out.append(Statement("median", base + m1.start(), base + end, nums, info))
            taken.append((m1.start(), end))

    # estimates with a CI (incidence, survival, rates), classified later by their words
    for m in re.finditer(rf"(?<![\d.\-/])(?P<est>{NUM})(?P<pct>\s?%)?", s):
        if not _free(taken, m.start(), m.end()):
            continue
        if _EXCLUDE_BEFORE.search(s, 0, m.start()):
            continue
        if m.group("pct") and _CI_WORD.match(s, m.end()):
            continue  # the "95%" of "95% CI"
        ci = _ci_at(s, m.end(), base, need_open=True)
        if ci is None:
            continue
        nums = {"estimate": _num(s, base, m, "est"), **ci[0]}
        end = ci[1]
        st = Statement(
            "estimate",
            base + m.start(),
            base + end,
            nums,
            {"percent": bool(m.group("pct") or ci[2])},
        )
        p = _p_at(s, end, base)
        if p is not None:
            st.info["p_num"] = p[0]
        out.append(st)
        taken.append((m.start(), end))

    # arm sizes, totals, allocation ratio (design facts; they are not consumed)
    for m in _ARMSIZE_RE.finditer(s):
        if _free(taken, m.start("n"), m.end("n")):
            out.append(
                Statement(
                    "arm-size", base + m.start(), base + m.end(), {"n": _num(s, base, m, "n")}
                )
            )
    for m in _ARM_PAIR_RE.finditer(s):
        if _free(taken, m.start("a"), m.end("b")):
            for g in ("a", "b"):
                out.append(
                    Statement(
                        "arm-size", base + m.start(g), base + m.end(g), {"n": _num(s, base, m, g)}
                    )
                )
            taken.append((m.start("a"), m.end("a")))
            taken.append((m.start("b"), m.end("b")))
    for rx in _TOTAL_RES:
        for m in rx.finditer(s):
            if _free(taken, m.start("n"), m.end("n")):
                out.append(
                    Statement(
                        "total",
                        base + m.start(),
                        base + m.end(),
                        {"n": _num(s, base, m, "n")},
                        {"text": m.group(0)},
                    )
                )
                taken.append((m.start("n"), m.end("n")))
    for m in _RATIO_RE.finditer(s):
        g1, g2 = ("r1", "r2") if m.group("r1") else ("r3", "r4")
        out.append(
            Statement(
                "allocation",
                base + m.start(g1),
                base + m.end(g2),
                {"ratio_treatment": _num(s, base, m, g1), "ratio_control": _num(s, base, m, g2)},
            )
        )

    # bare percentages after a rate word ("17.0% and 8.4%, respectively" share their words)
    prev: Statement | None = None
    for m in _PERCENT_RE.finditer(s):
        if not _free(taken, m.start(), m.end()):
            continue
        if prev is not None and _LIST_GAP.fullmatch(s[prev.end - base : m.start()]):
            st = Statement(
                "percent",
                base + m.start(),
                base + m.end(),
                {"percent": _num(s, base, m, "pct")},
                {"words": prev.info["words"], "list": True},
            )
            out.append(st)
            taken.append((m.start(), m.end()))
            prev = st
            continue
        before = s[max(0, m.start() - 90) : m.start()]
        after = s[m.end() : m.end() + 30]
        if _RANGE_BEFORE.search(before):
            continue  # the upper end of a range ("10-30% long-term survival")
        # the clause before the number, back to the last other number or clause mark
        clause = re.split(r"[;()\[\]]|\d", before)[-1]
        words = clause + " " + re.split(r"[;,.()\[\]]|\d", after)[0]
        if re.match(r"\s*(?:CI|confidence|credible)", after):
            continue
        if not _RATE_WORDS.search(words) or _NOT_RATE.search(words):
            continue
        if _EXCLUDE_BEFORE.search(s, 0, m.start()):
            continue
        out.append(
            Statement(
                "percent",
                base + m.start(),
                base + m.end(),
                {"percent": _num(s, base, m, "pct")},
                {"words": words.strip()},
            )
        )
        prev = out[-1]
        taken.append((m.start(), m.end()))
    out.sort(key=lambda st: (st.start, st.end))
    return out


def _unit(u: str) -> str:
    u = u.lower()
    for full in ("month", "week", "day", "year"):
        if u.startswith(full[:2]):
            return full + "s"
    return u
