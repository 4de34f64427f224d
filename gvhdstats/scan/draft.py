"""Draft records: the scanned claims as a record document and as TOML.

The document is validated by the record loader itself
(:func:`gvhdstats.records.loader.parse_record`), so a draft that loads here
loads with ``gvhdstats verify draft.toml``; :func:`dumps` writes it as TOML that
:mod:`tomllib` reads back to the same document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from gvhdstats.scan.claims import Scan

__all__ = ["draft_document", "dumps"]


def draft_document(scan: Scan, record_id: str, source: str = "") -> dict[str, Any]:
    """The record document (a dict in the schema of ``docs/records.md``) of a scan."""
    title = ""
    first = scan.text.strip().splitlines()[0].strip() if scan.text.strip() else ""
    if first and len(first) <= 300 and not re.search(r"\d+\s*\(\d", first):
        title = first
    doc: dict[str, Any] = {
        "schema": 1,
        "id": record_id,
        "kind": "publication",
        "title": title or f"draft record scanned from {source or record_id}",
    }
    if source:
        doc["source"] = {"file": source}
    design: dict[str, Any] = dict(scan.design)
    arms = []
    for arm in scan.arms:
        a: dict[str, Any] = {"id": arm.id}
        if arm.label:
            a["label"] = arm.label
        if arm.stated is not None:
            a["randomised"] = arm.stated.text
        if arm.total is not None and arm.source == "recovered":
            a["analysed"] = {"value": arm.total, "why": arm.why}
        arms.append(a)
    if arms:
        design["arms"] = arms
    doc["design"] = design
    doc["claims"] = [c.to_dict() for c in scan.claims]
    return doc


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: str) -> str:
    return k if _BARE_KEY.match(k) else json.dumps(k, ensure_ascii=False)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, Sequence):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def _is_table_array(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, Mapping) for x in v)


def _section(
    lines: list[str], prefix: str, d: Mapping[str, Any], subtables: Sequence[str]
) -> None:
    later: list[tuple[str, Any]] = []
    for k, v in d.items():
        if _is_table_array(v) or (isinstance(v, Mapping) and (k in subtables or _nested(v))):
            later.append((k, v))
        else:
            lines.append(f"{_key(k)} = {_value(v)}")
    for k, v in later:
        name = f"{prefix}.{_key(k)}" if prefix else _key(k)
        if _is_table_array(v):
            for item in v:
                lines.append("")
                lines.append(f"[[{name}]]")
                _section(lines, name, item, subtables)
        else:
            lines.append("")
            lines.append(f"[{name}]")
            _section(lines, name, v, subtables)


def _nested(v: Mapping[str, Any]) -> bool:
    return any(isinstance(x, Mapping) and _nested_any(x) for x in v.values()) or any(
        _is_table_array(x) for x in v.values()
    )


def _nested_any(v: Mapping[str, Any]) -> bool:
    return any(isinstance(x, Mapping) for x in v.values())


def dumps(doc: Mapping[str, Any], *, header: str = "") -> str:
    """TOML text of a record document (``printed`` and ``assumed`` as sub-tables).

    Examples
    --------
    >>> import tomllib
    >>> doc = {"schema": 1, "id": "x", "claims": [{"id": "a", "printed": {"p": "0.04"}}]}
    >>> tomllib.loads(dumps(doc)) == doc
    True
    """
    lines = [f"# {h}" if h else "#" for h in header.splitlines()] if header else []
    _section(lines, "", doc, ("printed", "assumed", "source"))
    return "\n".join(lines).strip("\n") + "\n"
