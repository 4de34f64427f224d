"""The opt-in plausibility check of printed P values in the engine (verify --simulate)."""

from __future__ import annotations

import textwrap

import pytest

from gvhdstats import verify
from gvhdstats.cli import main
from gvhdstats.errors import InvalidArgumentError

RECORD = """
schema = 1
id = "synthetic"
kind = "publication"
title = "synthetic two-arm trial (made up for this test)"

[[design.arms]]
id = "a"

[[design.arms]]
id = "b"

[[claims]]
id = "inc-a"
type = "incidence"
measure = "cumulative-incidence"
competing_risks = true
time = "2 years"
arms = ["a"]
quote = "q"
printed = {{ estimate = "{pa}" }}
assumed = {{ n = {{ value = 200, why = "test" }} }}

[[claims]]
id = "inc-b"
type = "incidence"
measure = "cumulative-incidence"
competing_risks = true
time = "2 years"
arms = ["b"]
quote = "q"
printed = {{ estimate = "{pb}" }}
assumed = {{ n = {{ value = 200, why = "test" }} }}

[[claims]]
id = "hr"
type = "ratio"
measure = "hazard-ratio"
arms = ["a", "b"]
related = ["inc-a", "inc-b"]
quote = "q"
printed = {{ p = "{p}" }}
"""


def _record(tmp_path, pa, pb, p):
    path = tmp_path / "synthetic.toml"
    path.write_text(textwrap.dedent(RECORD.format(pa=pa, pb=pb, p=p)))
    return path


def _sim_row(table):
    sub = table[table["quantity"] == "p[simulated]"]
    assert len(sub) == 1
    return sub.iloc[0]


def test_large_difference_makes_a_large_p_implausible(tmp_path):
    # 20% vs 60% of 200 per arm: a two-proportion z of about 0.4 / 0.0447 = 8.9, so a
    # printed P of 0.90 cannot come from such data
    t = verify(_record(tmp_path, "20.0", "60.0", "0.90"), simulate=500, seed=3)
    row = _sim_row(t)
    # model-based evidence gets its own word, never "inconsistent"
    assert row["verdict"] == "implausible"
    assert row["methods"] == ()
    assert row["recomputed"] < 1e-6
    assert row["recomputed_method"] == "simulated-median[gray]"
    assert "lies outside the central 95% band [" in row["note"]
    assert "exponential hazards calibrated to 20.0% vs 60.0%" in row["note"]


def test_equal_incidences_make_a_middling_p_plausible(tmp_path):
    # under equal incidences the P value is close to uniform: 0.50 sits in the middle
    t = verify(_record(tmp_path, "30.0", "30.0", "0.50"), simulate=500, seed=3)
    row = _sim_row(t)
    # plausible, not reproduced: no method gives the printed number
    assert row["verdict"] == "plausible"
    assert row["methods"] == ("simulation",)
    assert 0.3 < row["recomputed"] < 0.7
    assert row["note"].startswith("plausibility, not reproduction: the printed P 0.50 lies inside")
    assert (
        "Gray's test P values from 500 data sets simulated under an assumed model" in (row["note"])
    )


def test_reproducible_from_the_seed_and_absent_by_default(tmp_path):
    path = _record(tmp_path, "30.0", "40.0", "0.10")
    a = verify(path, simulate=300, seed=11)
    b = verify(path, simulate=300, seed=11)
    assert _sim_row(a)["recomputed"] == _sim_row(b)["recomputed"]
    assert "p[simulated]" not in set(verify(path)["quantity"])


def test_phase3_rows_and_cli(capsys, monkeypatch):
    # the table wraps to the terminal width; xdist workers set COLUMNS=80
    monkeypatch.setenv("COLUMNS", "120")
    t = verify("zhao2022", simulate=300, seed=0)
    sims = t[t["quantity"] == "p[simulated]"]
    assert set(sims["claim"]) == {"cgvhd-hr", "relapse-hr"}
    # a simulated band is plausibility evidence: never reproduced / inconsistent
    assert set(sims["verdict"]) <= {"plausible", "implausible"}
    assert all("band [" in n and "model (exponential hazards" in n for n in sims["note"])
    assert main(["verify", "zhao2022", "--simulate", "300", "--format", "csv"]) == 0
    assert "p[simulated]" in capsys.readouterr().out
    assert main(["verify", "zhao2022", "--simulate", "300", "--only", "plausible"]) == 0
    out = capsys.readouterr().out
    assert "reproduced  " not in out
    assert out.rstrip().splitlines()[-1].startswith("2 rows: 0 reproduced, 0 inconsistent")
    assert "; simulation: 2 plausible, 0 implausible" in out


def test_simulate_validation():
    with pytest.raises(InvalidArgumentError, match="`simulate`"):
        verify("zhao2022", simulate=5)
