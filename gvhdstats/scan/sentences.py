"""Splitting a document into sentences with character spans.

Boundaries: a blank line (paragraph), a section label at the start of a line
(``RESULTS:``, ``3/RESULTS:``, ``Results.`` is not one), a table row, and a
full stop, question or exclamation mark followed by a space and a capital
letter, bracket or digit, unless the word before is an abbreviation (``vs.``,
``et al.``, ``e.g.``, ``Fig.``) or the mark is inside parentheses.  The
section label itself is left out of the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences"]


@dataclass(frozen=True)
class Sentence:
    """A sentence: its index in the document and its span ``text[start:end]``."""

    index: int
    start: int
    end: int
    text: str
    section: str = ""

    def __repr__(self) -> str:
        short = self.text if len(self.text) <= 50 else self.text[:47] + "..."
        return f"Sentence({self.index}, {self.start}-{self.end}, {short!r})"


_ABBREV = {
    "vs", "v", "al", "fig", "figs", "no", "nos", "eg", "e.g", "ie", "i.e", "approx", "dr", "ca",
    "cf", "resp", "eq", "ref", "vol", "mr", "mrs", "ms", "st", "inc", "ltd", "co", "jr", "sr",
    "i.v", "iv", "s.c", "p.o", "b.i.d", "t.i.d", "q.d", "viz", "etc", "incl", "min", "max",
}  # fmt: skip
_END = re.compile(r"[.!?](?=[\"'”’)\]]*\s+[\[(\"“]?[A-Z0-9])")
_PARA = re.compile(r"\n[ \t]*\n|\n(?=[ \t]*\|)|(?<=\|)[ \t]*\n")
_LABEL = re.compile(
    r"(?m)^[ \t]*(?:\d+\s*/\s*)?(?P<label>[A-Z][A-Za-z]+(?:[ -][A-Za-z]+){0,3})\s*:[ \t]+"
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def _label_ok(label: str) -> bool:
    words = label.split()
    return len(words) <= 4 and (label.isupper() or label[0].isupper())


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` with spans into ``text``.

    Examples
    --------
    >>> s = split_sentences("RESULTS: The OR was 82.8% vs. 70.7%. The HR was 0.68.")
    >>> [(x.text, x.section) for x in s]
    [('The OR was 82.8% vs. 70.7%.', 'RESULTS'), ('The HR was 0.68.', 'RESULTS')]
    """
    cuts: dict[int, int] = {}  # boundary position -> where the next sentence may start
    section_at: list[tuple[int, str]] = []
    for m in _PARA.finditer(text):
        cuts[m.start()] = m.end()
    for m in _LABEL.finditer(text):
        if _label_ok(m.group("label")):
            cuts[m.start()] = m.end()
            section_at.append((m.end(), m.group("label")))
    depth = 0
    last = 0
    for i, ch in enumerate(text):
        if ch in "\n" and i + 1 < len(text) and text[i + 1] == "\n":
            depth = 0
        if ch in "([":
            depth += 1
            last = i
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch in ".!?" and (depth == 0 or i - last > 400):
            if not _END.match(text, i):
                continue
            wb = _WORD_BEFORE.search(text, 0, i)
            if ch == "." and wb is not None:
                word = wb.group(1).lower().rstrip(".")
                if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                    continue
            cuts.setdefault(i + 1, i + 1)
    out: list[Sentence] = []
    pos = 0
    sections = sorted(section_at)
    for cut in sorted(cuts):
        if cut < pos:
            continue
        _add(out, text, pos, cut, sections)
        pos = cuts[cut]
    _add(out, text, pos, len(text), sections)
    return out


def _add(out: list[Sentence], text: str, start: int, end: int, sections: list) -> None:
    seg = text[start:end]
    lead = len(seg) - len(seg.lstrip())
    trail = len(seg) - len(seg.rstrip())
    s, e = start + lead, end - trail
    if e <= s:
        return
    section = ""
    for at, label in sections:
        if at <= s:
            section = label
        else:
            break
    out.append(Sentence(len(out), s, e, text[s:e], section))
