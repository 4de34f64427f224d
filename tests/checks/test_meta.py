"""Tests of gvhdstats.checks.meta (check_meta and the meta-analysis claim type).

Printed numbers are made by rounding values that R metafor computed
(tests/reference/meta_reference.json, written by gen_meta.R), or values
computed in this file by hand from metafor's per-study effects and its
rma.mh estimate (RevMan 5's random-effects model), never from our own
output.
"""

from __future__ import annotations

import json
import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest

from gvhdstats import check_meta
from gvhdstats.checks.meta import FAMILIES, check_claim
from gvhdstats.checks.verdicts import ROW_COLUMNS, Verdict
from gvhdstats.errors import (
    InvalidArgumentError,
    InvalidIntervalError,
    InvalidPValueError,
    RecordError,
)
from gvhdstats.records import load_record, parse_record
from tests.conftest import REFERENCE_DIR

REF = json.loads((REFERENCE_DIR / "meta_reference.json").read_text(encoding="utf-8"))
SETS = {s["id"]: s for s in REF["datasets"]}


def printed(x: float, places: int) -> str:
    q = Decimal(1).scaleb(-places)
    return str(Decimal(repr(x)).quantize(q, rounding=ROUND_HALF_UP))


def tables_of(s):
    return [
        ((a, n1), (c, n2))
        for a, n1, c, n2 in zip(s["ai"], s["n1i"], s["ci"], s["n2i"], strict=True)
    ]


def r_fit(set_id, measure, method, test="z", to="only0", model="rma"):
    for f in SETS[set_id]["fits"]:
        if (f["model"], f["measure"], f["method"], f["test"], f["to"]) == (
            model,
            measure,
            method,
            test,
            to,
        ):
            return f
    raise LookupError((set_id, measure, method, test, to))


def printed_ratio(f, places: int) -> dict:
    """metafor's pooled ratio and CI (log scale in the fixture) as printed with ``places``."""
    return {
        "estimate": printed(math.exp(f["b"]), places),
        "ci": (printed(math.exp(f["ci_lb"]), places), printed(math.exp(f["ci_ub"]), places)),
    }


def by_quantity(res):
    return {r.quantity: r for r in res.rows}


def test_metafor_reml_with_tau2_and_i2_is_pinned_to_reml():
    f = r_fit("bcg", "RR", "REML")
    res = check_meta(
        tables_of(SETS["bcg"]),
        measure="RR",
        **printed_ratio(f, 2),
        p="<0.0001",
        i2=printed(f["I2"], 2),
        tau2=printed(f["tau2"], 4),
    )
    joint = res.rows[-1]
    assert joint.quantity == "joint[meta]"
    assert joint.verdict is Verdict.REPRODUCED
    assert joint.methods == ("REML|only0",)
    assert joint.discriminates is True
    assert "metafor rma() default" in joint.note


def test_estimate_and_ci_alone_cannot_tell_estimators_apart():
    f = r_fit("hine1989", "OR", "DL")
    res = check_meta(
        tables_of(SETS["hine1989"]),
        measure="OR",
        **printed_ratio(f, 2),
    )
    joint = res.rows[-1]
    assert joint.verdict is Verdict.REPRODUCED
    assert "DL|only0" in joint.methods
    assert len(joint.methods) > 1
    assert joint.discriminates is False
    assert "cannot tell them apart" in joint.note


def test_knha_interval_is_found_and_z_interval_is_not():
    f = r_fit("sim-k8-heterog", "RR", "REML", test="knha")
    res = check_meta(
        tables_of(SETS["sim-k8-heterog"]),
        measure="RR",
        **printed_ratio(f, 3),
        p=printed(f["pval"], 4),
    )
    joint = res.rows[-1]
    assert joint.verdict is Verdict.REPRODUCED
    assert "REML+knha|only0" in joint.methods
    assert "REML|only0" not in joint.methods


