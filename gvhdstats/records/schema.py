"""The record schema as data: every key a record may have, its type, its range.

This module is the one place where the TOML record schema is written down.
:mod:`gvhdstats.records.loader` validates records against it, and the claim-type
section of ``docs/records.md`` is generated from it (:func:`claim_types_markdown`;
``python docs/make_records_doc.py`` rewrites the section and
``tests/records/test_schema.py`` fails when the committed text differs), so the
documentation and the loader cannot drift apart.

Every printed number has a *kind* (:data:`KINDS`): the type and range a value of
that kind must have.  A value outside its kind's range is not a finding about
the paper but a typo in the record (a printed percentage of 150), and loading
fails with :class:`~gvhdstats.errors.ImpossibleValueError` naming the file, the
claim and the field.

Examples
--------
>>> from gvhdstats.records.schema import CLAIM_SCHEMAS
>>> s = CLAIM_SCHEMAS["proportion"]
>>> s.printed_key("percent").kind
'percent'
>>> [c.name for c in s.checks]
['percent', 'ci']
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ARM_KEYS",
    "CLAIM_SCHEMAS",
    "COMMON_CLAIM_KEYS",
    "DATA_KEYS",
    "DESIGN_KEYS",
    "KINDS",
    "RELATION_KEYS",
    "SCHEDULE_KEYS",
    "SOURCE_KEYS",
    "STUDY_KEYS",
    "TOP_KEYS",
    "CheckSpec",
    "ClaimKey",
    "ClaimSchema",
    "PrintedKey",
    "claim_types_markdown",
    "free_schema",
]

#: Kinds of printed values: name -> what a value of this kind must be.
KINDS: dict[str, str] = {
    "count": 'a non-negative integer, e.g. `"82"`',
    "total": 'a positive integer (a denominator), e.g. `"99"`',
    "percent": 'a percentage in [0, 100], e.g. `"82.8"`',
    "probability": 'a percentage in [0, 100] or a proportion in [0, 1], e.g. `"39.5"`',
    "ratio": 'a non-negative ratio, e.g. `"2.00"`',
    "difference": 'a difference of proportions in [-100, 100], e.g. `"-4.1"`',
    "p": 'a P value in (0, 1], or a bound such as `"<0.001"`',
    "level": 'a confidence level in (0, 100) other than 1, e.g. `"95"` or `"0.95"`',
    "positive": "a positive number",
    "number": "any finite printed number",
    "numbers": "a list of printed numbers",
    "date": 'a date `"YYYY"`, `"YYYY-MM"` or `"YYYY-MM-DD"`',
    "allocation": 'positive numbers separated by colons, e.g. `"1:1"`, `"2:1"`',
    "text": "free text",
}


@dataclass(frozen=True)
class PrintedKey:
    """A key of ``[claims.printed]``: its value kind and whether it may be ``assumed``."""

    name: str
    kind: str
    doc: str
    assumable: bool = False


@dataclass(frozen=True)
class ClaimKey:
    """A top-level claim key beyond the common ones (``measure``, ``time``, ...).

    ``kind`` is one of ``"str"``, ``"bool"``, ``"enum"`` (one of ``values``),
    ``"schedule"`` (a list of schedule tables), ``"data"`` (the table of a
    ``reconstructed`` claim) or ``"strata"`` (a list of
    ``[treatment_events, treatment_total, control_events, control_total]``
    integer lists).
    """

    name: str
    kind: str
    doc: str
    values: tuple[str, ...] = ()
    default: str | None = None


@dataclass(frozen=True)
class CheckSpec:
    """One check of a claim type and the keys that make it possible.

    ``needs`` is a conjunction of clauses; each clause is a ``|``-separated
    list of alternatives (``"treatment_total|arms"``: the printed or assumed
    key, or a design arm of known size).
    """

    name: str
    needs: tuple[str, ...]
    doc: str


@dataclass(frozen=True)
class ClaimSchema:
    """Everything a claim of one type may contain.

    Attributes
    ----------
    type : str
        The claim type (``type = "..."``).
    summary : str
        What such a claim records.
    checked_by : str
        Where its checker lives.
    printed : tuple of PrintedKey
        The keys of ``[claims.printed]``; ``assumable`` ones may be given in
        ``[claims.assumed]`` instead.
    printed_prefixes : tuple of PrintedKey
        Keys formed as ``<prefix><arm>`` for an arm of the claim
        (``median_msc``); ``name`` holds the prefix.
    free_printed : bool
        Any snake_case key is allowed in ``printed`` (facts, descriptives):
        ``date``, ``start``, ``end`` and ``*_date`` keys are dates, ``text``
        and ``*_text`` keys are text, every other key a printed number.
    keys : tuple of ClaimKey
        The top-level keys this type takes beyond :data:`COMMON_CLAIM_KEYS`.
    required : tuple of str
        Each entry must be printed or assumed; ``"a|b"`` means one of them.
    ordered : tuple of (str, str)
        Pairs that must satisfy ``low <= high`` when both are known
        (``ci_low <= ci_high``, ``events <= total``).
    together : tuple of (str, str)
        Pairs that are printed both or neither (the two CI bounds).
    ci_kind : tuple of (str, str)
        The kind of ``ci_low``/``ci_high``: the kind paired with the first
        printed key of this list (a CI belongs to the first printed effect).
    n_arms : tuple of int
        Allowed lengths of ``arms`` (empty: any).
    arms_required : bool
        Whether ``arms`` must be given.
    arm_totals : tuple of str
        The denominator key of each arm, in the order of ``arms``
        (``treatment_total``, ``control_total``): when neither printed nor
        assumed, it is the size of that design arm.
    unit_kinds : tuple of (str, str)
        ``unit`` value -> the kind its ``number``/``numbers`` keys take
        (a ``sum`` of counts adds counts).
    checks : tuple of CheckSpec
        The checks and the keys each needs.
    """

    type: str
    summary: str
    checked_by: str
    printed: tuple[PrintedKey, ...] = ()
    printed_prefixes: tuple[PrintedKey, ...] = ()
    free_printed: bool = False
    keys: tuple[ClaimKey, ...] = ()
    required: tuple[str, ...] = ()
    ordered: tuple[tuple[str, str], ...] = ()
    together: tuple[tuple[str, str], ...] = ()
    ci_kind: tuple[tuple[str, str], ...] = ()
    n_arms: tuple[int, ...] = ()
    arms_required: bool = False
    arm_totals: tuple[str, ...] = ()
    unit_kinds: tuple[tuple[str, str], ...] = ()
    checks: tuple[CheckSpec, ...] = ()

    def printed_key(self, name: str) -> PrintedKey | None:
        """The :class:`PrintedKey` called ``name``, or None."""
        for k in self.printed:
            if k.name == name:
                return k
        return None

    def claim_key(self, name: str) -> ClaimKey | None:
        """The type-specific top-level key called ``name``, or None."""
        for k in self.keys:
            if k.name == name:
                return k
        return None

    @property
    def assumable(self) -> tuple[str, ...]:
        """Keys that may be given in ``[claims.assumed]``."""
        return tuple(k.name for k in self.printed if k.assumable)


def free_schema(claim_type: str, checked_by: str = "a registered checker") -> ClaimSchema:
    """The schema of a claim type registered without one: any printed number, no assumed.

    :func:`gvhdstats.engine.register_check` uses it when it is given no schema.
    """
    return ClaimSchema(
        type=claim_type,
        summary="a claim type registered at run time without a schema",
        checked_by=checked_by,
        free_printed=True,
        keys=(
            ClaimKey("measure", "str", "what is measured"),
            ClaimKey("time", "str", "time point as printed"),
            ClaimKey("unit", "str", "unit of the printed numbers"),
        ),
    )


# --------------------------------------------------------------------------
# record-level tables
# --------------------------------------------------------------------------

#: Top-level keys of a record: key -> (type, meaning).
TOP_KEYS: dict[str, tuple[str, str]] = {
    "schema": ("int", "schema version, `1`"),
    "id": (
        "str",
        'record id, e.g. `"zhao2022"` (letters, digits, `.`, `_`, `-`); must differ from every '
        "bundled record's id",
    ),
    "kind": ("str", '`"protocol"`, `"registry"` or `"publication"`'),
    "title": ("str", "title of the document"),
    "source": ("table", "where the document comes from, see `[source]`"),
    "relations": ("table", "other records of the same trial, see `[relations]`"),
    "design": ("table", "see `[design]`"),
    "claims": ("array of tables", "see `[[claims]]`"),
}

#: Keys of ``[source]``: key -> (kind, meaning).
SOURCE_KEYS: dict[str, tuple[str, str]] = {
    "file": ("text", "seed file name of the source text"),
    "doi": ("text", "DOI"),
    "citation": ("text", "journal citation"),
    "pmid": ("text", "PubMed id"),
    "registry_id": ("text", "trial registration id"),
    "org_study_id": ("text", "sponsor's study id"),
    "url": ("text", "web address"),
    "last_updated": ("date", "date the source was last updated"),
}

#: Keys of ``[relations]``: key -> (type, meaning).
RELATION_KEYS: dict[str, tuple[str, str]] = {
    "registration": (
        "str",
        "bundled record id (or file next to this one) of the trial's registration",
    ),
    "publications": ("list of str", "ids of records publishing this registered trial"),
    "same_trial": ("list of str", "ids of other records of the same trial"),
}

#: Keys of ``[design]``: key -> (kind, meaning).
DESIGN_KEYS: dict[str, tuple[str, str]] = {
    "phase": ("text", 'as printed, e.g. `"PHASE2/PHASE3"`, `"3"`'),
    "allocation": ("text", 'e.g. `"randomized"`, `"single-arm"`'),
    "ratio": ("allocation", 'allocation ratio as printed, e.g. `"1:1"`, `"2:1"`, `"1:1:1"`'),
    "masking": ("text", 'e.g. `"open-label"`'),
    "centres": ("count", "number of centres"),
    "enrollment": ("count", "printed enrollment (planned for registries/protocols)"),
    "start": ("date", "start date (ISO)"),
    "end": ("date", "end or completion date (ISO)"),
    "primary_endpoint": ("text", "as stated (free text)"),
    "arms": ("arms", "`[[design.arms]]` tables, see below"),
}

#: Keys of one ``[[design.arms]]`` table: key -> (kind, meaning).
ARM_KEYS: dict[str, tuple[str, str]] = {
    "id": ("text", "arm id used by the claims' `arms` (required, unique)"),
    "label": ("text", "what the arm received"),
    "randomised": (
        "total",
        'patients randomised (printed string, or `{ value = 101, why = "..." }`)',
    ),
    "analysed": (
        "total",
        'patients analysed (printed string, or `{ value = 99, why = "..." }`)',
    ),
    "schedule": ("schedule", "dose schedule blocks, as in the `dose-schedule` claim"),
}

#: Keys of one schedule block (``schedule = [{ per_week = "2", weeks = "2" }]``).
SCHEDULE_KEYS: dict[str, tuple[str, str]] = {
    "per_week": ("total", "administrations per week"),
    "weeks": ("total", "number of weeks"),
    "days": ("numbers", 'days of administration, strictly increasing, e.g. `["1", "4"]`'),
}

#: Keys of the ``data`` table of a ``reconstructed`` claim.
DATA_KEYS: dict[str, tuple[str, str]] = {
    "curves": ("str or list of str", "CSV files of digitised curves, relative to the record"),
    "risk_table": ("str", "CSV file of the numbers at risk, relative to the record"),
    "landmark": ("number", "time of the `landmark_<arm>` estimates"),
    "cause": ("int", "cause of interest of a cumulative-incidence curve (default 1)"),
    "total_events": ("table", "events per arm, `{ <arm> = <int> }`, when printed"),
}

#: Keys every claim may have: key -> (type, meaning).
COMMON_CLAIM_KEYS: dict[str, tuple[str, str]] = {
    "id": (
        "str",
        "unique within the record; letters, digits, `.`, `_`, `-` (kebab-case preferred)",
    ),
    "type": ("str", "one of the claim types below"),
    "quote": (
        "str",
        "the verbatim sentence the numbers come from (non-empty); seed documents only",
    ),
    "location": (
        "str",
        "instead of `quote`, for papers outside the seed documents: where the figures are "
        'printed (`"abstract, results"`, `"table 2"`, `"figure 3"`); never copied text',
    ),
    "section": ("str", 'optional: where in the document (`"results"`, `"methods"`, ...)'),
    "endpoint": ("str", "optional: what is measured"),
    "arms": (
        "list of str",
        "optional: ids of `design.arms` the claim is about (treatment first); must exist",
    ),
    "printed": ("table", "the printed numbers, **all strings**; keys depend on `type`"),
    "assumed": (
        "table",
        'inputs not printed in the quote; each `key = { value = <number>, why = "<reason>" }`',
    ),
    "related": ("list of str", "optional: ids of other claims of this record"),
    "why": ("str", "optional: why the numbers cannot be checked, or how to read them"),
    "note": ("str", "optional: a curator's remark"),
}

_DENOMINATOR = ClaimKey(
    "denominator",
    "enum",
    "which size of the claim's design arms a missing total is taken from "
    "(default: `analysed` when known, else `randomised`)",
    ("analysed", "randomised"),
)

_P_SIDED = ClaimKey(
    "p_sided",
    "enum",
    "the paper says its P is one-sided (compared with half the two-sided P)",
    ("two-sided", "one-sided"),
    "two-sided",
)

_CI = (
    PrintedKey("ci_low", "number", "lower CI bound"),
    PrintedKey("ci_high", "number", "upper CI bound"),
    PrintedKey("ci_level", "level", "CI level (default 95)"),
)


def _ci(kind: str) -> tuple[PrintedKey, ...]:
    return (
        PrintedKey("ci_low", kind, "lower CI bound"),
        PrintedKey("ci_high", kind, "upper CI bound"),
        PrintedKey("ci_level", "level", "CI level (default 95)"),
    )


_BINARY = ClaimSchema(
    type="two-arm-binary",
    summary="events out of totals in two arms, with an odds ratio, risk ratio or risk "
    "difference, its CI and P",
    checked_by="`gvhdstats.checks.binary` (`check_2x2`)",
    printed=(
        PrintedKey("treatment_events", "count", "events in the treatment arm", True),
        PrintedKey("treatment_total", "total", "patients in the treatment arm", True),
        PrintedKey("treatment_percent", "percent", "printed percentage, treatment arm"),
        PrintedKey("control_events", "count", "events in the control arm", True),
        PrintedKey("control_total", "total", "patients in the control arm", True),
        PrintedKey("control_percent", "percent", "printed percentage, control arm"),
        PrintedKey("odds_ratio", "ratio", "odds ratio"),
        PrintedKey("risk_ratio", "ratio", "risk ratio"),
        PrintedKey("risk_difference", "difference", "risk difference"),
        *_CI,
        PrintedKey("p", "p", "two-sided P (one-sided with `p_sided`)"),
        PrintedKey(
            "p_heterogeneity",
            "p",
            "with `strata`: P of a test of a common odds ratio (Breslow-Day, Tarone)",
        ),
    ),
    keys=(
        _DENOMINATOR,
        ClaimKey(
            "strata",
            "strata",
            "counts per stratum, `[[te, tt, ce, ct], ...]` (integers), instead of the arm "
            "counts: the effect, CI and P are checked as pooled Mantel-Haenszel or Peto "
            "estimates and CMH or Wald tests",
        ),
        _P_SIDED,
        ClaimKey(
            "unit",
            "enum",
            'how a risk difference is printed: `-0.4` is -0.4 points with "percentage-points", '
            '-40 points with "proportion" (default: points when printed with % or above 1)',
            ("percentage-points", "proportion"),
        ),
    ),
    required=(
        "treatment_events|treatment_percent|strata",
        "control_events|control_percent|strata",
    ),
    ordered=(
        ("treatment_events", "treatment_total"),
        ("control_events", "control_total"),
        ("ci_low", "ci_high"),
    ),
    together=(("ci_low", "ci_high"),),
    ci_kind=(("odds_ratio", "ratio"), ("risk_ratio", "ratio"), ("risk_difference", "difference")),
    n_arms=(2,),
    arm_totals=("treatment_total", "control_total"),
    checks=(
        CheckSpec(
            "percent[<arm>]",
            ("<arm>_percent", "<arm>_total|arms"),
            "GRIM: does a count out of the total print as the percentage",
        ),
        CheckSpec(
            "odds_ratio, risk_ratio, risk_difference",
            (
                "the effect",
                "treatment_events|treatment_percent",
                "control_events|control_percent",
                "treatment_total|arms",
                "control_total|arms",
            ),
            "the estimate under every method (a count missing is recovered from its "
            "percentage when unique)",
        ),
        CheckSpec(
            "ci_low, ci_high",
            ("ci_low", "ci_high", "the effect", "both arms' counts as above"),
            "the CI of the first printed effect under every interval method",
        ),
        CheckSpec("p", ("p", "both arms' counts as above"), "every P method"),
        CheckSpec(
            "p_heterogeneity",
            ("p_heterogeneity", "strata"),
            "Breslow-Day and Breslow-Day-Tarone tests of a common odds ratio",
        ),
        CheckSpec(
            "joint[<effect>]",
            ("the effect", "ci_low|p", "both arms' counts as above"),
            "which method family gives estimate, CI and P together",
        ),
    ),
)

_PROPORTION = ClaimSchema(
    type="proportion",
    summary="events out of a total, a percentage and its CI",
    checked_by="`gvhdstats.checks.proportion` (`check_proportion`)",
    printed=(
        PrintedKey("events", "count", "events", True),
        PrintedKey("total", "total", "denominator", True),
        PrintedKey("percent", "percent", "printed percentage"),
        *_ci("probability"),
    ),
    keys=(_DENOMINATOR,),
    required=("percent|ci_low",),
    ordered=(("events", "total"), ("ci_low", "ci_high")),
    together=(("ci_low", "ci_high"),),
    n_arms=(1,),
    arm_totals=("total",),
    checks=(
        CheckSpec(
            "percent",
            ("percent", "total|arms"),
            "GRIM: a count out of the total that prints as the percentage (events, when "
            "given, must be it)",
        ),
        CheckSpec(
            "ci",
            ("ci_low", "ci_high", "events|percent", "total|arms"),
            "the CI under every binomial interval method",
        ),
    ),
)

_RATIO = ClaimSchema(
    type="ratio",
    summary="a hazard, subdistribution hazard, odds or risk ratio with its CI and P",
    checked_by="`gvhdstats.checks.ratio` (`check_ratio`)",
    printed=(
        PrintedKey("estimate", "ratio", "the ratio"),
        *_ci("ratio"),
        PrintedKey("p", "p", "two-sided P"),
        PrintedKey(
            "allocation_ratio",
            "positive",
            "treatment:control allocation (default: `design.ratio`, else 1)",
            True,
        ),
        PrintedKey("margin", "positive", "non-inferiority margin on the ratio scale", True),
    ),
    keys=(
        ClaimKey(
            "measure",
            "enum",
            "the ratio printed",
            (
                "hazard-ratio",
                "subdistribution-hazard-ratio",
                "odds-ratio",
                "risk-ratio",
                "rate-ratio",
            ),
            "hazard-ratio",
        ),
        ClaimKey("time", "str", "time point or follow-up as printed"),
        ClaimKey(
            "hypothesis",
            "enum",
            "what the P tests: a non-inferiority P is the one-sided Wald P against `margin` "
            '(default: "non-inferiority" when the quote says so, else "superiority")',
            ("superiority", "non-inferiority"),
        ),
        _P_SIDED,
    ),
    required=("estimate|ci_low|p",),
    ordered=(("ci_low", "ci_high"),),
    together=(("ci_low", "ci_high"),),
    checks=(
        CheckSpec(
            "estimate",
            ("estimate", "ci_low", "ci_high"),
            "the estimate against the geometric midpoint of its CI",
        ),
        CheckSpec(
            "p",
            ("p", "ci_low", "ci_high"),
            "the Wald P that the CI implies (one-sided with `p_sided`; against `margin` "
            "for non-inferiority; notes for a P that fits only one-sided or at another "
            "CI level)",
        ),
        CheckSpec(
            "implied events (record-level)",
            ("ci_low", "ci_high", "arms", "related incidence claims"),
            "events the CI width implies against arm sizes and printed incidences",
        ),
    ),
)

_INCIDENCE = ClaimSchema(
    type="incidence",
    summary="a survival or cumulative incidence at a time point, with its CI",
    checked_by="`gvhdstats.checks.incidence` (`check_incidence`, `km_attainable`)",
    printed=(
        PrintedKey("estimate", "probability", "the printed incidence or survival"),
        *_ci("probability"),
        PrintedKey("n", "total", "arm size (often assumed)", True),
    ),
    keys=(
        ClaimKey(
            "measure",
            "enum",
            "what the estimate is",
            ("cumulative-incidence", "survival"),
            "survival",
        ),
        ClaimKey("time", "str", 'time point as printed, e.g. `"2 years"`'),
        ClaimKey("competing_risks", "bool", "whether competing risks were accounted for"),
        _DENOMINATOR,
    ),
    required=("estimate",),
    ordered=(("ci_low", "ci_high"),),
    together=(("ci_low", "ci_high"),),
    n_arms=(1,),
    arm_totals=("n",),
    checks=(
        CheckSpec(
            "transform",
            ("estimate", "ci_low", "ci_high"),
            "which CI transformation (plain, log, log-log, logit, arcsine) fits",
        ),
        CheckSpec(
            "effective_n",
            ("estimate", "ci_low", "ci_high", "n|arms"),
            "the effective sample size the CI implies, against the arm size",
        ),
        CheckSpec(
            "attainable",
            ("estimate", "n|arms"),
            "whether a Kaplan-Meier / Aalen-Johansen estimate of n patients can print so",
        ),
    ),
)

_MEDIAN = ClaimSchema(
    type="median",
    summary="median times (survival, response duration)",
    checked_by="`gvhdstats.checks.ratio` (cross-checked against a related `ratio`)",
    printed=(
        PrintedKey("treatment", "number", "median, treatment arm"),
        PrintedKey("control", "number", "median, control arm"),
        PrintedKey("value", "number", "a single median"),
    ),
    keys=(ClaimKey("unit", "str", 'e.g. `"months"`'),),
    required=("treatment|control|value",),
    checks=(
        CheckSpec(
            "median ratio",
            ("treatment", "control", "related ratio claim"),
            "control/treatment medians against the printed HR (exponential model, a note)",
        ),
    ),
)

_SUM = ClaimSchema(
    type="sum",
    summary="printed parts that must add up to a printed total",
    checked_by="`gvhdstats.checks.arithmetic`",
    printed=(
        PrintedKey("total", "number", "the printed total"),
        PrintedKey("parts", "numbers", "the printed parts (at least two)"),
        PrintedKey("n", "total", "common denominator of percentage parts", True),
    ),
    keys=(ClaimKey("unit", "enum", "what is added", ("count", "percent"), "count"),),
    required=("total", "parts"),
    unit_kinds=(("count", "count"), ("percent", "percent")),
    checks=(
        CheckSpec("interval-sum", ("total", "parts"), "the parts' rounding intervals add up"),
        CheckSpec(
            "count-sum",
            ("total", "parts", "n", 'unit = "percent"'),
            "counts out of n printing as the parts add up to one printing as the total",
        ),
    ),
)

_DOSE = ClaimSchema(
    type="dose-schedule",
    summary="a dose per administration and a schedule",
    checked_by="`gvhdstats.checks.arithmetic`",
    printed=(
        PrintedKey("dose", "positive", "dose per administration"),
        PrintedKey("total_doses", "count", "printed number of administrations"),
        PrintedKey("cumulative_dose", "number", "printed cumulative dose"),
    ),
    keys=(
        ClaimKey("dose_unit", "str", 'e.g. `"10^6 cells/kg"`'),
        ClaimKey(
            "schedule",
            "schedule",
            'blocks `{ per_week = "2", weeks = "2" }` or `{ days = ["1", "4"] }`',
        ),
    ),
    required=("dose", "schedule"),
    checks=(
        CheckSpec(
            "total_doses", ("total_doses", "schedule"), "administrations the schedule gives"
        ),
        CheckSpec(
            "cumulative_dose", ("dose", "cumulative_dose", "schedule"), "dose x administrations"
        ),
    ),
)

_FACT = ClaimSchema(
    type="fact",
    summary="design facts (dates, enrollment targets, ages, counts of centres)",
    checked_by="not checkable on its own; used by the record-level comparisons",
    free_printed=True,
    keys=(ClaimKey("unit", "str", "unit of the printed numbers"),),
)

_DESCRIPTIVE = ClaimSchema(
    type="descriptive",
    summary="numbers that no data here can check (a mean age, background figures)",
    checked_by="reported as `not-checkable` with the reason in `why`",
    free_printed=True,
    keys=(ClaimKey("unit", "str", "unit of the printed numbers"),),
)

_RECONSTRUCTED = ClaimSchema(
    type="reconstructed",
    summary="numbers re-derived from digitised curves and risk tables",
    checked_by="`gvhdstats.checks.reconstructed` (see [reconstruction.md](reconstruction.md))",
    printed=(
        PrintedKey("estimate", "ratio", "hazard or subdistribution hazard ratio"),
        *_ci("ratio"),
        PrintedKey("p", "p", "log-rank or Gray's test P"),
    ),
    printed_prefixes=(
        PrintedKey("median_", "number", "median of an arm (`median_<arm>`)"),
        PrintedKey("landmark_", "probability", "percent at `data.landmark` (`landmark_<arm>`)"),
    ),
    keys=(
        ClaimKey(
            "measure",
            "enum",
            "the curves' measure",
            ("survival", "cumulative-incidence"),
            "survival",
        ),
        ClaimKey("data", "data", "the digitised files, see below"),
        ClaimKey("time", "str", "follow-up as printed"),
    ),
    required=("data", "estimate|ci_low|p|median_<arm>|landmark_<arm>"),
    ordered=(("ci_low", "ci_high"),),
    together=(("ci_low", "ci_high"),),
    n_arms=(2,),
    arms_required=True,
    checks=(
        CheckSpec(
            "estimate, ci_low, ci_high, p",
            ("data", "arms"),
            "Cox or Fine-Gray fit and log-rank or Gray's test on the rebuilt patients",
        ),
        CheckSpec("median_<arm>", ("data", "arms"), "Kaplan-Meier median of the rebuilt arm"),
        CheckSpec("landmark_<arm>", ("data", "data.landmark"), "rebuilt estimate at the landmark"),
    ),
)

_TEST_STATISTIC = ClaimSchema(
    type="test-statistic",
    summary="a test statistic with its degrees of freedom and P (APA style, as statcheck "
    "reads them)",
    checked_by="`gvhdstats.checks.teststat` (`check_test_statistic`)",
    printed=(
        PrintedKey("statistic", "number", "the printed statistic"),
        PrintedKey("df1", "positive", "degrees of freedom (t, chi2, r; the first of F)"),
        PrintedKey("df2", "positive", "the second degrees of freedom of F"),
        PrintedKey("p", "p", "the printed P"),
    ),
    keys=(ClaimKey("test", "enum", "the statistic", ("t", "F", "chi2", "z", "r")),),
    required=("statistic", "p"),
    checks=(
        CheckSpec(
            "p",
            ("statistic", "p", "test"),
            "the P range of the statistic's rounding interval (two-sided for t, z, r; upper "
            "tail for F, chi2) against the printed P",
        ),
    ),
)

#: Keys of one ``[[claims.studies]]`` table of a ``meta-analysis`` claim: key -> (kind, meaning).
STUDY_KEYS: dict[str, tuple[str, str]] = {
    "label": ("text", "the study's name as the review gives it (required)"),
    "claim": ("text", 'a bundled two-arm claim `"record#claim"`: its counts are used or compared'),
    "treatment_events": ("count", "events in the treatment arm, as the review prints them"),
    "treatment_total": ("total", "patients in the treatment arm"),
    "control_events": ("count", "events in the control arm"),
    "control_total": ("total", "patients in the control arm"),
    "estimate": ("ratio", "the study's ratio as printed (with `ci_low`, `ci_high`)"),
    "ci_low": ("ratio", "lower CI bound of the study's ratio"),
    "ci_high": ("ratio", "upper CI bound of the study's ratio"),
    "why": ("text", "why the study's data are not given (e.g. not found in any source)"),
}

_META = ClaimSchema(
    type="meta-analysis",
    summary="a pooled estimate over studies (counts, ratios with CIs, or bundled trial "
    "claims), with its CI, P and heterogeneity",
    checked_by="`gvhdstats.checks.meta` (`check_meta`; see [meta-analysis.md](meta-analysis.md))",
    printed=(
        PrintedKey("estimate", "number", "the pooled estimate (a ratio, or a risk difference)"),
        *_ci("number"),
        PrintedKey("p", "p", "two-sided P of the pooled estimate"),
        PrintedKey("i2", "percent", "I^2 in percent"),
        PrintedKey("tau2", "number", "tau^2 (analysis scale)"),
        PrintedKey("q", "number", "Cochran's Q"),
    ),
    keys=(
        ClaimKey(
            "measure",
            "enum",
            "the pooled measure",
            ("risk-ratio", "odds-ratio", "risk-difference", "hazard-ratio", "generic"),
        ),
        ClaimKey(
            "studies",
            "studies",
            "`[[claims.studies]]` tables, keys: "
            + ", ".join(f"`{k}`" for k in STUDY_KEYS)
            + " (counts as printed strings; a study with neither counts, ratio nor claim "
            "says `why`)",
        ),
    ),
    required=("estimate", "measure", "studies"),
    ordered=(("ci_low", "ci_high"),),
    together=(("ci_low", "ci_high"),),
    checks=(
        CheckSpec(
            "study[<label>]",
            ("studies.claim", "the study's counts"),
            "the review's counts against the bundled trial record's",
        ),
        CheckSpec(
            "estimate, ci_low, ci_high, p, i2, tau2, q, joint[meta]",
            ("estimate", "every study's data"),
            "every pooling (method x tau^2 estimator x KNHA x zero-cell rule, MH, Peto, "
            "RevMan) against the printed numbers",
        ),
        CheckSpec(
            "pooled-wald[...]",
            ("estimate", "ci_low", "ci_high", "a study without data"),
            "the printed pooled ratio, CI and P against each other (z-based)",
        ),
    ),
)

#: The built-in claim types' schemas, by type.
CLAIM_SCHEMAS: dict[str, ClaimSchema] = {
    s.type: s
    for s in (
        _BINARY,
        _PROPORTION,
        _RATIO,
        _INCIDENCE,
        _MEDIAN,
        _SUM,
        _DOSE,
        _FACT,
        _DESCRIPTIVE,
        _RECONSTRUCTED,
        _TEST_STATISTIC,
        _META,
    )
}


# --------------------------------------------------------------------------
# documentation
# --------------------------------------------------------------------------


def _code(names: str) -> str:
    return " or ".join(f"`{n}`" for n in names.split("|"))


def _keys_table(title: str, rows: dict[str, tuple[str, str]]) -> list[str]:
    out = [title, "", "| key | type | meaning |", "| --- | --- | --- |"]
    out += [f"| `{k}` | {t} | {m} |" for k, (t, m) in rows.items()]
    return [*out, ""]


def claim_types_markdown(schemas: dict[str, ClaimSchema] | None = None) -> str:
    """The generated part of ``docs/records.md``: tables and claim types, from the schema.

    ``docs/make_records_doc.py`` writes it between the ``BEGIN GENERATED`` and
    ``END GENERATED`` markers of ``docs/records.md``.
    """
    schemas = CLAIM_SCHEMAS if schemas is None else schemas
    out: list[str] = []
    out += _keys_table("## Top level", TOP_KEYS)
    out += _keys_table("## `[source]` (all optional)", SOURCE_KEYS)
    out += _keys_table("## `[relations]` (all optional)", RELATION_KEYS)
    out += _keys_table("## `[design]` (all optional)", DESIGN_KEYS)
    out += _keys_table("### `[[design.arms]]`", ARM_KEYS)
    out += _keys_table("### schedule blocks", SCHEDULE_KEYS)
    out += _keys_table("## `[[claims]]`: keys of every claim", COMMON_CLAIM_KEYS)
    out += [
        "`assumed` values never get a verdict of their own; the rows that use them say so in",
        "their `note`. A key may be printed or assumed, not both.",
        "",
        "## Kinds of values",
        "",
        "Every printed value is a string; its kind says what it must be. A value outside",
        "its kind (a percentage of 150, a CI whose low bound exceeds its high bound, more",
        "events than patients) is an error in the record, not a verdict.",
        "",
        "| kind | must be |",
        "| --- | --- |",
    ]
    out += [f"| {k} | {doc} |" for k, doc in KINDS.items()]
    out += ["", "## Claim types", ""]
    for s in schemas.values():
        out += [f"### `{s.type}`", "", f"{s.summary[0].upper()}{s.summary[1:]}.", ""]
        out.append(f"Checked by: {s.checked_by}.")
        out.append("")
        if s.free_printed:
            out += [
                "`printed`: any snake_case key. `date`, `start`, `end` and `*_date` keys are",
                "dates, `text` and `*_text` keys are text, every other key is a printed number.",
                "",
            ]
        if s.printed or s.printed_prefixes:
            out += [
                "| printed key | kind | meaning | may be assumed |",
                "| --- | --- | --- | --- |",
            ]
            for k in s.printed:
                kind = k.kind
                if k.name in ("ci_low", "ci_high") and s.ci_kind:
                    kind = (
                        " / ".join(dict.fromkeys(kd for _, kd in s.ci_kind)) + " (as the effect)"
                    )
                out.append(f"| `{k.name}` | {kind} | {k.doc} | {'yes' if k.assumable else ''} |")
            for k in s.printed_prefixes:
                out.append(f"| `{k.name}<arm>` | {k.kind} | {k.doc} | |")
            out.append("")
        extra = [*s.keys]
        if extra:
            out += ["| claim key | type | meaning |", "| --- | --- | --- |"]
            for ck in extra:
                typ = ck.kind
                if ck.kind == "enum":
                    typ = " / ".join(f'`"{v}"`' for v in ck.values)
                    if ck.default:
                        typ += f' (default `"{ck.default}"`)'
                out.append(f"| `{ck.name}` | {typ} | {ck.doc} |")
            out.append("")
        rules = []
        if s.required:
            rules.append("required: " + "; ".join(_code(r) for r in s.required))
        if s.together:
            rules.append(
                "printed together: " + "; ".join(f"`{a}` and `{b}`" for a, b in s.together)
            )
        if s.ordered:
            rules.append("ordered: " + "; ".join(f"`{a}` <= `{b}`" for a, b in s.ordered))
        if s.unit_kinds:
            rules.append(
                "by `unit`: " + "; ".join(f'`"{u}"`: numbers are {k}s' for u, k in s.unit_kinds)
            )
        if s.n_arms:
            n = " or ".join(str(x) for x in s.n_arms)
            rules.append(f"`arms`: {n} arm(s)" + (", required" if s.arms_required else ""))
        if s.type == "reconstructed":
            rules.append(
                "`data` keys: " + ", ".join(f"`{k}` ({t}: {m})" for k, (t, m) in DATA_KEYS.items())
            )
        out += [f"- {r}" for r in rules]
        if rules:
            out.append("")
        if s.checks:
            out += ["| check | possible with | what it asks |", "| --- | --- | --- |"]
            for c in s.checks:
                needs = ", ".join(_code(n) if " " not in n else n for n in c.needs)
                name = ", ".join(
                    f"`{n.strip()}`" if " " not in n.strip() else n.strip()
                    for n in c.name.split(",")
                )
                out.append(f"| {name} | {needs} | {c.doc} |")
            out.append("")
        if s.arm_totals:
            totals = ", ".join(f"`{t}`" for t in s.arm_totals)
            out += [
                f"Denominators from the design: {totals}, when neither printed nor assumed, is",
                "the size of the claim's design arm (in the order of `arms`): `analysed` when",
                "known, else `randomised`, or the one `denominator` names. The rows say which.",
                "",
            ]
    return "\n".join(out).rstrip() + "\n"
