"""Tests of gvhdstats.plotting (matplotlib Agg backend; skipped without matplotlib)."""

from __future__ import annotations

import builtins
import sys

import numpy as np
import pandas as pd
import pytest

from gvhdstats.errors import InvalidArgumentError
from gvhdstats.methods.survival import kaplan_meier
from gvhdstats.plotting import PlottingUnavailableError, number_at_risk, plot_cuminc, plot_km

# Hand-made data: group a has times 1, 2, 3, 5 (events at 1 and 3, censored at 2 and 5);
# group b has times 2, 2, 4 (events at 2 and 4, one censored at 2).
T = [1, 2, 3, 5, 2, 2, 4]
E = [1, 0, 1, 0, 1, 0, 1]
G = ["a", "a", "a", "a", "b", "b", "b"]


def test_number_at_risk_by_hand():
    nar = number_at_risk(kaplan_meier(T, E, G).table, [0, 2, 2.5, 4, 6])
    # at risk at t = follow-up >= t.  a: 4, 3, 2, 1, 0;  b: 3, 3, 1, 1, 0
    assert nar["n_risk"].tolist() == [4, 3, 2, 1, 0, 3, 3, 1, 1, 0]
    assert nar["group"].tolist() == ["a"] * 5 + ["b"] * 5


@pytest.fixture
def plt():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_plot_km_draws_steps_and_risk_table(plt):
    km = kaplan_meier(T, E, G)
    ax = plot_km(km, times=[0, 2, 4])
    lines = [ln for ln in ax.get_lines() if ln.get_label() in ("a", "b")]
    assert [ln.get_label() for ln in lines] == ["a", "b"]
    a = lines[0]
    # S_a: 1 until 1, 3/4 from 1, 3/4 * 1/2 = 3/8 from 3 (n at risk 2 at t = 3)
    np.testing.assert_allclose(a.get_xdata(), [0, 1, 2, 3, 5])
    np.testing.assert_allclose(a.get_ydata(), [1, 0.75, 0.75, 0.375, 0.375])
    assert a.get_drawstyle() == "steps-post"
    risk = [t.get_text() for t in ax.texts if t.get_gid() == "risk-table"]
    # a at 0, 2, 4: 4, 3, 1;  b: 3, 3, 1
    assert risk == ["4", "3", "1", "3", "3", "1"]
    labels = [t.get_text() for t in ax.texts]
    assert "Number at risk" in labels
    ax.figure.canvas.draw()  # renders without error


def test_plot_km_on_given_axes_without_table(plt):
    _fig, ax = plt.subplots()
    out = plot_km(kaplan_meier(T, E), ax=ax, risk_table=False, conf_int=False)
    assert out is ax
    assert not [t for t in ax.texts if t.get_gid() == "risk-table"]
    assert not ax.collections  # no confidence band drawn


def test_plot_cuminc_with_a_minimal_result(plt):
    # A stand-in with the documented CumincResult columns (group, cause, time, estimate,
    # ci_low, ci_high, n_risk); one cause-1 event at 1 among 3, so CIF = 1/3 from t = 1.
    table = pd.DataFrame(
        {
            "group": ["all"] * 3,
            "cause": [1, 1, 1],
            "time": [1.0, 2.0, 3.0],
            "estimate": [1 / 3, 1 / 3, 1 / 3],
            "ci_low": [np.nan] * 3,
            "ci_high": [np.nan] * 3,
            "n_risk": [3.0, 2.0, 1.0],
        }
    )

    class Result:
        pass

    res = Result()
    res.table, res.groups, res.cause = table, ("all",), 1
    ax = plot_cuminc(res, times=[0, 1.5, 3])
    line = next(ln for ln in ax.get_lines() if ln.get_label() == "all")
    np.testing.assert_allclose(line.get_ydata(), [0, 1 / 3, 1 / 3, 1 / 3])
    assert [t.get_text() for t in ax.texts if t.get_gid() == "risk-table"] == ["3", "2", "1"]


def test_plot_cuminc_real_result(plt):
    competing = pytest.importorskip("gvhdstats.methods.competing")
    res = competing.cuminc([1, 2, 3, 4, 5, 6], [1, 2, 0, 1, 1, 0], ["x", "x", "x", "y", "y", "y"])
    ax = plot_cuminc(res, times=[0, 2, 4])
    assert [ln.get_label() for ln in ax.get_lines()][:2] == ["x", "y"]


def test_missing_matplotlib_raises_clear_error(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    for mod in [m for m in sys.modules if m.startswith("matplotlib")]:
        monkeypatch.delitem(sys.modules, mod)
    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(PlottingUnavailableError, match=r"plotting needs matplotlib") as info:
        plot_km(kaplan_meier(T, E))
    assert isinstance(info.value, ImportError)
    # the message is right both for an installed package and for a source checkout
    assert "pip install matplotlib" in str(info.value)
    assert '"gvhdstats[plot]"' in str(info.value)
    assert 'pip install -e ".[plot]"' in str(info.value)


def test_plotting_is_an_attribute_of_the_package_without_importing_it():
    import subprocess

    code = (
        "import sys, gvhdstats; "
        "assert 'gvhdstats.plotting' not in sys.modules; "
        "f = gvhdstats.plotting.plot_cuminc; "
        "print(f.__module__, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    # reached through the package; matplotlib itself still waits for the first plot
    assert out == ["gvhdstats.plotting", "False"]


def test_plot_forest_draws_studies_pooled_and_printed(plt):
    from gvhdstats import meta_analysis
    from gvhdstats.plotting import plot_forest

    tables = [((82, 99), (70, 99)), ((30, 50), (22, 49)), ((10, 20), (9, 21))]
    res = meta_analysis(tables, measure="RR", method="DL")
    ax = plot_forest(res, labels=["a", "b", "c"], printed=("1.13", "1.03", "1.23"))
    gids = [line.get_gid() for line in ax.lines]
    assert gids.count("study") == 3
    assert gids.count("study-ci") == 3
    patches = {p.get_gid(): p for p in ax.patches}
    assert set(patches) == {"pooled", "printed"}
    xs = patches["printed"].get_xy()[:, 0]
    assert min(xs) == pytest.approx(1.03)
    assert max(xs) == pytest.approx(1.23)
    px = patches["pooled"].get_xy()[:, 0]
    assert min(px) == pytest.approx(float(res.confidence_interval.low))
    assert ax.get_xscale() == "log"
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "printed"
    with pytest.raises(InvalidArgumentError, match="printed"):
        plot_forest(res, printed=("1.1", "1.2"))
