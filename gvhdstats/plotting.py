"""Step-curve plots of Kaplan-Meier and cumulative-incidence results, and forest plots.

matplotlib is an optional extra (``pip install "gvhdstats[plot]"``, or
``pip install -e ".[plot]"`` in a source checkout); it is imported only when a
plot is drawn, and a missing matplotlib raises
:class:`PlottingUnavailableError` (an :class:`ImportError`).  The module is
reachable as ``gvhdstats.plotting`` without importing it first.

Both functions draw right-continuous step curves (with optional pointwise
confidence bands and censoring marks) and, under the axes, a number-at-risk
table: at each time ``t`` the number still at risk at ``t`` (follow-up time
``>= t``), as ``summary(survfit, times=)`` and the risk tables printed under
published curves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from gvhdstats.errors import GvhdstatsError, InvalidArgumentError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes

    from gvhdstats.methods.meta import MetaResult
    from gvhdstats.numbers import Reported

__all__ = [
    "PlottingUnavailableError",
    "number_at_risk",
    "plot_cuminc",
    "plot_forest",
    "plot_km",
]


class PlottingUnavailableError(GvhdstatsError, ImportError):
    """matplotlib, needed for plotting, is not installed."""


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise PlottingUnavailableError(
            "plotting needs matplotlib, which is not installed; install it with "
            "`python -m pip install matplotlib` (the `plot` extra: "
            '`python -m pip install "gvhdstats[plot]"`, or `python -m pip install -e '
            '".[plot]"` in a source checkout)'
        ) from exc
    return plt


def number_at_risk(table: pd.DataFrame, times: Sequence[float] | np.ndarray) -> pd.DataFrame:
    """Number at risk per group at given times, from a result's ``table``.

    Parameters
    ----------
    table : pandas.DataFrame
        A table with columns ``group``, ``time`` and ``n_risk``, where
        ``n_risk`` is the number at risk at that row's time (as
        :attr:`KaplanMeierResult.table` and ``CumincResult.table``).
    times : sequence of float
        The times of the risk table.

    Returns
    -------
    pandas.DataFrame
        Columns ``group``, ``time``, ``n_risk``: the ``n_risk`` of the first row
        at or after ``t`` in that group, 0 after the last row.
    """
    import pandas as pd

    t = np.asarray(times, dtype=float)
    rows = []
    for g in pd.unique(table["group"]):
        sub = table[table["group"] == g]
        tt = sub["time"].to_numpy(dtype=float)
        order = np.argsort(tt, kind="stable")
        tt = tt[order]
        risk = np.concatenate([sub["n_risk"].to_numpy(dtype=float)[order], [0.0]])
        idx = np.searchsorted(tt, t, side="left")
        for ti, r in zip(t, risk[idx], strict=True):
            rows.append({"group": g, "time": float(ti), "n_risk": float(r)})
    return pd.DataFrame(rows, columns=["group", "time", "n_risk"])


def _risk_table(ax: Axes, table: pd.DataFrame, times: np.ndarray, groups: Sequence[Any]) -> None:
    from matplotlib.transforms import blended_transform_factory

    nar = number_at_risk(table, times)
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    ax.text(0.0, -0.16, "Number at risk", transform=ax.transAxes, ha="left", va="top",
            fontsize="small", fontweight="bold")  # fmt: skip
    for i, g in enumerate(groups):
        y = -0.24 - 0.07 * i
        ax.text(-0.05, y, str(g), transform=ax.transAxes, ha="right", va="top",
                fontsize="small", color=f"C{i}")  # fmt: skip
        sub = nar[nar["group"] == g]
        for t, r in zip(sub["time"], sub["n_risk"], strict=True):
            ax.text(t, y, f"{int(r)}", transform=trans, ha="center", va="top", fontsize="small",
                    gid="risk-table")  # fmt: skip


def _draw_steps(
    ax: Axes,
    table: pd.DataFrame,
    groups: Sequence[Any],
    value: str,
    start: float,
    conf_int: bool,
    censor_marks: bool,
) -> float:
    tmax = 0.0
    for i, g in enumerate(groups):
        sub = table[table["group"] == g]
        t = np.concatenate([[0.0], sub["time"].to_numpy(dtype=float)])
        y = np.concatenate([[start], sub[value].to_numpy(dtype=float)])
        if t.size > 1 and t[1] == 0.0:  # an observation at time 0: no separate start point
            t, y = t[1:], y[1:]
        tmax = max(tmax, float(t[-1]))
        color = f"C{i}"
        ax.step(t, y, where="post", color=color, label=str(g))
        if conf_int:
            lo = np.concatenate([[start], sub["ci_low"].to_numpy(dtype=float)])[-t.size :]
            hi = np.concatenate([[start], sub["ci_high"].to_numpy(dtype=float)])[-t.size :]
            ok = ~(np.isnan(lo) | np.isnan(hi))
            if ok.any():
                ax.fill_between(t[ok], lo[ok], hi[ok], step="post", color=color, alpha=0.2,
                                linewidth=0)  # fmt: skip
        if censor_marks and "n_censor" in sub:
            cens = sub[sub["n_censor"] > 0]
            if len(cens):
                ax.plot(cens["time"], cens[value], linestyle="none", marker="+", color=color,
                        markersize=6)  # fmt: skip
    return tmax


def _finish(
    ax: Axes,
    table: pd.DataFrame,
    groups: Sequence[Any],
    tmax: float,
    risk_table: bool,
    times: Sequence[float] | None,
    xlabel: str,
    ylabel: str,
) -> Axes:
    ax.set_xlim(left=0)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if len(groups) > 1:
        ax.legend(frameon=False)
    if risk_table:
        if times is None:
            ticks = np.asarray(ax.get_xticks(), dtype=float)
            tt = ticks[(ticks >= 0) & (ticks <= tmax)]
        else:
            tt = np.asarray(times, dtype=float)
            if tt.ndim != 1 or not np.isfinite(tt).all() or (tt < 0).any():
                raise InvalidArgumentError(
                    f"`times` must hold finite numbers >= 0, but got {times!r}"
                )
            ax.set_xticks(tt)
        _risk_table(ax, table, tt, groups)
        ax.figure.subplots_adjust(bottom=min(0.5, 0.2 + 0.06 * len(groups)), left=0.18)
    return ax


def plot_km(
    result: Any,
    ax: Axes | None = None,
    risk_table: bool = True,
    times: Sequence[float] | None = None,
    *,
    conf_int: bool = True,
    censor_marks: bool = True,
    xlabel: str = "Time",
    ylabel: str = "Survival probability",
) -> Axes:
    """Plot Kaplan-Meier curves with a number-at-risk table under them.

    Parameters
    ----------
    result : KaplanMeierResult
        From :func:`gvhdstats.kaplan_meier`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default a new figure.
    risk_table : bool
        Draw the number-at-risk table under the axes.
    times : sequence of float, optional
        Times of the risk table (and x ticks); default the x ticks.
    conf_int : bool
        Shade the pointwise confidence band (the result's ``conf_type``).
    censor_marks : bool
        Mark censoring times with ``+``.
    xlabel, ylabel : str
        Axis labels.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    PlottingUnavailableError
        If matplotlib is not installed.

    Notes
    -----
    R: ``plot(survfit(...), conf.int = TRUE, mark.time = TRUE)`` with the
    risk table of ``summary(fit, times = times)$n.risk``.
    """
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    table = result.table
    groups = list(result.groups)
    tmax = _draw_steps(ax, table, groups, "survival", 1.0, conf_int, censor_marks)
    return _finish(ax, table, groups, tmax, risk_table, times, xlabel, ylabel)


def plot_cuminc(
    result: Any,
    ax: Axes | None = None,
    risk_table: bool = True,
    times: Sequence[float] | None = None,
    *,
    cause: Any = None,
    conf_int: bool = True,
    xlabel: str = "Time",
    ylabel: str = "Cumulative incidence",
) -> Axes:
    """Plot cumulative-incidence curves with a number-at-risk table under them.

    Parameters
    ----------
    result : CumincResult
        From :func:`gvhdstats.cuminc` (a ``.table`` with columns ``group``,
        ``cause``, ``time``, ``estimate``, ``ci_low``, ``ci_high``, ``n_risk``).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default a new figure.
    risk_table : bool
        Draw the number-at-risk table under the axes.
    times : sequence of float, optional
        Times of the risk table (and x ticks); default the x ticks.
    cause : optional
        Which cause to draw; default the result's ``cause``.
    conf_int : bool
        Shade the pointwise confidence band where the result has one.
    xlabel, ylabel : str
        Axis labels.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    PlottingUnavailableError
        If matplotlib is not installed.
    InvalidArgumentError
        If ``cause`` is not in the result.

    Notes
    -----
    R: ``plot(cmprsk::cuminc(...))``, with the number at risk added.
    """
    plt = _pyplot()
    table = result.table
    cause = getattr(result, "cause", None) if cause is None else cause
    if "cause" in table.columns and cause is not None:
        table = table[table["cause"] == cause]
        if table.empty:
            raise InvalidArgumentError(
                f"`cause` must be one of the causes in the result, but got {cause!r}"
            )
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    groups = list(getattr(result, "groups", None) or table["group"].unique())
    tmax = _draw_steps(ax, table, groups, "estimate", 0.0, conf_int, False)
    return _finish(ax, table, groups, tmax, risk_table, times, xlabel, ylabel)


def plot_forest(
    result: MetaResult,
    *,
    labels: Sequence[str] | None = None,
    printed: tuple[str | Reported, str | Reported, str | Reported] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Forest plot of a :class:`~gvhdstats.methods.meta.MetaResult`.

    Each study is a square (area proportional to its weight) with its CI;
    the pooled estimate under the result's method is a diamond spanning its
    CI, and, when ``printed`` is given, the review's printed pooled estimate
    and CI are drawn beside it as a hollow diamond labelled ``printed``.  The
    x axis is logarithmic for ratio measures, with a reference line at 1
    (at 0 otherwise).

    Parameters
    ----------
    result : MetaResult
    labels : sequence of str, optional
        Study labels (default ``study 1``, ``study 2``, ...).
    printed : (str, str, str), optional
        The printed pooled estimate, CI low and CI high (strings as printed).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    PlottingUnavailableError
        matplotlib is not installed.
    InvalidArgumentError
        ``labels`` of the wrong length, or ``printed`` not a triple.
    """
    from gvhdstats.numbers import Reported

    plt = _pyplot()
    frame = result.to_frame(labels)
    if printed is not None:  # checked before a figure is opened
        if isinstance(printed, str) or len(printed) != 3:
            raise InvalidArgumentError(
                f"`printed` must be (estimate, ci_low, ci_high) as printed, got {printed!r}"
            )
        pe, plo, phi = (Reported.parse(x, name="printed").value for x in printed)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.45 * (len(frame) + 3) + 1))
    studies = frame.iloc[:-1]
    n = len(studies)
    ys = np.arange(n, 0, -1, dtype=float) + 2
    w = studies["weight"].to_numpy(dtype=float)
    wmax = float(np.nanmax(w)) if n and np.isfinite(w).any() and np.nanmax(w) > 0 else 1.0
    for y, (_, row), wi in zip(ys, studies.iterrows(), w, strict=True):
        if not np.isfinite(row["estimate"]):
            continue
        ax.plot([row["ci_low"], row["ci_high"]], [y, y], color="k", linewidth=1, gid="study-ci")
        size = 4 + 10 * np.sqrt(max(wi, 0.0) / wmax)
        ax.plot([row["estimate"]], [y], marker="s", color="C0", markersize=size, gid="study")
    pooled = frame.iloc[-1]
    lo, est, hi = float(pooled["ci_low"]), float(pooled["estimate"]), float(pooled["ci_high"])
    y0 = 1.0
    ax.fill([lo, est, hi, est], [y0, y0 + 0.3, y0, y0 - 0.3], color="C1", gid="pooled")
    ticks = [*ys.tolist(), y0]
    names = [
        *studies["study"].tolist(),
        f"pooled ({result.method}{'+knha' if result.knha else ''})",
    ]
    if printed is not None:
        yp = 0.0
        ax.fill([plo, pe, phi, pe], [yp, yp + 0.3, yp, yp - 0.3], facecolor="none",
                edgecolor="C3", gid="printed")  # fmt: skip
        ticks.append(yp)
        names.append("printed")
    ax.axvline(1.0 if result.is_ratio else 0.0, color="grey", linewidth=0.8, linestyle="--")
    if result.is_ratio:
        ax.set_xscale("log")
    ax.set_yticks(ticks)
    ax.set_yticklabels(names)
    ax.set_xlabel(result.measure)
    return ax
