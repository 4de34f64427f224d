"""The CLI promise on mutated records: a valid result, or one line naming file, claim and field.

A few hundred mutations of the bundled records are generated deterministically
(``random.Random(SEED)``, no global state): deleted fields, wrong types,
impossible values, misspelled keys, garbage bytes, huge numbers, deep nesting
and bytes that are not UTF-8.  Each is written to a file and run through the
command line (``gvhdstats.cli.main`` in-process, a handful through a real
subprocess).  On every one:

* nothing escapes as an exception (no traceback);
* the exit status is 0 with a verify table, or 2 with exactly one stderr line
  ``gvhdstats: error: ...`` that names the file;
* values at the edge of the valid ranges (0, 100, P = 1) verify without a
  traceback;
* a mutation that violates the schema (decided here, from the rules in
  docs/records.md and the mutation itself, not from the loader) exits 2, and the
  line names its claim and field where the mutation has one.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gvhdstats.cli import main
from gvhdstats.engine import VERIFY_COLUMNS
from gvhdstats.records import bundled_record_ids, load_record

SEED = 20260912
PER_RECORD = 56  # mutations per bundled record (5 records)


@dataclass(frozen=True)
class Mutation:
    name: str
    payload: bytes
    violation: bool | None  # True: must exit 2; None: either outcome, the promise holds
    claim: str | None = None  # claim id the error line must name
    field: str | None = None  # field the error line must name


# --------------------------------------------------------------------------
# a minimal TOML writer (inline tables) for the mutated documents
# --------------------------------------------------------------------------

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: str) -> str:
    return k if _BARE.match(k) else json.dumps(k, ensure_ascii=False)


def _val(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return (
            "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
        )
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_val(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_val(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))  # pragma: no cover - the documents hold TOML values only


def dumps(doc: dict) -> str:
    return "".join(f"{_key(k)} = {_val(v)}\n" for k, v in doc.items())


# --------------------------------------------------------------------------
# paths into a document
# --------------------------------------------------------------------------

Path_ = tuple[str | int, ...]


def _walk(obj: Any, path: Path_ = ()):
    yield path, obj
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk(v, (*path, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _walk(v, (*path, i))


def _fmt(path: Path_) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def _get(doc: Any, path: Path_) -> Any:
    for p in path:
        doc = doc[p]
    return doc


def _copy(doc: Any) -> Any:
    return tomllib.loads(dumps(doc))


def _locate(doc: dict, path: Path_) -> tuple[str | None, str]:
    """(claim id, field) that an error about ``path`` names."""
    if len(path) >= 3 and path[0] == "claims":
        return doc["claims"][path[1]]["id"], _fmt(path[2:])
    return None, _fmt(path)


def _in_free_printed(doc: dict, path: Path_) -> bool:
    return (
        len(path) >= 3
        and path[0] == "claims"
        and path[2] == "printed"
        and doc["claims"][path[1]]["type"] in ("fact", "descriptive")
    )


def _typo(key: str, rng: random.Random) -> str:
    i = rng.randrange(len(key))
    how = rng.choice(("drop", "swap", "double", "insert"))
    if how == "drop" and len(key) > 1:
        return key[:i] + key[i + 1 :]
    if how == "swap" and len(key) > 1:
        i = min(i, len(key) - 2)
        if key[i] != key[i + 1]:
            return key[:i] + key[i + 1] + key[i] + key[i + 2 :]
    if how == "double":
        return key[:i] + key[i] + key[i:]
    return key[:i] + rng.choice("aeiouxz_") + key[i:]


# --------------------------------------------------------------------------
# mutations
# --------------------------------------------------------------------------

_PERCENT_KEYS = {"treatment_percent", "control_percent", "percent"}
_COUNT_KEYS = {"treatment_events", "control_events", "events"}
_TOTAL_KEYS = {"treatment_total", "control_total", "total", "n"}


def _mutations_of(rid: str, base: dict, rng: random.Random, n: int) -> list[Mutation]:
    doc = _copy(base)
    doc["id"] = f"mut-{rid}"  # a user file may not reuse a bundled id
    entries = [(p, v) for p, v in _walk(doc) if p]
    keyed = [(p, v) for p, v in entries if isinstance(p[-1], str)]
    leaves = [(p, v) for p, v in entries if not isinstance(v, dict | list)]
    printed = [
        (p, v)
        for p, v in leaves
        if len(p) >= 4 and p[0] == "claims" and p[2] == "printed" and isinstance(v, str)
    ]
    out: list[Mutation] = []

    def emit(name: str, new: Any, violation: bool | None, path: Path_ | None = None) -> None:
        claim, field = _locate(new, path) if path is not None else (None, None)
        if violation is None:
            claim = field = None
        payload = (dumps(new) if isinstance(new, dict) else new).encode("utf-8")
        out.append(Mutation(f"{rid}: {name}", payload, violation, claim, field))

    kinds = [
        "delete",
        "wrong-type",
        "typo",
        "impossible",
        "huge",
        "garbage",
        "nesting",
        "not-utf8",
        "boundary",
    ]
    weights = [10, 10, 10, 10, 6, 5, 2, 2, 6]
    while len(out) < n:
        kind = rng.choices(kinds, weights)[0]
        new = _copy(doc)
        if kind == "delete":
            path, _ = rng.choice(keyed)
            parent = _get(new, path[:-1])
            del parent[path[-1]]
            key = path[-1]
            top, claim_level = len(path) == 1, len(path) == 3 and path[0] == "claims"
            in_assumed = len(path) == 5 and path[2] == "assumed"
            in_arm = len(path) == 4 and path[:2] == ("design", "arms")
            in_arm_size = len(path) == 5 and path[:2] == ("design", "arms")
            needed = (
                (top and key in ("id", "kind"))
                or (claim_level and key in ("id", "type", "quote"))
                or (in_assumed and key in ("value", "why"))
                or (in_arm and key == "id")
                or (in_arm_size and key in ("value", "why"))
            )
            sibling = {"ci_low": "ci_high", "ci_high": "ci_low"}.get(str(key))
            if sibling and sibling in parent:
                needed = True
            if needed and key == "id" and len(path) == 3 and path[0] == "claims":
                # a claim without id: located by index, not by claim id
                emit(f"delete {_fmt(path)}", new, True, None)
                continue
            emit(f"delete {_fmt(path)}", new, True if needed else None, path if needed else None)
        elif kind == "wrong-type":
            path, old = rng.choice(entries)
            if isinstance(old, list) and _in_free_printed(doc, path):
                continue
            if isinstance(old, dict):
                choices: list[Any] = ["x", 7, ["x"]]
            elif isinstance(old, bool):
                choices = ["yes", 1, {"x": "1"}]
            elif isinstance(old, int):
                choices = ["99", True, {"x": "1"}]
            elif isinstance(old, str):
                choices = [7, 2.5, True, {"x": "1"}]
            else:
                choices = ["x", 7, True]
            val = rng.choice(choices)
            _get(new, path[:-1])[path[-1]] = val
            if path[-1] == "id" and len(path) == 3 and path[0] == "claims":
                emit(f"{_fmt(path)} = {val!r}", new, True, None)
                continue
            emit(f"{_fmt(path)} = {val!r}", new, True, path)
        elif kind == "typo":
            path, _ = rng.choice(keyed)
            parent = _get(new, path[:-1])
            bad = _typo(str(path[-1]), rng)
            if bad in parent or bad == path[-1]:
                continue
            items = [(bad if k == path[-1] else k, v) for k, v in parent.items()]
            parent.clear()
            parent.update(items)
            free = _in_free_printed(doc, path) and re.match(r"^[a-z][a-z0-9_]*$", bad)
            bad_path = (*path[:-1], bad)
            if free:
                emit(f"rename {_fmt(path)} -> {bad}", new, None)
            elif len(path) == 3 and path[0] == "claims" and path[2] == "id":
                emit(f"rename {_fmt(path)} -> {bad}", new, True, None)
            else:
                emit(f"rename {_fmt(path)} -> {bad}", new, True, bad_path)
        elif kind == "impossible":
            cands: list[tuple[Path_, list[Any]]] = []
            for p, _ in printed:
                key = p[3]
                ctype = doc["claims"][p[1]]["type"]
                if key in _PERCENT_KEYS:
                    cands.append((p, ["150.0", "-5", "100.1"]))
                elif key == "p":
                    cands.append((p, ["1.5", "0", "0.000", "-0.02"]))
                elif key == "ci_level":
                    cands.append((p, ["100", "0", "1"]))
                elif key in _COUNT_KEYS:
                    cands.append((p, ["-1", "2.5", "100000"]))
                elif key == "estimate" and ctype == "incidence":
                    cands.append((p, ["100.5", "-1"]))
                elif key in ("odds_ratio", "estimate") and ctype in ("ratio", "two-arm-binary"):
                    cands.append((p, ["-0.5"]))
                elif key == "ci_low":
                    high = doc["claims"][p[1]]["printed"]["ci_high"]
                    cands.append((p, [str(round(float(high) * 1.5 + 0.5, 2))]))
                elif key in ("start", "end", "date"):
                    cands.append((p, ["2019-13", "2019-02-30", "March 2019"]))
            for p, v in leaves:
                if p[-1] in ("enrollment", "centres") and p[0] == "design":
                    cands.append((p, ["-3", "2.5", "two hundred"]))
                if p[-1] in ("start", "end") and p[0] == "design":
                    cands.append((p, ["2019-00", "19-03"]))
                if len(p) == 5 and p[2] == "assumed" and p[3] in _TOTAL_KEYS and p[4] == "value":
                    cands.append((p, [0, -1, 2.5]))
                if len(p) == 4 and p[2] in ("arms", "related"):
                    cands.append((p, ["no-such-" + str(v)]))
                if p == ("relations", "registration"):
                    cands.append((p, ["no-such-record", "", "."]))
                if p == ("design", "ratio"):
                    cands.append((p, ["1:0", "inf:1", "nan:1"]))
                if p[-1] == "competing_risks":
                    cands.append((p, ["true"]))
                if len(p) == 6 and p[2] == "schedule" and p[4] in ("weeks", "per_week"):
                    cands.append((p, ["0", "-1"]))
            if not cands:
                continue
            path, values = rng.choice(cands)
            val = rng.choice(values)
            _get(new, path[:-1])[path[-1]] = val
            emit(f"{_fmt(path)} = {val!r}", new, True, path)
        elif kind == "huge":
            numeric = [
                (p, v)
                for p, v in printed
                if p[3] not in ("text", "date", "start", "end") and re.match(r"^[<>]?[0-9.]+$", v)
            ]
            which = rng.random()
            if which < 0.6 and numeric:
                path, _ = rng.choice(numeric)
                val = rng.choice(["1e400", "1" + "0" * 400, "1e999999999", "9" * 5000 + ".5"])
                _get(new, path[:-1])[path[-1]] = val
                emit(f"{_fmt(path)} = huge", new, True, path)
            elif which < 0.8:
                tot = [
                    (p, v)
                    for p, v in leaves
                    if len(p) == 5 and p[2] == "assumed" and p[3] in _TOTAL_KEYS
                ]
                if not tot:
                    continue
                path, _ = rng.choice(tot)
                _get(new, path[:-1])[path[-1]] = 10**30
                emit(f"{_fmt(path)} = 10**30", new, True, path)
            else:
                text = dumps(new).replace("schema = 1\n", "schema = 1" + "0" * 5000 + "\n")
                emit("5000-digit integer", text, True)
        elif kind == "garbage":
            text = dumps(new)
            i = rng.randrange(len(text))
            junk = "".join(rng.choice('=[]{}"\\#\n\t ,.x0-') for _ in range(rng.randint(1, 12)))
            emit(f"garbage at {i}", text[:i] + junk + text[i + rng.randint(0, 8) :], None)
        elif kind == "nesting":
            path, _ = rng.choice(leaves)
            _get(new, path[:-1])[path[-1]] = "@@NEST@@"
            depth = rng.choice([40, 100_000])
            text = dumps(new).replace('"@@NEST@@"', "[" * depth + "]" * depth)
            emit(f"{_fmt(path)} nested {depth} deep", text, True)
        elif kind == "boundary":
            # values at the edge of what can be printed: valid, so the checks must cope
            edges: list[tuple[Path_, list[str]]] = []
            for p, _ in printed:
                key = p[3]
                if key in _PERCENT_KEYS:
                    edges.append((p, ["0.0", "100.0", "0", "100"]))
                elif key == "p":
                    edges.append((p, ["1", "1.00", "<0.0001", ">0.99"]))
                elif key in ("estimate", "odds_ratio", "ci_low"):
                    edges.append((p, ["0", "0.00", "0.001"]))
                elif key in _COUNT_KEYS:
                    edges.append((p, ["0"]))
            if not edges:
                continue
            path, values = rng.choice(edges)
            val = rng.choice(values)
            _get(new, path[:-1])[path[-1]] = val
            emit(f"edge {_fmt(path)} = {val!r}", new, None)
        else:  # not UTF-8
            data = dumps(new).encode("utf-8")
            i = rng.randrange(len(data))
            bad = rng.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x80"])
            out.append(Mutation(f"{rid}: bytes {bad!r} at {i}", data[:i] + bad + data[i:], True))
            if rng.random() < 0.3:
                text = dumps(new)
                out.append(Mutation(f"{rid}: UTF-16", text.encode("utf-16"), True))
    return out[:n]


def _fixed_edges() -> list[Mutation]:
    """Edge values that random draws may miss: a ratio printed as 0.00, an HR CI from 0."""
    base = tomllib.loads(Path(load_record("zhao2022").file).read_text(encoding="utf-8"))
    base["id"] = "edge-zhao2022"
    out = []
    for cid, key, val in (("ffs-hr", "estimate", "0.00"), ("cgvhd-hr", "ci_low", "0.00")):
        doc = _copy(base)
        [claim] = [c for c in doc["claims"] if c["id"] == cid]
        claim["printed"][key] = val
        out.append(Mutation(f"zhao2022: edge {cid}.{key} = {val!r}", dumps(doc).encode(), None))
    return out


def _all_mutations() -> list[Mutation]:
    rng = random.Random(SEED)
    muts: list[Mutation] = []
    for rid in bundled_record_ids():
        base = tomllib.loads(Path(load_record(rid).file).read_text(encoding="utf-8"))
        muts += _mutations_of(rid, base, rng, PER_RECORD)
    return muts + _fixed_edges()


MUTATIONS = _all_mutations()


def test_mutations_cover_every_class():
    kinds = {m.name.split(": ", 1)[1].split(" ")[0] for m in MUTATIONS}
    assert len(MUTATIONS) >= 250
    assert sum(m.violation is True for m in MUTATIONS) >= 150
    for word in ("delete", "rename", "garbage", "bytes", "edge"):
        assert word in kinds, word
    assert any("= huge" in m.name for m in MUTATIONS)
    assert any("nested 100000 deep" in m.name for m in MUTATIONS)
    assert any("= '150.0'" in m.name or "= '100.1'" in m.name for m in MUTATIONS)


def _check_outcome(m: Mutation, path: Path, rc: int, out: str, err: str) -> str | None:
    """None if the CLI kept its promise on ``m``, else what went wrong."""
    if rc == 0:
        if m.violation:
            return f"exit 0 on a schema violation: {m.name}"
        if err:
            return f"exit 0 with stderr {err!r}: {m.name}"
        rows = list(csv.reader(io.StringIO(out)))
        if not rows or rows[0] != list(VERIFY_COLUMNS):
            return f"exit 0 without a verify table: {m.name}"
        return None
    if rc != 2:
        return f"exit {rc}: {m.name}"
    lines = err.splitlines()
    if len(lines) != 1 or not err.endswith("\n"):
        return f"{len(lines)} stderr lines: {m.name}: {err[:300]!r}"
    line = lines[0]
    if "Traceback" in err or not line.startswith("gvhdstats: error: "):
        return f"not a one-line error: {m.name}: {line[:300]!r}"
    if str(path) not in line:
        return f"file not named: {m.name}: {line[:300]!r}"
    if m.claim is not None and f"claim {m.claim!r}" not in line:
        return f"claim {m.claim!r} not named: {m.name}: {line[:300]!r}"
    if m.field is not None and f"field {m.field!r}" not in line:
        return f"field {m.field!r} not named: {m.name}: {line[:300]!r}"
    return None


def test_every_mutation_keeps_the_cli_promise(tmp_path, capsys):
    problems = []
    outcomes = {0: 0, 2: 0}
    for i, m in enumerate(MUTATIONS):
        path = tmp_path / f"m{i:03d}.toml"
        path.write_bytes(m.payload)
        try:
            rc = main(["verify", str(path), "--format", "csv"])
        except BaseException as exc:  # a traceback: the promise is broken
            capsys.readouterr()
            problems.append(f"{type(exc).__name__} escaped: {m.name}: {exc!s:.200}")
            continue
        captured = capsys.readouterr()
        problem = _check_outcome(m, path, rc, captured.out, captured.err)
        if problem:
            problems.append(problem)
        outcomes[rc] = outcomes.get(rc, 0) + 1
    assert problems == []
    # both outcomes occur: harmless mutations verify, violations are refused
    assert outcomes[0] >= 20
    assert outcomes[2] >= 150


@pytest.mark.parametrize("which", ["violation", "unreadable", "harmless"])
def test_subprocess_cli_keeps_the_promise(tmp_path, which):
    pick = {
        "violation": lambda m: m.violation and m.field is not None,
        "unreadable": lambda m: "nested 100000 deep" in m.name,
        "harmless": lambda m: m.violation is None and m.name.split(": ")[1].startswith("delete"),
    }[which]
    m = next(m for m in MUTATIONS if pick(m))
    path = tmp_path / "m.toml"
    path.write_bytes(m.payload)
    proc = subprocess.run(
        [sys.executable, "-m", "gvhdstats.cli", "verify", str(path), "--format", "csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    problem = _check_outcome(m, path, proc.returncode, proc.stdout, proc.stderr)
    assert problem is None
    assert "Traceback" not in proc.stderr
