"""Strict validation of a parsed record against :mod:`gvhdstats.records.schema`.

:func:`validate_document` walks a parsed TOML document once and raises on the
first problem, always naming the file, the claim (where there is one) and the
exact field that is wrong:

* :class:`~gvhdstats.errors.UnknownKeyError` for a key the schema does not
  know, with a "did you mean" suggestion (``difflib``);
* :class:`~gvhdstats.errors.ImpossibleValueError` for a value outside its
  kind's range (a percentage of 150, ``ci_low > ci_high``, more events than
  patients, a P of 0);
* :class:`~gvhdstats.errors.ClaimError` / :class:`~gvhdstats.errors.RecordError`
  for a wrong type, a missing required key, an unknown arm or claim.

Printed numbers are parsed with :class:`~gvhdstats.numbers.Reported`; any
arithmetic or parse failure of a printed string (an exponent that overflows
``decimal``, a number too long for ``int``) is converted here, where the input
is known to be the cause.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

from gvhdstats.errors import (
    ClaimError,
    ImpossibleValueError,
    RecordError,
    ReportedNumberError,
    UnknownKeyError,
)
from gvhdstats.numbers import Reported
from gvhdstats.records.schema import (
    ARM_KEYS,
    COMMON_CLAIM_KEYS,
    DATA_KEYS,
    DESIGN_KEYS,
    RELATION_KEYS,
    SCHEDULE_KEYS,
    SOURCE_KEYS,
    STUDY_KEYS,
    TOP_KEYS,
    ClaimSchema,
)

__all__ = ["KINDS_OF_RECORD", "MAX_COUNT", "arm_size", "validate_document"]

#: The ``kind`` of a record.
KINDS_OF_RECORD = ("protocol", "registry", "publication")

#: Largest count a record may hold: no trial has more patients, so a larger
#: count is a typo (and would make exact methods needlessly slow).
MAX_COUNT = 10**9

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_COUNT_RE = re.compile(r"^[0-9]+$")
_RATIO_PART = re.compile(r"^\s*[0-9]{1,6}(\.[0-9]{1,6})?\s*$")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _short(value: Any) -> str:
    """``repr`` of a user value, cut to a readable length."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest candidate to ``word``, or ``""``."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class _Where:
    """Location of the validation: file and claim; raises located errors."""

    def __init__(self, file: str, claim: str | None = None) -> None:
        self.file = file
        self.claim = claim

    def at(self, claim: str | None) -> _Where:
        return _Where(self.file, claim)

    def fail(
        self, message: str, field: str | None, cls: type[RecordError] | None = None
    ) -> NoReturn:
        if cls is None:
            cls = ClaimError if self.claim is not None else RecordError
        raise cls(message, file=self.file, claim=self.claim, field=field)

    def impossible(self, message: str, field: str) -> NoReturn:
        self.fail(message, field, ImpossibleValueError)

    def unknown_key(self, key: str, allowed: Iterable[str], prefix: str) -> NoReturn:
        allowed = [str(a) for a in allowed]
        close = difflib.get_close_matches(str(key), allowed, n=3, cutoff=0.6)
        hint = (
            f"; did you mean {' or '.join(map(repr, close))}?"
            if close
            else f" (known: {', '.join(allowed) or 'none'})"
        )
        raise UnknownKeyError(
            f"unknown key {str(key)!r}{hint}",
            file=self.file,
            claim=self.claim,
            field=f"{prefix}{key}",
            suggestion=close[0] if close else None,
        )

    def unknown_keys(self, table: Mapping[str, Any], allowed: Iterable[str], prefix: str) -> None:
        allowed = list(allowed)
        for key in table:
            if key not in allowed:
                self.unknown_key(key, allowed, prefix)

    def typed(self, value: Any, typ: type | tuple[type, ...], field: str, what: str) -> Any:
        if isinstance(value, bool) and typ is not bool:
            self.fail(f"must be {what}, got {_short(value)}", field)
        if not isinstance(value, typ):
            self.fail(f"must be {what}, got {type(value).__name__} {_short(value)}", field)
        return value

    def table(self, value: Any, field: str) -> Mapping[str, Any]:
        return self.typed(value, dict, field, "a table")

    def string(self, value: Any, field: str, *, nonempty: bool = False) -> str:
        s = self.typed(value, str, field, "a string")
        if nonempty and not s.strip():
            self.fail("must not be empty", field)
        return s

    def str_list(self, value: Any, field: str) -> list[str]:
        items = self.typed(value, list, field, "a list of strings")
        for i, item in enumerate(items):
            self.string(item, f"{field}[{i}]")
        return items

    def choice(self, value: Any, choices: Iterable[str], field: str) -> str:
        choices = list(choices)
        self.string(value, field)
        if value not in choices:
            hint = _did_you_mean(value, choices)
            self.fail(
                f"must be one of {', '.join(map(repr, choices))}, got {value!r}{hint}", field
            )
        return value

    def ident(self, value: Any, field: str) -> str:
        s = self.string(value, field)
        if not _ID_RE.match(s):
            self.fail(
                f"must be letters, digits, '.', '_' or '-' (starting with a letter or digit), "
                f"got {_short(s)}",
                field,
            )
        return s

    # ---------------------------------------------------------------- values

    def date(self, value: Any, field: str) -> str:
        s = self.string(value, field)
        m = _DATE_RE.match(s)
        if m is None:
            self.fail(f'must be a date "YYYY", "YYYY-MM" or "YYYY-MM-DD", got {_short(s)}', field)
        y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        try:
            datetime.date(y, mo, d)
        except ValueError as exc:
            self.impossible(f"is not a calendar date ({exc}): {s!r}", field)
        return s

    def count(self, value: Any, field: str, *, minimum: int = 0) -> int:
        """A printed (string) count."""
        s = self.string(value, field)
        if not _COUNT_RE.match(s.strip()):
            self.fail(
                f'must be a count printed as a whole number (e.g. "82"), got {_short(s)}', field
            )
        digits = s.strip().lstrip("0") or "0"
        if len(digits) > len(str(MAX_COUNT)) or int(digits) > MAX_COUNT:
            self.impossible(
                f"is larger than any trial ({MAX_COUNT:.0e} patients): {_short(s)}", field
            )
        n = int(digits)
        if n < minimum:
            self.impossible(f"must be at least {minimum}, got {s!r}", field)
        return n

    def number(self, value: Any, field: str) -> Reported:
        """A printed number, parsed; parse and arithmetic failures become record errors."""
        s = self.string(value, field)
        if len(s) > 100:
            self.fail(f"is too long for a printed number ({len(s)} characters)", field)
        try:
            rep = Reported.parse(s, name=field.rsplit(".", 1)[-1])
            finite = math.isfinite(rep.value)
        except ReportedNumberError as exc:
            self.fail(str(exc), field)
        except (ArithmeticError, ValueError) as exc:  # decimal overflow, int digit limit
            self.fail(f"is not a usable printed number ({type(exc).__name__}): {_short(s)}", field)
        if not finite:
            self.impossible(f"is out of the range of numbers: {_short(s)}", field)
        return rep

    def printed_value(self, value: Any, kind: str, field: str) -> Reported | None:
        """Check one printed value of ``kind``; the parsed number (None for text/dates)."""
        if kind == "text":
            self.string(value, field)
            return None
        if kind == "date":
            self.date(value, field)
            return None
        if kind in ("count", "total"):
            self.count(value, field, minimum=1 if kind == "total" else 0)
            return self.number(value, field)
        rep = self.number(value, field)
        v, rel = rep.value, rep.relation
        if kind == "percent" and not 0 <= v <= 100:
            self.impossible(f"is a percentage outside [0, 100]: {rep.text!r}", field)
        if kind == "probability" and not 0 <= v <= 100:
            self.impossible(f"is a probability outside [0, 100]%: {rep.text!r}", field)
        if kind == "ratio" and v < 0:
            self.impossible(f"is a ratio below 0: {rep.text!r}", field)
        if kind == "difference" and not -100 <= v <= 100:
            self.impossible(
                f"is a difference of proportions outside [-100, 100]: {rep.text!r}", field
            )
        if kind == "positive" and v <= 0 and rel in ("=", "<", "<="):
            self.impossible(f"must be positive, got {rep.text!r}", field)
        if kind == "p":
            ok = 0 <= v < 1 if rel in (">", ">=") else 0 < v <= 1
            if not ok:
                hint = " (write a P printed as 0.000 as '<0.0005')" if v == 0 else ""
                self.impossible(f"is a P value outside (0, 1]: {rep.text!r}{hint}", field)
        if kind == "level" and (rel != "=" or not 0 < v < 100 or v == 1):
            self.impossible(
                f"is not a confidence level (e.g. '95' or '0.95'): {rep.text!r}", field
            )
        return rep

    def assumed_value(self, value: Any, kind: str, field: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(f"must be a number, got {type(value).__name__} {_short(value)}", field)
        if isinstance(value, float) and not math.isfinite(value):
            self.impossible(f"must be finite, got {value!r}", field)
        if kind in ("count", "total"):
            if not isinstance(value, int):
                self.fail(f"must be a whole number, got {value!r}", field)
            lo = 1 if kind == "total" else 0
            if not lo <= value <= MAX_COUNT:
                self.impossible(
                    f"must be a count in [{lo}, {MAX_COUNT:.0e}], got {value!r}", field
                )
            return float(value)
        try:
            v = float(value)
        except OverflowError:
            self.impossible(f"is out of the range of numbers: {_short(value)}", field)
        if kind == "positive" and v <= 0:
            self.impossible(f"must be positive, got {value!r}", field)
        if kind in ("percent", "probability") and not 0 <= v <= 100:
            self.impossible(f"must be in [0, 100], got {value!r}", field)
        return v


# --------------------------------------------------------------------------
# design
# --------------------------------------------------------------------------


def _arm_count(w: _Where, value: Any, field: str) -> None:
    """``randomised`` / ``analysed``: a printed count or ``{ value = n, why = "..." }``."""
    if isinstance(value, dict):
        _value_why(w, value, "total", field)
        return
    w.count(value, field, minimum=1)


def _value_why(w: _Where, entry: Mapping[str, Any], kind: str, field: str) -> float:
    """An assumed ``{ value = <number>, why = "<reason>" }`` table; the value."""
    w.unknown_keys(entry, ("value", "why"), field + ".")
    if "value" not in entry:
        w.fail("is missing", field + ".value")
    if "why" not in entry:
        w.fail("is missing (say why the value is assumed)", field + ".why")
    w.string(entry["why"], field + ".why", nonempty=True)
    return w.assumed_value(entry["value"], kind, field + ".value")


def _schedule(w: _Where, value: Any, field: str) -> None:
    blocks = w.typed(value, list, field, "a list of schedule tables")
    if not blocks:
        w.fail("must list at least one schedule block", field)
    for i, block in enumerate(blocks):
        where = f"{field}[{i}]"
        w.table(block, where)
        w.unknown_keys(block, SCHEDULE_KEYS, where + ".")
        if "days" in block:
            if "per_week" in block or "weeks" in block:
                w.fail("takes either 'days' or 'per_week' and 'weeks', not both", where)
            days = w.typed(block["days"], list, where + ".days", "a list of printed days")
            if not days:
                w.fail("must list at least one day", where + ".days")
            values = [w.count(d, f"{where}.days[{j}]") for j, d in enumerate(days)]
            for j in range(1, len(values)):
                if values[j] <= values[j - 1]:
                    w.impossible("days must be strictly increasing", f"{where}.days[{j}]")
            continue
        for key in ("per_week", "weeks"):
            if key not in block:
                w.fail("is missing (or give 'days')", f"{where}.{key}")
            w.count(block[key], f"{where}.{key}", minimum=1)


def _design(w: _Where, design: Mapping[str, Any]) -> list[str]:
    """Check ``[design]``; the arm ids."""
    w.unknown_keys(design, DESIGN_KEYS, "design.")
    for key, val in design.items():
        kind = DESIGN_KEYS[key][0]
        field = f"design.{key}"
        if kind == "text":
            w.string(val, field)
        elif kind == "count":
            w.count(val, field)
        elif kind == "date":
            w.date(val, field)
        elif kind == "allocation":
            parts = w.string(val, field).split(":")
            if len(parts) < 2 or not all(_RATIO_PART.match(p) for p in parts):
                w.fail(
                    f'must be an allocation ratio such as "1:1" or "2:1", got {_short(val)}', field
                )
            if any(float(p) == 0 for p in parts):
                w.impossible(f"allocates nothing to an arm: {val!r}", field)
    arms = design.get("arms", [])
    w.typed(arms, list, "design.arms", "an array of tables [[design.arms]]")
    ids: list[str] = []
    for i, arm in enumerate(arms):
        where = f"design.arms[{i}]"
        w.table(arm, where)
        w.unknown_keys(arm, ARM_KEYS, where + ".")
        if "id" not in arm:
            w.fail("is missing", where + ".id")
        aid = w.ident(arm["id"], where + ".id")
        if aid in ids:
            w.fail(f"duplicate arm id {aid!r}", where + ".id")
        ids.append(aid)
        if "label" in arm:
            w.string(arm["label"], where + ".label")
        for key in ("randomised", "analysed"):
            if key in arm:
                _arm_count(w, arm[key], f"{where}.{key}")
        if "schedule" in arm:
            _schedule(w, arm["schedule"], where + ".schedule")
    return ids


def arm_size(
    design: Mapping[str, Any], arm_id: str, which: str | None = None
) -> tuple[int, str, str | None] | None:
    """Size of a (validated) design arm: ``(n, "analysed" or "randomised", why-if-assumed)``.

    ``which`` picks the field; by default ``analysed`` when known, else
    ``randomised``.  None when the arm or the size is unknown.
    """
    for arm in design.get("arms", []) or []:
        if arm.get("id") != arm_id:
            continue
        for key in (which,) if which else ("analysed", "randomised"):
            v = arm.get(key)
            if isinstance(v, Mapping):
                return int(v["value"]), key, str(v["why"])
            if isinstance(v, str):
                return int(v.strip()), key, None
        return None
    return None


# --------------------------------------------------------------------------
# claims
# --------------------------------------------------------------------------


def _free_kind(key: str) -> str:
    if key in ("date", "start", "end") or key.endswith("_date"):
        return "date"
    if key == "text" or key.endswith("_text"):
        return "text"
    return "number"


def _printed_kind(
    schema: ClaimSchema, key: str, printed: Mapping[str, Any], arms: list[str]
) -> str | None:
    k = schema.printed_key(key)
    if k is not None:
        kind = k.kind
        if key in ("ci_low", "ci_high") and schema.ci_kind:
            kind = next((kd for name, kd in schema.ci_kind if name in printed), "number")
        return kind
    for pre in schema.printed_prefixes:
        if key.startswith(pre.name) and key[len(pre.name) :] in arms:
            return pre.kind
    if schema.free_printed and _KEY_RE.match(key):
        return _free_kind(key)
    return None


def _present(name: str, printed: Mapping, assumed: Mapping, raw: Mapping) -> bool:
    if name.endswith("<arm>"):
        pre = name[: -len("<arm>")]
        return any(k.startswith(pre) for k in printed)
    return (
        name in printed or name in assumed or (name not in ("printed", "assumed") and name in raw)
    )


def _claim(
    w: _Where,
    raw: Mapping[str, Any],
    schema: ClaimSchema,
    design: Mapping[str, Any],
    arm_ids: list[str],
) -> None:
    ctype = schema.type
    allowed = [*COMMON_CLAIM_KEYS, *(k.name for k in schema.keys)]
    w.unknown_keys(raw, allowed, "")
    for key in ("section", "endpoint", "why", "note"):
        if key in raw:
            w.string(raw[key], key)
    # arms
    arms: list[str] = []
    if "arms" in raw:
        arms = w.str_list(raw["arms"], "arms")
        for i, a in enumerate(arms):
            if a not in arm_ids:
                hint = _did_you_mean(a, arm_ids)
                arm_names = ", ".join(map(repr, arm_ids)) or "none: no [[design.arms]]"
                w.fail(
                    f"names arm {a!r}, which is not in design.arms (known: {arm_names}){hint}",
                    f"arms[{i}]",
                )
            if a in arms[:i]:
                w.fail(f"names arm {a!r} twice", f"arms[{i}]")
        if schema.n_arms and len(arms) not in schema.n_arms:
            n = " or ".join(map(str, schema.n_arms))
            w.fail(f"a {ctype} claim is about {n} arm(s), got {len(arms)}", "arms")
    elif schema.arms_required:
        w.fail(f"is required for a {ctype} claim", "arms")
    if "related" in raw:
        w.str_list(raw["related"], "related")
    # type-specific keys
    unit = None
    for ck in schema.keys:
        if ck.name not in raw:
            continue
        val = raw[ck.name]
        if ck.kind == "str":
            w.string(val, ck.name)
        elif ck.kind == "bool":
            w.typed(val, bool, ck.name, "true or false")
        elif ck.kind == "enum":
            w.choice(val, ck.values, ck.name)
        elif ck.kind == "schedule":
            _schedule(w, val, ck.name)
        elif ck.kind == "data":
            _data(w, val, arms)
        elif ck.kind == "strata":
            _strata(w, val, ck.name)
        elif ck.kind == "studies":
            _studies(w, val)
        if ck.name == "unit":
            unit = val
    unit_kind = dict(schema.unit_kinds).get(unit) if isinstance(unit, str) else None
    # printed
    printed = w.table(raw.get("printed", {}), "printed")
    assumed = w.table(raw.get("assumed", {}), "assumed")
    known_printed = [k.name for k in schema.printed] + [
        f"{p.name}{a}" for p in schema.printed_prefixes for a in arms
    ]
    values: dict[str, Reported] = {}
    for key, val in printed.items():
        field = f"printed.{key}"
        kind = _printed_kind(schema, key, printed, arms)
        if kind is None:
            if schema.free_printed:
                w.fail("printed keys are snake_case names (a-z, 0-9, _)", field)
            w.unknown_key(key, known_printed, "printed.")
        if unit_kind is not None and kind in ("number", "numbers"):
            kind = unit_kind if kind == "number" else unit_kind + "s"
        if kind in ("numbers", "counts", "percents"):
            elem = "number" if kind == "numbers" else kind[:-1]
            items = w.typed(val, list, field, "a list of printed strings")
            if not items:
                w.fail("must list at least one printed number", field)
            for i, item in enumerate(items):
                _printed_string(w, item, f"{field}[{i}]")
                w.printed_value(item, elem, f"{field}[{i}]")
            continue
        if schema.free_printed and isinstance(val, list):
            for i, item in enumerate(val):
                _printed_string(w, item, f"{field}[{i}]")
                w.printed_value(item, kind, f"{field}[{i}]")
            continue
        _printed_string(w, val, field)
        rep = w.printed_value(val, kind, field)
        if rep is not None:
            values[key] = rep
    # assumed
    assumable = list(schema.assumable)
    assumed_values: dict[str, float] = {}
    for key, entry in assumed.items():
        field = f"assumed.{key}"
        if key not in assumable:
            if not assumable:
                w.fail(f"a {ctype} claim takes no assumed values", field, UnknownKeyError)
            w.unknown_key(key, assumable, "assumed.")
        if key in printed:
            w.fail("is both printed and assumed; keep one", field)
        if not isinstance(entry, dict):
            w.fail(f'must be a table {{ value = ..., why = "..." }}, got {_short(entry)}', field)
        pk = schema.printed_key(key)
        assumed_values[key] = _value_why(w, entry, pk.kind if pk else "number", field)
    # required keys
    for clause in schema.required:
        alternatives = clause.split("|")
        if not any(_present(n, printed, assumed, raw) for n in alternatives):
            first = alternatives[0]
            field = first if schema.claim_key(first) else f"printed.{first}"
            alts = " (or " + ", ".join(alternatives[1:]) + ")" if len(alternatives) > 1 else ""
            w.fail(f"is required for a {ctype} claim{alts}", field)
    for a, b in schema.together:
        if (a in printed) != (b in printed):
            missing = b if a in printed else a
            other = a if a in printed else b
            w.fail(f"is needed with printed.{other} (a CI has two bounds)", f"printed.{missing}")
    # known numbers (printed, assumed, design arms) for the order checks
    known: dict[str, tuple[float, str]] = {}
    for key, rep in values.items():
        if rep.relation == "=":
            known[key] = (rep.value, f"printed.{key}")
    for key, v in assumed_values.items():
        known[key] = (v, f"assumed.{key}")
    which = raw.get("denominator")
    for key, arm in zip(schema.arm_totals, arms, strict=False):
        if key not in known:
            size = arm_size(design, arm, which)
            if size is not None:
                known[key] = (float(size[0]), f"design arm {arm!r} ({size[1]})")
    for low, high in schema.ordered:
        if low in known and high in known and known[low][0] > known[high][0]:
            lo_v, lo_f = known[low]
            hi_v, hi_f = known[high]
            if lo_f.startswith(("printed.", "assumed.")):
                w.impossible(f"{lo_v:g} exceeds {high} = {hi_v:g} ({hi_f})", lo_f)
            w.impossible(f"{hi_v:g} is below {low} = {lo_v:g} ({lo_f})", hi_f)


def _strata(w: _Where, value: Any, field: str) -> None:
    """``[[te, tt, ce, ct], ...]``: integer counts per stratum, events within totals."""
    rows = w.typed(value, list, field, "a list of [te, tt, ce, ct] lists")
    if not rows:
        w.fail("must list at least one stratum", field)
    for i, row in enumerate(rows):
        f = f"{field}[{i}]"
        row = w.typed(row, list, f, "a list [treatment_events, treatment_total, ...]")
        if len(row) != 4:
            w.fail(
                "must be [treatment_events, treatment_total, control_events, control_total], "
                f"got {_short(row)}",
                f,
            )
        counts = []
        for j, v in enumerate(row):
            if isinstance(v, bool) or not isinstance(v, int):
                w.fail(f"must be an integer count, got {_short(v)}", f"{f}[{j}]")
            low = 1 if j in (1, 3) else 0
            if v < low or v > MAX_COUNT:
                w.impossible(
                    f"must be a count from {low} to {MAX_COUNT:.0e}, got {v}", f"{f}[{j}]"
                )
            counts.append(v)
        te, tt, ce, ct = counts
        if te > tt:
            w.impossible(f"{te} treatment events exceed the treatment total {tt}", f)
        if ce > ct:
            w.impossible(f"{ce} control events exceed the control total {ct}", f)


def _printed_string(w: _Where, value: Any, field: str) -> None:
    if not isinstance(value, str):
        w.fail(
            f'printed numbers must be strings as printed (e.g. "2.00"), got {_short(value)}',
            field,
        )


def _data(w: _Where, value: Any, arms: list[str]) -> None:
    data = w.table(value, "data")
    w.unknown_keys(data, DATA_KEYS, "data.")
    if "curves" not in data:
        w.fail("is missing", "data.curves")
    curves = data["curves"]
    if isinstance(curves, str):
        w.string(curves, "data.curves", nonempty=True)
    else:
        w.str_list(curves, "data.curves")
        if not curves:
            w.fail("must list at least one CSV file", "data.curves")
    if "risk_table" not in data:
        w.fail("is missing", "data.risk_table")
    w.string(data["risk_table"], "data.risk_table", nonempty=True)
    if "landmark" in data:
        v = w.typed(data["landmark"], (int, float), "data.landmark", "a number")
        if not math.isfinite(v) or v < 0:
            w.impossible(f"must be a finite time >= 0, got {v!r}", "data.landmark")
    if "cause" in data:
        c = w.typed(data["cause"], int, "data.cause", "an integer cause code")
        if c < 1:
            w.impossible(f"must be at least 1, got {c!r}", "data.cause")
    if "total_events" in data:
        tot = w.table(data["total_events"], "data.total_events")
        w.unknown_keys(tot, arms, "data.total_events.")
        for arm, n in tot.items():
            w.assumed_value(n, "count", f"data.total_events.{arm}")


def _studies(w: _Where, value: Any) -> None:
    """The ``[[claims.studies]]`` tables of a meta-analysis claim."""
    studies = w.typed(value, list, "studies", "an array of tables [[claims.studies]]")
    if not studies:
        w.fail("must list at least one study", "studies")
    for i, st in enumerate(studies):
        where = f"studies[{i}]"
        study = w.table(st, where)
        w.unknown_keys(study, STUDY_KEYS, where + ".")
        if "label" not in study:
            w.fail("is missing", where + ".label")
        for key, val in study.items():
            kind = STUDY_KEYS[key][0]
            if kind == "text":
                w.string(val, f"{where}.{key}", nonempty=True)
            else:
                _printed_string(w, val, f"{where}.{key}")
                w.printed_value(val, kind, f"{where}.{key}")


# --------------------------------------------------------------------------
# the document
# --------------------------------------------------------------------------


def validate_document(
    doc: Mapping[str, Any], file: str, schemas: Mapping[str, ClaimSchema]
) -> None:
    """Check a parsed record against the schema; raise on the first problem.

    Parameters
    ----------
    doc : mapping
        The parsed TOML document.
    file : str
        The file name used in error messages.
    schemas : mapping
        Claim type -> :class:`~gvhdstats.records.schema.ClaimSchema` of every
        known claim type.

    Raises
    ------
    UnknownKeyError, ImpossibleValueError, ClaimError, RecordError
        Naming ``file``, the claim id and the field.
    """
    w = _Where(file)
    if not isinstance(doc, dict):
        w.fail(f"must be a TOML table, got {type(doc).__name__}", None)
    w.unknown_keys(doc, TOP_KEYS, "")
    if "schema" in doc:
        v = doc["schema"]
        if isinstance(v, bool) or v != 1:
            w.fail(f"unsupported schema version {_short(v)} (expected 1)", "schema")
    if "id" not in doc:
        w.fail("is missing", "id")
    w.ident(doc["id"], "id")
    if "kind" not in doc:
        w.fail("is missing", "kind")
    w.choice(doc["kind"], KINDS_OF_RECORD, "kind")
    if "title" in doc:
        w.string(doc["title"], "title")
    source = w.table(doc.get("source", {}), "source")
    w.unknown_keys(source, SOURCE_KEYS, "source.")
    for key, val in source.items():
        if SOURCE_KEYS[key][0] == "date":
            w.date(val, f"source.{key}")
        else:
            w.string(val, f"source.{key}")
    relations = w.table(doc.get("relations", {}), "relations")
    w.unknown_keys(relations, RELATION_KEYS, "relations.")
    for key, val in relations.items():
        if RELATION_KEYS[key][0] == "str":
            w.string(val, f"relations.{key}", nonempty=True)
        else:
            w.str_list(val, f"relations.{key}")
    design = w.table(doc.get("design", {}), "design")
    arm_ids = _design(w, design)
    claims = w.typed(doc.get("claims", []), list, "claims", "an array of tables [[claims]]")
    seen: list[str] = []
    any_claim_key = [*COMMON_CLAIM_KEYS, *{k.name: 0 for s in schemas.values() for k in s.keys}]
    for i, raw in enumerate(claims):
        if not isinstance(raw, dict):
            w.fail(f"must be a table, got {type(raw).__name__}", f"claims[{i}]")
        # a misspelt key is reported as such, not as the key it misspells being missing
        rid, rtype = raw.get("id"), raw.get("type")
        named = isinstance(rid, str) and _ID_RE.match(rid) is not None and rid not in seen
        allowed = any_claim_key
        if isinstance(rtype, str) and rtype in schemas:
            allowed = [*COMMON_CLAIM_KEYS, *(k.name for k in schemas[rtype].keys)]
        if named:
            w.at(rid).unknown_keys(raw, allowed, "")
        else:
            w.unknown_keys(raw, allowed, f"claims[{i}].")
        if "id" not in raw:
            w.fail("is missing", f"claims[{i}].id")
        cid = w.ident(raw["id"], f"claims[{i}].id")
        cw = w.at(cid)
        if cid in seen:
            cw.fail("duplicate claim id", "id")
        seen.append(cid)
        if "type" not in raw:
            cw.fail("is missing", "type")
        ctype = cw.string(raw["type"], "type")
        if ctype not in schemas:
            known = sorted(schemas)
            hint = _did_you_mean(ctype, known) or f" (known: {', '.join(known)})"
            cw.fail(f"unknown claim type {ctype!r}{hint}", "type")
        if "location" in raw:
            # papers outside the seed documents: figures and where they are printed, no text
            cw.string(raw["location"], "location", nonempty=True)
        if "quote" not in raw and "location" not in raw:
            cw.fail("is missing (or give `location` for a paper outside the seeds)", "quote")
        if "quote" in raw:
            quote = cw.string(raw["quote"], "quote")
            if not quote.strip():
                cw.fail("must quote the sentence the numbers come from", "quote")
        _claim(cw, raw, schemas[ctype], design, arm_ids)
    for raw in claims:
        cw = w.at(raw["id"])
        for j, rel in enumerate(raw.get("related", []) or []):
            if rel == raw["id"]:
                cw.fail("names the claim itself", f"related[{j}]")
            if rel not in seen:
                hint = _did_you_mean(rel, seen)
                cw.fail(f"names unknown claim {rel!r}{hint}", f"related[{j}]")
