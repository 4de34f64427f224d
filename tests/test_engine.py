"""Tests for gvhdstats.engine: registry, verify table shape, custom checkers."""

from __future__ import annotations

import textwrap

import pytest

from gvhdstats import engine
from gvhdstats.checks.verdicts import CheckRow, Verdict
from gvhdstats.engine import VERIFY_COLUMNS, known_claim_types, register_check, verify
from gvhdstats.errors import ClaimError, InvalidArgumentError, RecordError
from gvhdstats.records import loader as records_loader
from tests.conftest import BUNDLED_RECORD_IDS


def test_verify_all_bundled_records_has_fixed_columns():
    table = verify()
    assert list(table.columns) == list(VERIFY_COLUMNS)
    assert set(table["record"]) == BUNDLED_RECORD_IDS
    assert set(table["verdict"]) <= {"reproduced", "inconsistent", "not-checkable"}
    # every claim of every record produced at least one row
    from gvhdstats.records.loader import bundled_record_ids, load_record

    for rid in bundled_record_ids():
        claims = {c.id for c in load_record(rid).claims}
        assert claims <= set(table.loc[table["record"] == rid, "claim"])


def test_no_claim_type_lacks_a_checker():
    table = verify()
    assert not table["note"].str.startswith("no checker available").any()


def test_custom_checker_plugs_in(tmp_path, monkeypatch):
    monkeypatch.setitem(engine._CLAIM_CHECKERS, "answer", "gvhdstats.engine:check_not_checkable")
    monkeypatch.setattr(records_loader, "_CLAIM_TYPES", set(records_loader._CLAIM_TYPES))

    def check_answer(claim, record):
        val = claim.printed_number("value")
        ok = val.contains(42.0)
        return [
            CheckRow(
                "value",
                val.text,
                Verdict.REPRODUCED if ok else Verdict.INCONSISTENT,
                ("arithmetic",) if ok else (),
                42.0,
            )
        ]

    register_check("answer", check_answer)
    assert "answer" in known_claim_types()
    p = tmp_path / "a.toml"
    p.write_text(
        textwrap.dedent("""
        schema = 1
        id = "a"
        kind = "publication"
        [[claims]]
        id = "q"
        type = "answer"
        quote = "The answer is 42.0."
        printed = { value = "42.0" }
        [[claims]]
        id = "r"
        type = "answer"
        quote = "The answer is 41.9."
        printed = { value = "41.9" }
    """)
    )
    t = verify(p)
    assert list(t["verdict"]) == ["reproduced", "inconsistent"]


def test_checker_value_errors_become_claim_errors(tmp_path, monkeypatch):
    def boom(claim, record):
        raise InvalidArgumentError("`events` must not exceed `total`")

    monkeypatch.setitem(engine._CLAIM_CHECKERS, "boom", boom)
    monkeypatch.setattr(records_loader, "_CLAIM_TYPES", {*records_loader._CLAIM_TYPES, "boom"})
    p = tmp_path / "b.toml"
    p.write_text(
        'schema = 1\nid = "b"\nkind = "publication"\n[[claims]]\nid = "x"\n'
        'type = "boom"\nquote = "q"\n'
    )
    with pytest.raises(ClaimError, match="claim 'x': `events` must not exceed `total`"):
        verify(p)


def test_register_check_validates():
    with pytest.raises(InvalidArgumentError, match="`claim_type`"):
        register_check("", lambda c, r: [])


@pytest.mark.parametrize(
    ("kwargs", "msg"),
    [
        ({"records": 123}, "`records` must be a record id, a path"),
        ({"records": "zhao2022", "simulate": 50}, "`simulate` must be a number"),
        ({"records": "zhao2022", "simulate": 150.5}, "`simulate` must be a number"),
        ({"records": "zhao2022", "simulate": True}, "`simulate` must be a number"),
    ],
)
def test_verify_bad_input(kwargs, msg):
    with pytest.raises(InvalidArgumentError, match=msg):
        verify(**kwargs)


def test_two_files_may_not_share_a_record_id(two_files_one_id):
    a, b = two_files_one_id
    with pytest.raises(
        RecordError, match=r"field 'id': record id 'same' is also the id of"
    ) as info:
        verify([a, b])
    assert info.value.file == str(b)
    assert len(verify([a, a])) == 2  # the same file twice is the same record
