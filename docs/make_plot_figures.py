"""Images of docs/plots.md and docs/terminal-and-report.md.

Run from the repository root (needs matplotlib, the ``plot`` extra; the report
screenshot also needs Debian's ``chromium``):

    python docs/make_plot_figures.py

Writes docs/img/plot_km.png and docs/img/plot_cuminc.png (the worked calls of
docs/plots.md, run as written there), docs/img/report_or_day28.svg and
docs/img/report_relapse_hr.svg, docs/img/report_cgvhd_2y_msc.svg and
docs/img/report_reconstructed.svg, docs/img/report_meta_forest.svg (figures of
the HTML report, stand-alone; the last from the synthetic record of
tests/checks/test_reconstructed.py), and
docs/img/report_screenshot.png (the top of the report of zhao2022 in headless
Chromium).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import gvhdstats
from gvhdstats.records import load_record
from gvhdstats.svgfigures import claim_figure, standalone_svg

OUT = Path(__file__).resolve().parent / "img"

# survival::aml (Embury et al.; Miller 1981): weeks to relapse of acute myelogenous leukaemia,
# maintenance chemotherapy or not; event 0 = censored
AML_TIME = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45]
AML_EVENT = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]
AML_GROUP = ["Maintained"] * 11 + ["Nonmaintained"] * 12

# a small hand-made competing-risks data set: 1 = relapse, 2 = death without relapse
CR_TIME = [2, 3, 3, 5, 6, 7, 8, 10, 12, 14, 1, 2, 4, 4, 5, 7, 9, 9, 11, 13]
CR_STATUS = [1, 2, 1, 0, 1, 2, 1, 0, 2, 0, 1, 1, 2, 1, 0, 1, 1, 2, 0, 1]
CR_GROUP = ["MSC"] * 10 + ["control"] * 10


MADE_UP_REVIEW = """schema = 1
id = "made-up-review"
kind = "publication"
title = "A made-up review (not real data)"
[[claims]]
id = "pooled"
type = "meta-analysis"
measure = "risk-ratio"
quote = "pooled RR 1.20 (95% CI 1.00-1.44)"
printed = { estimate = "1.20", ci_low = "1.00", ci_high = "1.44" }
[[claims.studies]]
label = "Trial A"
estimate = "1.10"
ci_low = "0.80"
ci_high = "1.51"
[[claims.studies]]
label = "Trial B (30/50 vs 20/50)"
treatment_events = "30"
treatment_total = "50"
control_events = "20"
control_total = "50"
[[claims.studies]]
label = "Trial C"
why = "not printed"
"""


def plots() -> None:
    km = gvhdstats.kaplan_meier(AML_TIME, AML_EVENT, AML_GROUP)
    ax = gvhdstats.plotting.plot_km(km, times=[0, 40, 80, 120, 160], xlabel="Weeks")
    ax.figure.savefig(OUT / "plot_km.png", dpi=110)
    plt.close(ax.figure)
    ci = gvhdstats.cuminc(CR_TIME, CR_STATUS, CR_GROUP)
    ax = gvhdstats.plotting.plot_cuminc(ci, cause=1, times=[0, 4, 8, 12], xlabel="Months")
    ax.figure.savefig(OUT / "plot_cuminc.png", dpi=110)
    plt.close(ax.figure)


def report_figures() -> None:
    from gvhdstats.engine import verify_rows

    rec = load_record("zhao2022")
    pairs = verify_rows(rec)
    for claim_id in ("or-day28", "relapse-hr", "cgvhd-2y-msc"):
        rows = [row for cid, row in pairs if cid == claim_id]
        svg = claim_figure(rec.claim(claim_id), rec, rows)
        assert svg is not None
        name = claim_id.replace("-", "_")
        (OUT / f"report_{name}.svg").write_text(standalone_svg(svg), encoding="utf-8")
    # curves of a reconstructed claim: the synthetic record of the reconstruction tests
    from tests.checks.test_reconstructed import _write_synthetic_record

    with tempfile.TemporaryDirectory() as tmp:
        path = _write_synthetic_record(Path(tmp), {"estimate": "0.62", "p": "0.04"})
        syn = load_record(path)
        svg = claim_figure(syn.claims[0], syn, [])
        assert svg is not None
        (OUT / "report_reconstructed.svg").write_text(standalone_svg(svg), encoding="utf-8")
    # forest plot of a made-up review (two studies with data, one without)
    with tempfile.TemporaryDirectory() as tmp:
        meta = Path(tmp) / "meta.toml"
        meta.write_text(MADE_UP_REVIEW, encoding="utf-8")
        review = load_record(meta)
        svg = claim_figure(review.claims[0], review, [])
        assert svg is not None
        (OUT / "report_meta_forest.svg").write_text(standalone_svg(svg), encoding="utf-8")
    exe = shutil.which("chromium")
    if exe is None:
        print("chromium not found: report_screenshot.png not written")
        return
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        gvhdstats.report("zhao2022", html=page)
        subprocess.run(
            [
                exe,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1000,1500",
                f"--screenshot={OUT / 'report_screenshot.png'}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            cwd=tmp,
        )


def main() -> None:
    OUT.mkdir(exist_ok=True)
    plots()
    report_figures()


if __name__ == "__main__":
    main()
