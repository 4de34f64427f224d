"""Tests of gvhdstats.render: the terminal summary and findings, wrapping, colour."""

from __future__ import annotations

import io
import re

import pytest

from gvhdstats import verify
from gvhdstats.checks.verdicts import Verdict
from gvhdstats.render import findings, render, summary_frame, use_color

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def table():
    return verify()


def test_summary_counts_every_verdict_member_per_record(table):
    s = summary_frame(table)
    for v in Verdict:  # every member is a column, whatever members exist
        assert v.value in s.columns
    for rec, line in zip(s["record"], s.itertuples(index=False), strict=True):
        mine = table[table["record"] == rec]
        counts = mine["verdict"].value_counts()
        assert line.rows == len(mine)
        for v in Verdict:
            assert getattr(line, v.value.replace("-", "_"), None) in (None, counts.get(v.value, 0))
            assert s.loc[s["record"] == rec, v.value].item() == counts.get(v.value, 0)
        assert line.decision_errors == int((mine["decision_error"] == True).sum())  # noqa: E712


def test_findings_hold_every_inconsistent_row_and_no_plain_reproduced_row(table):
    f = findings(table)
    inconsistent = table[table["verdict"] == "inconsistent"]
    assert len(inconsistent) > 0
    keys = set(zip(f["record"], f["claim"], f["quantity"], strict=True))
    for r in inconsistent.itertuples():
        assert (r.record, r.claim, r.quantity) in keys
    assert (f["verdict"] != "not-checkable").all()
    assert set(f["finding"]) <= {
        "inconsistent",
        "ambiguous",
        "decision-error",
        "inconsistent, decision-error",
    }


def test_ambiguous_rows_are_alternative_methods_that_print_alike(table):
    f = findings(table)
    amb = f[f["finding"].str.contains("ambiguous")]
    # R (tests/reference/twobytwo_reference.csv, 78/99 vs 64/99): chisq.test(correct = FALSE)
    # gives P = 0.0271651855678906 and the likelihood-ratio test 0.02655; both print as 0.027,
    # so the printed P cannot tell Pearson's test from the LR test.
    row = amb[(amb["claim"] == "dor-day56") & (amb["quantity"] == "p")]
    assert set(row["methods"].item()) == {"pearson-chi2", "likelihood-ratio"}
    # a ratio's CI bound reproduced from the midpoint and from the P is agreement, not ambiguity
    assert not (amb["claim"] == "ffs-hr").any()
    assert (amb["methods"].map(len) >= 2).all()


def test_table_is_wrapped_to_the_width_and_cuts_nothing(table):
    sub = table[table["record"] == "zhao2022"]
    for width in (40, 72, 120):
        out = render(sub, "table", width=width)
        assert max(len(line) for line in out.splitlines()) <= width
    out = render(sub, "table", width=72)
    flat = " ".join(out.split())
    for note in findings(sub)["note"]:
        assert " ".join(note.split()) in flat
    assert "..." not in out


def test_default_table_shows_summary_then_findings_only(table):
    sub = table[table["record"] == "zhao2022"]
    out = render(sub, "table", width=100)
    first = out.splitlines()[0]
    counts = sub["verdict"].value_counts()
    assert first.startswith("zhao2022")
    assert f"{len(sub)} rows" in first
    assert f"{counts['reproduced']} reproduced" in first
    assert f"{counts['inconsistent']} inconsistent" in first
    heads = [ln for ln in out.splitlines() if ln.startswith("  ") and not ln.startswith("      ")]
    # the "findings (n):" line plus one header line per finding
    assert len(heads) == 1 + len(findings(sub))
    all_out = render(sub, "table", width=100, all_rows=True)
    heads = [
        ln for ln in all_out.splitlines() if ln.startswith("  ") and not ln.startswith("      ")
    ]
    assert len(heads) == len(sub)