def test_mantel_haenszel_and_peto_from_metafor():
    for model, method, name in (("rma.mh", "MH", "mantel-haenszel"), ("rma.peto", "PETO", "peto")):
        f = r_fit("sim-k15-sparse", "OR", method, model=model)
        res = check_meta(
            tables_of(SETS["sim-k15-sparse"]),
            measure="OR",
            **printed_ratio(f, 3),
            p=printed(f["pval"], 4),
            q=printed(f["QE"], 2),
        )
        assert name in res.rows[-1].methods, (name, res.rows[-1])


def test_zero_cell_rule_all_is_distinguished():
    f = r_fit("sim-k5-two-double-zero", "OR", "FE", to="all")
    res = check_meta(
        tables_of(SETS["sim-k5-two-double-zero"]),
        measure="OR",
        **printed_ratio(f, 3),
        q=printed(f["QE"], 3),
    )
    joint = res.rows[-1]
    assert "fixed|all" in joint.methods
    assert "fixed|only0" not in joint.methods


def test_revman_random_effects_by_hand():
    # RevMan 5: DL with Cochran's Q about the MH estimate (no zero cells in hine1989,
    # so MH with and without correction coincide); per-study effects and the MH
    # estimate are metafor's
    s = SETS["hine1989"]
    eff = next(e for e in s["effects"] if e["measure"] == "RR" and e["to"] == "only0")
    y, v = np.array(eff["yi"]), np.array(eff["vi"])
    mh = r_fit("hine1989", "RR", "MH", model="rma.mh")["b"]
    w = 1 / v
    q = float((w * (y - mh) ** 2).sum())
    tau2 = max(0.0, (q - (len(y) - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    wr = 1 / (v + tau2)
    mu = float((wr * y).sum() / wr.sum())
    se = 1 / math.sqrt(wr.sum())
    z = 1.959963984540054
    res = check_meta(
        tables_of(s),
        measure="RR",
        estimate=printed(math.exp(mu), 3),
        ci=(printed(math.exp(mu - z * se), 3), printed(math.exp(mu + z * se), 3)),
        q=printed(q, 3),
    )
    joint = res.rows[-1]
    assert "revman-dl" in joint.methods
    assert "RevMan 5 random effects" in joint.note


def test_inconsistent_when_no_combination_fits():
    f = r_fit("bcg", "RR", "REML")
    res = check_meta(
        tables_of(SETS["bcg"]),
        measure="RR",
        **printed_ratio(f, 2),
        p="0.20",  # far from every P the counts allow
    )
    rows = by_quantity(res)
    assert rows["p"].verdict is Verdict.INCONSISTENT
    assert rows["p"].decision_error is True
    assert rows["joint[meta]"].verdict is Verdict.INCONSISTENT
    assert "p" in rows["joint[meta]"].note


def test_generic_effects_and_frame():
    s = SETS["gen-k7-heterog"]
    f = r_fit("gen-k7-heterog", "GEN", "PM", to="none")
    res = check_meta(
        list(zip(s["yi"], s["sei"], strict=True)),
        measure="generic",
        estimate=printed(f["b"], 4),
        ci=(printed(f["ci_lb"], 4), printed(f["ci_ub"], 4)),
        tau2=printed(f["tau2"], 5),
    )
    assert "PM" in res.rows[-1].methods
    assert "EB" in res.rows[-1].methods  # PM and EB solve the same equation
    frame = res.to_frame()
    assert list(frame.columns) == list(ROW_COLUMNS)


def test_every_family_label_is_searched():
    res = check_meta(tables_of(SETS["sim-k5-two-double-zero"]), measure="OR", estimate="1.00")
    searched = set(res.combinations)
    for fam in FAMILIES:
        if (
            "|" in fam
            or fam in ("mantel-haenszel", "mantel-haenszel+cc", "peto")
            or "revman" in fam
        ):
            assert fam in searched, fam


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (dict(measure="XX", estimate="1.0"), InvalidArgumentError, "measure"),
        (dict(measure="OR", estimate="1.0", ci=("2.0", "1.0")), InvalidIntervalError, "ci"),
        (dict(measure="OR", estimate="1.0", p="1.5"), InvalidPValueError, "p"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        check_meta([((1, 10), (2, 10))], **kwargs)


# ------------------------------------------------------------------ claims

RECORD = """
schema = 1
id = "toy-review"
kind = "publication"
title = "A toy review pooling the phase 3 trial"

[source]
citation = "made up for a test"

[[claims]]
id = "orr"
type = "meta-analysis"
measure = "risk-ratio"
location = "figure 2"
printed = {{ estimate = "{est}", ci_low = "{lo}", ci_high = "{hi}" }}

[[claims.studies]]
label = "Zhao 2022"
claim = "zhao2022#or-day28"
{counts}

[[claims.studies]]
label = "Other"
treatment_events = "30"
treatment_total = "50"
control_events = "22"
control_total = "49"
"""


def toy(counts: str, est="1.20", lo="1.05", hi="1.37"):
    import tomllib

    doc = tomllib.loads(RECORD.format(counts=counts, est=est, lo=lo, hi=hi))
    return parse_record(doc, "toy-review.toml")


def test_claim_cross_checks_a_bundled_trial():
    rec = toy(
        'treatment_events = "82"\ntreatment_total = "99"\ncontrol_events = "70"\n'
        'control_total = "99"'
    )
    rows = {r.quantity: r for r in check_claim(rec.claim("orr"), rec)}
    assert rows["study[Zhao 2022]"].verdict is Verdict.REPRODUCED


def test_claim_flags_a_mis_extracted_trial():
    rec = toy(
        'treatment_events = "82"\ntreatment_total = "101"\ncontrol_events = "70"\n'
        'control_total = "102"'
    )
    rows = {r.quantity: r for r in check_claim(rec.claim("orr"), rec)}
    row = rows["study[Zhao 2022]"]
    assert row.verdict is Verdict.INCONSISTENT
    assert "82/99" in row.note


def test_claim_takes_counts_from_the_trial_record():
    # RR pooled by hand (fixed effect, inverse variance) of 82/99 vs 70/99 and 30/50 vs 22/49
    y = [math.log((82 / 99) / (70 / 99)), math.log((30 / 50) / (22 / 49))]
    v = [1 / 82 - 1 / 99 + 1 / 70 - 1 / 99, 1 / 30 - 1 / 50 + 1 / 22 - 1 / 49]
    w = [1 / x for x in v]
    mu = sum(wi * yi for wi, yi in zip(w, y, strict=True)) / sum(w)
    se = 1 / math.sqrt(sum(w))
    z = 1.959963984540054
    rec = toy(
        "",
        est=printed(math.exp(mu), 2),
        lo=printed(math.exp(mu - z * se), 2),
        hi=printed(math.exp(mu + z * se), 2),
    )
    rows = {r.quantity: r for r in check_claim(rec.claim("orr"), rec)}
    assert "study[Zhao 2022]" not in rows
    assert "fixed|only0" in rows["joint[meta]"].methods
    assert "counts from zhao2022#or-day28" in rows["joint[meta]"].note


def test_bundled_reviews_are_not_checkable_but_internally_consistent():
    for rid, p in (("xiao2025", "0.007"), ("khan2025", "0.005")):
        rec = load_record(rid)
        rows = {r.quantity: r for r in check_claim(rec.claim("orr"), rec)}
        assert rows["estimate"].verdict is Verdict.NOT_CHECKABLE
        assert "4 of 4 studies" in rows["estimate"].note
        assert rows["pooled-wald[p]"].reported == p
        assert rows["pooled-wald[p]"].verdict is Verdict.REPRODUCED
        assert rec.claim("orr").quote == ""
        assert rec.claim("orr").get("location") == "abstract, results"


def test_record_errors_name_the_study_field():
    with pytest.raises(RecordError, match=r"studies\[0\]\.claim_extra"):
        toy('claim_extra = "x"')


def test_printed_counts_must_be_strings():
    import tomllib

    doc = tomllib.loads(RECORD.format(counts="", est="1.2", lo="1.0", hi="1.4"))
    doc["claims"][0]["studies"][1]["treatment_events"] = 30
    with pytest.raises(RecordError, match=r"studies\[1\]\.treatment_events"):
        parse_record(doc, "toy-review.toml")
