"""Tests for the gvhdstats command line and the wheel it ships in."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from gvhdstats.cli import main
from gvhdstats.engine import VERIFY_COLUMNS
from tests.conftest import BUNDLED_RECORD_IDS

ROOT = Path(__file__).resolve().parents[1]


def test_list(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for rid in ("cgvhd-msc-phase2", "NCT02241018", "NCT04738981", "zhao2022", "zhao2025"):
        assert rid in out


def test_verify_json_has_the_columns(capsys):
    assert main(["verify", "zhao2025", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows
    assert all(list(r) == list(VERIFY_COLUMNS) for r in rows)
    assert {r["record"] for r in rows} == {"zhao2025"}
    assert all(isinstance(r["methods"], list) for r in rows)


def test_verify_csv_and_markdown_and_table(capsys):
    assert main(["verify", "zhao2022", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == list(VERIFY_COLUMNS)
    assert main(["verify", "zhao2022", "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith("| record | claim |")
    assert main(["verify", "zhao2022"]) == 0
    assert "rows:" in capsys.readouterr().out


def test_verify_only_filter(capsys):
    assert main(["verify", "zhao2025", "--format", "json", "--only", "not-checkable"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows
    assert {r["verdict"] for r in rows} == {"not-checkable"}


def test_verify_user_file(tmp_path, capsys):
    p = tmp_path / "mine.toml"
    p.write_text(
        'schema = 1\nid = "mine"\nkind = "publication"\n[[claims]]\nid = "arms"\n'
        'type = "sum"\nunit = "count"\nquote = "50 + 50 = 100"\n'
        'printed = { total = "100", parts = ["50", "50"] }\n'
    )
    assert main(["verify", str(p), "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["verdict"] == "reproduced"


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["verify", "no-such-record"], "no bundled record 'no-such-record'"),
        (["verify", "--format", "xml"], "invalid choice"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_one_line_nonzero(argv, needle, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_malformed_file_names_file_claim_field(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text(
        'schema = 1\nid = "b"\nkind = "publication"\n[[claims]]\nid = "c1"\ntype = "sum"\n'
        'quote = "q"\nprinted = { total = 3 }\n'
    )
    proc = subprocess.run(
        [sys.executable, "-m", "gvhdstats.cli", "verify", str(p)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert str(p) in proc.stderr
    assert "claim 'c1'" in proc.stderr
    assert "field 'printed.total'" in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_wheel_ships_the_records_and_verify_runs_outside_the_checkout(tmp_path):
    pytest.importorskip("hatchling")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    [wheel] = list((tmp_path / "dist").glob("gvhdstats-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        for rid in ("zhao2022", "zhao2025", "NCT02241018", "NCT04738981", "cgvhd-msc-phase2"):
            assert f"gvhdstats/_data/{rid}.toml" in names
        zf.extractall(tmp_path / "site")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(tmp_path / "site")
    out = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(tmp_path / 'site')!r}); "
            "import gvhdstats.cli as c; "
            "print(c.__file__); sys.exit(c.main(['verify', '--format', 'csv']))",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    first, *rest = out.stdout.splitlines()
    assert first.startswith(str(tmp_path / "site"))
    records = {line.split(",")[0] for line in rest[1:]}
    assert records == BUNDLED_RECORD_IDS


def test_verify_default_prints_summary_and_findings_only(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "64")
    assert main(["verify", "zhao2022"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("zhao2022  79 rows:")
    assert max(len(line) for line in out.splitlines()) <= 64
    assert "\x1b[" not in out  # capsys is no terminal: no colour
    assert "relapse-hr" in out  # the inconsistent P
    assert "enrolled" not in out  # a design fact is no finding
    assert main(["verify", "zhao2022", "--all"]) == 0
    assert "enrolled" in capsys.readouterr().out


def test_verify_only_accepts_every_verdict_word(capsys):
    from gvhdstats.checks.verdicts import Verdict

    for v in Verdict:
        assert main(["verify", "zhao2025", "--format", "csv", "--only", v.value]) == 0
        lines = capsys.readouterr().out.splitlines()[1:]
        assert all(f",{v.value}," in line for line in lines)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_only_on_a_terminal_and_erased():
    from gvhdstats.cli import Progress

    tty = _Tty()
    with Progress(2, stream=tty) as p:
        p.step("zhao2022")
        p.step("zhao2025")
    text = tty.getvalue()
    assert "[1/2] zhao2022" in text
    assert "[2/2] zhao2025" in text
    assert text.endswith("\r\x1b[2K")  # the line is erased at the end
    pipe = io.StringIO()
    with Progress(2, stream=pipe) as p:
        p.step("zhao2022")
    assert pipe.getvalue() == ""


def test_report_command_writes_one_html_file(tmp_path, capsys):
    out = tmp_path / "audit.html"
    assert main(["report", "zhao2025", "--html", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert 'data-record="zhao2025"' in text
    assert main(["report", "no-such-record", "--html", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert "no bundled record 'no-such-record'" in err
    assert err.count("\n") == 1
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize("extra", [[], ["--simulate", "100"]])
def test_two_files_with_one_id_are_refused_with_and_without_simulate(
    two_files_one_id, capsys, extra
):
    a, b = two_files_one_id
    assert main(["verify", str(a), str(b), *extra]) == 2
    err = capsys.readouterr().err
    assert "record id 'same' is also the id of" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_cold_verify_does_not_import_pandas(fmt):
    # issue 9: a cold `gvhdstats verify` renders from plain rows, pandas is not needed
    code = (
        "import sys\n"
        "from gvhdstats.cli import main\n"
        f"rc = main(['verify', '--format', {fmt!r}])\n"
        "sys.stderr.write(f'RC={rc} PANDAS={\"pandas\" in sys.modules}')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert "RC=0 PANDAS=False" in proc.stderr, proc.stderr[-2000:]
    assert proc.stdout.strip()
