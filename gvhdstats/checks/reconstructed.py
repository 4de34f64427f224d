"""Claims checked on patient-level data rebuilt from published curves.

A claim of type ``reconstructed`` names digitised curves (CSV files beside the
record, read by :func:`read_curve_csv` and :func:`read_risk_table_csv`);
:func:`check_claim` rebuilds each arm with
:func:`gvhdstats.methods.reconstruct.reconstruct_km` or
:func:`~gvhdstats.methods.reconstruct.reconstruct_cif` and compares the
printed HR, log-rank or Gray P, medians, sHR and landmark incidences with what
the rebuilt data give, within a tolerance that allows for digitisation
(:data:`RECONSTRUCTION_TOLERANCE`; see ``docs/reconstruction.md``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from gvhdstats.errors import (
    InvalidArgumentError,
)
from gvhdstats.methods.reconstruct import (
    Accuracy,
    CIFReconstruction,
    KMReconstruction,
    reconstruct_cif,
    reconstruct_km,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from gvhdstats.checks.verdicts import CheckRow
    from gvhdstats.records import Claim, Record

__all__ = [
    "Accuracy",
    "CIFReconstruction",
    "KMReconstruction",
    "check_claim",
    "read_curve_csv",
    "read_risk_table_csv",
    "reconstruct_cif",
    "reconstruct_km",
]

_SCALES = ("auto", "proportion", "percent")

#: Columns of ``KMReconstruction.steps``.
STEP_COLUMNS = ("time", "survival", "n_risk", "n_event", "n_censor", "rebuilt")


# --------------------------------------------------------------------------- results


CURVE_CSV_COLUMNS = ("group", "curve", "time", "value")
#: Columns of a number-at-risk CSV file.
RISK_CSV_COLUMNS = ("group", "time", "n_risk")

#: How far a value rebuilt from digitised curves may sit outside the rounding
#: interval of a printed number and still count as "cannot tell" rather than
#: "inconsistent" (reconstruction error, measured in docs/reconstruction.md).
RECONSTRUCTION_TOLERANCE = {
    "ratio_log": 0.05,  # |log(rebuilt / nearest end of the interval)|
    "percent": 1.5,  # percentage points
    "median_fraction": 0.02,  # fraction of the follow-up
    "p_z": 0.25,  # difference in |z| = Phi^-1(1 - P/2)
}


def read_curve_csv(path: str | Path) -> pd.DataFrame:
    """Read a digitised-curve CSV file (columns :data:`CURVE_CSV_COLUMNS`).

    ``curve`` is ``survival`` for a Kaplan-Meier or event-free curve and
    ``cif:<cause>`` (e.g. ``cif:1``) for a cumulative-incidence curve;
    ``value`` is a proportion or a percentage.
    """
    import pandas as pd

    df = pd.read_csv(path, dtype={"group": str, "curve": str})
    missing = [c for c in CURVE_CSV_COLUMNS if c not in df.columns]
    if missing:
        raise InvalidArgumentError(
            f"curve file {str(path)!r} must have columns {list(CURVE_CSV_COLUMNS)}, "
            f"but lacks {missing}"
        )
    return df[list(CURVE_CSV_COLUMNS)]


def read_risk_table_csv(path: str | Path) -> pd.DataFrame:
    """Read a number-at-risk CSV file (columns :data:`RISK_CSV_COLUMNS`)."""
    import pandas as pd

    df = pd.read_csv(path, dtype={"group": str})
    missing = [c for c in RISK_CSV_COLUMNS if c not in df.columns]
    if missing:
        raise InvalidArgumentError(
            f"risk-table file {str(path)!r} must have columns {list(RISK_CSV_COLUMNS)}, "
            f"but lacks {missing}"
        )
    return df[list(RISK_CSV_COLUMNS)].sort_values(["group", "time"], kind="stable")


def _rebuild_arms(claim: Claim, record: Record) -> tuple[dict, str, int, dict]:
    """Read a ``reconstructed`` claim's files and rebuild each arm."""
    import pandas as pd

    data = claim.get("data")
    if not isinstance(data, Mapping):
        raise claim.error("must be a table { curves = [...], risk_table = ... }", "data")
    base = Path(record.file).resolve().parent
    files = data.get("curves")
    if isinstance(files, str):
        files = [files]
    if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
        raise claim.error("must be a list of CSV paths relative to the record file", "data.curves")
    rt_file = data.get("risk_table")
    if not isinstance(rt_file, str):
        raise claim.error("must be a CSV path relative to the record file", "data.risk_table")
    try:
        curves = pd.concat([read_curve_csv(base / f) for f in files], ignore_index=True)
        risk = read_risk_table_csv(base / rt_file)
    except (OSError, InvalidArgumentError) as exc:
        raise claim.error(str(exc), "data") from None
    arms = claim.get("arms")
    if not isinstance(arms, list) or len(arms) != 2:
        raise claim.error("must list the two arms, treatment first", "arms")
    measure = claim.get("measure", "survival")
    if measure not in ("survival", "cumulative-incidence"):
        raise claim.error(
            f"must be 'survival' or 'cumulative-incidence', got {measure!r}", "measure"
        )
    cause = int(data.get("cause", 1))
    totals = data.get("total_events", {}) or {}
    out: dict[str, KMReconstruction | CIFReconstruction] = {}
    for arm in arms:
        cv = curves[curves["group"] == arm]
        rk = risk[risk["group"] == arm]
        if rk.empty:
            raise claim.error(f"has no rows for arm {arm!r}", "data.risk_table")
        tot = totals.get(arm)
        surv = cv[cv["curve"] == "survival"]
        if measure == "survival":
            if surv.empty:
                raise claim.error(f"has no 'survival' curve for arm {arm!r}", "data.curves")
            out[arm] = reconstruct_km(
                surv["time"], surv["value"], rk["time"], rk["n_risk"], total_events=tot
            )
        else:
            cifs = {}
            for name, part in cv.groupby("curve"):
                if str(name).startswith("cif:"):
                    cifs[int(str(name)[4:])] = (part["time"].to_numpy(), part["value"].to_numpy())
            if cause not in cifs:
                raise claim.error(f"has no 'cif:{cause}' curve for arm {arm!r}", "data.curves")
            ef = (surv["time"].to_numpy(), surv["value"].to_numpy()) if not surv.empty else None
            out[arm] = reconstruct_cif(
                cifs, rk["time"], rk["n_risk"], event_free=ef, total_events=tot
            )
    return out, measure, cause, dict(data)


