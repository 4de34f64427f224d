"""Command line: ``gvhdstats list``, ``verify``, ``report`` and ``scan``.

Exit status is 0 when the command ran, whatever the verdicts
(``reproduced``, ``inconsistent``, ``not-checkable``, and with ``--simulate``
``plausible`` / ``implausible``); bad input (an unknown record, a malformed
record file, a bad option) prints one line on stderr and exits with status 2,
without a traceback.

``verify`` prints, per record, a summary (rows per verdict, decision errors)
and then only the findings (``--all``: every row), wrapped to the terminal's
width and coloured only on a terminal without ``NO_COLOR``; ``--format
json|csv|markdown`` print every row and column.  ``report --html OUT.html``
writes the self-contained HTML audit report (:mod:`gvhdstats.htmlreport`).
With ``--simulate`` a progress line is shown on a terminal's stderr.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import threading
import time
from collections.abc import Sequence
from typing import Any

from gvhdstats.errors import GvhdstatsError

__all__ = ["Progress", "main"]


class Progress:
    """A progress line on stderr for long work, shown only when stderr is a terminal.

    ``step(label)`` starts item ``i`` of ``total``; a background thread
    refreshes ``[i/total] label  12 s`` every half second, and the line is
    erased on exit, so nothing of it reaches a pipe, a file or a log.
    """

    def __init__(self, total: int, *, enabled: bool = True, stream=None) -> None:
        self.total = total
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(enabled and isatty and isatty())
        self.label = ""
        self.index = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start = time.monotonic()

    def __enter__(self) -> Progress:
        if self.enabled:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def step(self, label: str) -> None:
        self.index += 1
        self.label = label
        self._draw()

    def _draw(self) -> None:
        if not self.enabled:
            return
        secs = time.monotonic() - self._start
        self.stream.write(f"\r\x1b[2K[{self.index}/{self.total}] {self.label}  {secs:.0f} s")
        self.stream.flush()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self._draw()

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.enabled:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


class _OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def _record_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments ``verify`` and ``report`` share: records, ``--simulate``, ``--seed``."""
    parser.add_argument(
        "records",
        nargs="*",
        metavar="ID|PATH",
        help="bundled record ids or record TOML files (default: every bundled record)",
    )
    parser.add_argument(
        "--simulate",
        type=int,
        metavar="N",
        help="also say whether each printed P of a ratio is plausible among N data sets "
        "simulated from the printed incidences and arm sizes (verdicts plausible / "
        "implausible: model-based evidence, never 'reproduced'; slower)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of --simulate (default 0)")


def _parser() -> argparse.ArgumentParser:
    from gvhdstats.render import FORMATS, verdict_names

    p = _OneLineParser(
        prog="gvhdstats",
        description="Re-derive and check the printed numbers of clinical trial records.",
    )
    p.add_argument("--version", action="store_true", help="print the version and exit")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("list", help="list the bundled trial records")
    v = sub.add_parser("verify", help="check every printed number of records")
    _record_arguments(v)
    v.add_argument("--format", choices=FORMATS, default="table", help="output format")
    v.add_argument(
        "--only",
        choices=verdict_names(),
        help="show only rows with this verdict (plausible / implausible: --simulate rows)",
    )
    v.add_argument(
        "--all",
        action="store_true",
        dest="all_rows",
        help="table format: print every row, not only the summary and the findings",
    )
    r = sub.add_parser("report", help="write a self-contained HTML audit report of records")
    _record_arguments(r)
    r.add_argument("--html", required=True, metavar="OUT.html", help="file to write")
    s = sub.add_parser(
        "scan",
        help="find the checkable statements of papers' text (text, Markdown, HTML, PDF, "
        "JSON Lines) and check them",
    )
    s.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help='files, directories, JSON Lines files of {"id", "text"}, or - for stdin',
    )
    s.add_argument("--format", choices=FORMATS, default="table", help="output format")
    s.add_argument(
        "--only",
        choices=("reproduced", "inconsistent", "not-checkable"),
        help="show only rows with this verdict",
    )
    s.add_argument(
        "--toml",
        metavar="OUT",
        help="write the draft record(s): a file for one text, else a directory of <id>.toml",
    )
    s.add_argument(
        "--explain",
        action="store_true",
        help="show each sentence with the spans taken and the claim type of each",
    )
    s.add_argument(
        "--all",
        action="store_true",
        dest="all_rows",
        help="table format: print every row, not only the summary and the findings",
    )
    s.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="scan in N worker processes (default 1: serial; results identical)",
    )
    return p


