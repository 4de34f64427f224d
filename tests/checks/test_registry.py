"""Tests for gvhdstats.checks.registry: registered vs published design."""

from __future__ import annotations

from gvhdstats.checks.registry import check_record, compare_registration
from gvhdstats.records.loader import load_record


def test_phase3_against_its_registration():
    rows = {r.quantity: r for _, r in check_record(load_record("zhao2022"))}
    assert set(rows) == {
        "registry[enrollment]",
        "registry[start]",
        "registry[end]",
        "registry[phase]",
        "registry[primary_endpoint]",
    }
    assert all(r.verdict == "not-checkable" for r in rows.values())
    # registered 200, published 203: +3 = +1.5% (hand)
    assert "registered 200" in rows["registry[enrollment]"].note
    assert "+3 (+1.5%" in rows["registry[enrollment]"].note
    # completion 2018-12-31 registered, enrolment to March 2019 reported: 3 months later
    assert "3 month(s) later" in rows["registry[end]"].note
    assert "same month" in rows["registry[start]"].note
    assert "differs" in rows["registry[phase]"].note


def test_records_without_registration_have_no_rows():
    assert check_record(load_record("zhao2025")) == []
    assert check_record(load_record("NCT02241018")) == []


def test_equal_enrollment_is_said_so():
    pub = load_record("NCT04738981")
    rows = compare_registration(pub, pub)
    assert "equals" in rows[0].note
