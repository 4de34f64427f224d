"""Sentence splitting: abbreviations, brackets, labels, paragraphs and spans."""

from __future__ import annotations

from gvhdstats.scan.sentences import split_sentences


def test_abbreviations_and_decimals_do_not_split():
    text = "Response was 82.8% vs. 70.7% (P = .04). Infusions were given i.v. twice weekly. Done."
    got = [s.text for s in split_sentences(text)]
    assert got == [
        "Response was 82.8% vs. 70.7% (P = .04).",
        "Infusions were given i.v. twice weekly.",
        "Done.",
    ]


def test_no_split_inside_parentheses():
    text = "The OR was higher (82.8% [82 patients] vs. 70.7% [70]. P = 0.043). Next one."
    assert [s.text for s in split_sentences(text)][-1] == "Next one."
    assert len(split_sentences(text)) == 2


def test_section_labels_and_paragraphs():
    text = "3/RESULTS: Of 203 patients, 198 completed\nthe study.\n\nCONCLUSIONS: Fine."
    sents = split_sentences(text)
    assert [(s.section, s.text) for s in sents] == [
        ("RESULTS", "Of 203 patients, 198 completed\nthe study."),
        ("CONCLUSIONS", "Fine."),
    ]


def test_spans_index_the_text():
    text = "  First one. Second (with 1.5) here.\n\nThird"
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text
