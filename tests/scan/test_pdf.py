"""PDF input (text layer via pdfminer.six): two columns, a table, a CI broken across lines.

The PDFs are written byte by byte by tests/scan/pdfgen.py, so what each page holds
(and where) is known exactly.
"""

from __future__ import annotations

import pytest

from gvhdstats.errors import InvalidArgumentError
from gvhdstats.scan import scan
from tests.scan.pdfgen import write_pdf

pytest.importorskip("pdfminer", reason="the pdf extra (pdfminer.six) is not installed")

LEFT = [
    "Results: In the trial, 200 patients were",
    "randomized (n = 100 and n = 100). Response",
    "was 60 (60.0%) vs 45 (45.0%); odds ratio,",
    "1.83; 95% CI, 1.04-",
    "3.22; P = 0.035.",
]
RIGHT = [
    "The 2-year overall survival was 71.0% (95%",
    "CI, 61.0-79.0) in the treatment group.",
    "Hazard ratio 0.70 (95% CI 0.50-0.98;",
    "P = 0.038).",
]


def _two_columns(tmp_path):
    pieces = [(50, 700 - 12 * i, t) for i, t in enumerate(LEFT)]
    pieces += [(320, 700 - 12 * i, t) for i, t in enumerate(RIGHT)]
    return write_pdf(tmp_path / "two-columns.pdf", pieces)


def test_two_columns_and_a_ci_broken_across_lines(tmp_path):
    res = scan(_two_columns(tmp_path))
    assert res.document.format == "pdf"
    by_type = {c.type: c for c in res.claims}
    # the left column is read before the right one, and "1.04-\n3.22" is one CI
    binary = by_type["two-arm-binary"]
    assert binary.printed["odds_ratio"] == "1.83"
    assert (binary.printed["ci_low"], binary.printed["ci_high"]) == ("1.04", "3.22")
    assert binary.printed["p"] == "0.035"
    assert by_type["ratio"].printed == {
        "estimate": "0.70",
        "ci_low": "0.50",
        "ci_high": "0.98",
        "ci_level": "95",
        "p": "0.038",
    }
    assert by_type["incidence"].printed["estimate"] == "71.0"
    assert by_type["sum"].printed == {"total": "200", "parts": ["100", "100"]}
    # spans point into the PDF's text
    text = res.document.text
    a, b = binary.spans["ci_high"]
    assert text[a:b] == "3.22"
    frame = res.verify()
    joint = frame[frame["quantity"] == "joint[odds_ratio]"].iloc[0]
    assert joint["verdict"] == "reproduced"


def test_table_rows_are_rebuilt(tmp_path):
    pieces = [
        (50, 700, "Table 2. Adverse events"),
        (50, 680, "Event"),
        (200, 680, "Drug (n = 99)"),
        (320, 680, "Control (n = 99)"),
        (50, 665, "Infection"),
        (200, 665, "65 (65.7%)"),
        (320, 665, "78 (78.8%)"),
        (50, 650, "Anaemia"),
        (200, 650, "37 (37.4%)"),
        (320, 650, "53 (53.5%)"),
    ]
    res = scan(write_pdf(tmp_path / "table.pdf", pieces))
    assert "Infection | 65 (65.7%) | 78 (78.8%)" in res.document.text
    rows = [
        (c.printed["treatment_events"], c.printed["control_events"])
        for c in res.claims
        if c.type == "two-arm-binary"
    ]
    assert rows == [("65", "78"), ("37", "53")]
    # denominators from the header row's arm sizes, which every pair fits
    assert res.claims[0].assumed["treatment_total"][0] == 99
    frame = res.verify()
    assert set(frame["verdict"]) == {"reproduced"}


def test_not_a_pdf(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"this is not a pdf")
    with pytest.raises(InvalidArgumentError, match="not a readable PDF"):
        scan(bad)
