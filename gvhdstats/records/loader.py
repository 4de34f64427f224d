"""Trial records: loading and validating the TOML files in ``data/``.

A record is data, not code: one TOML file per source document, whose schema is
described in ``docs/records.md``.  Loading is lazy (nothing is read at import
time) and strict: any problem raises :class:`~gvhdstats.errors.RecordError`
naming the file, the claim id and the field.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from gvhdstats.errors import ClaimError, RecordError, ReportedNumberError, UnknownRecordError
from gvhdstats.numbers import Reported

__all__ = [
    "CLAIM_TYPES",
    "KINDS",
    "Assumed",
    "Claim",
    "Record",
    "bundled_record_ids",
    "data_dir",
    "load_record",
    "register_claim_type",
]

KINDS = ("protocol", "registry", "publication")

#: Claim types a record may use: the built-in ones, plus any that
#: :func:`gvhdstats.engine.register_check` registers (through
#: :func:`register_claim_type`).
CLAIM_TYPES = (
    "two-arm-binary",
    "proportion",
    "ratio",
    "incidence",
    "median",
    "sum",
    "dose-schedule",
    "fact",
    "descriptive",
    "reconstructed",
)
_CLAIM_TYPES: set[str] = set(CLAIM_TYPES)


def register_claim_type(claim_type: str) -> None:
    """Let records use ``claim_type`` (called by the engine when a checker is registered)."""
    _CLAIM_TYPES.add(claim_type)


_CLAIM_KEYS = {
    "id",
    "type",
    "quote",
    "section",
    "endpoint",
    "arms",
    "printed",
    "assumed",
    "related",
    "measure",
    "time",
    "unit",
    "competing_risks",
    "schedule",
    "dose_unit",
    "why",
    "note",
    "data",
}


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
        try:
            with path.open("rb") as fh:
                doc = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise RecordError(f"is not valid TOML: {exc}", file=str(path)) from None
        rid = doc.get("id")
        source = doc.get("source")
        order = str(source.get("file", "")) if isinstance(source, dict) else ""
        if isinstance(rid, str):
            found.append((order, rid, path))
    # in the order of the source documents (seed 000, 001, ...)
    return {rid: path for _, rid, path in sorted(found)}


def bundled_record_ids() -> list[str]:
    """Ids of the records shipped with gvhdstats, in file order."""
    return list(_bundled_index())


def _require(
    d: Mapping[str, Any],
    key: str,
    typ: type | tuple[type, ...],
    file: str,
    claim: str | None = None,
    prefix: str = "",
) -> Any:
    if key not in d:
        raise RecordError("is missing", file=file, claim=claim, field=prefix + key)
    v = d[key]
    if not isinstance(v, typ):
        tname = typ.__name__ if isinstance(typ, type) else " or ".join(t.__name__ for t in typ)
        raise RecordError(
            f"must be {tname}, got {v!r}", file=file, claim=claim, field=prefix + key
        )
    return v


def _parse_claim(raw: Any, file: str, record_id: str, index: int) -> Claim:
    if not isinstance(raw, dict):
        raise RecordError("must be a table", file=file, field=f"claims[{index}]")
    cid = _require(raw, "id", str, file, None, f"claims[{index}].")
    ctype = _require(raw, "type", str, file, cid)
    if ctype not in _CLAIM_TYPES:
        allowed = ", ".join(sorted(_CLAIM_TYPES))
        raise RecordError(
            f"unknown claim type {ctype!r} (known: {allowed})", file=file, claim=cid, field="type"
        )
    quote = _require(raw, "quote", str, file, cid)
    if not quote.strip():
        raise RecordError(
            "must quote the sentence the numbers come from", file=file, claim=cid, field="quote"
        )
    unknown = set(raw) - _CLAIM_KEYS
    if unknown:
        raise RecordError(f"unknown key(s) {sorted(unknown)}", file=file, claim=cid)
    printed = raw.get("printed", {})
    if not isinstance(printed, dict):
        raise RecordError("must be a table", file=file, claim=cid, field="printed")
    for k, v in printed.items():
        vals = v if isinstance(v, list) else [v]
        for i, item in enumerate(vals):
            fld = f"printed.{k}" + (f"[{i}]" if isinstance(v, list) else "")
            if not isinstance(item, str):
                raise RecordError(
                    f'printed numbers must be strings as printed (e.g. "2.00"), got {item!r}',
                    file=file,
                    claim=cid,
                    field=fld,
                )
            if k in _TEXT_PRINTED_KEYS:
                continue
            try:
                Reported.parse(item, name=k)
            except ReportedNumberError as exc:
                raise RecordError(str(exc), file=file, claim=cid, field=fld) from None
    assumed_raw = raw.get("assumed", {})
    if not isinstance(assumed_raw, dict):
        raise RecordError("must be a table", file=file, claim=cid, field="assumed")
    assumed: dict[str, Assumed] = {}
    for k, v in assumed_raw.items():
        if not isinstance(v, dict) or "value" not in v or not isinstance(v.get("why"), str):
            raise RecordError(
                'must be a table { value = ..., why = "..." }',
                file=file,
                claim=cid,
                field=f"assumed.{k}",
            )
        assumed[k] = Assumed(v["value"], v["why"])
    return Claim(
        id=cid,
        type=ctype,
        quote=quote,
        printed=printed,
        assumed=assumed,
        raw=raw,
        file=file,
        record_id=record_id,
    )


#: printed keys whose values are text, not numbers (dates and the like)
_TEXT_PRINTED_KEYS = {"date", "text", "start", "end"}


def parse_record(doc: Mapping[str, Any], file: str) -> Record:
    """Validate a parsed TOML document and build a :class:`Record`."""
    schema = doc.get("schema", 1)
    if schema != 1:
        raise RecordError(
            f"unsupported schema version {schema!r} (expected 1)", file=file, field="schema"
        )
    rid = _require(doc, "id", str, file)
    kind = _require(doc, "kind", str, file)
    if kind not in KINDS:
        raise RecordError(f"must be one of {KINDS}, got {kind!r}", file=file, field="kind")
    title = doc.get("title", "")
    source = doc.get("source", {})
    if not isinstance(source, dict):
        raise RecordError("must be a table", file=file, field="source")
    design = doc.get("design", {})
    if not isinstance(design, dict):
        raise RecordError("must be a table", file=file, field="design")
    relations = doc.get("relations", {})
    if not isinstance(relations, dict):
        raise RecordError("must be a table", file=file, field="relations")
    raw_claims = doc.get("claims", [])
    if not isinstance(raw_claims, list):
        raise RecordError("must be an array of tables [[claims]]", file=file, field="claims")
    claims = []
    seen: set[str] = set()
    for i, rc in enumerate(raw_claims):
        c = _parse_claim(rc, file, rid, i)
        if c.id in seen:
            raise RecordError("duplicate claim id", file=file, claim=c.id, field="id")
        seen.add(c.id)
        claims.append(c)
    for c in claims:
        for rel in c.raw.get("related", []) or []:
            if rel not in seen:
                raise RecordError(
                    f"names unknown claim {rel!r}", file=file, claim=c.id, field="related"
                )
    return Record(
        id=rid,
        kind=kind,
        title=title,
        source=source,
        design=design,
        relations=relations,
        claims=tuple(claims),
        file=file,
        raw=doc,
    )


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
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise RecordError(f"is not valid TOML: {exc}", file=str(path)) from None
    except OSError as exc:
        raise RecordError(f"cannot be read: {exc}", file=str(path)) from None
    return parse_record(doc, str(path))