def _list() -> str:
    from gvhdstats.records import bundled_record_ids, load_record
    from gvhdstats.render import terminal_width

    width = terminal_width()
    lines = []
    for rid in bundled_record_ids():
        rec = load_record(rid)
        head = f"{rec.id:<18} {rec.kind:<12} {len(rec.claims):>3} claims  "
        lines += textwrap.wrap(
            head + rec.title, width=width, subsequent_indent=" " * len(head)
        ) or [head.rstrip()]
    return "\n".join(lines)


def _one_line(message: str) -> str:
    """The message on one line: line breaks (from a quoted value or a parser) are escaped."""
    return message.replace("\r", "\\r").replace("\n", "\\n")


def _verify_with_progress(records: Sequence[str], simulate: int | None, seed: int):
    """``engine.verify_dicts``; with ``--simulate``, one record at a time with a progress line.

    The progress line is drawn on stderr only when that is a terminal.  Returns the rows
    as plain dicts (no pandas: a cold ``gvhdstats verify`` does not import it).
    """
    from gvhdstats.engine import verify_dicts
    from gvhdstats.records import bundled_record_ids, load_record

    items = list(records) or bundled_record_ids()
    if simulate is None:
        return verify_dicts(items)
    loaded = [load_record(item) for item in items]
    files: dict[str, set[str]] = {}
    for rec in loaded:
        files.setdefault(rec.id, set()).add(rec.file)
    if any(len(f) > 1 for f in files.values()):
        verify_dicts(loaded)  # raises the engine's error for two files with one id
    rows: list[dict] = []
    with Progress(len(loaded), enabled=True) as progress:
        for rec in loaded:
            progress.step(rec.id)
            rows += verify_dicts(rec, simulate=simulate, seed=seed)
    return rows


def _scan(args: argparse.Namespace) -> int:
    from pathlib import Path

    from gvhdstats.errors import InvalidArgumentError
    from gvhdstats.scan import iter_documents, scan_many
    from gvhdstats.scan.core import terminal_progress, verify_many

    if args.jobs < 1:
        raise InvalidArgumentError(f"`--jobs` must be at least 1, but got {args.jobs}")
    stdin = sys.stdin.read() if "-" in args.paths else None
    docs = list(iter_documents(args.paths, stdin=stdin))
    ids = [d.id for d in docs]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup and args.toml:
        raise InvalidArgumentError(f"`--toml`: several texts have the id {dup[0]!r}")
    progress = terminal_progress if sys.stderr.isatty() and len(docs) > 1 else None
    if args.jobs > 1 and len(docs) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            results = scan_many(docs, executor=pool, progress=progress)
    else:
        results = scan_many(docs, progress=progress)
    if args.toml:
        out = Path(args.toml)
        if len(results) == 1 and out.suffix == ".toml":
            targets = [(results[0], out)]
        else:
            out.mkdir(parents=True, exist_ok=True)
            targets = [(r, out / f"{r.id}.toml") for r in results]
        for r, path in targets:
            try:
                path.write_text(r.to_toml(), encoding="utf-8")
            except OSError as exc:
                raise InvalidArgumentError(
                    f"`--toml`: cannot write {str(path)!r}: {exc}"
                ) from None
    if args.explain:
        print("\n\n".join(r.explain() for r in results))
        print()
    _print_rows(verify_many(results), args)
    return 0


def _print_rows(frame: Any, args: argparse.Namespace) -> None:
    """Print verdict rows as ``verify`` and ``scan`` do (``--only``, ``--format``, ``--all``).

    ``frame`` is a verdict DataFrame or a list of :func:`gvhdstats.engine.verify_dicts` rows.
    """
    from gvhdstats.engine import VERIFY_COLUMNS
    from gvhdstats.render import render, render_rows, use_color

    options = {
        "all_rows": args.all_rows or bool(args.only),
        "color": args.format == "table" and use_color(sys.stdout),
    }
    if isinstance(frame, list):
        if args.only:
            frame = [r for r in frame if r["verdict"] == args.only]
        print(render_rows(frame, VERIFY_COLUMNS, args.format, **options))
        return
    if args.only:
        frame = frame[frame["verdict"] == args.only].reset_index(drop=True)
    print(render(frame, args.format, **options))


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
            _print_rows(_verify_with_progress(args.records, args.simulate, args.seed), args)
            return 0
        if args.command == "report":
            import pandas as pd

            from gvhdstats.engine import VERIFY_COLUMNS
            from gvhdstats.htmlreport import report

            rows = _verify_with_progress(args.records, args.simulate, args.seed)
            frame = pd.DataFrame(rows, columns=list(VERIFY_COLUMNS))
            report(args.records or None, html=args.html, frame=frame)
            print(f"wrote {args.html}")
            return 0
        if args.command == "scan":
            return _scan(args)
        _parser().print_help()
        return 2
    except (_UsageError, GvhdstatsError) as exc:
        print(f"gvhdstats: error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover - e.g. piping into head
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
