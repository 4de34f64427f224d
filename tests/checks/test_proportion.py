"""Tests of gvhdstats.methods.proportions against R (tests/reference/gen_twobytwo.R).

Reference: ``twobytwo_proportions.csv``: binom.test (clopper-pearson),
prop.test(correct = FALSE / TRUE) (wilson / wilson-cc), and hand formulas in
R for jeffreys (qbeta), agresti-coull, wald and mid-p (uniroot on the
binomial mid-p tails).
"""

from __future__ import annotations

import csv

import pytest

from gvhdstats.checks.proportion import check_claim, check_proportion
from gvhdstats.checks.verdicts import Verdict
from gvhdstats.errors import (
    ClaimError,
)
from gvhdstats.records.loader import load_record
from tests.conftest import REFERENCE_DIR

with (REFERENCE_DIR / "twobytwo_proportions.csv").open() as _fh:
    PROPS = list(csv.DictReader(_fh))

for _r in PROPS:
    _r["events"] = str(int(float(_r["events"])))
    _r["total"] = str(int(float(_r["total"])))


def test_grim_percent_rows() -> None:
    # 82/99 = 82.828...% prints as 82.8; 82.9 is impossible for n = 99
    # (81/99 = 81.82, 83/99 = 83.84).
    ok = check_proportion(82, 99, percent="82.8").rows[0]
    assert ok.verdict is Verdict.REPRODUCED
    bad = check_proportion(82, 99, percent="82.9").rows[0]
    assert bad.verdict is Verdict.INCONSISTENT
    assert "none" in bad.note
    # 20/25 = 80.0%, the only count out of 25 that prints as 80.0
    rec = check_proportion(total=25, percent="80.0").rows[0]
    assert rec.verdict is Verdict.REPRODUCED
    assert rec.note.endswith(": 20")
    # no count out of 25 prints as 81.0% (steps of 4%)
    assert check_proportion(total=25, percent="81.0").rows[0].verdict is Verdict.INCONSISTENT


def test_ci_rows_use_every_method() -> None:
    # Clopper-Pearson for 20/25 from R: binom.test(20, 25) -> 0.5929..-0.9317..
    row = next(r for r in PROPS if r["method"] == "clopper-pearson" and r["total"] == "25")
    lo = f"{100 * float(row['low']):.1f}"
    hi = f"{100 * float(row['high']):.1f}"
    res = check_proportion(20, 25, percent="80.0", ci=(lo, hi))
    rows = {r.quantity: r for r in res.rows}
    assert "clopper-pearson" in rows["ci_low"].methods
    assert "clopper-pearson" in rows["joint[proportion]"].methods


def test_claims_from_records() -> None:
    rec = load_record("zhao2025")
    rows = check_claim(rec.claim("orr-day28"), rec)
    assert rows[0].verdict is Verdict.REPRODUCED
    assert "20" in rows[0].note
    assert "total = 25 assumed" in rows[0].note
    rec = load_record("zhao2022")
    women = check_claim(rec.claim("women"), rec)[0]
    # 80/198 = 40.40% is the only count printing as 40.4 (79 -> 39.9, 81 -> 40.9)
    assert women.verdict is Verdict.REPRODUCED
    assert ": 80" in women.note


def test_claim_errors_name_the_field() -> None:
    from gvhdstats.records.loader import parse_record

    doc = {
        "schema": 1,
        "id": "x",
        "kind": "publication",
        "claims": [
            {
                "id": "c1",
                "type": "proportion",
                "quote": "q",
                "printed": {"events": "3", "percent": "30.0"},
                "assumed": {"total": {"value": 2.5, "why": "test"}},
            }
        ],
    }
    # a fractional count is refused when the record is parsed, naming the exact field
    with pytest.raises(ClaimError, match=r"claim 'c1', field 'assumed\.total\.value'"):
        parse_record(doc, "x.toml")


def test_total_follows_from_the_design_arm() -> None:
    from gvhdstats.records.loader import parse_record

    doc = {
        "id": "design-total",
        "kind": "publication",
        "design": {"arms": [{"id": "a", "analysed": {"value": 25, "why": "all enrolled"}}]},
        "claims": [
            {
                "id": "orr",
                "type": "proportion",
                "arms": ["a"],
                "quote": "An ORR of 80.0%",
                "printed": {"percent": "80.0"},
            }
        ],
    }
    rec = parse_record(doc, "d.toml")
    [row] = check_claim(rec.claim("orr"), rec)
    # 20/25 = 80.0% exactly (hand): the only count out of 25 printing as 80.0
    assert row.verdict is Verdict.REPRODUCED
    assert "total = 25 from design arm a (analysed, assumed: all enrolled)" in row.note
