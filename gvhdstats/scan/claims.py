"""From statements to record claims: grouping, arms and denominators.

One pass over the sentences finds the statements (:mod:`gvhdstats.scan.patterns`);
a second decides the design (single arm or two arms, stated arm sizes, the
allocation ratio) and the denominator of each arm; a third turns statements
into claims of the record schema (``docs/records.md``), each with the spans of
its printed numbers.

Denominators, in this order (every claim's ``assumed`` entry says which and why):

1. printed in the statement itself (``82/99 (82.8%)``, ``82 of 99``): no assumption;
2. the arm size the text states (``n = 101``), when every count/percentage pair
   of that arm fits it;
3. otherwise the denominators that fit every count/percentage pair of the arm
   (:func:`gvhdstats.numbers.recover_totals`), no larger than the stated size,
   when exactly one fits;
4. otherwise the stated size (the pairs that do not fit it are then inconsistent
   rows, which is the point), or none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gvhdstats.numbers import recover_totals
from gvhdstats.scan.patterns import Num, Statement, find_statements
from gvhdstats.scan.sentences import Sentence, split_sentences
from gvhdstats.scan.text import blank_tags, normalize

__all__ = ["Arm", "Scan", "ScannedClaim", "build_claims"]

RATIO_TYPES = (
    "odds-ratio",
    "risk-ratio",
    "hazard-ratio",
    "subdistribution-hazard-ratio",
    "rate-ratio",
)
_BINARY_KEYS = {
    "odds-ratio": "odds_ratio",
    "risk-ratio": "risk_ratio",
    "risk-difference": "risk_difference",
}


@dataclass
class ScannedClaim:
    """A claim found in the text, in the record schema, with the spans of its numbers.

    Attributes
    ----------
    id, type : str
        Claim id and claim type (``docs/records.md``).
    quote : str
        The sentence (whitespace runs collapsed to one space).
    sentence : Sentence
        The sentence it came from (index and span in the document text).
    printed : dict
        Printed numbers as strings, keyed as the schema keys them.
    spans : dict
        ``printed`` key (``parts[0]`` for list items) -> ``(start, end)`` in the text.
    assumed : dict
        Key -> ``(value, why)`` for inputs the statement does not print.
    fields : dict
        Other claim keys (``measure``, ``time``, ``arms``, ``endpoint``, ...).
    start, end : int
        Span of the whole statement.
    """

    id: str
    type: str
    quote: str
    sentence: Sentence
    printed: dict[str, Any] = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    assumed: dict[str, tuple[Any, str]] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)
    start: int = 0
    end: int = 0

    def put(self, key: str, num: Num, text: str | None = None) -> None:
        self.printed[key] = text if text is not None else num.text
        self.spans[key] = (num.start, num.end)

    def to_dict(self) -> dict[str, Any]:
        """The claim as a table of the record schema."""
        d: dict[str, Any] = {"id": self.id, "type": self.type}
        for k in (
            "section",
            "measure",
            "competing_risks",
            "time",
            "unit",
            "test",
            "endpoint",
            "arms",
            "related",
            "why",
        ):
            if k in self.fields and self.fields[k] not in (None, "", []):
                d[k] = self.fields[k]
        d["quote"] = self.quote
        d["printed"] = dict(self.printed)
        if self.assumed:
            d["assumed"] = {k: {"value": v, "why": w} for k, (v, w) in self.assumed.items()}
        return d

    def __repr__(self) -> str:
        vals = ", ".join(f"{k}={v}" for k, v in self.printed.items())
        return f"ScannedClaim({self.id!r}, {self.type!r}, {vals})"


@dataclass
class Arm:
    """An arm of the scanned trial: its id, stated size and the denominator used."""

    id: str
    label: str = ""
    stated: Num | None = None
    total: int | None = None
    why: str = ""
    source: str = ""  # "stated", "recovered" or ""


@dataclass
class Scan:
    """Everything one document gives: sentences, statements, design and claims."""

    text: str
    sentences: list[Sentence]
    statements: dict[int, list[Statement]]
    claims: list[ScannedClaim]
    arms: list[Arm]
    design: dict[str, Any]
    skipped: list[tuple[Statement, str]]


def _ws(text: str) -> str:
    return " ".join(text.split())


_COMPARATOR = re.compile(
    r"\b(?:vs\.?|versus|v\.?|compared|against|and|than)(?!\w)|,|\|", re.IGNORECASE
)
_PURE_LIST = re.compile(r"\s*[,;]?\s*(?:and|or)?\s*")
_GROUPS = re.compile(r"\b(?:groups|arms|cohorts)\b|\brespectively\b", re.IGNORECASE)
_LIST_GAP = re.compile(
    r"[\s\])]*(?:,\s*)?(?:(?:in|for|among|with) (?:the )?[\w -]{1,30}? (?:group|arm|cohort)s?"
    r"\s*,?\s*)?(?:and|or|vs\.?|versus)?\s*[\[(]?\s*"
)
_TIME = re.compile(
    r"\b(?P<n>\d+(?:\.\d+)?)[- ](?P<u>year|month|week|day)s?\b"
    r"|\bat (?P<n2>\d+(?:\.\d+)?) (?P<u2>year|month|week|day)s?\b",
    re.IGNORECASE,
)
_CONTROL_WORDS = re.compile(
    r"\b(?:control|placebo|standard|usual|observation|comparator|without)\b", re.IGNORECASE
)


def _classify(words: str) -> tuple[str, dict[str, Any]] | None:
    w = words.lower()
    if "follow" in w or re.search(r"\bage\b|\baged\b", w):
        return None
    if "incidence" in w or re.search(r"\brisk of\b|\bnrm\b|non-relapse mortality|relapse", w):
        return "incidence", {"measure": "cumulative-incidence", "competing_risks": True}
    if re.search(r"survival|\bos\b|\bpfs\b|\befs\b|\bdfs\b|\bgrfs\b|\bffs\b|\brfs\b|alive", w):
        return "incidence", {"measure": "survival", "competing_risks": False}
    if re.search(
        r"respon|\borr\b|\bcr\b|\bpr\b|\bcrr\b|remission|rate|proportion|women|\bmen\b|female|male",
        w,
    ):
        return "proportion", {}
    return None


def _endpoint(words: str) -> str:
    m = re.search(
        r"(?:incidence|rate|risk|probability) of ([\w ,+/-]+?)"
        r"(?:\s+(?:was|were|at|in|after|by)\b|$)",
        words,
    )
    if m:
        return m.group(1).strip(" ,")
    return ""


def _time(sentence: str) -> str:
    m = _TIME.search(sentence)
    if m is None:
        return ""
    n = m.group("n") or m.group("n2")
    u = (m.group("u") or m.group("u2")).lower()
    return f"{n} {u}" + ("" if n == "1" else "s")


def _group_labels(sentence: str) -> list[str]:
    m = re.search(r"\bthe ([\w+-]+) and ([\w+-]+) (?:groups|arms)\b", sentence)
    if m:
        return [m.group(1), m.group(2)]
    found = re.findall(r"\bthe ([\w+-]+(?: [\w+-]+)?) (?:group|arm)\b", sentence)
    return [
        f.split()[-1] if len(f.split()) > 1 and f.split()[0] in ("same", "other") else f
        for f in found
    ]


def build_claims(text: str) -> Scan:
    """Scan ``text``: sentences, statements, design, denominators and claims."""
    cleaned = blank_tags(text)
    flat = normalize(text)
    sentences = split_sentences(cleaned)
    statements: dict[int, list[Statement]] = {}
    seen: set[str] = set()
    for s in sentences:
        key = _ws(flat[s.start : s.end])
        if key in seen:  # the same sentence twice (an abstract pasted twice): once
            continue
        seen.add(key)
        st = find_statements(flat[s.start : s.end], s.start)
        if st:
            statements[s.index] = st
    b = _Builder(text, flat, sentences, statements)
    return b.run()


class _Builder:
    def __init__(
        self,
        text: str,
        flat: str,
        sentences: list[Sentence],
        statements: dict[int, list[Statement]],
    ):
        self.text = text
        self.flat = flat
        self.sentences = sentences
        self.statements = statements
        self.claims: list[ScannedClaim] = []
        self.skipped: list[tuple[Statement, str]] = []
        self.counter: dict[str, int] = {}
        self.design: dict[str, Any] = {}
        self.arms: list[Arm] = []

    # ------------------------------------------------------------ helpers
    def _new(self, ctype: str, prefix: str, s: Sentence, start: int, end: int) -> ScannedClaim:
        self.counter[prefix] = self.counter.get(prefix, 0) + 1
        c = ScannedClaim(
            id=f"{prefix}-{self.counter[prefix]}",
            type=ctype,
            quote=_ws(self.text[s.start : s.end]),
            sentence=s,
            start=start,
            end=end,
        )
        if s.section:
            c.fields["section"] = s.section.lower()
        self.claims.append(c)
        return c

    def _stext(self, s: Sentence) -> str:
        return self.flat[s.start : s.end]

    # ------------------------------------------------------------ design
    def _pairs(
        self, sts: Sequence[Statement]
    ) -> tuple[list[tuple[Statement, Statement]], list[Statement]]:
        counts = [x for x in sts if x.kind == "count"]
        pairs = []
        single = []
        i = 0

        def joined(x: Statement, y: Statement) -> bool:
            gap = self.flat[x.end : y.start]
            return len(gap) <= 80 and not re.search(r"\d", gap) and bool(_COMPARATOR.search(gap))

        def listed(x: Statement, y: Statement) -> bool:
            return bool(_PURE_LIST.fullmatch(self.flat[x.end : y.start]))

        while i < len(counts):
            if i + 1 < len(counts):
                # a list of three or more (three arms, doses) is not a two-arm comparison
                in_list = (i > 0 and listed(counts[i - 1], counts[i])) or (
                    i + 2 < len(counts) and listed(counts[i + 1], counts[i + 2])
                )
                if joined(counts[i], counts[i + 1]) and not in_list:
                    between = [
                        x
                        for x in sts
                        if counts[i].end <= x.start < counts[i + 1].start
                        and x.kind in ("effect", "estimate", "percent")
                    ]
                    if not between:
                        pairs.append((counts[i], counts[i + 1]))
                        i += 2
                        continue
            single.append(counts[i])
            i += 1
        return pairs, single

    def _design(self) -> None:
        sizes: list[Num] = []
        total: Num | None = None
        total_sentence: Sentence | None = None
        size_sentence: Sentence | None = None
        ratio: tuple[Num, Num] | None = None
        two_arm_evidence = False
        for s in self.sentences:
            sts = self.statements.get(s.index, [])
            arm_sizes = [x for x in sts if x.kind == "arm-size"]
            if len(arm_sizes) == 2 and not sizes:
                sizes = [x.nums["n"] for x in arm_sizes]
                size_sentence = s
            for x in sts:
                if (
                    x.kind == "total"
                    and total is None
                    and not x.info["text"].lower().startswith("of ")
                ):
                    total, total_sentence = x.nums["n"], s
                if x.kind == "allocation" and ratio is None:
                    ratio = (x.nums["ratio_treatment"], x.nums["ratio_control"])
                if x.kind == "effect" and x.info["measure"] != "risk-difference":
                    two_arm_evidence = True
            if self._pairs(sts)[0]:
                two_arm_evidence = True
        self.two_arm = bool(sizes) or two_arm_evidence or ratio is not None
        if self.two_arm:
            self.arms = [Arm("treatment"), Arm("control")]
            if sizes:
                self.arms[0].stated, self.arms[1].stated = sizes
            self.design["allocation"] = (
                "randomized" if re.search(r"randomi[sz]", self.flat, re.IGNORECASE) else "two-arm"
            )
        else:
            self.arms = [Arm("all", "all patients")]
            if total is not None:
                self.arms[0].stated = total
            self.design["allocation"] = "single-arm"
        if ratio is not None:
            self.design["ratio"] = f"{ratio[0].text}:{ratio[1].text}"
        if total is not None:
            self.design["enrollment"] = total.text
        self.total, self.total_sentence = total, total_sentence
        self.size_sentence = size_sentence
        # labels of the groups, from sentences naming two
        for s in self.sentences:
            labels = _group_labels(self._stext(s))
            if self.two_arm and len(labels) >= 2 and labels[0] != labels[1]:
                self.arms[0].label, self.arms[1].label = labels[0], labels[1]
                if _CONTROL_WORDS.search(labels[0]) and not _CONTROL_WORDS.search(labels[1]):
                    self.swapped = True
                break
        # count/percentage pairs of each arm
        self.arm_pairs: list[list[tuple[int, str]]] = [[] for _ in self.arms]
        for s in self.sentences:
            sts = self.statements.get(s.index, [])
            pairs, single = self._pairs(sts)
            if self.two_arm:
                for a, c in pairs:
                    for i, x in enumerate((a, c)):
                        if "percent" in x.nums and "total" not in x.nums:
                            self.arm_pairs[i].append(
                                (int(x.nums["events"].text), x.nums["percent"].text)
                            )
            else:
                for x in single:
                    if (
                        "percent" in x.nums
                        and "total" not in x.nums
                        and not self._of_total(sts, x)
                    ):
                        self.arm_pairs[0].append(
                            (int(x.nums["events"].text), x.nums["percent"].text)
                        )
        for arm, prs in zip(self.arms, self.arm_pairs, strict=True):
            self._resolve(arm, prs)

    def _resolve(self, arm: Arm, prs: list[tuple[int, str]]) -> None:
        described = ", ".join(f"{k} ({p}%)" for k, p in prs)
        stated = int(arm.stated.text) if arm.stated is not None else None
        if stated is not None and stated >= 1:
            fit = [
                (k, p)
                for k, p in prs
                if k <= stated and recover_totals(k, p, min_total=stated, max_total=stated)
            ]
            if len(fit) == len(prs):
                arm.total, arm.source = stated, "stated"
                arm.why = f"stated arm size n = {stated}" + (
                    f"; every count/percentage pair of this arm fits it ({described})"
                    if prs
                    else ""
                )
                return
        if prs:
            lo = max(max(k for k, _ in prs), 1)
            hi = stated if stated is not None else 10_000
            cands: set[int] | None = None
            if lo <= hi:
                for k, p in prs:
                    got = set(recover_totals(k, p, min_total=lo, max_total=hi))
                    cands = got if cands is None else cands & got
            if cands is not None and len(cands) == 1:
                n = cands.pop()
                arm.total, arm.source = n, "recovered"
                if stated is not None:
                    arm.why = (
                        f"stated n = {stated} does not fit every count/percentage pair of "
                        "this arm; "
                        f"{n} is the only denominator up to {stated} that fits all of "
                        f"{described} (recover_totals)"
                    )
                else:
                    arm.why = (
                        f"no arm size stated; {n} is the only denominator that fits all of "
                        f"{described} (recover_totals)"
                    )
                return
        if stated is not None and stated >= 1:
            arm.total, arm.source = stated, "stated"
            arm.why = f"stated arm size n = {stated}" + (
                f"; not every count/percentage pair of this arm fits it ({described})"
                if prs
                else ""
            )

    def _of_total(self, sts: Sequence[Statement], x: Statement) -> Num | None:
        """The N of "Of N patients, X (P%)" right before the count statement ``x``."""
        for t in sts:
            if t.kind == "total" and t.end <= x.start and t.info["text"].lower().startswith("of "):
                gap = self.flat[t.end : x.start]
                if re.fullmatch(r"[\s,]*(?:[\w-]+\s+){0,3}?[\s,]*", gap):
                    return t.nums["n"]
        return None

    def _arm_assume(self, c: ScannedClaim, key: str, arm_index: int) -> None:
        arm = self.arms[arm_index]
        if arm.total is None:
            return
        label = f"{arm.id} arm" + (f" ({arm.label})" if arm.label else "")
        c.assumed[key] = (arm.total, f"{label}: {arm.why}")

    # ------------------------------------------------------------ claims
    def run(self) -> Scan:
        self.swapped = False
        self._design()
        self._sum_claim()
        for s in self.sentences:
            sts = self.statements.get(s.index)
            if sts:
                self._sentence(s, sts)
        design = dict(self.design)
        return Scan(
            self.text,
            self.sentences,
            self.statements,
            self.claims,
            self.arms,
            design,
            self.skipped,
        )

    def _sum_claim(self) -> None:
        if not (self.two_arm and self.total is not None and self.size_sentence is not None):
            return
        ts, ss = self.total_sentence, self.size_sentence
        if ts is None or not (0 <= ss.index - ts.index <= 1):
            return
        a, b = self.arms[0].stated, self.arms[1].stated
        if a is None or b is None:
            return
        quote = _ws(self.text[ts.start : ss.end])
        c = self._new("sum", "arms-sum", ts, ts.start, ss.end)
        c.quote = quote
        c.fields["unit"] = "count"
        c.put("total", self.total)
        c.printed["parts"] = [a.text, b.text]
        c.spans["parts[0]"] = (a.start, a.end)
        c.spans["parts[1]"] = (b.start, b.end)

    def _sentence(self, s: Sentence, sts: list[Statement]) -> None:
        text = self._stext(s)
        pairs, single = self._pairs(sts)
        used: set[int] = set()
        binary_claims: list[ScannedClaim] = []
        ratio_claims: list[ScannedClaim] = []
        inc_claims: list[ScannedClaim] = []
        counts = [x for x in sts if x.kind == "count"]
        # two-arm count pairs, with the effect that follows them
        for a, c in pairs:
            cl = self._new("two-arm-binary", "binary", s, a.start, c.end)
            cl.fields["arms"] = ["treatment", "control"]
            for arm_i, (pref, x) in enumerate((("treatment", a), ("control", c))):
                cl.put(f"{pref}_events", x.nums["events"])
                if "percent" in x.nums:
                    cl.put(f"{pref}_percent", x.nums["percent"])
                if "total" in x.nums:
                    cl.put(f"{pref}_total", x.nums["total"])
                elif self.two_arm:
                    self._arm_assume(cl, f"{pref}_total", arm_i)
            nxt = [x.start for x in counts if x.start > c.end]
            limit = min(nxt) if nxt else s.end
            for e in sts:
                if e.kind == "effect" and c.end <= e.start < limit and id(e) not in used:
                    key = _BINARY_KEYS.get(e.info["measure"])
                    if key is None or e.info["adjusted"]:
                        break
                    self._effect_into(cl, e, key)
                    used.add(id(e))
                    cl.end = e.end
                    break
            binary_claims.append(cl)
        # single counts: proportions
        for x in single:
            cl = self._new("proportion", "proportion", s, x.start, x.end)
            cl.put("events", x.nums["events"])
            if "percent" in x.nums:
                cl.put("percent", x.nums["percent"])
            if "total" in x.nums:
                cl.put("total", x.nums["total"])
            else:
                of = self._of_total(sts, x)
                if of is not None:
                    cl.put("total", of)
                elif not self.two_arm and self.arms[0].total is not None:
                    self._arm_assume(cl, "total", 0)
            if self.two_arm is False:
                cl.fields["arms"] = ["all"]
        # effects not attached to counts: ratio claims
        for e in sts:
            if e.kind != "effect" or id(e) in used:
                continue
            meas = e.info["measure"]
            if meas not in RATIO_TYPES:
                self.skipped.append(
                    (e, f"{e.info['name']} without counts: no checker for a {meas} on its own")
                )
                continue
            cl = self._new("ratio", "ratio", s, e.start, e.end)
            cl.fields["measure"] = meas
            if self.two_arm:
                cl.fields["arms"] = ["treatment", "control"]
            self._effect_into(cl, e, "estimate")
            if e.info["adjusted"]:
                cl.fields["why"] = (
                    "adjusted estimate: only the estimate, CI and P are checked against each other"
                )
            ratio_claims.append(cl)
        # estimates with CI and bare percentages, classified by their words
        prev: Statement | None = None
        prev_class: tuple[str, dict[str, Any]] | None = None
        groups: list[list[tuple[Statement, tuple[str, dict[str, Any]]]]] = []
        for x in sts:
            if x.kind not in ("estimate", "percent"):
                continue
            cls = None
            if (
                prev is not None
                and prev_class is not None
                and _LIST_GAP.fullmatch(self.flat[prev.end : x.start])
            ):
                cls = prev_class
                groups[-1].append((x, cls))
            else:
                words = (
                    x.info.get("words") if x.kind == "percent" else self._words_before(s, sts, x)
                )
                cls = _classify(words or "")
                if cls is None:
                    self.skipped.append(
                        (x, f"no rate word before it ({(words or '').strip()[:40]!r})")
                    )
                    prev, prev_class = x, None
                    continue
                x.info["words"] = words
                groups.append([(x, cls)])
            prev, prev_class = x, cls
        for grp in groups:
            self._rate_group(s, text, sts, grp, inc_claims, counts)
        # medians
        for x in sts:
            if x.kind != "median":
                continue
            cl = self._new("median", "median", s, x.start, x.end)
            for k, v in x.nums.items():
                cl.put(k, v)
            cl.fields["unit"] = x.info["unit"]
            if "treatment" in x.nums and self.two_arm:
                cl.fields["arms"] = ["treatment", "control"]
            hrs = [
                r.id
                for r in ratio_claims
                if r.fields.get("measure") in ("hazard-ratio", "subdistribution-hazard-ratio")
            ]
            if hrs:
                cl.fields["related"] = hrs[:1]
        # test statistics
        for x in sts:
            if x.kind != "test":
                continue
            cl = self._new("test-statistic", "test", s, x.start, x.end)
            cl.fields["test"] = x.info["test"]
            for k, v in x.nums.items():
                cl.put(k, v)
        # hazard ratios in a sentence with incidences relate to them
        if inc_claims:
            for r in ratio_claims:
                if r.fields.get("measure") in ("hazard-ratio", "subdistribution-hazard-ratio"):
                    r.fields["related"] = [c.id for c in inc_claims]
        self._sum_of_rates(s, sts)

    def _words_before(self, s: Sentence, sts: list[Statement], x: Statement) -> str:
        start = s.start
        for y in sts:
            if y.end <= x.start and y.kind not in ("arm-size", "allocation", "total"):
                start = max(start, y.end)
        return self.flat[start : x.start]

    def _effect_into(self, cl: ScannedClaim, e: Statement, key: str) -> None:
        cl.put(key, e.nums["estimate"])
        for k in ("ci_low", "ci_high", "ci_level", "p"):
            if k in e.nums:
                cl.put(k, e.nums[k])

    def _rate_group(
        self,
        s: Sentence,
        text: str,
        sts: list[Statement],
        grp: list[tuple[Statement, tuple[str, dict[str, Any]]]],
        inc_claims: list[ScannedClaim],
        counts: list[Statement],
    ) -> None:
        first = grp[0][0]
        words = str(first.info.get("words") or "")
        ctype, extra = grp[0][1]
        endpoint = _endpoint(words)
        parts = [p.strip() for p in re.split(r"\s+and\s+", endpoint)] if endpoint else []
        by_arm = (
            self.two_arm
            and len(grp) == 2
            and (bool(_GROUPS.search(text)) or len(re.findall(r"\b(?:group|arm)\b", text)) >= 2)
            and len(parts) != 2
        )
        by_endpoint = len(grp) > 1 and len(parts) == len(grp) and not by_arm
        if (
            len(grp) > 1
            and not by_arm
            and not by_endpoint
            and not (not self.two_arm and ctype == "proportion")
        ):
            # a list of rates that is neither per arm nor per endpoint: one claim each, no arm
            pass
        time = _time(text) if ctype == "incidence" else ""
        for i, (x, _) in enumerate(grp):
            if "ci_low" in x.nums and not (
                float(x.nums["ci_low"].text)
                <= float((x.nums.get("estimate") or x.nums["percent"]).text)
                <= float(x.nums["ci_high"].text)
            ):
                self.skipped.append((x, "the estimate lies outside the interval after it"))
                continue
            prefix = "incidence" if ctype == "incidence" else "proportion"
            cl = self._new(ctype, prefix, s, x.start, x.end)
            ep = parts[i] if by_endpoint else endpoint
            if ep:
                cl.fields["endpoint"] = ep
            arm_i: int | None = None
            if by_arm:
                arm_i = i
            elif not self.two_arm:
                arm_i = 0
            if self.swapped and arm_i is not None and self.two_arm:
                arm_i = 1 - arm_i
            if arm_i is not None:
                cl.fields["arms"] = [self.arms[arm_i].id]
            if ctype == "incidence":
                cl.fields.update(extra)
                if time:
                    cl.fields["time"] = time
                est = x.nums["estimate"] if "estimate" in x.nums else x.nums["percent"]
                small = all(
                    float(v.text) <= 1
                    for k, v in x.nums.items()
                    if k in ("estimate", "percent", "ci_low", "ci_high")
                )
                pct = bool(x.info.get("percent", x.kind == "percent"))
                cl.put("estimate", est, est.text + ("%" if pct and small else ""))
                for k in ("ci_low", "ci_high", "ci_level"):
                    if k in x.nums:
                        cl.put(k, x.nums[k])
                if arm_i is not None:
                    self._arm_assume(cl, "n", arm_i)
                inc_claims.append(cl)
            else:
                pnum = x.nums["estimate"] if "estimate" in x.nums else x.nums["percent"]
                cl.put("percent", pnum)
                for k in ("ci_low", "ci_high", "ci_level"):
                    if k in x.nums:
                        cl.put(k, x.nums[k])
                host = self._host_count(sts, x)
                if host is not None:
                    cl.assumed["total"] = (
                        int(host.text),
                        "the percentage is printed inside the parentheses of the count "
                        f"{host.text}",
                    )
                elif arm_i is not None:
                    self._arm_assume(cl, "total", arm_i)

    def _host_count(self, sts: list[Statement], x: Statement) -> Num | None:
        for c in sts:
            if c.kind == "count" and c.end <= x.start:
                seg = self.flat[c.start : x.start]
                if seg.count("(") > seg.count(")") and "percent" in c.nums:
                    return c.nums["events"]
        return None

    def _sum_of_rates(self, s: Sentence, sts: list[Statement]) -> None:
        """ORR = CR + PR in one sentence: a ``sum`` claim of the percentages."""
        found: dict[str, ScannedClaim] = {}
        for c in self.claims:
            if c.sentence.index != s.index or c.type != "proportion" or "percent" not in c.printed:
                continue
            w = ""
            for x in sts:
                if x.kind in ("percent", "estimate") and (x.start, x.end) == (c.start, c.end):
                    w = str(x.info.get("words") or "").lower()
            if re.search(r"\borr\b|overall response", w):
                found.setdefault("total", c)
            elif re.search(r"\bcr\b|complete (?:response|remission)", w):
                found.setdefault("cr", c)
            elif re.search(r"\bpr\b|partial (?:response|remission)", w):
                found.setdefault("pr", c)
        if len(found) != 3:
            return
        tot, cr, pr = found["total"], found["cr"], found["pr"]
        cl = self._new("sum", "rates-sum", s, tot.start, pr.end)
        cl.fields["unit"] = "percent"
        cl.printed["total"] = tot.printed["percent"]
        cl.spans["total"] = tot.spans["percent"]
        cl.printed["parts"] = [cr.printed["percent"], pr.printed["percent"]]
        cl.spans["parts[0]"] = cr.spans["percent"]
        cl.spans["parts[1]"] = pr.spans["percent"]
        if "total" in tot.assumed:
            v, why = tot.assumed["total"]
            cl.assumed["n"] = (v, why + "; the parts are counts out of the same denominator")
