"""Every note that `gvhdstats verify` writes reads as text for people.

Scans every note of every bundled record (and of the seeded `--simulate` rows, and of a
synthetic record built to hit the awkward paths: percentages printed with "%", a percentage
that its counts do not give, a P with a decision error for two reasons, a P that eleven methods
reproduce) for

* long floating-point reprs (more than 6 significant digits, e.g. 0.3987434763408506),
* doubled phrases ("decision error" twice, the same clause twice, "the the"),
* "%%",
* jargon that no note defines ("h-midpoint").
"""

from __future__ import annotations

import json
import re
import textwrap

import pytest

from gvhdstats.cli import main

NUMBER = re.compile(r"(?<![\w.])-?(\d+\.\d+|\d+)(?:e[-+]?\d+)?(?![\w.])")
ONCE = (
    "decision error",
    "cannot tell them apart",
    "not reproducing",
    "nearest:",
    "plausibility, not reproduction",
    "do not identify",
)
JARGON = ("h-midpoint", "h(L)", "h(U)", "h(p)")
REPEATED_WORD = re.compile(r"\b([A-Za-z]{2,})\s+\1\b", re.IGNORECASE)

SYNTHETIC = """
schema = 1
id = "synthetic-notes"
kind = "publication"
title = "a made-up trial for the note scan"

[[design.arms]]
id = "a"
label = "a"
randomised = "120"

[[design.arms]]
id = "b"
label = "b"
randomised = "120"

[[claims]]
id = "inc-a"
type = "incidence"
measure = "cumulative-incidence"
time = "2 years"
arms = ["a"]
quote = "q"
printed = { estimate = "35.0%", ci_low = "26.6%", ci_high = "43.5%" }
assumed = { n = { value = 120, why = "arm size" } }

[[claims]]
id = "inc-b"
type = "incidence"
measure = "cumulative-incidence"
time = "2 years"
arms = ["b"]
quote = "q"
printed = { estimate = "50.0%", ci_low = "40.8%", ci_high = "58.5%" }
assumed = { n = { value = 120, why = "arm size" } }

[[claims]]
id = "hr"
type = "ratio"
measure = "hazard-ratio"
arms = ["a", "b"]
related = ["inc-a", "inc-b"]
quote = "q"
printed = { estimate = "0.50", ci_low = "0.30", ci_high = "0.83", p = "0.20" }

[[claims]]
id = "resp"
type = "two-arm-binary"
arms = ["a", "b"]
quote = "q"

[claims.printed]
treatment_events = "54"
treatment_percent = "83.5%"
control_events = "36"
control_percent = "55.4%"
odds_ratio = "3.95"
ci_low = "1.76"
ci_high = "8.91"
p = "0.001"

[claims.assumed]
treatment_total = { value = 65, why = "t" }
control_total = { value = 65, why = "t" }
"""


def _significant_digits(token: str) -> int:
    mantissa = token.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
    return len(mantissa)


def note_problems(note: str) -> list[str]:
    """What is wrong with one note (empty when nothing is)."""
    out = []
    for m in NUMBER.finditer(note):
        if "." in m.group(0) and _significant_digits(m.group(0)) > 6:
            out.append(f"long number {m.group(0)}")
    if "%%" in note:
        out.append("%%")
    for phrase in ONCE:
        if note.count(phrase) > 1:
            out.append(f"doubled {phrase!r}")
    clauses = [c.strip() for c in note.split(";") if c.strip()]
    if len(clauses) != len(set(clauses)):
        out.append("a clause twice")
    m = REPEATED_WORD.search(note)
    if m:
        out.append(f"repeated word {m.group(0)!r}")
    out += [f"jargon {j!r}" for j in JARGON if j in note]
    return out


def test_the_scanner_finds_what_it_should():
    assert note_problems("nearest: pearson-chi2 = 0.3987434763408506")
    assert note_problems("39.5%% of 99")
    assert note_problems("decision error: a; decision error: b")
    assert note_problems("h-midpoint reproduced under log-log")
    assert note_problems("the the CI")
    assert note_problems("a; b; a")
    assert not note_problems("Wald P from the CI: 0.4786 (range [0.4673, 0.4937]); 82/99 99 + 99")
    assert not note_problems("likelihood-ratio 0.042497, value 716539/827904, 2.26e-07")


def _verify_json(capsys, *args: str) -> list[dict]:
    assert main(["verify", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _assert_clean(rows: list[dict]) -> None:
    bad = {
        (r["record"], r["claim"], r["quantity"]): note_problems(r["note"])
        for r in rows
        if note_problems(r["note"])
    }
    assert not bad, bad


def test_notes_of_every_bundled_record(capsys):
    rows = _verify_json(capsys)
    assert len(rows) > 100
    _assert_clean(rows)


@pytest.mark.parametrize("seed", [0, 7])
def test_notes_of_simulation_rows(capsys, seed):
    rows = _verify_json(capsys, "--simulate", "100", "--seed", str(seed))
    sims = [r for r in rows if r["quantity"] == "p[simulated]"]
    assert sims
    assert {r["verdict"] for r in sims} <= {"plausible", "implausible"}
    _assert_clean(rows)


def test_notes_of_the_awkward_paths(capsys, tmp_path):
    path = tmp_path / "synthetic.toml"
    path.write_text(textwrap.dedent(SYNTHETIC))
    rows = _verify_json(capsys, str(path)) + _verify_json(
        capsys, str(path), "--simulate", "100", "--seed", "1"
    )
    by = {(r["claim"], r["quantity"]): r for r in rows}
    # the paths were reached: "%"-printed incidences, a two-reason decision error, a P
    # reproduced by every method, and the simulation row
    assert "inc-a: 35.0% of 120" in by[("hr", "implied_events[incidence]")]["note"]
    assert by[("hr", "p")]["decision_error"] is True
    assert "cannot tell them apart" in by[("resp", "p")]["note"]
    assert by[("resp", "joint[odds_ratio]")]["discriminates"] is False
    # 54/65 = 83.0769...% does not print as 83.5%: the note gives it at note precision
    assert by[("resp", "percent[treatment]")]["note"].startswith(
        "54/65 = 83.08%; counts printing as 83.5%: none"
    )
    assert ("hr", "p[simulated]") in by
    _assert_clean(rows)
