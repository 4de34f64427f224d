"""Tests of gvhdstats.methods.proportions against R (tests/reference/gen_twobytwo.R).

Reference: ``twobytwo_proportions.csv``: binom.test (clopper-pearson),
prop.test(correct = FALSE / TRUE) (wilson / wilson-cc), and hand formulas in
R for jeffreys (qbeta), agresti-coull, wald and mid-p (uniroot on the
binomial mid-p tails).
"""

from __future__ import annotations

import csv
import math

import pytest
from scipy.stats import binom

from gvhdstats import proportion_ci
from gvhdstats.checks.proportion import check_claim, check_proportion
from gvhdstats.checks.verdicts import Verdict
from gvhdstats.errors import (
    ClaimError,
    InvalidArgumentError,
    InvalidCountError,
    UnknownMethodError,
)
from gvhdstats.methods.proportions import PROPORTION_CI_METHODS
from gvhdstats.records.loader import load_record
from tests.conftest import REFERENCE_DIR, run_r

with (REFERENCE_DIR / "twobytwo_proportions.csv").open() as _fh:
    PROPS = list(csv.DictReader(_fh))
for _r in PROPS:
    _r["events"] = str(int(float(_r["events"])))
    _r["total"] = str(int(float(_r["total"])))


def _ids(row: dict) -> str:
    return f"{row['method']}-{row['events']}/{row['total']}"


@pytest.mark.parametrize("row", PROPS, ids=_ids)
def test_against_r(row: dict) -> None:
    x, n, m = int(row["events"]), int(row["total"]), row["method"]
    ci = proportion_ci(x, n, method=m)
    lo, hi = float(row["low"]), float(row["high"])
    if m == "wilson-cc" and 2 * x == n:
        # R's prop.test shrinks the continuity correction to |x - n/2| = 0
        # here and returns the plain Wilson interval; we keep Newcombe's 1/2n.
        wil = proportion_ci(x, n, method="wilson")
        assert wil.low == pytest.approx(lo, rel=1e-8)
        assert ci.low < wil.low
        return
    assert ci.low == pytest.approx(lo, rel=1e-8, abs=1e-14)
    assert ci.high == pytest.approx(hi, rel=1e-8, abs=1e-14)


def test_every_method_has_a_reference() -> None:
    assert {r["method"] for r in PROPS} == set(PROPORTION_CI_METHODS)


@pytest.mark.parametrize(("x", "n"), [(82, 99), (1, 10), (0, 5), (7, 7), (123, 1000)])
def test_midp_bounds_have_tail_alpha_over_2(x: int, n: int) -> None:
    # Invariant (Lancaster 1961): P(X > x) + P(X = x)/2 = 0.025 at the lower
    # bound, P(X < x) + P(X = x)/2 = 0.025 at the upper bound.
    ci = proportion_ci(x, n, method="mid-p")
    if x > 0:
        up = binom.sf(x, n, ci.low) + 0.5 * binom.pmf(x, n, ci.low)
        assert up == pytest.approx(0.025, rel=1e-9)
    else:
        assert ci.low == 0.0
    if x < n:
        dn = binom.cdf(x - 1, n, ci.high) + 0.5 * binom.pmf(x, n, ci.high)
        assert dn == pytest.approx(0.025, rel=1e-9)
    else:
        assert ci.high == 1.0


def test_clopper_pearson_tails() -> None:
    ci = proportion_ci(82, 99, method="clopper-pearson", confidence_level=0.9)
    assert binom.sf(81, 99, ci.low) == pytest.approx(0.05, rel=1e-9)
    assert binom.cdf(82, 99, ci.high) == pytest.approx(0.05, rel=1e-9)


@pytest.mark.parametrize(
    ("args", "kwargs", "exc", "msg"),
    [
        ((-1, 10), {}, InvalidCountError, "`events` must be an integer not less than 0"),
        ((3, 0), {}, InvalidCountError, "`total` must be an integer not less than 1, but got 0"),
        ((2.5, 10), {}, InvalidCountError, "but got 2.5"),
        ((11, 10), {}, InvalidCountError, "`events` must not exceed `total` (10), but got 11"),
        ((True, 10), {}, InvalidCountError, "`events`"),
        ((1, 10), {"method": "exact"}, UnknownMethodError, "`method` must be one of"),
        ((1, 10), {"confidence_level": 95}, InvalidArgumentError, "`confidence_level`"),
    ],
)
def test_validation(args, kwargs, exc, msg) -> None:
    with pytest.raises(exc) as info:
        proportion_ci(*args, **kwargs)
    assert msg in str(info.value)


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
    rec = parse_record(doc, "x.toml")
    with pytest.raises(ClaimError, match=r"assumed\.total"):
        check_claim(rec.claims[0], rec)


@pytest.mark.r
def test_live_r_binom(tmp_path) -> None:
    code = (
        "cat(sprintf('%.17g', c(binom.test(7, 23)$conf.int, "
        "prop.test(7, 23, correct=TRUE)$conf.int)), sep='\\n')"
    )
    f = tmp_path / "b.R"
    f.write_text(code)
    vals = [float(v) for v in run_r(f).stdout.split()]
    cp = proportion_ci(7, 23, method="clopper-pearson")
    wc = proportion_ci(7, 23, method="wilson-cc")
    assert [cp.low, cp.high, wc.low, wc.high] == pytest.approx(vals, rel=1e-10)
    assert not math.isnan(cp.low)
