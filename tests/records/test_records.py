"""Tests for gvhdstats.records: bundled records load, and malformed files fail clearly."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from gvhdstats.errors import RecordError, UnknownRecordError
from gvhdstats.records.loader import bundled_record_ids, data_dir, load_record

EXPECTED_IDS = {
    "000_25c1e918701274b6.txt": "cgvhd-msc-phase2",
    "001_d6e4192c02c944cf.txt": "NCT02241018",
    "002_0260f514f0f38ce5.txt": "NCT04738981",
    "003_3a55ebaf1d6b4398.txt": "zhao2022",
    "004_4b5835d2c5dd4827.txt": "zhao2025",
}


#: bundled records of papers outside ../shared/seeds (figures, citation, location; no quotes)
OTHER_IDS = ["khan2025", "xiao2025"]


def test_all_five_seed_documents_have_a_record():
    ids = bundled_record_ids()
    assert ids == [*EXPECTED_IDS.values(), *OTHER_IDS]
    for seed_file, rid in EXPECTED_IDS.items():
        assert load_record(rid).source["file"] == seed_file


@pytest.mark.parametrize("rid", OTHER_IDS)
def test_records_outside_the_seeds_carry_figures_and_locations_not_sentences(rid):
    rec = load_record(rid)
    assert "file" not in rec.source
    assert rec.source["doi"]
    assert rec.source["citation"]
    for claim in rec.claims:
        assert claim.quote == "", claim.id
        assert claim.get("location"), claim.id


def _norm(text: str) -> str:
    text = text.replace("\\^", "^").replace("\\\\", "\\")
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("rid", list(EXPECTED_IDS.values()))
def test_every_quote_is_verbatim_in_its_seed(rid, seeds_dir):
    rec = load_record(rid)
    source = _norm((seeds_dir / rec.source["file"]).read_text(encoding="utf-8"))
    for claim in rec.claims:
        assert _norm(claim.quote) in source, claim.id


@pytest.mark.parametrize("rid", list(EXPECTED_IDS.values()))
def test_every_printed_number_appears_in_its_quote(rid):
    rec = load_record(rid)
    # numbers printed as words; dates are stored in ISO form (checked by eye in review)
    words = {"6": "six", "9": "nine", "2": "two"}
    for claim in rec.claims:
        for key, val in claim.printed.items():
            if key in {"date", "start", "end"}:
                continue
            for v in val if isinstance(val, list) else [val]:
                bare = v.lstrip("<>=≤≥ ")
                found = bare in claim.quote or words.get(bare, "@") in claim.quote
                assert found, (claim.id, key, v)


def test_results_numbers_of_the_phase3_abstract_are_all_claimed():
    # every number printed in the results paragraph of seed 003 is a printed value of a claim
    rec = load_record("zhao2022")
    printed = {
        v
        for c in rec.claims
        for val in c.printed.values()
        for v in (val if isinstance(val, list) else [val])
    }
    text = (
        "203 198 97.5 30.1 40.4 28 82.8 82 70.7 70 2.00 1.01 3.94 0.043 56 78.8 78 64.6 64 2.02 "
        "1.08 3.83 0.027 11.3 6.0 0.68 0.48 0.95 0.024 39.5 29.3 49.4 62.7 51.4 72.1 0.55 0.36 "
        "0.84 0.005 180 3 4 65 65.7 78 78.8 37 37.4 53 53.5 10.1 5.2 17.1 13.5 7.5 21.2 0.75 "
        "0.34 1.67 0.610"
    )
    missing = [t for t in text.split() if t not in printed]
    assert missing == []


def test_data_dir_exists():
    assert any(data_dir().glob("*.toml"))


def write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "rec.toml"
    p.write_text(textwrap.dedent(body))
    return p


GOOD_HEAD = """
    schema = 1
    id = "t"
    kind = "publication"
    title = "x"
"""


def test_user_record_loads(tmp_path):
    p = write(
        tmp_path,
        GOOD_HEAD
        + """
    [[claims]]
    id = "arms"
    type = "sum"
    unit = "count"
    quote = "200 patients (100 and 100)"
    printed = { total = "200", parts = ["100", "100"] }
    """,
    )
    rec = load_record(p)
    assert rec.id == "t"
    assert rec.claim("arms").printed_list("parts")[0].text == "100"


@pytest.mark.parametrize(
    ("claims", "pattern"),
    [
        (
            'id = "a"\ntype = "nonsense"\nquote = "q"',
            r"claim 'a', field 'type': unknown claim type",
        ),
        (
            'id = "a"\ntype = "sum"\nquote = "q"\nprinted = { total = 200 }',
            r"claim 'a', field 'printed.total': printed numbers must be strings",
        ),
        (
            'id = "a"\ntype = "sum"\nquote = "q"\nprinted = { total = "2x00" }',
            r"claim 'a', field 'printed.total': `total` is not a printed number",
        ),
        ('id = "a"\ntype = "sum"\nquote = ""', r"claim 'a', field 'quote'"),
        ('id = "a"\ntype = "sum"', r"claim 'a', field 'quote': is missing"),
        ('type = "sum"\nquote = "q"', r"field 'claims\[0\]\.id': is missing"),
        (
            'id = "a"\ntype = "sum"\nquote = "q"\nassumed = { n = 5 }',
            r"claim 'a', field 'assumed.n'",
        ),
        (
            'id = "a"\ntype = "sum"\nquote = "q"\nbogus = 1',
            r"claim 'a', field 'bogus': unknown key 'bogus'",
        ),
    ],
)
def test_malformed_claims_name_file_claim_and_field(tmp_path, claims, pattern):
    body = GOOD_HEAD + "\n[[claims]]\n" + claims + "\n"
    p = tmp_path / "bad.toml"
    p.write_text(textwrap.dedent(body))
    with pytest.raises(RecordError, match=pattern) as info:
        load_record(p)
    assert str(p) in str(info.value)
    assert isinstance(info.value, ValueError)


def test_duplicate_claim_ids(tmp_path):
    one = '\n[[claims]]\nid = "a"\ntype = "fact"\nquote = "q"\n'
    p = tmp_path / "dup.toml"
    p.write_text(textwrap.dedent(GOOD_HEAD) + one + one)
    with pytest.raises(RecordError, match="claim 'a', field 'id': duplicate claim id"):
        load_record(p)


def test_bad_kind_and_bad_toml(tmp_path):
    p = tmp_path / "k.toml"
    p.write_text('schema = 1\nid = "t"\nkind = "blog"\n')
    with pytest.raises(RecordError, match="field 'kind'"):
        load_record(p)
    p.write_text("this is = = not toml")
    with pytest.raises(RecordError, match="is not valid TOML"):
        load_record(p)


def test_unknown_record():
    with pytest.raises(UnknownRecordError, match="no bundled record 'nope'"):
        load_record("nope")


def test_claim_integer_validation(tmp_path):
    p = write(
        tmp_path,
        GOOD_HEAD
        + """
    [[claims]]
    id = "p"
    type = "proportion"
    quote = "q"
    printed = { events = "2.5", total = "10" }
    """,
    )
    # a non-integer count is refused when the record is loaded, not when a check reads it
    with pytest.raises(RecordError, match=r"claim 'p', field 'printed\.events'"):
        load_record(p)