def _tolerant_row(row: CheckRow, reported: str, value: float | None, kind: str, extra: float):
    """Turn an ``inconsistent`` row into ``not-checkable`` when within reconstruction error."""
    from dataclasses import replace

    from gvhdstats.checks.verdicts import Verdict
    from gvhdstats.numbers import Reported

    if row.verdict is not Verdict.INCONSISTENT or value is None or not math.isfinite(value):
        return row
    iv = Reported.parse(reported).interval()
    tol = RECONSTRUCTION_TOLERANCE
    if kind == "ratio":
        lo, hi = iv.low, iv.high
        dist = 0.0
        if value > 0 and lo > 0:
            dist = max(math.log(lo) - math.log(value), math.log(value) - math.log(hi), 0.0)
        within = dist <= tol["ratio_log"]
    elif kind == "percent":
        within = iv.distance(value * 100) <= tol["percent"]
    elif kind == "median":
        within = iv.distance(value) <= tol["median_fraction"] * extra
    else:  # p
        from scipy.stats import norm

        def z(p):
            return float(norm.isf(min(max(p, 1e-300), 1.0) / 2))

        lo_p = max(iv.low, 1e-300)
        hi_p = min(iv.high, 1.0)
        zv = z(value)
        within = z(hi_p) - tol["p_z"] <= zv <= z(lo_p) + tol["p_z"]
    if not within:
        return row
    return replace(
        row,
        verdict=Verdict.NOT_CHECKABLE,
        note=f"{row.note}; within the error of rebuilding from curves, cannot decide",
    )


