"""Command line: ``gvhdstats list`` and ``gvhdstats verify``.

Exit status is 0 when the verification ran, whatever the verdicts
(``reproduced``, ``inconsistent``, ``not-checkable``, and with ``--simulate``
``plausible`` / ``implausible``); bad input (an unknown record, a malformed
record file, a bad option) prints one line on stderr and exits with status 2,
without a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from gvhdstats.errors import GvhdstatsError

__all__ = ["main"]


class _OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    from gvhdstats.checks.verdicts import VERDICTS
    from gvhdstats.render import FORMATS

    p = _OneLineParser(
        prog="gvhdstats",
        description="Re-derive and check the printed numbers of clinical trial records.",
    )
    p.add_argument("--version", action="store_true", help="print the version and exit")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("list", help="list the bundled trial records")
    v = sub.add_parser("verify", help="check every printed number of records")
    v.add_argument(
        "records",
        nargs="*",
        metavar="ID|PATH",
        help="bundled record ids or record TOML files (default: every bundled record)",
    )
    v.add_argument("--format", choices=FORMATS, default="table", help="output format")
    v.add_argument(
        "--only",
        choices=VERDICTS,
        help="show only rows with this verdict (plausible / implausible: --simulate rows)",
    )
    v.add_argument(
        "--simulate",
        type=int,
        metavar="N",
        help="also say whether each printed P of a ratio is plausible among N data sets "
        "simulated from the printed incidences and arm sizes (verdicts plausible / "
        "implausible: model-based evidence, never 'reproduced'; slower)",
    )
    v.add_argument("--seed", type=int, default=0, help="seed of --simulate (default 0)")
    return p


def _list() -> str:
    from gvhdstats.records import bundled_record_ids, load_record

    lines = []
    for rid in bundled_record_ids():
        rec = load_record(rid)
        title = rec.title if len(rec.title) <= 70 else rec.title[:67] + "..."
        lines.append(f"{rec.id:<18} {rec.kind:<12} {len(rec.claims):>3} claims  {title}")
    return "\n".join(lines)


def _one_line(message: str) -> str:
    """The message on one line: line breaks (from a quoted value or a parser) are escaped."""
    return message.replace("\r", "\\r").replace("\n", "\\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gvhdstats`` command."""
    try:
        args = _parser().parse_args(argv)
        if args.version:
            from gvhdstats import __version__

            print(__version__)
            return 0
        if args.command == "list":
            print(_list())
            return 0
        if args.command == "verify":
            from gvhdstats.engine import verify
            from gvhdstats.render import render

            frame = verify(args.records or None, simulate=args.simulate, seed=args.seed)
            if args.only:
                frame = frame[frame["verdict"] == args.only].reset_index(drop=True)
            print(render(frame, args.format))
            return 0
        _parser().print_help()
        return 2
    except (_UsageError, GvhdstatsError) as exc:
        print(f"gvhdstats: error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover - e.g. piping into head
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
