"""Reading a paper's text: plain text, Markdown, HTML, PDF, stdin and JSON Lines.

Every input becomes a :class:`Document` whose ``text`` is what the character
spans of ``gvhdstats scan`` point into: the file itself for plain text and
Markdown, the text content for HTML, the text layer for PDF (no OCR).
:func:`normalize` gives a copy of the same length in which typographic
variants are replaced character for character (no-break and thin spaces,
line breaks, the minus sign, the Lancet's mid-dot decimal point), so that a
span found in the normalised copy is a span of ``text``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from gvhdstats.errors import InvalidArgumentError

__all__ = [
    "FORMATS",
    "Document",
    "blank_tags",
    "iter_documents",
    "normalize",
    "read_html",
    "read_markdown",
    "read_pdf",
]

#: Input formats :func:`iter_documents` recognises (by file suffix, else ``text``).
FORMATS = ("text", "markdown", "html", "pdf", "jsonl")

_SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".jsonl": "jsonl",
}
_SCANNED_SUFFIXES = {".txt", ".text", "", *_SUFFIXES}


@dataclass(frozen=True)
class Document:
    """One text to scan.

    Attributes
    ----------
    id : str
        The record id the scan gives it (file stem, JSON Lines ``id``, or
        ``"text"``).
    text : str
        The text the character spans refer to.
    source : str
        Where it came from (a path, ``"-"`` for stdin, ``path:line`` for JSON Lines).
    format : str
        One of :data:`FORMATS` (``"jsonl"`` documents are ``"text"``).
    """

    id: str
    text: str
    source: str = ""
    format: str = "text"

    def __repr__(self) -> str:
        return (
            f"Document(id={self.id!r}, format={self.format!r}, chars={len(self.text)}, "
            f"source={self.source!r})"
        )


_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u2009\u202f\u200a\u2002\u2003\t\r\n\f\v"), " ")
_SPACES.update({ord("\u2212"): "-", ord("\u2010"): "-", ord("\u2011"): "-"})
_SPACES.update({ord("\u00b7"): "·", ord("\u2219"): "·", ord("\u22c5"): "·"})
_MIDDOT = re.compile(r"(?<=\d)·(?=\d)")


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,10}(?:\s[^<>]{0,200})?/?>")


def blank_tags(text: str) -> str:
    """``text`` with HTML/XML tags (``<sup>``, ``</p>``) replaced by spaces, same length.

    Abstracts pasted from databases often carry such tags inside plain text.
    A ``<`` followed by a space or digit (``P < 0.001``, ``p<0.05``) is not a tag.
    """
    return _TAG.sub(lambda m: " " * len(m.group(0)), text)


def normalize(text: str) -> str:
    """A copy of ``text`` of the same length with typographic variants replaced.

    No-break, thin and other spaces and line breaks become a space; the minus
    sign and non-breaking hyphens become ``-``; a mid-dot between two digits
    (the Lancet's decimal point, ``2·00``) becomes ``.``.  Because every
    replacement is one character for one character, offsets in the result are
    offsets in ``text``.

    Examples
    --------
    >>> normalize("odds ratio 2\u00b700 (1\u00b701\u20133\u00b794)")
    'odds ratio 2.00 (1.01–3.94)'
    >>> len(normalize("82\u00a0(82.8%)\\n")) == len("82\u00a0(82.8%)\\n")
    True
    """
    out = blank_tags(text).translate(_SPACES)
    return _MIDDOT.sub(".", out)


# ---------------------------------------------------------------- Markdown

_MD_MARKS = re.compile(r"(?m)^\s{0,3}#{1,6}(?=\s)|^\s{0,3}>|[*`]|(?<!\w)_|_(?!\w)")


def read_markdown(text: str) -> str:
    """Markdown as text of the same length: emphasis, code and heading marks become spaces.

    Blank lines (paragraph breaks) and table pipes are kept; they end sentences.
    """
    return _MD_MARKS.sub(lambda m: " " * len(m.group(0)), text)


# ---------------------------------------------------------------- HTML

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "blockquote", "caption", "dd", "dt", "title",
}  # fmt: skip
_CELL_TAGS = {"td", "th"}
_SKIP_TAGS = {"script", "style", "head"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag in _CELL_TAGS:
            self.parts.append(" | ")
        elif tag == "sup":
            self.parts.append("^")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def read_html(html: str) -> str:
    """The text content of an HTML document (block elements end paragraphs).

    Examples
    --------
    >>> read_html("<p>Response: <b>82</b> (82.8%)</p><p>Next</p>").split()
    ['Response:', '82', '(82.8%)', 'Next']
    """
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


# ---------------------------------------------------------------- PDF


def read_pdf(path: str | Path) -> str:
    """The text layer of a PDF, in reading order (needs the ``pdf`` extra: pdfminer.six).

    pdfminer.six's layout analysis groups characters into lines and lines into
    text boxes in reading order, so two-column pages come out column by column.
    Table rows are put back together: the lines of boxes whose lines are all
    short (at most 40 characters) are cells, and cells that share a baseline
    are one row, written as
    ``cell | cell | cell`` where the row's first cell comes in reading order.
    Ligatures (``ﬁ``) are unfolded by NFKC normalisation.  There is no OCR: a
    scanned PDF without a text layer gives an empty text.

    Raises
    ------
    InvalidArgumentError
        pdfminer.six is not installed, or the file is not a readable PDF.
    """
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams, LTTextContainer, LTTextLine
    except ImportError:  # pragma: no cover - depends on the environment
        raise InvalidArgumentError(
            f"reading PDF {str(path)!r} needs pdfminer.six: pip install 'gvhdstats[pdf]'"
        ) from None
    pages_text = []
    try:
        for page in extract_pages(str(path), laparams=LAParams()):
            boxes: list[list[tuple[float, float, str]]] = []
            for element in page:
                if isinstance(element, LTTextContainer):
                    lines = [
                        (ln.x0, ln.y0, ln.get_text().rstrip("\n"))
                        for ln in element
                        if isinstance(ln, LTTextLine)
                    ]
                    if lines:
                        boxes.append(lines)
            pages_text.append(_layout_rows(boxes))
    except InvalidArgumentError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated classes
        raise InvalidArgumentError(f"file {str(path)!r} is not a readable PDF: {exc}") from None
    text = "\n\n".join(pages_text)
    return unicodedata.normalize("NFKC", text)


def _layout_rows(boxes: list[list[tuple[float, float, str]]], short: int = 40) -> str:
    """Boxes of lines in reading order -> text, with table rows rebuilt (see read_pdf)."""
    # a cell is a line of a box whose lines are all short (a table column or a lone cell)
    cells = [
        (x, y, t)
        for box in boxes
        if all(len(t.strip()) <= short for _, _, t in box)
        for x, y, t in box
        if t.strip()
    ]
    rows: dict[int, list[tuple[float, str]]] = {}
    key_of: dict[tuple[float, float, str], int] = {}
    for x, y, t in cells:
        same = [c for c in cells if abs(c[1] - y) <= 2.0 and c != (x, y, t)]
        if same:
            k = round(y / 2.0)
            # the row key of the first cell found on this baseline
            for other in same:
                if other in key_of:
                    k = key_of[other]
                    break
            key_of[(x, y, t)] = k
            rows.setdefault(k, []).append((x, t.strip()))
    out: list[str] = []
    done: set[int] = set()
    for box in boxes:
        para: list[str] = []
        for x, y, t in box:
            key = key_of.get((x, y, t))
            if key is None:
                para.append(t)
                continue
            k = key
            if k in done:
                continue
            done.add(k)
            if para:
                out.append("\n".join(para))
                para = []
            out.append(" | ".join(c for _, c in sorted(rows[k])))
        if para:
            out.append("\n".join(para))
    return "\n\n".join(out)


# ---------------------------------------------------------------- dispatch


def _read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return path.read_text(encoding="latin-1")
    except OSError as exc:
        raise InvalidArgumentError(f"file {str(path)!r} cannot be read: {exc}") from None


def _jsonl(text: str, source: str) -> Iterator[Document]:
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidArgumentError(
                f"file {source!r} line {i}: not a JSON object: {exc.msg}"
            ) from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise InvalidArgumentError(
                f'file {source!r} line {i}: each line must be {{"id": ..., "text": "..."}}'
            )
        rid = obj.get("id", f"line{i}")
        if not isinstance(rid, str | int) or isinstance(rid, bool):
            raise InvalidArgumentError(
                f"file {source!r} line {i}: `id` must be a string or integer, got {rid!r}"
            )
        yield Document(str(rid), obj["text"], f"{source}:{i}", "text")


def _from_text(text: str, fmt: str, rid: str, source: str) -> Iterator[Document]:
    if fmt == "jsonl":
        yield from _jsonl(text, source)
    elif fmt == "html":
        yield Document(rid, read_html(text), source, "html")
    elif fmt == "markdown":
        yield Document(rid, read_markdown(text), source, "markdown")
    else:
        yield Document(rid, text, source, "text")


def _stdin_format(text: str) -> str:
    head = text.lstrip()[:200].lower()
    if head.startswith("{") and '"text"' in head:
        return "jsonl"
    if head.startswith(("<!doctype html", "<html", "<p", "<div", "<body")):
        return "html"
    return "text"


def iter_documents(
    paths: str | Path | list[str | Path], *, stdin: str | None = None
) -> Iterator[Document]:
    """The documents of files, directories (their ``.txt``, ``.md``, ``.html``, ``.pdf``
    and ``.jsonl`` files, sorted), ``"-"`` (the text ``stdin``) and JSON Lines files.

    Raises
    ------
    InvalidArgumentError
        A path does not exist, a file cannot be read, or a JSON Lines line is
        not ``{"id": ..., "text": ...}``.
    """
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    for item in items:
        if str(item) == "-":
            text = stdin if stdin is not None else ""
            yield from _from_text(text, _stdin_format(text), "stdin", "-")
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in _SCANNED_SUFFIXES
                and not p.name.startswith(".")
            )
            for p in files:
                yield from _from_path(p)
        elif path.is_file():
            yield from _from_path(path)
        else:
            raise InvalidArgumentError(f"`paths`: no file or directory {str(item)!r}")


def _from_path(path: Path) -> Iterator[Document]:
    fmt = _SUFFIXES.get(path.suffix.lower(), "text")
    if fmt == "pdf":
        yield Document(path.stem, read_pdf(path), str(path), "pdf")
        return
    yield from _from_text(_read_file(path), fmt, path.stem, str(path))