def check_claim(claim: Claim, record: Record) -> list[CheckRow]:
    """Engine checker for claims of type ``reconstructed`` (see docs/reconstruction.md).

    Rebuilds each arm from the claim's digitised-curve CSV files, then
    re-derives and compares with the printed numbers: ``estimate``,
    ``ci_low``, ``ci_high`` (Cox HR for ``measure = "survival"``, Fine-Gray
    subdistribution HR for ``"cumulative-incidence"``), ``p`` (log-rank or
    Gray's test), ``median_<arm>`` and ``landmark_<arm>`` (percent at
    ``data.landmark``).  A rebuilt value outside the rounding interval but
    within :data:`RECONSTRUCTION_TOLERANCE` gives ``not-checkable``.
    """
    from gvhdstats.checks.verdicts import match_reported

    arms, measure, cause, data = _rebuild_arms(claim, record)
    labels = list(arms)
    treat, _ctrl = labels
    from gvhdstats.methods.reconstruct import stack_arms as _stack

    df = _stack(arms)
    x = (df["group"] == treat).astype(float).to_numpy()
    time = df["time"].to_numpy()
    acc_note = (
        "rebuilt from digitised curves ("
        + ", ".join(f"{a}: max curve error {_acc(arms[a]).max_error:.3g}" for a in labels)
        + ")"
    )
    rows: list[CheckRow] = []
    printed = claim.printed
    follow = float(time.max())
    if measure == "survival":
        from gvhdstats.methods.survival import cox_hr, kaplan_meier, logrank_test

        ev = df["event"].to_numpy()
        fit = cox_hr(time, ev, x.reshape(-1, 1))
        est, ci = (
            float(fit.hazard_ratio[0]) if np.ndim(fit.hazard_ratio) else float(fit.hazard_ratio),
            fit.confidence_interval(),
        )
        est_name, p_name = "cox-efron", "log-rank"
        pval = float(logrank_test(time, ev, df["group"].to_numpy()).pvalue)
        km = kaplan_meier(time, ev, df["group"].to_numpy())
        med = km.median().set_index("group")["median"].to_dict()
        landmark_vals = {}
        if "landmark" in data:
            at = km.at([float(data["landmark"])])
            landmark_vals = dict(zip(at["group"], at["survival"], strict=True))
    else:
        from gvhdstats.methods.competing import cuminc, gray_test
        from gvhdstats.methods.finegray import fine_gray

        stt = df["status"].to_numpy()
        fg_fit = fine_gray(time, stt, x.reshape(-1, 1), cause=cause)
        est = float(np.ravel(fg_fit.hazard_ratio)[0])
        ci = fg_fit.confidence_interval()
        est_name, p_name = "fine-gray", "gray"
        pval = float(gray_test(time, stt, df["group"].to_numpy(), cause=cause).pvalue)
        med = {}
        landmark_vals = {}
        if "landmark" in data:
            ci_res = cuminc(time, stt, df["group"].to_numpy(), cause=cause)
            at = ci_res.at([float(data["landmark"])], cause=cause)
            landmark_vals = dict(zip(at["group"], at["estimate"], strict=True))
    lo, hi = (float(np.ravel([ci.low])[0]), float(np.ravel([ci.high])[0]))
    for key, val, kind in (
        ("estimate", est, "ratio"),
        ("ci_low", lo, "ratio"),
        ("ci_high", hi, "ratio"),
    ):
        if key in printed:
            r = match_reported(
                key, printed[key], {est_name: val}, log_distance=True, note=acc_note
            )
            rows.append(_tolerant_row(r, printed[key], val, kind, follow))
    if "p" in printed:
        r = match_reported("p", printed["p"], {p_name: pval}, decision="p", note=acc_note)
        rows.append(_tolerant_row(r, printed["p"], pval, "p", follow))
    for arm in labels:
        key = f"median_{arm}"
        if key in printed:
            v = med.get(arm)
            v = None if v is None or not math.isfinite(v) else float(v)
            r = match_reported(key, printed[key], {"kaplan-meier": v}, note=acc_note)
            rows.append(_tolerant_row(r, printed[key], v, "median", follow))
        key = f"landmark_{arm}"
        if key in printed:
            v = landmark_vals.get(arm)
            v = None if v is None or not math.isfinite(v) else float(v)
            meth = "kaplan-meier" if measure == "survival" else "aalen-johansen"
            r = match_reported(key, printed[key], {meth: v}, scale=100.0, note=acc_note)
            rows.append(_tolerant_row(r, printed[key], v, "percent", follow))
    return rows


def _acc(res: KMReconstruction | CIFReconstruction) -> Accuracy:
    if isinstance(res, KMReconstruction):
        return res.accuracy
    return res.overall.accuracy
