"""``gvhdstats scan``: formats, drafts, --explain, stdin, directories, JSON Lines, --jobs."""

from __future__ import annotations

import csv
import io
import json

import pytest

from gvhdstats.cli import main
from gvhdstats.records import load_record
from gvhdstats.scan import SCAN_COLUMNS

A = (
    "Patients were randomized (n = 99 and n = 99). Response was 82.8% [82 patients] vs. "
    "70.7% [70] (odds ratio, 2.00; 95% CI, 1.01-3.94; P = 0.043)."
)
B = "The hazard ratio was 0.75 (95% CI, 0.34-1.67; P = 0.610)."


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(A)
    (d / "b.md").write_text("**" + B + "**")
    return d


def test_json_rows_have_the_scan_columns(capsys, corpus):
    assert main(["scan", str(corpus), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert list(rows[0]) == list(SCAN_COLUMNS)
    assert {r["record"] for r in rows} == {"a", "b"}
    p = next(r for r in rows if r["record"] == "b" and r["quantity"] == "p")
    assert p["verdict"] == "inconsistent"
    # the span is that of the printed P in the file as read
    text = "**" + B + "**"
    assert text[p["start"] : p["end"]] == "0.610"


def test_csv_and_only(capsys, corpus):
    assert main(["scan", str(corpus / "a.txt"), "--format", "csv", "--only", "reproduced"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows
    assert {r["verdict"] for r in rows} == {"reproduced"}
    joint = next(r for r in rows if r["quantity"] == "joint[odds_ratio]")
    assert joint["methods"] == "sample+wald+pearson-chi2"


def test_toml_one_file_and_a_directory(capsys, corpus, tmp_path):
    out = tmp_path / "draft.toml"
    assert main(["scan", str(corpus / "a.txt"), "--toml", str(out)]) == 0
    rec = load_record(out)
    assert rec.id == "a"
    assert rec.claims[0].type == "two-arm-binary"
    outdir = tmp_path / "drafts"
    assert main(["scan", str(corpus), "--toml", str(outdir)]) == 0
    assert sorted(p.name for p in outdir.iterdir()) == ["a.toml", "b.toml"]
    # re-verifying a draft gives the same rows as the scan printed
    capsys.readouterr()
    assert main(["scan", str(corpus / "b.md"), "--format", "json"]) == 0
    scanned = json.loads(capsys.readouterr().out)
    assert main(["verify", str(outdir / "b.toml"), "--format", "json"]) == 0
    verified = json.loads(capsys.readouterr().out)
    keys = ("claim", "quantity", "reported", "verdict", "methods")
    assert [[r[k] for k in keys] for r in verified] == [[r[k] for k in keys] for r in scanned]


def test_explain_and_markdown(capsys, corpus):
    assert main(["scan", str(corpus / "a.txt"), "--explain", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "two-arm-binary" in out
    assert "odds_ratio='2.00'@" in out
    assert "| record | claim |" in out


def test_stdin_and_jsonl_with_jobs(capsys, tmp_path, monkeypatch):
    path = tmp_path / "c.jsonl"
    lines = [json.dumps({"id": f"t{i}", "text": t}) for i, t in enumerate([A, B, A, B])]
    path.write_text("\n".join(lines) + "\n")
    assert main(["scan", str(path), "--format", "json"]) == 0
    serial = json.loads(capsys.readouterr().out)
    assert main(["scan", str(path), "--format", "json", "--jobs", "2"]) == 0
    parallel = json.loads(capsys.readouterr().out)
    assert parallel == serial
    assert next(r["record"] for r in serial) == "t0"
    monkeypatch.setattr("sys.stdin", io.StringIO(B))
    assert main(["scan", "-", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["record"] for r in rows} == {"stdin"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "/no/such/path.txt"], "no file or directory"),
        (["scan", "x", "--jobs", "0"], "`--jobs` must be at least 1"),
        (["scan"], "the following arguments are required"),
    ],
)
def test_bad_input_one_line_exit_2(capsys, args, message):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
