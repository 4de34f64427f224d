"""The record schema: documented from one definition, and enforced field by field."""

from __future__ import annotations

import copy
import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest

from gvhdstats.errors import (
    ClaimError,
    ImpossibleValueError,
    RecordError,
    UnknownKeyError,
)
from gvhdstats.records import load_record, parse_record
from gvhdstats.records.schema import CLAIM_SCHEMAS, claim_types_markdown

ROOT = Path(__file__).resolve().parents[2]


def _doc_generator():
    spec = importlib.util.spec_from_file_location(
        "make_records_doc", ROOT / "docs" / "make_records_doc.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_committed_docs_equal_the_generated_schema_section():
    gen = _doc_generator()
    page = (ROOT / "docs" / "records.md").read_text(encoding="utf-8")
    assert gen.render(page) == page, "run: python docs/make_records_doc.py"


def test_generated_section_lists_every_claim_type_and_printed_key():
    text = claim_types_markdown()
    for ctype, schema in CLAIM_SCHEMAS.items():
        assert f"### `{ctype}`" in text
        for key in schema.printed:
            assert f"| `{key.name}` |" in text
        for check in schema.checks:
            assert check.doc in text


BASE: dict[str, Any] = {
    "schema": 1,
    "id": "schema-test",
    "kind": "publication",
    "title": "made up for the schema tests",
    "source": {"file": "x.txt", "last_updated": "2020-02-29"},
    "relations": {"same_trial": ["other"]},
    "design": {
        "enrollment": "200",
        "start": "2014-09",
        "arms": [
            {"id": "a", "randomised": "101", "analysed": {"value": 99, "why": "w"}},
            {"id": "b", "randomised": "102"},
        ],
    },
    "claims": [
        {
            "id": "bin",
            "type": "two-arm-binary",
            "arms": ["a", "b"],
            "quote": "q",
            "printed": {
                "treatment_events": "82",
                "treatment_percent": "82.8",
                "control_events": "70",
                "control_percent": "70.7",
                "odds_ratio": "2.00",
                "ci_low": "1.01",
                "ci_high": "3.94",
                "ci_level": "95",
                "p": "0.043",
            },
            "assumed": {"treatment_total": {"value": 99, "why": "w"}},
        },
        {
            "id": "prop",
            "type": "proportion",
            "quote": "q",
            "printed": {"events": "198", "total": "203", "percent": "97.5"},
        },
        {
            "id": "hr",
            "type": "ratio",
            "measure": "hazard-ratio",
            "arms": ["a", "b"],
            "related": ["inc"],
            "quote": "q",
            "printed": {"estimate": "0.68", "ci_low": "0.48", "ci_high": "0.95", "p": "<0.001"},
        },
        {
            "id": "inc",
            "type": "incidence",
            "measure": "cumulative-incidence",
            "competing_risks": True,
            "arms": ["a"],
            "quote": "q",
            "printed": {"estimate": "39.5", "ci_low": "29.3", "ci_high": "49.4"},
            "assumed": {"n": {"value": 99, "why": "w"}},
        },
        {
            "id": "dose",
            "type": "dose-schedule",
            "quote": "q",
            "printed": {"dose": "2"},
            "schedule": [{"per_week": "2", "weeks": "2"}, {"days": ["1", "4"]}],
        },
        {
            "id": "dates",
            "type": "fact",
            "quote": "q",
            "printed": {"start": "2014-09-30", "text": "II to IV", "centres": "9"},
        },
    ],
}


def _set(doc: dict, path: str, value: Any) -> dict:
    """A deep copy of ``doc`` with ``path`` (dots and [i]) set, or deleted for ``...``."""
    doc = copy.deepcopy(doc)
    parts = [int(p) if p.isdigit() else p for p in re.split(r"\.|\[|\]\.?", path) if p != ""]
    cur: Any = doc
    for p in parts[:-1]:
        cur = cur[p]
    if value is ...:
        del cur[parts[-1]]
    else:
        cur[parts[-1]] = value
    return doc


def test_base_document_is_valid():
    rec = parse_record(BASE, "base.toml")
    assert [c.id for c in rec.claims] == ["bin", "prop", "hr", "inc", "dose", "dates"]


# (path, value, error class, claim, field, message fragment)
UNKNOWN = [
    ("titel", "x", None, "titel", "did you mean 'title'"),
    ("source.dio", "x", None, "source.dio", "did you mean 'doi'"),
    ("relations.registation", "x", None, "relations.registation", "'registration'"),
    ("design.maskin", "x", None, "design.maskin", "did you mean 'masking'"),
    ("design.arms[0].analyzed", "99", None, "design.arms[0].analyzed", "'analysed'"),
    ("design.arms[0].analysed.vlaue", 3, None, "design.arms[0].analysed.vlaue", "'value'"),
    ("claims[0].endpont", "x", "bin", "endpont", "did you mean 'endpoint'"),
    (
        "claims[0].printed.treatment_event",
        "82",
        "bin",
        "printed.treatment_event",
        "'treatment_events'",
    ),
    (
        "claims[0].assumed.treatment_n",
        {"value": 9, "why": "w"},
        "bin",
        "assumed.treatment_n",
        "'treatment_total'",
    ),
    (
        "claims[0].assumed.treatment_total.why_",
        "w",
        "bin",
        "assumed.treatment_total.why_",
        "'why'",
    ),
    ("claims[2].printed.estimat", "0.7", "hr", "printed.estimat", "'estimate'"),
    ("claims[3].competing_risk", True, "inc", "competing_risk", "'competing_risks'"),
    ("claims[4].schedule[0].per_weeks", "2", "dose", "schedule[0].per_weeks", "'per_week'"),
    (
        "claims[5].assumed",
        {"n": {"value": 1, "why": "w"}},
        "dates",
        "assumed.n",
        "takes no assumed",
    ),
]


@pytest.mark.parametrize(("path", "value", "claim", "field", "fragment"), UNKNOWN)
def test_unknown_keys_anywhere_suggest_the_key_meant(path, value, claim, field, fragment):
    with pytest.raises(UnknownKeyError) as info:
        parse_record(_set(BASE, path, value), "u.toml")
    err = info.value
    assert (err.file, err.claim, err.field) == ("u.toml", claim, field)
    assert fragment in str(err)


IMPOSSIBLE = [
    ("claims[0].printed.treatment_percent", "150.0", "bin", "printed.treatment_percent"),
    ("claims[0].printed.control_percent", "-0.1", "bin", "printed.control_percent"),
    ("claims[0].printed.treatment_events", "100", "bin", "printed.treatment_events"),  # > 99
    ("claims[0].printed.control_events", "103", "bin", "printed.control_events"),  # > arm b 102
    ("claims[0].printed.ci_low", "4.00", "bin", "printed.ci_low"),  # > ci_high 3.94
    ("claims[0].printed.odds_ratio", "-2.00", "bin", "printed.odds_ratio"),
    ("claims[0].printed.p", "0.000", "bin", "printed.p"),
    ("claims[0].printed.p", "1.5", "bin", "printed.p"),
    ("claims[0].printed.ci_level", "100", "bin", "printed.ci_level"),
    ("claims[0].assumed.treatment_total.value", 0, "bin", "assumed.treatment_total.value"),
    ("claims[1].printed.events", "204", "prop", "printed.events"),
    ("claims[1].printed.total", "1000000000000", "prop", "printed.total"),
    ("claims[2].printed.p", "<0", "hr", "printed.p"),
    ("claims[3].printed.estimate", "139.5", "inc", "printed.estimate"),
    ("claims[3].assumed.n.value", -5, "inc", "assumed.n.value"),
    ("claims[3].assumed.n.value", 10**30, "inc", "assumed.n.value"),
    ("claims[4].schedule[1].days", ["4", "1"], "dose", "schedule[1].days[1]"),
    ("claims[4].schedule[0].weeks", "0", "dose", "schedule[0].weeks"),
    ("claims[5].printed.start", "2014-02-30", "dates", "printed.start"),
    ("design.arms[1].randomised", "0", None, "design.arms[1].randomised"),
    ("design.ratio", "1:0", None, "design.ratio"),
    ("source.last_updated", "2019-02-29", None, "source.last_updated"),
]


@pytest.mark.parametrize(("path", "value", "claim", "field"), IMPOSSIBLE)
def test_impossible_values_are_errors_naming_the_field(path, value, claim, field):
    with pytest.raises(ImpossibleValueError) as info:
        parse_record(_set(BASE, path, value), "i.toml")
    assert (info.value.file, info.value.claim, info.value.field) == ("i.toml", claim, field)


WRONG = [
    ("schema", True, None, "schema", "unsupported schema"),
    ("id", 5, None, "id", "must be a string"),
    ("kind", "publcation", None, "kind", "did you mean 'publication'"),
    ("title", ["x"], None, "title", "must be a string"),
    ("design.enrollment", "about 200", None, "design.enrollment", "whole number"),
    ("design.start", "Sept 2014", None, "design.start", "must be a date"),
    ("design.ratio", "inf:1", None, "design.ratio", "allocation ratio such as"),
    ("design.arms[1].id", "a", None, "design.arms[1].id", "duplicate arm id"),
    ("relations.same_trial", "other", None, "relations.same_trial", "list of strings"),
    ("claims[0].arms", ["a", "c"], "bin", "arms[1]", "not in design.arms"),
    ("claims[0].arms", ["a"], "bin", "arms", "2 arm(s)"),
    ("claims[0].printed.treatment_events", 82, "bin", "printed.treatment_events", "strings"),
    ("claims[0].printed.treatment_events", "82.0", "bin", "printed.treatment_events", "whole"),
    ("claims[0].printed.odds_ratio", "2.00x", "bin", "printed.odds_ratio", "not a printed number"),
    ("claims[0].printed.odds_ratio", "1e999999999999", "bin", "printed.odds_ratio", ""),
    ("claims[0].printed.ci_high", ..., "bin", "printed.ci_high", "needed with printed.ci_low"),
    ("claims[0].printed.treatment_percent", ..., "bin", None, ""),  # events still printed
    ("claims[0].assumed.treatment_total", 99, "bin", "assumed.treatment_total", "value = ..."),
    (
        "claims[0].assumed.treatment_total.value",
        99.5,
        "bin",
        "assumed.treatment_total.value",
        "whole",
    ),
    (
        "claims[0].assumed.treatment_total.value",
        True,
        "bin",
        "assumed.treatment_total.value",
        "number",
    ),
    ("claims[0].assumed.treatment_total.why", "", "bin", "assumed.treatment_total.why", "empty"),
    ("claims[1].assumed", {"total": {"value": 203, "why": "w"}}, "prop", "assumed.total", "both"),
    ("claims[1].denominator", "enrolled", "prop", "denominator", "'analysed', 'randomised'"),
    ("claims[2].measure", "hazard ratio", "hr", "measure", "did you mean 'hazard-ratio'"),
    ("claims[2].related", ["inc", "incc"], "hr", "related[1]", "did you mean 'inc'"),
    ("claims[2].related", ["hr"], "hr", "related[0]", "itself"),
    ("claims[3].competing_risks", "yes", "inc", "competing_risks", "true or false"),
    ("claims[3].printed.estimate", ..., "inc", "printed.estimate", "required"),
    ("claims[4].schedule", [], "dose", "schedule", "at least one"),
    ("claims[4].type", "dose_schedule", "dose", "type", "did you mean 'dose-schedule'"),
    ("claims[5].id", "bin", "bin", "id", "duplicate claim id"),
    ("claims[5].printed.Start", "2014", "dates", "printed.Start", "snake_case"),
]


@pytest.mark.parametrize(("path", "value", "claim", "field", "fragment"), WRONG)
def test_wrong_types_and_references_name_the_field(path, value, claim, field, fragment):
    doc = _set(BASE, path, value)
    if field is None:  # a harmless change: still valid
        parse_record(doc, "w.toml")
        return
    with pytest.raises(RecordError) as info:
        parse_record(doc, "w.toml")
    err = info.value
    assert (err.file, err.claim, err.field) == ("w.toml", claim, field)
    assert fragment in str(err)
    if claim is not None:
        assert isinstance(err, ClaimError | ImpossibleValueError | UnknownKeyError)


def test_user_record_may_not_reuse_a_bundled_id(tmp_path):
    src = load_record("zhao2022").file
    p = tmp_path / "copy.toml"
    p.write_bytes(Path(src).read_bytes())
    with pytest.raises(RecordError, match="bundled record") as info:
        load_record(p)
    assert info.value.field == "id"
    # the bundled file itself, by path, is the bundled record
    assert load_record(src).id == "zhao2022"


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        (b'id = "\xff"\n', "not UTF-8"),
        (b"x = " + b"[" * 50_000 + b"]" * 50_000 + b"\n", "nest too deeply"),
        (b"x = 1" + b"0" * 5000 + b"\n", "not usable TOML"),
        (b"id = = 1\n", "not valid TOML"),
    ],
)
def test_unusable_bytes_are_record_errors(tmp_path, payload, fragment):
    p = tmp_path / "bytes.toml"
    p.write_bytes(payload)
    with pytest.raises(RecordError, match=fragment) as info:
        load_record(p)
    assert info.value.file == str(p)
