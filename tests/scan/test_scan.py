"""The scan API: claims, draft record (strict loader, TOML round trip), spans, parallel runs."""

from __future__ import annotations

import tomllib
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pandas as pd
import pytest

import gvhdstats
from gvhdstats.engine import VERIFY_COLUMNS, verify
from gvhdstats.errors import InvalidArgumentError
from gvhdstats.records import load_record
from gvhdstats.scan import SCAN_COLUMNS, Document, scan, scan_many
from gvhdstats.scan.core import verify_many

TEXT = (
    "METHODS: A total of 200 patients were randomized to the new drug (n = 100) or "
    "standard care (n = 100). The median age was 52 years (range, 18 to 74).\n\n"
    "RESULTS: Response at day 28 was 60.0% [60 patients] vs. 45.0% [45] (odds ratio, "
    "1.83; 95% CI, 1.04 to 3.22; P = 0.035). Overall survival was longer with the drug "
    "(hazard ratio 0.68; 95% CI, 0.48-0.95; P = 0.024). Infections: 30 (30.0%) vs 41 "
    "(41.0%). Scores fell more with the drug, t(198) = 2.31, p = .022."
)


@pytest.fixture(scope="module")
def result():
    return scan(TEXT, id="made-up")


def test_claims_and_types(result):
    assert [c.type for c in result.claims] == [
        "sum",
        "two-arm-binary",
        "ratio",
        "two-arm-binary",
        "test-statistic",
    ]
    assert "52" not in {v for c in result.claims for v in c.printed.values() if isinstance(v, str)}
    assert repr(result).startswith("ScanResult(id='made-up', claims=5")


def test_verify_columns_and_spans(result):
    frame = result.verify()
    assert tuple(frame.columns) == SCAN_COLUMNS
    assert tuple(frame.columns[: len(VERIFY_COLUMNS)]) == VERIFY_COLUMNS
    text = result.document.text
    checked = 0
    for _, row in frame.iterrows():
        if row["quantity"].startswith(("joint", "implied", "transform", "effective")):
            continue
        start, end = row["start"], row["end"]
        assert text[start:end].replace("·", ".") == row["reported"], row["quantity"]
        assert text[start:end] in row["sentence"] or row["quantity"] == "parts"
        checked += 1
    assert checked >= 12


def test_verdicts_of_the_made_up_text(result):
    frame = result.verify()
    # 60/100 vs 45/100, OR 1.83 (1.04-3.22), P 0.035: the mid-p family (docs/records.md)
    joint = frame[frame["quantity"] == "joint[odds_ratio]"].iloc[0]
    assert joint["verdict"] == "reproduced"
    # t(198) = 2.31: two-sided P in [0.0215, 0.0223]; .022 fits
    p = frame[(frame["claim"] == "test-1") & (frame["quantity"] == "p")].iloc[0]
    assert p["verdict"] == "reproduced"
    assert set(frame["verdict"]) <= {"reproduced", "not-checkable"}


def test_denominator_rows_say_which_and_why(result):
    binary = result.claims[1]
    assert binary.assumed["treatment_total"][0] == 100
    assert "stated arm size n = 100" in binary.assumed["treatment_total"][1]
    frame = result.verify()
    notes = frame[frame["claim"] == binary.id]["note"]
    assert any("treatment_total = 100 assumed (treatment arm" in n for n in notes)


def test_draft_loads_and_reverifies_to_the_same_rows(result, tmp_path):
    path = tmp_path / "draft.toml"
    path.write_text(result.to_toml(), encoding="utf-8")
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert doc == result.to_document()
    again = verify(load_record(path))
    frame = result.verify()
    cols = ["claim", "quantity", "reported", "verdict", "methods", "note"]
    pd.testing.assert_frame_equal(again[cols], frame[cols])
    # quotes are the input's sentences
    for claim in doc["claims"]:
        assert claim["quote"] in " ".join(TEXT.split())


def test_gvhdstats_scan_is_callable_either_way():
    import gvhdstats.scan as module

    assert gvhdstats.scan("HR 0.68 (95% CI 0.48-0.95)").claims[0].type == "ratio"
    assert module("HR 0.68 (95% CI 0.48-0.95)").claims[0].type == "ratio"
    assert isinstance(gvhdstats.ScanResult, type)


def test_scan_a_path(tmp_path):
    path = tmp_path / "abstract.html"
    path.write_text("<p>Response: 82 (82.8%) vs 70 (70.7%); odds ratio, 2.00</p>")
    res = scan(path)
    assert res.id == "abstract"
    assert res.document.format == "html"
    assert res.claims[0].printed["odds_ratio"] == "2.00"
    assert scan(str(path)).claims[0].printed == res.claims[0].printed


def test_scan_refuses_a_multi_text_file(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n')
    with pytest.raises(InvalidArgumentError, match="use scan_many"):
        scan(path)
    with pytest.raises(InvalidArgumentError, match="must be a text or a path"):
        scan(42)  # type: ignore[arg-type]


def _docs() -> list[Document]:
    base = [
        "Response 60 (60.0%) vs 45 (45.0%); OR 1.83 (95% CI 1.04-3.22), P = 0.035.",
        "HR 0.75, 95% CI 0.34-1.67, P = 0.610.",
        "No numbers here.",
        "chi2(1) = 4.08, P = 0.43.",
    ]
    return [Document(f"d{i}", t) for i, t in enumerate(base * 3)]


def _frames(results):
    return verify_many(results)


def test_parallel_runs_equal_the_serial_run_in_order():
    docs = _docs()
    serial = scan_many(docs)
    seen = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        threaded = scan_many(docs, executor=pool, progress=lambda i, n: seen.append((i, n)))
    with ProcessPoolExecutor(max_workers=2) as pool:
        processes = scan_many(docs, executor=pool, chunksize=2)
    assert [r.id for r in processes] == [d.id for d in docs]
    pd.testing.assert_frame_equal(_frames(threaded), _frames(serial))
    pd.testing.assert_frame_equal(_frames(processes), _frames(serial))
    assert seen[-1] == (len(docs), len(docs))


def test_explain_shows_spans_and_types(result):
    text = result.explain()
    assert "two-arm-binary" in text
    assert "odds_ratio='1.83'@" in text
    assert "assumed treatment_total = 100" in text


def test_incidence_rate_ratio_is_a_ratio_claim():
    # ln IRR = 0.3, SE = 0.12: IRR exp(0.3) = 1.3499 -> "1.35"; CI exp(0.3 -/+ 1.96 * 0.12)
    # = (1.0669, 1.7078) -> "1.07"-"1.71"; Wald P 2 * Phi(-0.3 / 0.12) = 0.0124 -> "0.012"
    res = scan("Infections were more frequent (IRR 1.35, 95% CI 1.07-1.71; P = 0.012).")
    (claim,) = res.claims
    assert claim.type == "ratio"
    assert claim.fields["measure"] == "rate-ratio"
    frame = res.verify()
    assert frame.loc[frame["quantity"] == "p", "verdict"].iloc[0] == "reproduced"
    bad = scan("Infections were more frequent (IRR 1.35, 95% CI 1.07-1.71; P = 0.12).")
    frame = bad.verify()
    assert frame.loc[frame["quantity"] == "p", "verdict"].iloc[0] == "inconsistent"
