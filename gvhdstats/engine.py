"""The verification engine: one place where every statistical domain plugs in.

A domain module provides a *claim checker* for each claim type it knows,

    def check_claim(claim: Claim, record: Record) -> Sequence[CheckRow]

and optionally a *record checker* that looks across the claims of a record,

    def check_record(record: Record) -> Sequence[tuple[str, CheckRow]]

(pairs of claim id and row).  Checkers are registered by dotted path so that
nothing heavy is imported until a claim of that type is checked; users can
register their own with :func:`register_check` and :func:`register_record_check`.

:func:`verify` runs every checker over a record and returns the verdict table.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from numbers import Integral
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gvhdstats.checks.verdicts import ROW_COLUMNS, CheckRow, Verdict
from gvhdstats.errors import ClaimError, InvalidArgumentError, RecordError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from gvhdstats.records import Claim, Record
    from gvhdstats.records.schema import ClaimSchema

__all__ = [
    "VERIFY_COLUMNS",
    "known_claim_types",
    "register_check",
    "register_record_check",
    "verify",
    "verify_dicts",
    "verify_rows",
]

#: Columns of the DataFrame returned by :func:`verify`.
VERIFY_COLUMNS = ("record", "claim", *ROW_COLUMNS)

ClaimChecker = Callable[["Claim", "Record"], Sequence[CheckRow]]
RecordChecker = Callable[["Record"], Sequence[tuple[str, CheckRow]]]

_CLAIM_CHECKERS: dict[str, str | ClaimChecker] = {
    "two-arm-binary": "gvhdstats.checks.binary:check_claim",
    "proportion": "gvhdstats.checks.proportion:check_claim",
    "ratio": "gvhdstats.checks.ratio:check_claim",
    "incidence": "gvhdstats.checks.incidence:check_claim",
    "median": "gvhdstats.checks.ratio:check_median_claim",
    "sum": "gvhdstats.checks.arithmetic:check_sum_claim",
    "dose-schedule": "gvhdstats.checks.arithmetic:check_dose_schedule_claim",
    "fact": "gvhdstats.engine:check_not_checkable",
    "descriptive": "gvhdstats.engine:check_not_checkable",
    "reconstructed": "gvhdstats.checks.reconstructed:check_claim",
    "test-statistic": "gvhdstats.checks.teststat:check_claim",
    "meta-analysis": "gvhdstats.checks.meta:check_claim",
}

_RECORD_CHECKERS: list[str | RecordChecker] = [
    "gvhdstats.checks.registry:check_record",
    "gvhdstats.checks.incidence:check_record",
    "gvhdstats.checks.ratio:check_record",
]


def known_claim_types() -> frozenset[str]:
    """The claim types that have a registered checker."""
    return frozenset(_CLAIM_CHECKERS)


def register_check(
    claim_type: str, checker: str | ClaimChecker, schema: ClaimSchema | None = None
) -> None:
    """Register ``checker`` for claims of ``claim_type`` (replacing any earlier one).

    ``checker`` is a callable ``(claim, record) -> sequence of CheckRow`` or a
    ``"module:function"`` path imported on first use.  ``schema`` (a
    :class:`~gvhdstats.records.schema.ClaimSchema`) tells the record loader
    which keys such a claim takes; without it any printed number is accepted.
    """
    if not isinstance(claim_type, str) or not claim_type:
        raise InvalidArgumentError(f"`claim_type` must be a non-empty string, got {claim_type!r}")
    from gvhdstats.records import register_claim_type

    register_claim_type(claim_type, schema)
    _CLAIM_CHECKERS[claim_type] = checker


def register_record_check(checker: str | RecordChecker) -> None:
    """Register a record-level checker ``record -> sequence of (claim id, CheckRow)``."""
    if checker not in _RECORD_CHECKERS:
        _RECORD_CHECKERS.append(checker)


def _resolve(ref: str | Callable) -> Callable | None:
    if callable(ref):
        return ref
    mod_name, _, func = ref.partition(":")
    try:
        mod = importlib.import_module(mod_name)
    except ModuleNotFoundError as exc:
        if exc.name == mod_name:
            return None
        raise
    return getattr(mod, func, None)


def check_not_checkable(claim: Claim, record: Record) -> list[CheckRow]:
    """Rows for numbers that no computation here can check (facts, descriptives)."""
    rows = []
    why = claim.get("why") or (
        "a design fact: compared across records, not checkable on its own"
        if claim.type == "fact"
        else "descriptive number: no data here to recompute it"
    )
    for key, val in claim.printed.items():
        vals = val if isinstance(val, list) else [val]
        for v in vals:
            rows.append(CheckRow(key, v, Verdict.NOT_CHECKABLE, (), None, None, why))
    return rows


def _check_one(claim: Claim, record: Record) -> list[CheckRow]:
    fn = _resolve(_CLAIM_CHECKERS[claim.type])
    if fn is None:
        return [
            CheckRow(
                claim.type,
                "",
                Verdict.NOT_CHECKABLE,
                note=f"no checker available for claim type {claim.type!r}",
            )
        ]
    try:
        return list(fn(claim, record))
    except RecordError:
        raise
    except InvalidArgumentError as exc:
        raise ClaimError(str(exc), file=record.file, claim=claim.id) from None


def verify_rows(record: Record) -> list[tuple[str, CheckRow]]:
    """All (claim id, row) pairs for one record: claim checks, then record checks."""
    out: list[tuple[str, CheckRow]] = []
    for claim in record.claims:
        out.extend((claim.id, row) for row in _check_one(claim, record))
    for ref in _RECORD_CHECKERS:
        fn = _resolve(ref)
        if fn is None:
            continue
        out.extend(fn(record))
    return out


def verify(
    records: str | Path | Record | Iterable[str | Path | Record] | None = None,
    *,
    simulate: int | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Check every printed number of one or more records.

    Parameters
    ----------
    records : str, path, Record, iterable of them, or None
        Bundled record ids (see ``gvhdstats list``), paths to record TOML
        files, or loaded records.  ``None`` verifies every bundled record.
    simulate : int, optional
        Also say whether each printed P of a ratio is plausible among this
        many data sets (at least 100) simulated from the printed incidences
        (:func:`gvhdstats.checks.plausibility.check_record_plausibility`).
    seed : int
        Seed of the simulation (a numpy ``Generator`` is made from it).

    Returns
    -------
    pandas.DataFrame
        One row per checked number (and joint rows), columns
        :data:`VERIFY_COLUMNS`: ``record``, ``claim``, ``quantity``,
        ``reported``, ``verdict``, ``methods``, ``discriminates``,
        ``recomputed``, ``recomputed_method``, ``decision_error``, ``note``
        (see :class:`~gvhdstats.checks.verdicts.CheckRow`).  ``verdict`` is
        ``reproduced``, ``inconsistent`` or ``not-checkable``; the simulation
        rows (``p[simulated]``, only with ``simulate``) are ``plausible`` or
        ``implausible``, never ``reproduced``.

    Raises
    ------
    InvalidArgumentError
        ``records`` is not an id, path, record or iterable of them, or
        ``simulate`` is not an integer of at least 100.
    UnknownRecordError
        No bundled record has the id and no file exists at the path.
    RecordError
        A record file is malformed.

    Examples
    --------
    >>> from gvhdstats import verify
    >>> table = verify("zhao2022")
    >>> list(table.columns)[:5]
    ['record', 'claim', 'quantity', 'reported', 'verdict']
    >>> sorted(set(table["verdict"])) <= ["inconsistent", "not-checkable", "reproduced"]
    True
    """
    import pandas as pd

    return pd.DataFrame(
        verify_dicts(records, simulate=simulate, seed=seed), columns=list(VERIFY_COLUMNS)
    )