def test_colour_only_when_asked(table):
    sub = table[table["record"] == "zhao2022"]
    assert not ANSI.search(render(sub, "table", width=100))
    coloured = render(sub, "table", width=100, color=True)
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured) == render(sub, "table", width=100)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_use_color_needs_a_terminal_and_no_NO_COLOR(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(_Tty())
    assert not use_color(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(_Tty())
    monkeypatch.setenv("NO_COLOR", "")  # empty means unset (no-color.org)
    assert use_color(_Tty())


def test_other_formats_carry_every_row(table):
    sub = table[table["record"] == "zhao2025"]
    md = render(sub, "markdown").splitlines()
    assert len([ln for ln in md if ln.startswith("| zhao2025 |")]) == len(sub)
    assert len(render(sub, "csv").splitlines()) == len(sub) + 1


def test_bad_format_names_the_argument():
    from gvhdstats.errors import InvalidArgumentError

    with pytest.raises(InvalidArgumentError, match="`format`"):
        render(verify("zhao2025"), "xml")


def test_width_of_a_pipe_is_fixed_and_COLUMNS_wins(monkeypatch):
    from gvhdstats.render import terminal_width

    monkeypatch.delenv("COLUMNS", raising=False)
    assert terminal_width(io.StringIO()) == 100  # a pipe or file: the same everywhere
    monkeypatch.setenv("COLUMNS", "60")
    assert terminal_width(io.StringIO()) == 60
    monkeypatch.setenv("COLUMNS", "10")
    assert terminal_width(_Tty()) == 40  # never narrower than 40


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
@pytest.mark.parametrize("all_rows", [False, True])
def test_render_rows_gives_the_text_of_render(table, fmt, all_rows):
    from gvhdstats.engine import VERIFY_COLUMNS, verify_dicts
    from gvhdstats.render import render_rows

    rows = verify_dicts()
    assert len(rows) == len(table)
    kw = {"all_rows": all_rows, "width": 90, "color": fmt == "table"}
    assert render_rows(rows, VERIFY_COLUMNS, fmt, **kw) == render(table, fmt, **kw)


def test_render_rows_matches_render_with_simulation_rows_and_empty():
    from gvhdstats.engine import VERIFY_COLUMNS, verify_dicts
    from gvhdstats.render import render_rows

    rows = verify_dicts("zhao2022", simulate=100, seed=3)
    assert any(r["verdict"] in ("plausible", "implausible") for r in rows)
    frame = verify("zhao2022", simulate=100, seed=3)
    for fmt in ("table", "json"):
        assert render_rows(rows, VERIFY_COLUMNS, fmt, width=80) == render(frame, fmt, width=80)
    assert render_rows([], VERIFY_COLUMNS, "table") == render(frame.iloc[:0], "table") == "0 rows"


def test_render_rows_converts_like_the_dataframe():
    # the verify DataFrame holds `recomputed` as float64: an integer there prints as a float,
    # a NaN as null, tuples as lists, numpy scalars as Python values
    import numpy as np
    import pandas as pd

    from gvhdstats.engine import VERIFY_COLUMNS
    from gvhdstats.render import render_rows

    base = dict.fromkeys(VERIFY_COLUMNS, None)
    rows = [
        {**base, "verdict": "reproduced", "methods": ("a", "b"), "recomputed": 6},
        {**base, "verdict": "inconsistent", "methods": (), "recomputed": float("nan")},
        {**base, "verdict": "reproduced", "methods": ("a",), "recomputed": np.float64(0.25)},
        {**base, "verdict": "reproduced", "methods": ("a",), "discriminates": np.bool_(True)},
    ]
    frame = pd.DataFrame(rows, columns=list(VERIFY_COLUMNS))
    out = render_rows(rows, VERIFY_COLUMNS, "json")
    assert out == render(frame, "json")
    assert '"recomputed": 6.0' in out
    assert '"discriminates": true' in out


def test_render_rows_bad_format_names_the_argument():
    from gvhdstats.engine import VERIFY_COLUMNS
    from gvhdstats.errors import InvalidArgumentError
    from gvhdstats.render import render_rows

    with pytest.raises(InvalidArgumentError, match="`format`"):
        render_rows([], VERIFY_COLUMNS, "html")
