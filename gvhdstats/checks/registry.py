"""Registration versus publication: planned and reported design, side by side.

A publication record that names its registration (``relations.registration``)
is compared with that registry record: enrollment, start and end dates,
phase and primary endpoint.  Differences are reported as notes with verdict
``not-checkable``: a trial that recruited 203 instead of the planned 200 is a
fact worth seeing, not an arithmetic inconsistency.
"""

from __future__ import annotations

import re
from pathlib import Path

from gvhdstats.checks.verdicts import CheckRow, Verdict
from gvhdstats.errors import RecordError, UnknownRecordError
from gvhdstats.records import Record, load_record

__all__ = ["check_record", "compare_registration"]

_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
CLAIM_ID = "registration"


def _months(date: str) -> int | None:
    m = _DATE.match(date.strip())
    if m is None:
        return None
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def _load_related(record: Record, ref: str) -> Record:
    try:
        return load_record(ref)
    except UnknownRecordError:
        path = Path(record.file).parent / ref
        if path.is_file():
            return load_record(path)
        raise RecordError(
            f"names registration {ref!r}, which is neither a bundled record nor a file "
            "next to this one",
            file=record.file,
            field="relations.registration",
        ) from None


def compare_registration(publication: Record, registry: Record) -> list[CheckRow]:
    """Rows comparing a publication's design with its registry record."""
    pub, reg = publication.design, registry.design
    rid = registry.id
    rows: list[CheckRow] = []

    def row(key: str, reported: str, note: str) -> None:
        rows.append(CheckRow(f"registry[{key}]", reported, Verdict.NOT_CHECKABLE, note=note))

    if "enrollment" in pub and "enrollment" in reg:
        a, b = int(pub["enrollment"]), int(reg["enrollment"])
        diff = a - b
        if diff == 0:
            note = f"reported enrollment equals the registered {b} ({rid})"
        else:
            note = (
                f"registered {b} ({rid}), reported {a}: {diff:+d} ({100 * diff / b:+.1f}% of "
                "the registered target)"
            )
        row("enrollment", pub["enrollment"], note)
    for key, label in (("start", "start"), ("end", "end / completion")):
        if key in pub and key in reg:
            mp, mr = _months(pub[key]), _months(reg[key])
            if mp is None or mr is None:
                note = f"registered {label} {reg[key]} ({rid}), reported {pub[key]}"
            elif mp == mr:
                note = f"same month as the registered {label} date {reg[key]} ({rid})"
            else:
                d = mp - mr
                when = "later" if d > 0 else "earlier"
                note = (
                    f"registered {label} {reg[key]} ({rid}), reported {pub[key]}: "
                    f"{abs(d)} month(s) {when}"
                )
            row(key, pub[key], note)
    if "phase" in pub and "phase" in reg:
        same = re.sub(r"\D", "", pub["phase"]) == re.sub(r"\D", "", reg["phase"])
        row(
            "phase",
            pub["phase"],
            f"registered phase {reg['phase']} ({rid})" + ("" if same else "; differs"),
        )
    if "primary_endpoint" in pub and "primary_endpoint" in reg:
        row(
            "primary_endpoint",
            pub["primary_endpoint"],
            f"registered: {reg['primary_endpoint']} ({rid}); compare by reading",
        )
    return rows


def check_record(record: Record) -> list[tuple[str, CheckRow]]:
    """Engine hook: compare a publication with the registration it names."""
    ref = record.relations.get("registration")
    if not ref:
        return []
    registry = _load_related(record, str(ref))
    return [(CLAIM_ID, r) for r in compare_registration(record, registry)]
