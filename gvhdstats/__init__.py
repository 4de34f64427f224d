"""gvhdstats: re-derive and check the printed endpoints of clinical trials.

Public functions are imported lazily (PEP 562) so that ``import gvhdstats``
and the command line start fast; heavy dependencies (statsmodels, lifelines,
matplotlib) are imported only by the functions that use them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # engine and records
    "verify": "gvhdstats.engine",
    "register_check": "gvhdstats.engine",
    "load_record": "gvhdstats.records",
    "bundled_record_ids": "gvhdstats.records",
    # rounding
    "Reported": "gvhdstats.rounding",
    "RoundingMode": "gvhdstats.rounding",
    "recover_counts": "gvhdstats.rounding",
    "recover_totals": "gvhdstats.rounding",
    # verdicts
    "Verdict": "gvhdstats.verdicts",
    "CheckRow": "gvhdstats.verdicts",
    "ConfidenceInterval": "gvhdstats.verdicts",
    # binary outcomes
    "proportion_ci": "gvhdstats.proportions",
    "odds_ratio": "gvhdstats.twobytwo",
    "risk_ratio": "gvhdstats.twobytwo",
    "risk_difference": "gvhdstats.twobytwo",
    "two_by_two_pvalue": "gvhdstats.twobytwo",
    "check_2x2": "gvhdstats.twobytwo",
    # time-to-event summaries
    "check_ratio": "gvhdstats.ratio",
    "check_incidence": "gvhdstats.incidence",
    "km_attainable": "gvhdstats.incidence",
    # patient-level survival and competing risks
    "cuminc": "gvhdstats.competing",
    "gray_test": "gvhdstats.competing",
    "fine_gray": "gvhdstats.finegray",
    "kaplan_meier": "gvhdstats.survival",
    "logrank_test": "gvhdstats.survival",
    "cox_hr": "gvhdstats.survival",
    # rebuilding data
    "reconstruct_km": "gvhdstats.reconstruct",
    "reconstruct_cif": "gvhdstats.reconstruct",
    "simulate_consistent": "gvhdstats.simulate",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    mod = _EXPORTS.get(name)
    if mod is None:
        raise AttributeError(f"module 'gvhdstats' has no attribute {name!r}")
    value = getattr(importlib.import_module(mod), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # pragma: no cover
    from gvhdstats.competing import cuminc, gray_test
    from gvhdstats.engine import register_check, verify
    from gvhdstats.finegray import fine_gray
    from gvhdstats.incidence import check_incidence, km_attainable
    from gvhdstats.proportions import proportion_ci
    from gvhdstats.ratio import check_ratio
    from gvhdstats.reconstruct import reconstruct_cif, reconstruct_km
    from gvhdstats.records import bundled_record_ids, load_record
    from gvhdstats.rounding import Reported, RoundingMode, recover_counts, recover_totals
    from gvhdstats.simulate import simulate_consistent
    from gvhdstats.survival import cox_hr, kaplan_meier, logrank_test
    from gvhdstats.twobytwo import (
        check_2x2,
        odds_ratio,
        risk_difference,
        risk_ratio,
        two_by_two_pvalue,
    )
    from gvhdstats.verdicts import CheckRow, ConfidenceInterval, Verdict
