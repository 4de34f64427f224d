"""Figures and accuracy table of docs/reconstruction.md (synthetic data, known truth).

Run from the repository root (needs matplotlib, the ``plot`` extra):

    python docs/make_reconstruction_figures.py

Writes docs/img/reconstruction_km.png, docs/img/reconstruction_cif.png,
docs/img/reconstruction_errors.png and prints the accuracy summary of the
200-trial round-trip study quoted in the document.  Everything is generated
from a seeded model; no curve here comes from a real trial.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from gvhdstats.methods.competing import cuminc
from gvhdstats.methods.reconstruct import reconstruct_cif, reconstruct_km
from gvhdstats.methods.simulate import digitise_curve, round_trip_study
from gvhdstats.methods.survival import kaplan_meier

OUT = Path(__file__).resolve().parent / "img"


def synthetic_arm(rng, n=100, l1=0.03, l2=0.01, follow=(12.0, 36.0)):
    t = rng.exponential(1.0 / (l1 + l2), n)
    cause = np.where(rng.random(n) < l1 / (l1 + l2), 1, 2)
    c = rng.uniform(*follow, n)
    return np.minimum(t, c), np.where(t <= c, cause, 0)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    rng = np.random.default_rng(20120209)
    time, status = synthetic_arm(rng)
    ev = (status != 0).astype(int)
    rts = np.arange(0.0, 37.0, 6.0)
    nr = np.array([(time >= r).sum() for r in rts])
    keep = nr > 0
    kt, kv = digitise_curve(time, ev, time_sd=0.072, value_sd=0.002, rng=rng)
    ct, cv = digitise_curve(time, status, cause=1, time_sd=0.072, value_sd=0.002, rng=rng)
    km = reconstruct_km(kt, kv, rts[keep], nr[keep])
    print(km)
    grid = np.linspace(0, 36, 2000)
    fit = kaplan_meier(km.data["time"], km.data["event"]).at(grid)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.step(grid, fit["survival"], where="post", color="C0", label="rebuilt (Kaplan-Meier)")
    ax.plot(kt, kv, "o", ms=3, color="C3", label="digitised coordinates")
    for r, n in zip(rts[keep], nr[keep], strict=True):
        ax.annotate(str(n), (r, 0.02), ha="center", fontsize=8)
    ax.set_xlabel("months")
    ax.set_ylabel("event-free survival")
    ax.set_ylim(0, 1.02)
    ax.set_title(
        f"Synthetic arm, n = 100: max error {km.accuracy.max_error:.3f}, "
        f"RMS {km.accuracy.rms_error:.4f}"
    )
    ax.legend(loc="upper right")
    fig.tight_layout()
    fig.savefig(OUT / "reconstruction_km.png", dpi=110)
    plt.close(fig)

    cif = reconstruct_cif({1: (ct, cv)}, rts[keep], nr[keep], event_free=(kt, kv))
    print(cif)
    est = cuminc(cif.data["time"], cif.data["status"], cause=1).at(grid, cause=1)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.step(grid, est["estimate"], where="post", color="C0", label="rebuilt (Aalen-Johansen)")
    ax.plot(ct, cv, "o", ms=3, color="C3", label="digitised cause-1 coordinates")
    ax.set_xlabel("months")
    ax.set_ylabel("cumulative incidence, cause 1")
    ax.set_title(f"Synthetic arm: max error {cif.accuracy[1].max_error:.3f}")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(OUT / "reconstruction_cif.png", dpi=110)
    plt.close(fig)

    d = round_trip_study(200)
    hr = d["hr_rel_error"].abs().to_numpy() * 100
    shr = d["shr_rel_error"].abs().to_numpy() * 100
    med = d.filter(like="median_error").abs().to_numpy().ravel() * 100
    med = med[np.isfinite(med)]
    cif_pp = d.filter(like="cif_error_pp").abs().to_numpy().ravel()
    print("| quantity | median | 75% | 90% | 95% | max |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, x in (
        ("Cox HR, relative error (%)", hr),
        ("Fine-Gray sHR, relative error (%)", shr),
        ("median, error (% of follow-up)", med),
        ("CIF at 12 and 24 months, error (pp)", cif_pp),
    ):
        q = np.quantile(x, [0.5, 0.75, 0.9, 0.95, 1.0])
        print(f"| {name} | " + " | ".join(f"{v:.2f}" for v in q) + " |")
    print(
        f"at-risk table entries not met: {int(d['risk_mismatches'].sum())} "
        f"(in {int((d['risk_mismatches'] > 0).sum())} of {len(d)} trials)"
    )
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.2))
    axes[0].hist(d["hr_rel_error"] * 100, bins=30, color="C0")
    axes[0].set_xlabel("Cox HR: rebuilt / true - 1 (%)")
    axes[1].hist(d.filter(like="median_error").to_numpy().ravel() * 100, bins=30, color="C1")
    axes[1].set_xlabel("median: error (% of follow-up)")
    axes[2].hist(d.filter(like="cif_error_pp").to_numpy().ravel(), bins=30, color="C2")
    axes[2].set_xlabel("CIF at landmarks: error (pp)")
    fig.suptitle("200 synthetic trials (2 x 100), digitisation noise 0.2% of each axis")
    fig.tight_layout()
    fig.savefig(OUT / "reconstruction_errors.png", dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    main()
