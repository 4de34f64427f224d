"""gvhdstats: re-derive and check the printed endpoints of clinical trials.

Public functions are imported lazily (PEP 562) so that ``import gvhdstats``
and the command line start fast; heavy dependencies (statsmodels, lifelines,
matplotlib) are imported only by the functions that use them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from gvhdstats._version import __version__

_EXPORTS: dict[str, str] = {
    # engine and records
    "verify": "gvhdstats.engine",
    "register_check": "gvhdstats.engine",
    "load_record": "gvhdstats.records",
    "bundled_record_ids": "gvhdstats.records",
    # rounding
    "Reported": "gvhdstats.numbers",
    "RoundingMode": "gvhdstats.numbers",
    "recover_counts": "gvhdstats.numbers",
    "recover_totals": "gvhdstats.numbers",
    # verdicts
    "Verdict": "gvhdstats.checks.verdicts",
    "CheckRow": "gvhdstats.checks.verdicts",
    "ConfidenceInterval": "gvhdstats.methods._results",
    # binary outcomes
    "proportion_ci": "gvhdstats.methods.proportions",
    "odds_ratio": "gvhdstats.methods.twobytwo",
    "risk_ratio": "gvhdstats.methods.twobytwo",
    "risk_difference": "gvhdstats.methods.twobytwo",
    "two_by_two_pvalue": "gvhdstats.methods.twobytwo",
    "mantel_haenszel": "gvhdstats.methods.stratified",
    "peto_odds_ratio": "gvhdstats.methods.stratified",
    "cmh_test": "gvhdstats.methods.stratified",
    "breslow_day_test": "gvhdstats.methods.stratified",
    "check_2x2": "gvhdstats.checks.binary",
    # time-to-event summaries
    "check_ratio": "gvhdstats.checks.ratio",
    "check_incidence": "gvhdstats.checks.incidence",
    "km_attainable": "gvhdstats.checks.attainability",
    # patient-level survival and competing risks
    "cuminc": "gvhdstats.methods.competing",
    "gray_test": "gvhdstats.methods.competing",
    "fine_gray": "gvhdstats.methods.finegray",
    "kaplan_meier": "gvhdstats.methods.survival",
    "logrank_test": "gvhdstats.methods.survival",
    "cox_hr": "gvhdstats.methods.survival",
    # rebuilding data
    "reconstruct_km": "gvhdstats.methods.reconstruct",
    "reconstruct_cif": "gvhdstats.methods.reconstruct",
    "simulate_consistent": "gvhdstats.methods.simulate",
    # reports
    "report": "gvhdstats.htmlreport",
    # reading papers
    "scan": "gvhdstats.scan",
    "ScanResult": "gvhdstats.scan",
    "check_test_statistic": "gvhdstats.checks.teststat",
    # meta-analysis
    "meta_analysis": "gvhdstats.methods.meta",
    "MetaResult": "gvhdstats.methods.meta",
    "check_meta": "gvhdstats.checks.meta",
}

#: Submodules reachable as attributes without importing them first
#: (``gvhdstats.plotting.plot_cuminc(...)``); imported on first access.
_SUBMODULES = ("plotting", "render", "testing", "htmlreport", "svgfigures", "engine")

__all__ = ["__version__", *_EXPORTS, *_SUBMODULES]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f"gvhdstats.{name}")
        globals()[name] = module
        return module
    mod = _EXPORTS.get(name)
    if mod is None:
        raise AttributeError(f"module 'gvhdstats' has no attribute {name!r}")
    value = getattr(importlib.import_module(mod), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # pragma: no cover
    from gvhdstats import engine, htmlreport, plotting, render, svgfigures, testing
    from gvhdstats.checks.attainability import km_attainable
    from gvhdstats.checks.binary import check_2x2
    from gvhdstats.checks.incidence import check_incidence
    from gvhdstats.checks.meta import check_meta
    from gvhdstats.checks.ratio import check_ratio
    from gvhdstats.checks.teststat import check_test_statistic
    from gvhdstats.checks.verdicts import CheckRow, Verdict
    from gvhdstats.engine import register_check, verify
    from gvhdstats.htmlreport import report
    from gvhdstats.methods._results import ConfidenceInterval
    from gvhdstats.methods.competing import cuminc, gray_test
    from gvhdstats.methods.finegray import fine_gray
    from gvhdstats.methods.meta import MetaResult, meta_analysis
    from gvhdstats.methods.proportions import proportion_ci
    from gvhdstats.methods.reconstruct import reconstruct_cif, reconstruct_km
    from gvhdstats.methods.simulate import simulate_consistent
    from gvhdstats.methods.stratified import (
        breslow_day_test,
        cmh_test,
        mantel_haenszel,
        peto_odds_ratio,
    )
    from gvhdstats.methods.survival import cox_hr, kaplan_meier, logrank_test
    from gvhdstats.methods.twobytwo import (
        odds_ratio,
        risk_difference,
        risk_ratio,
        two_by_two_pvalue,
    )
    from gvhdstats.numbers import Reported, RoundingMode, recover_counts, recover_totals
    from gvhdstats.records import bundled_record_ids, load_record
    from gvhdstats.scan import ScanResult, scan
