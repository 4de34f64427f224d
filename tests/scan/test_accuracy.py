"""Extraction precision and recall and false alarms on the annotated corpus (docs/scan.md).

Targets (issue 11): precision >= 98%, recall >= 90%, no inconsistent row in a fully
consistent text; every planted error must be flagged.
"""

from __future__ import annotations

import json

import pytest

from tests.scan.accuracy import CORPUS, measure


@pytest.fixture(scope="module")
def result():
    return measure()


def test_corpus_size_and_annotation():
    texts = json.loads(CORPUS.read_text(encoding="utf-8"))
    assert len(texts) >= 40
    assert sum(1 for t in texts if t["planted"]) >= 10
    assert sum(1 for t in texts if t["consistent"]) >= 30
    styles = {t["style"] for t in texts}
    assert {"nejm", "lancet", "jama", "bmj", "jco", "blood", "apa"} <= styles


def test_precision_and_recall(result):
    assert result["number_precision"] >= 0.98, result["wrong"]
    assert result["claim_precision"] >= 0.98, result["wrong"]
    assert result["number_recall"] >= 0.90, result["misses"]
    assert result["claim_recall"] >= 0.90, result["misses"]


def test_no_false_alarm_and_every_planted_error_flagged(result):
    assert result["false_alarms_consistent"] == 0, result["alarms"]
    assert result["false_alarms"] == 0, result["alarms"]
    assert result["planted_detected"] == 1.0, result["undetected"]


def test_the_measure_can_fail():
    # a corpus whose annotation disagrees with the text gives low precision and recall
    fake = [
        {
            "id": "x",
            "style": "nejm",
            "text": "HR 0.68 (95% CI 0.48-0.95), P = 0.024.",
            "claims": [{"type": "ratio", "printed": {"estimate": "0.99"}}],
            "planted": [{"claim": 0, "what": "p"}],
            "consistent": False,
        }
    ]
    m = measure(fake)
    assert m["claim_precision"] == 0.0
    assert m["claim_recall"] == 0.0
    assert m["planted_detected"] == 0.0


def test_corpus_is_what_make_corpus_writes(tmp_path):
    # the annotation is computed by tests/scan/make_corpus.py (scipy, not gvhdstats); the
    # committed corpus must be that script's output byte for byte, never edited by hand
    from tests.scan import make_corpus

    out = tmp_path / "corpus.json"
    make_corpus.main(["make_corpus.py", str(out)])
    assert out.read_bytes() == CORPUS.read_bytes()
