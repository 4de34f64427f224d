"""Opt-in, model-based plausibility of printed P values (``verify --simulate N``).

:func:`check_record_plausibility` finds each ratio claim whose related
incidence claims give both arms at one time, simulates data sets consistent
with those printed incidences and the arm sizes
(:func:`gvhdstats.methods.simulate.simulate_consistent`), and says where the
printed P falls in the simulated distribution.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from gvhdstats.methods.simulate import simulate_consistent

if TYPE_CHECKING:  # pragma: no cover
    pass

__all__ = [
    "simulate_consistent",
]

_TESTS = ("auto", "logrank", "gray")

#: Columns of ``SimulationResult.model``.
MODEL_COLUMNS = ("arm", "cause", "start", "end", "hazard")


# --------------------------------------------------------------------------- batched statistics
#
# Every function takes (B, N) arrays already sorted by time along axis 1 and
# assumes no event time is tied with another observation (true for
# continuous simulated times).  Ties among censorings are harmless.


_TIME_RE = __import__("re").compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$")


def _claim_time(text: object) -> float | None:
    if not isinstance(text, str):
        return None
    m = _TIME_RE.match(text)
    return float(m.group(1)) if m else None


def check_record_plausibility(
    record: Any, *, n_sim: int = 2000, seed: int = 0
) -> list[tuple[str, Any]]:
    """Engine hook (opt-in): is each printed P plausible given the printed incidences?

    For every ``ratio`` claim with a printed P whose ``related`` claims are two
    ``incidence`` claims (one per arm, same time point, arm sizes known), data
    sets consistent with the two printed incidences and arm sizes are simulated
    (:func:`simulate_consistent`: exponential cause-specific hazard calibrated
    to the printed incidence, everyone followed to the landmark time, no
    competing events), the test is run on each, and the printed P is placed in
    the simulated distribution (:meth:`SimulationResult.plausibility`).

    The row ``p[simulated]`` is ``plausible`` (method ``simulation``) when the
    printed P lies in the central 95% band of the simulated P values and
    ``implausible`` when it does not.  These are weaker words than
    ``reproduced`` / ``inconsistent`` on purpose: a band of simulated P values
    is evidence that the printed P could arise under an assumed model, not a
    method that gives the printed number.  The note states the band, the
    test and the model (an assumption, not a fact of the trial);
    ``recomputed`` is the median simulated P (``recomputed_method``
    ``simulated-median[<test>]``).  Run by ``gvhdstats verify --simulate N`` or
    ``verify(..., simulate=N)``; it is not part of the default run.
    """
    from gvhdstats.checks.verdicts import CheckRow, Verdict, fmt_number, fmt_range, percent_text

    out: list[tuple[str, Any]] = []
    for claim in record.claims:
        if claim.type != "ratio" or claim.printed_number("p") is None:
            continue
        related = [record.claim(r) for r in claim.get("related", []) or []]
        inc = [c for c in related if c.type == "incidence"]
        if len(inc) != 2:
            continue
        arms = claim.get("arms") or []
        order = {a: i for i, a in enumerate(arms)}
        inc.sort(key=lambda c: order.get((c.get("arms") or [""])[0], 99))
        times = [_claim_time(c.get("time")) for c in inc]
        ns = [c.integer("n") for c in inc]
        ests = [c.printed_number("estimate") for c in inc]
        if None in times or times[0] != times[1] or None in ns or None in ests:
            continue
        t = float(times[0])  # type: ignore[arg-type]
        props = [e.value / 100 if (e.percent or e.value > 1) else e.value for e in ests]
        p_rep = claim.printed_number("p")
        res = simulate_consistent(
            [int(ns[0]), int(ns[1])],
            incidence=[{t: props[0]}, {t: props[1]}],
            follow_up=t,
            test="gray" if any(c.get("competing_risks") for c in inc) else "logrank",
            n_sim=n_sim,
            seed=seed,
        )
        pl = res.plausibility(p_rep)
        test = res.test
        test_name = {"logrank": "log-rank", "gray": "Gray's test"}.get(test, test)
        q = np.quantile(res.pvalue[np.isfinite(res.pvalue)], [0.025, 0.5, 0.975])
        where = "outside" if pl.implausible else "inside"
        model = (
            f"exponential hazards calibrated to {percent_text(ests[0])} vs "
            f"{percent_text(ests[1])} at {inc[0].get('time')}, n = {ns[0]} vs {ns[1]}, "
            "everyone followed to that time, no competing events"
        )
        note = (
            f"plausibility, not reproduction: the printed P {p_rep.text} lies {where} the "
            f"central {pl.level:.0%} band {fmt_range((float(q[0]), float(q[2])))} of {test_name} "
            f"P values from {n_sim} data sets simulated under an assumed model ({model}; "
            f"seed {seed}); simulated median P {fmt_number(float(q[1]))}; two-sided Monte "
            f"Carlo tail of the printed P {fmt_number(pl.tail)}"
        )
        out.append(
            (
                claim.id,
                CheckRow(
                    "p[simulated]",
                    p_rep.text,
                    Verdict.IMPLAUSIBLE if pl.implausible else Verdict.PLAUSIBLE,
                    () if pl.implausible else ("simulation",),
                    float(q[1]),
                    None,
                    note,
                    recomputed_method=f"simulated-median[{test}]",
                ),
            )
        )
    return out
