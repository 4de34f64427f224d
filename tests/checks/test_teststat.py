"""Test statistics against R (tests/reference/gen_teststat.R) and statcheck's rounding rule."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest

from gvhdstats.checks.teststat import check_test_statistic, statistic_pvalue
from gvhdstats.errors import ClaimError, InvalidArgumentError
from gvhdstats.records.loader import parse_record
from tests.conftest import REFERENCE_DIR

CASES = json.loads((REFERENCE_DIR / "teststat_reference.json").read_text())["cases"]


def _ids(case):
    return f"{case['test']}={case['value']},p={case['p']}"


def _printed_interval(p: str) -> tuple[float, float, bool]:
    """Hand rule: '<x' is (-inf, x); 'x' with d decimals is [x - h, x + h)."""
    if p.startswith("<"):
        return -math.inf, float(p[1:]), False
    d = Decimal(p)
    h = Decimal(5).scaleb(d.as_tuple().exponent - 1)
    return float(d - h), float(d + h), True


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_p_range_matches_R(case):
    res = check_test_statistic(case["test"], case["value"], case["p"], case["df1"], case["df2"])
    assert res.p_low == pytest.approx(case["p_low"], rel=1e-9)
    assert res.p_high == pytest.approx(case["p_high"], rel=1e-9)
    assert res.p_nominal == pytest.approx(case["p_nominal"], rel=1e-9)


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_verdict_follows_statchecks_rule_on_R_values(case):
    lo, hi, _ = _printed_interval(case["p"])
    expected = "reproduced" if (case["p_high"] >= lo and case["p_low"] < hi) else "inconsistent"
    row = check_test_statistic(
        case["test"], case["value"], case["p"], case["df1"], case["df2"]
    ).rows[0]
    assert row.verdict.value == expected
    if expected == "inconsistent":
        printed_sig = hi <= 0.05
        flips = all((p < 0.05) != printed_sig for p in (case["p_low"], case["p_high"]))
        assert row.decision_error is flips


def test_known_cases():
    # chi2(1) = 4.08 gives P in [0.04327, 0.04352] (R pchisq): 0.043 fits, 0.43 does not
    assert check_test_statistic("chi2", "4.08", "0.043", "1").rows[0].verdict.value == "reproduced"
    bad = check_test_statistic("chi2", "4.08", "0.43", "1").rows[0]
    assert bad.verdict.value == "inconsistent"
    assert bad.decision_error is True


def test_one_tailed_needs_the_text_to_say_so():
    # t(58) = 2.10: two-sided P in [0.0397, 0.0404]; printed 0.02 is half of it
    two = check_test_statistic("t", "2.10", "0.02", "58")
    one = check_test_statistic("t", "2.10", "0.02", "58", one_tailed=True)
    assert two.rows[0].verdict.value == "inconsistent"
    assert one.rows[0].verdict.value == "reproduced"
    assert one.rows[0].methods == ("one-tailed",)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("q", "2.0", "0.05", "10"), "`test` must be one of"),
        (("t", "2.0", "0.05"), "needs 1 degree"),
        (("F", "2.0", "0.05", "1"), "needs 2 degree"),
        (("r", "1.2", "0.05", "10"), "correlation must lie"),
        (("chi2", "-1.0", "0.05", "1"), "non-negative"),
        (("t", "2.0", "0.05", "0"), "`df1` must be a positive"),
    ],
)
def test_bad_input(args, match):
    with pytest.raises(InvalidArgumentError, match=match):
        check_test_statistic(*args)


def test_statistic_pvalue_symmetry():
    assert statistic_pvalue("t", -2.0, 10) == statistic_pvalue("t", 2.0, 10)
    assert statistic_pvalue("r", 1.0, 10) == 0.0


def _record(claim: dict) -> dict:
    return {"schema": 1, "id": "x", "kind": "publication", "claims": [claim]}


def test_claim_type_through_the_engine():
    from gvhdstats.engine import verify

    doc = _record(
        {
            "id": "t1",
            "type": "test-statistic",
            "test": "t",
            "quote": "t(45) = 2.31, P = 0.01",
            "printed": {"statistic": "2.31", "df1": "45", "p": "0.01"},
        }
    )
    frame = verify(parse_record(doc, "x.toml"))
    assert list(frame["verdict"]) == ["inconsistent"]


def test_claim_without_test_names_the_field():
    from gvhdstats.engine import verify

    doc = _record(
        {
            "id": "t1",
            "type": "test-statistic",
            "quote": "t(45) = 2.31, P = 0.01",
            "printed": {"statistic": "2.31", "df1": "45", "p": "0.01"},
        }
    )
    with pytest.raises(ClaimError, match="'test'"):
        verify(parse_record(doc, "x.toml"))


STATCHECK = json.loads((REFERENCE_DIR / "statcheck_reference.json").read_text())


@pytest.mark.parametrize(
    "result", STATCHECK["results"], ids=[r["raw"] for r in STATCHECK["results"]]
)
def test_scan_and_check_agree_with_R_statcheck(result):
    # the same sentence, read by gvhdstats scan and checked here, against R statcheck
    from gvhdstats.scan import scan

    sentence = STATCHECK["sentences"][result["source"] - 1]
    res = scan(sentence)
    (claim,) = [c for c in res.claims if c.type == "test-statistic"]
    assert float(claim.printed["statistic"]) == result["test_value"]
    dfs = [float(claim.printed[k]) for k in ("df1", "df2") if k in claim.printed]
    theirs = [float(d) for d in (result.get("df1"), result.get("df2")) if d not in (None, "NA")]
    assert dfs == theirs
    frame = res.verify()
    row = frame[frame["quantity"] == "p"].iloc[0]
    assert (row["verdict"] == "inconsistent") is result["error"]
    assert bool(row["decision_error"]) is result["decision_error"]
