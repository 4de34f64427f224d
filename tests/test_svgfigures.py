"""Tests of gvhdstats.svgfigures: figure data against R, and points drawn where they belong."""

from __future__ import annotations

import csv
import re

import pytest

from gvhdstats.records import load_record
from gvhdstats.svgfigures import (
    Band,
    Item,
    Panel,
    claim_figure,
    panels_svg,
    register_figure,
)
from tests.conftest import REFERENCE_DIR


def _rows(record, claim_id):
    from gvhdstats.engine import verify_rows

    rec = load_record(record) if isinstance(record, str) else record
    return [row for cid, row in verify_rows(rec) if cid == claim_id]


def _r_row(a, n1, c, n2):
    with open(REFERENCE_DIR / "twobytwo_reference.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            if (row["a"], row["n1"], row["c"], row["n2"]) == tuple(map(str, (a, n1, c, n2))):
                return {k: float(v) for k, v in row.items() if v not in ("", "NA")}
    raise AssertionError("fixture row missing")


def _panels(claim_id):
    from gvhdstats.svgfigures import _BUILTIN, _generic_panels

    rec = load_record("zhao2022")
    claim = rec.claim(claim_id)
    return _BUILTIN.get(claim.type, _generic_panels)(claim, rec, _rows(rec, claim_id))


def test_method_map_points_are_r_values_and_band_is_the_rounding_interval():
    # day 28: 82/99 vs 70/99 (R: tests/reference/twobytwo_reference.csv)
    r = _r_row(82, 99, 70, 99)
    panels = {p.title.split(":")[0]: p for p in _panels("or-day28")}
    p_panel = panels["p"]
    # "0.043" printed: true values in [0.0425, 0.0435) round half-up to it
    assert p_panel.bands[0].low == pytest.approx(0.0425, abs=1e-15)
    assert p_panel.bands[0].high == pytest.approx(0.0435, abs=1e-15)
    items = {i.label: i for i in p_panel.items}
    assert items["fisher-exact"].value == pytest.approx(r["fisher_p"], rel=1e-9)
    assert items["pearson-chi2"].value == pytest.approx(r["chisq_p"], rel=1e-9)
    assert items["yates-chi2"].value == pytest.approx(r["chisq_yates_p"], rel=1e-9)
    assert not items["fisher-exact"].ok  # 0.0635 prints as 0.063
    assert items["pearson-chi2"].ok  # 0.04345 prints as 0.043
    est = {i.label: i for i in panels["odds_ratio"].items}
    assert est["sample"].value == pytest.approx(r["epi_wald_est"], rel=1e-9)
    assert est["conditional-mle"].value == pytest.approx(r["cmle"], rel=1e-6)


def test_green_points_are_exactly_the_reproducing_methods_of_the_rows():
    rows = {r.quantity: r for r in _rows("zhao2022", "dor-day56")}
    panels = _panels("dor-day56")
    for key in ("odds_ratio", "ci_low", "p"):
        [panel] = [p for p in panels if p.title.startswith(f"{key}:")]
        assert {i.label for i in panel.items if i.ok} == set(rows[key].methods)


def test_ratio_panel_shows_the_wald_p_range_outside_the_printed_p():
    # relapse HR 0.75 (0.34-1.67): every Wald P the CI allows lies in [0.4673, 0.4937],
    # e.g. at the nominal bounds: SE = (ln 1.67 - ln 0.34) / (2 * 1.959964) = 0.40610,
    # z = ln 0.75 / SE = -0.70840, P = 2 * Phi(-0.70840) = 0.4787
    [p_panel] = [p for p in _panels("relapse-hr") if p.title.startswith("P:")]
    [item] = p_panel.items
    assert item.low < 0.4787 < item.high
    assert item.low > 0.46
    assert item.high < 0.50
    assert p_panel.bands[0].low == pytest.approx(0.6095)
    assert not item.ok


def test_incidence_panel_log_log_interval_matches_the_printed_ci():
    # cGVHD 39.5% (29.3-49.4%): the records' check finds log-log (only) consistent
    [ci_panel, km_panel] = _panels("cgvhd-2y-msc")
    items = {i.label: i for i in ci_panel.items}
    assert {k for k, i in items.items() if i.ok} == {"log-log"}
    ll = items["log-log"]
    assert ll.low == pytest.approx(29.3, abs=0.1)
    assert ll.high == pytest.approx(49.4, abs=0.1)
    # 39/99 = 39.39% and 40/99 = 40.40% miss 39.5 (the attainability row says so)
    km = {i.label: i for i in km_panel.items}
    assert km["39/99"].value == pytest.approx(100 * 39 / 99)
    assert not km["39/99"].ok
    assert not km["40/99"].ok


def _circles_and_bands(svg):
    bands = [
        (float(x), float(x) + float(w))
        for x, w in re.findall(r'<rect class="band" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    ]
    circles = re.findall(r'<circle class="point" cx="([\d.]+)"[^>]*fill="(#[0-9a-f]+)"', svg)
    return bands, [(float(x), c) for x, c in circles]


def test_drawn_points_sit_inside_the_band_iff_they_reproduce():
    panel = Panel(
        "P",
        (Band(0.0425, 0.0435, "0.043"),),
        (
            Item("in", 0.043, ok=True),
            Item("out", 0.0635, ok=False),
            Item("edge", 0.04349, ok=True),
        ),
    )
    svg = panels_svg([panel])
    [(x0, x1)], circles = _circles_and_bands(svg)
    (xin, cin), (xout, cout), (xedge, _) = circles
    assert x0 <= xin <= x1
    assert x0 <= xedge <= x1
    assert not x0 <= xout <= x1
    assert cin == "#1a7f37"
    assert cout == "#8c8c8c"
    assert "<script" not in svg
    assert "href" not in svg


def test_registered_figure_replaces_the_builtin(monkeypatch):
    from gvhdstats import svgfigures

    monkeypatch.setattr(svgfigures, "_FIGURES", {})
    register_figure("sum", lambda claim, record, rows: [Panel("forest", (), (Item("a", 1.0),))])
    rec = load_record("zhao2022")
    svg = claim_figure(rec.claim("randomised-arms"), rec, [])
    assert svg is not None
    assert "forest" in svg


def test_reconstructed_claim_draws_the_rebuilt_curves_and_the_published_risk_table(tmp_path):
    import pandas as pd

    from tests.checks.test_reconstructed import _write_synthetic_record

    path = _write_synthetic_record(tmp_path, {"estimate": "0.62", "p": "0.04"})
    rec = load_record(path)
    svg = claim_figure(rec.claims[0], rec, [])
    assert svg is not None
    assert 'class="figure curves"' in svg
    assert svg.count('<path class="curve"') == 2
    assert svg.count('<circle class="digitised"') > 20
    # the rebuilt data keep the published numbers at risk at the published times
    # (the CSV was written from the generating data: the truth, not our output)
    published = pd.read_csv(tmp_path / "curves" / "os_risk.csv")
    drawn = [int(x) for x in re.findall(r'class="risk">(\d+)</text>', svg)]
    expected = [
        int(n)
        for arm in ("msc", "control")
        for n in published[published["group"] == arm]["n_risk"]
    ]
    assert drawn == expected


def test_meta_analysis_forest_places_each_study_and_lists_missing_ones(tmp_path):
    from gvhdstats.svgfigures import _forest_panels

    path = tmp_path / "meta.toml"
    path.write_text(
        'schema = 1\nid = "meta-x"\nkind = "publication"\ntitle = "made-up review"\n'
        '[[claims]]\nid = "pooled"\ntype = "meta-analysis"\nmeasure = "risk-ratio"\n'
        'quote = "RR 1.20 (1.00-1.44)"\n'
        'printed = { estimate = "1.20", ci_low = "1.00", ci_high = "1.44" }\n'
        '[[claims.studies]]\nlabel = "A"\nestimate = "1.10"\nci_low = "0.80"\nci_high = "1.51"\n'
        '[[claims.studies]]\nlabel = "B"\ntreatment_events = "30"\ntreatment_total = "50"\n'
        'control_events = "20"\ncontrol_total = "50"\n'
        '[[claims.studies]]\nlabel = "C"\nwhy = "not printed"\n'
    )
    rec = load_record(path)
    forest = _forest_panels(rec.claims[0], rec, [])[0]
    items = {i.label: i for i in forest.items}
    assert (items["A"].value, items["A"].low, items["A"].high) == (1.10, 0.80, 1.51)
    # B: RR = (30/50) / (20/50) = 1.5; SE of ln RR = sqrt(1/30 - 1/50 + 1/20 - 1/50) = 0.2082
    # (Katz); 95% CI = 1.5 * exp(+/- 1.959964 * 0.20817) = 0.99747 to 2.25571
    assert items["B"].value == pytest.approx(1.5)
    assert items["B"].low == pytest.approx(0.99747, abs=1e-5)
    assert items["B"].high == pytest.approx(2.25571, abs=1e-5)
    assert items["C"].value is None
    assert "no data" in items["C"].text
    assert [b.label for b in forest.bands] == ["1.00", "1.20", "1.44"]
    assert forest.log
    assert forest.neutral
