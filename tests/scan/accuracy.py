"""Extraction precision and recall, detection of planted errors and false alarms of
``gvhdstats scan`` on the annotated corpus (tests/scan/corpus.json, written by
tests/scan/make_corpus.py).

Run from the repository root: ``python -m tests.scan.accuracy`` (prints the table of
docs/scan.md).  ``tests/scan/test_accuracy.py`` asserts the targets.

Definitions
-----------
- A *number* is a (claim type, key, printed string) triple (``ci_level`` left out);
  number precision = scanned numbers that the annotation has / scanned numbers,
  number recall = annotated numbers found / annotated numbers (multisets per text).
- A scanned *claim* is correct when an annotated claim has the same type and the same
  printed numbers (keys and strings); claim precision and recall likewise.
- A planted error is *detected* when the scanned claim equal to the planted claim has
  an ``inconsistent`` row.  A *false alarm* is an ``inconsistent`` row of any other
  claim (in consistent texts the target is none at all).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).with_name("corpus.json")


def _numbers(ctype: str, printed: dict[str, Any]) -> Counter:
    out: Counter = Counter()
    for k, v in printed.items():
        if k == "ci_level":
            continue
        for item in v if isinstance(v, list) else [v]:
            out[(ctype, k, item)] += 1
    return out


def _key(ctype: str, printed: dict[str, Any]) -> tuple:
    return (
        ctype,
        tuple(
            sorted(
                (k, tuple(v) if isinstance(v, list) else v)
                for k, v in printed.items()
                if k != "ci_level"
            )
        ),
    )


def measure(corpus: list[dict] | None = None) -> dict[str, Any]:
    from gvhdstats.scan import scan

    texts = corpus if corpus is not None else json.loads(CORPUS.read_text(encoding="utf-8"))
    tot = Counter()
    misses: list[str] = []
    wrong: list[str] = []
    alarms: list[str] = []
    undetected: list[str] = []
    for t in texts:
        res = scan(t["text"], id=t["id"])
        exp_nums: Counter = Counter()
        for c in t["claims"]:
            exp_nums += _numbers(c["type"], c["printed"])
        got_nums: Counter = Counter()
        for c in res.claims:
            got_nums += _numbers(c.type, c.printed)
        both = exp_nums & got_nums
        tot["num_expected"] += sum(exp_nums.values())
        tot["num_scanned"] += sum(got_nums.values())
        tot["num_matched"] += sum(both.values())
        # claims
        exp_keys = [_key(c["type"], c["printed"]) for c in t["claims"]]
        got = {c.id: _key(c.type, c.printed) for c in res.claims}
        free = Counter(exp_keys)
        matched_ids: dict[str, int] = {}
        for cid, k in got.items():
            if free[k] > 0:
                free[k] -= 1
                matched_ids[cid] = exp_keys.index(k)
            else:
                wrong.append(f"{t['id']}: scanned {k}")
        for k, n in free.items():
            misses.extend([f"{t['id']}: missed {k}"] * n)
        tot["claims_expected"] += len(exp_keys)
        tot["claims_scanned"] += len(got)
        tot["claims_matched"] += len(matched_ids)
        # verdicts
        planted = {p["claim"] for p in t["planted"]}
        frame = res.verify()
        bad = frame[frame["verdict"] == "inconsistent"]
        flagged = set(bad["claim"])
        for p in planted:
            tot["planted"] += 1
            ids = [cid for cid, i in matched_ids.items() if exp_keys[i] == exp_keys[p]]
            if any(cid in flagged for cid in ids):
                tot["detected"] += 1
            else:
                undetected.append(f"{t['id']}: planted {t['planted']} not flagged")
        planted_ids = {cid for cid, i in matched_ids.items() if i in planted}
        for _, row in bad.iterrows():
            if row["claim"] in planted_ids:
                continue
            tot["false_alarms"] += 1
            if t["consistent"]:
                tot["false_alarms_consistent"] += 1
            alarms.append(f"{t['id']}: {row['claim']} {row['quantity']} {row['reported']}")
        tot["texts"] += 1
        tot["consistent_texts"] += bool(t["consistent"])
    return {
        "texts": tot["texts"],
        "consistent_texts": tot["consistent_texts"],
        "number_precision": tot["num_matched"] / max(tot["num_scanned"], 1),
        "number_recall": tot["num_matched"] / max(tot["num_expected"], 1),
        "claim_precision": tot["claims_matched"] / max(tot["claims_scanned"], 1),
        "claim_recall": tot["claims_matched"] / max(tot["claims_expected"], 1),
        "counts": dict(tot),
        "planted_detected": tot["detected"] / max(tot["planted"], 1),
        "false_alarms": tot["false_alarms"],
        "false_alarms_consistent": tot["false_alarms_consistent"],
        "misses": misses,
        "wrong": wrong,
        "alarms": alarms,
        "undetected": undetected,
    }


def main() -> None:
    m = measure()
    c = m["counts"]
    print(
        f"{m['texts']} texts ({m['consistent_texts']} fully consistent), "
        f"{c['claims_expected']} annotated claims, {c['num_expected']} annotated numbers\n"
    )
    print("| measure | value |\n|---|---|")
    table = [
        ("number precision", m["number_precision"], c["num_matched"], c["num_scanned"]),
        ("number recall", m["number_recall"], c["num_matched"], c["num_expected"]),
        ("claim precision", m["claim_precision"], c["claims_matched"], c["claims_scanned"]),
        ("claim recall", m["claim_recall"], c["claims_matched"], c["claims_expected"]),
        ("planted errors flagged", m["planted_detected"], c.get("detected", 0), c["planted"]),
    ]
    for name, value, num, den in table:
        print(f"| {name} | {value:.1%} ({num}/{den}) |")
    print(f"| false alarms in consistent texts | {m['false_alarms_consistent']} |")
    print(f"| false alarms, all texts | {m['false_alarms']} |")
    for key in ("misses", "wrong", "undetected", "alarms"):
        if m[key]:
            print(f"\n{key}:")
            for line in m[key]:
                print("  " + line)


if __name__ == "__main__":
    main()