def verify_dicts(
    records: str | Path | Record | Iterable[str | Path | Record] | None = None,
    *,
    simulate: int | None = None,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """The rows of :func:`verify` as plain dicts, without building a DataFrame.

    Same arguments, checks and errors as :func:`verify`; each dict has the
    :data:`VERIFY_COLUMNS` keys with the values exactly as the checks made them
    (``methods`` a tuple, ``None`` where undecided).  ``pandas.DataFrame(rows,
    columns=VERIFY_COLUMNS)`` is :func:`verify`'s table.  The command line
    uses this so that ``gvhdstats verify`` never has to import pandas.

    Examples
    --------
    >>> from gvhdstats.engine import verify_dicts
    >>> rows = verify_dicts("zhao2022")
    >>> sorted(rows[0]) == sorted(VERIFY_COLUMNS)
    True
    """
    from gvhdstats.records import Record, bundled_record_ids, load_record

    if records is None:
        items: list = bundled_record_ids()
    elif isinstance(records, str | Path | Record):
        items = [records]
    else:
        try:
            items = list(records)
        except TypeError:
            raise InvalidArgumentError(
                "`records` must be a record id, a path, a Record or an iterable of them, "
                f"but got {records!r}"
            ) from None
    if simulate is not None and (
        isinstance(simulate, bool) or not isinstance(simulate, Integral) or simulate < 100
    ):
        raise InvalidArgumentError(
            f"`simulate` must be a number of data sets of at least 100, but got {simulate!r}"
        )
    rows = []
    files: dict[str, str] = {}
    for item in items:
        rec = load_record(item)
        # the `record` column identifies a record: two files may not share an id
        if files.setdefault(rec.id, rec.file) != rec.file:
            raise RecordError(
                f"record id {rec.id!r} is also the id of {files[rec.id]}; "
                "give each record its own id",
                file=rec.file,
                field="id",
            )
        pairs = verify_rows(rec)
        if simulate is not None:
            from gvhdstats.checks.plausibility import check_record_plausibility

            pairs.extend(check_record_plausibility(rec, n_sim=int(simulate), seed=seed))
        for cid, row in pairs:
            d = row.as_dict()
            rows.append({"record": rec.id, "claim": cid, **d})
    return rows
