"""Trial records: loading and validating the TOML files in ``data/``.

A record is data, not code: one TOML file per source document, whose schema is
written down once in :mod:`gvhdstats.records.schema` (and, generated from it, in
``docs/records.md``).  Loading is lazy (nothing is read at import time) and
strict (:mod:`gvhdstats.records.validate`): an unknown key, a value of the wrong
type or outside its range, an arm or claim that does not exist raises
:class:`~gvhdstats.errors.RecordError` (or a subclass) naming the file, the claim
id and the field.  Unreadable bytes (not UTF-8, nested too deeply, numbers
beyond Python's limits) raise it too.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from gvhdstats.errors import (
    ClaimError,
    InvalidArgumentError,
    RecordError,
    ReportedNumberError,
    UnknownRecordError,
)
from gvhdstats.numbers import Reported
from gvhdstats.records.schema import CLAIM_SCHEMAS, ClaimSchema, free_schema
from gvhdstats.records.validate import KINDS_OF_RECORD, arm_size, validate_document

__all__ = [
    "CLAIM_TYPES",
    "KINDS",
    "Assumed",
    "Claim",
    "Record",
    "bundled_record_ids",
    "claim_schema",
    "data_dir",
    "load_record",
    "parse_record",
    "register_claim_type",
]

KINDS = KINDS_OF_RECORD

#: Claim types a record may use: the built-in ones, plus any that
#: :func:`gvhdstats.engine.register_check` registers (through
#: :func:`register_claim_type`).
CLAIM_TYPES = tuple(CLAIM_SCHEMAS)
_CLAIM_TYPES: set[str] = set(CLAIM_TYPES)
_REGISTERED_SCHEMAS: dict[str, ClaimSchema] = {}


def register_claim_type(claim_type: str, schema: ClaimSchema | None = None) -> None:
    """Let records use ``claim_type`` (called by the engine when a checker is registered).

    ``schema`` says which keys such a claim takes (see
    :mod:`gvhdstats.records.schema`); without one, any snake_case printed key
    holding a printed number is accepted and nothing may be assumed.
    """
    _CLAIM_TYPES.add(claim_type)
    if schema is not None:
        _REGISTERED_SCHEMAS[claim_type] = schema


@dataclass(frozen=True)
class Assumed:
    """An input that the document does not print, with the reason it is assumed."""

    value: float | int | str
    why: str


@dataclass(frozen=True)
class Claim:
    """One claim of a record: a quoted sentence and its printed numbers.

    Use :meth:`printed_number`, :meth:`integer` and :meth:`value` to read
    fields; they raise :class:`~gvhdstats.errors.ClaimError` naming the file,
    the claim and the field.
    """

    id: str
    type: str
    quote: str
    printed: Mapping[str, Any]
    assumed: Mapping[str, Assumed]
    raw: Mapping[str, Any]
    file: str
    record_id: str

    def error(self, message: str, field: str | None = None) -> ClaimError:
        """A :class:`ClaimError` located at this claim (and ``field``)."""
        return ClaimError(message, file=self.file, claim=self.id, field=field)

    def has(self, key: str) -> bool:
        """Whether ``key`` is printed or assumed."""
        return key in self.printed or key in self.assumed

    def get(self, key: str, default: Any = None) -> Any:
        """A top-level claim key (``measure``, ``time``, ...)."""
        return self.raw.get(key, default)

    def printed_number(self, key: str) -> Reported | None:
        """The printed number ``key`` as a :class:`Reported`, or None if absent."""
        if key not in self.printed:
            return None
        val = self.printed[key]
        try:
            return Reported.parse(val, name=key)
        except ReportedNumberError as exc:
            raise self.error(str(exc), f"printed.{key}") from None

    def printed_list(self, key: str) -> list[Reported]:
        """A printed list of numbers (e.g. ``parts`` of a sum)."""
        vals = self.printed.get(key)
        if vals is None:
            return []
        if not isinstance(vals, list):
            raise self.error("must be a list of printed strings", f"printed.{key}")
        out = []
        for i, v in enumerate(vals):
            try:
                out.append(Reported.parse(v, name=key))
            except ReportedNumberError as exc:
                raise self.error(str(exc), f"printed.{key}[{i}]") from None
        return out

    def value(self, key: str) -> float | None:
        """The number for ``key``: the printed value, else the assumed one, else None."""
        rep = self.printed_number(key)
        if rep is not None:
            return rep.value
        if key in self.assumed:
            v = self.assumed[key].value
            if isinstance(v, bool) or not isinstance(v, int | float):
                raise self.error(f"assumed value must be a number, got {v!r}", f"assumed.{key}")
            return float(v)
        return None

    def integer(self, key: str, *, required: bool = False) -> int | None:
        """An integer count from ``printed`` or ``assumed``."""
        v = self.value(key)
        if v is None:
            if required:
                raise self.error("is required for this claim type", f"printed.{key}")
            return None
        where = f"printed.{key}" if key in self.printed else f"assumed.{key}"
        if v != int(v) or v < 0:
            raise self.error(f"must be a non-negative integer count, got {v!r}", where)
        return int(v)

    def denominator(self, key: str, record: Record) -> tuple[int | None, str]:
        """A total (``treatment_total``, ``total``, ``n``) and a note saying where it came from.

        Printed or assumed in the claim, else the size of the claim's design
        arm that this total belongs to (``analysed`` when known, else
        ``randomised``, or the one the claim's ``denominator`` names), else
        None.  The note says which was used (empty when printed).

        Examples
        --------
        >>> from gvhdstats.records import load_record
        >>> rec = load_record("zhao2025")
        >>> rec.claim("orr-day28").denominator("total", rec)[0]
        25
        >>> rec.arm_size("huc-msc")
        (25, 'randomised', None)
        """
        if self.has(key):
            return self.integer(key), self.assumption_note(key)
        totals = claim_schema(self.type).arm_totals if self.type in _CLAIM_TYPES else ()
        arms = self.raw.get("arms") or []
        if key not in totals or totals.index(key) >= len(arms):
            return None, ""
        arm = arms[totals.index(key)]
        size = record.arm_size(arm, self.raw.get("denominator"))
        if size is None:
            return None, ""
        n, which, why = size
        note = f"{key} = {n} from design arm {arm} ({which}"
        return n, note + (f", assumed: {why})" if why else ")")

    def is_assumed(self, key: str) -> bool:
        return key not in self.printed and key in self.assumed

    def assumption_note(self, *keys: str) -> str:
        """A note listing which of ``keys`` are assumed, and why."""
        parts = [
            f"{k} = {self.assumed[k].value} assumed ({self.assumed[k].why})"
            for k in keys
            if self.is_assumed(k)
        ]
        return "; ".join(parts)


@dataclass(frozen=True)
class Record:
    """A trial record (one source document)."""

    id: str
    kind: str
    title: str
    source: Mapping[str, Any]
    design: Mapping[str, Any]
    relations: Mapping[str, Any]
    claims: tuple[Claim, ...]
    file: str
    raw: Mapping[str, Any] = field(repr=False, default_factory=dict)

    def claim(self, claim_id: str) -> Claim:
        """The claim with this id."""
        for c in self.claims:
            if c.id == claim_id:
                return c
        raise UnknownRecordError(f"record {self.id!r} has no claim {claim_id!r}")

    def arm(self, arm_id: str) -> Mapping[str, Any] | None:
        """The design arm with this id, or None."""
        for a in self.design.get("arms", []) or []:
            if a.get("id") == arm_id:
                return a
        return None

    def arm_size(
        self, arm_id: str, which: str | None = None
    ) -> tuple[int, str, str | None] | None:
        """Size of design arm ``arm_id``: ``(n, field, why)``, or None if unknown.

        ``field`` is ``"analysed"`` when known, else ``"randomised"`` (or
        ``which`` when given); ``why`` is the reason when the size is assumed
        (``analysed = { value = 99, why = "..." }``), else None.
        """
        return arm_size(self.design, arm_id, which)

    def __iter__(self) -> Iterator[Claim]:
        return iter(self.claims)

    def __repr__(self) -> str:
        return (
            f"Record(id={self.id!r}, kind={self.kind!r}, claims={len(self.claims)}, "
            f"file={Path(self.file).name!r})"
        )


def data_dir() -> Path:
    """Folder of the bundled records (inside the wheel, or ``data/`` of a checkout)."""
    try:
        packaged = resources.files("gvhdstats") / "_data"
        if packaged.is_dir():
            return Path(str(packaged))
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover
        pass
    here = Path(__file__).resolve().parents[2] / "data"
    return here


@cache
def _bundled_index() -> dict[str, Path]:
    found: list[tuple[str, str, Path]] = []
    for path in sorted(data_dir().glob("*.toml")):
        doc = _read_toml(path)
        rid = doc.get("id")
        source = doc.get("source")
        seed = str(source.get("file", "")) if isinstance(source, dict) else ""
        # seed documents first (by seed file), then records of other papers (by id)
        order = f"0 {seed}" if seed else f"1 {rid}"
        if isinstance(rid, str):
            found.append((order, rid, path))
    # in the order of the source documents (seed 000, 001, ...), then the others
    return {rid: path for _, rid, path in sorted(found)}


def bundled_record_ids() -> list[str]:
    """Ids of the records shipped with gvhdstats, in file order."""
    return list(_bundled_index())


def _schemas() -> dict[str, ClaimSchema]:
    """Schema of every known claim type (built-in, registered, or the free schema)."""
    return {t: claim_schema(t) for t in sorted(_CLAIM_TYPES)}


def claim_schema(claim_type: str) -> ClaimSchema:
    """The :class:`~gvhdstats.records.schema.ClaimSchema` of a known claim type.

    Raises
    ------
    InvalidArgumentError
        When no claim type of that name is known.
    """
    if claim_type not in _CLAIM_TYPES:
        raise InvalidArgumentError(
            f"`claim_type` must be a known claim type ({', '.join(sorted(_CLAIM_TYPES))}), "
            f"but got {claim_type!r}"
        )
    found = _REGISTERED_SCHEMAS.get(claim_type) or CLAIM_SCHEMAS.get(claim_type)
    return found if found is not None else free_schema(claim_type)


def parse_record(doc: Mapping[str, Any], file: str) -> Record:
    """Validate a parsed TOML document and build a :class:`Record`.

    Raises
    ------
    RecordError
        (and its subclasses :class:`~gvhdstats.errors.ClaimError`,
        :class:`~gvhdstats.errors.UnknownKeyError`,
        :class:`~gvhdstats.errors.ImpossibleValueError`) naming ``file``, the
        claim id and the field, when the document does not follow the schema
        (``docs/records.md``).
    """
    validate_document(doc, file, _schemas())
    rid = doc["id"]
    claims = []
    for raw in doc.get("claims", []):
        assumed = {k: Assumed(v["value"], v["why"]) for k, v in (raw.get("assumed") or {}).items()}
        claims.append(
            Claim(
                id=raw["id"],
                type=raw["type"],
                quote=raw.get("quote", ""),  # records of non-seed papers: `location`
                printed=raw.get("printed", {}),
                assumed=assumed,
                raw=raw,
                file=file,
                record_id=rid,
            )
        )
    return Record(
        id=rid,
        kind=doc["kind"],
        title=doc.get("title", ""),
        source=doc.get("source", {}),
        design=doc.get("design", {}),
        relations=doc.get("relations", {}),
        claims=tuple(claims),
        file=file,
        raw=doc,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; every way the bytes can be unusable becomes a RecordError."""
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RecordError(f"cannot be read: {exc.strerror or exc}", file=file) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", file=file
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RecordError(f"is not valid TOML: {exc}", file=file) from None
    except RecursionError:
        raise RecordError(
            "is not usable TOML: arrays or tables nest too deeply", file=file
        ) from None
    except ValueError as exc:  # e.g. an integer beyond Python's digit limit
        raise RecordError(f"is not usable TOML: {exc}", file=file) from None


def load_record(id_or_path: str | Path) -> Record:
    """Load a bundled record by id, or a record file by path.

    Raises
    ------
    UnknownRecordError
        When ``id_or_path`` is neither a bundled id nor an existing file.
    RecordError
        When the file is not valid TOML or does not follow the schema.
    """
    if isinstance(id_or_path, Record):
        return id_or_path
    key = str(id_or_path)
    index = _bundled_index()
    if key in index:
        path = index[key]
    else:
        path = Path(key)
        if not path.is_file():
            known = ", ".join(index) or "none"
            raise UnknownRecordError(
                f"no bundled record {key!r} and no file at that path (bundled: {known})"
            )
    doc = _read_toml(path)
    rec = parse_record(doc, str(path))
    if key not in index and rec.id in index and _same_file(index[rec.id], path) is False:
        raise RecordError(
            f"record id {rec.id!r} is the id of a bundled record "
            f"({index[rec.id].name}); give your record an id of its own",
            file=str(path),
            field="id",
        )
    return rec


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or a.samefile(b)
    except OSError:
        return False
