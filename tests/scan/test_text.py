"""Reading inputs: normalisation keeps offsets, HTML/Markdown/JSON Lines/directories."""

from __future__ import annotations

import json

import pytest

from gvhdstats.errors import InvalidArgumentError
from gvhdstats.scan.text import (
    blank_tags,
    iter_documents,
    normalize,
    read_html,
    read_markdown,
)


@pytest.mark.parametrize(
    "raw",
    [
        "odds ratio 2·00 (1·01–3·94); p=0·043",
        "82\u00a0(82.8%)\u2009vs\n70 (70.7%)",
        "HR \u22120.5 <sup>a</sup> P < 0.001",
    ],
)
def test_normalize_keeps_length(raw):
    assert len(normalize(raw)) == len(raw)


def test_normalize_replacements():
    assert normalize("2·00 and 0·5") == "2.00 and 0.5"
    # a mid-dot that is not between digits stays
    assert normalize("a · b") == "a · b"
    assert normalize("\u22120.5\u00a0x\ny") == "-0.5 x y"


def test_blank_tags_leaves_comparisons():
    assert blank_tags("10<sup>6</sup> P < 0.001, p<0.05") == "10     6       P < 0.001, p<0.05"


def test_read_html_blocks_and_entities():
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body>"
        "<p>Response: 82&nbsp;(82.8%)</p><table><tr><td>A</td><td>1</td></tr></table>"
        "</body></html>"
    )
    text = read_html(html)
    assert "p{}" not in text
    assert "Response: 82\u00a0(82.8%)" in text
    assert "A | 1" in text.replace("  ", " ")


def test_read_markdown_same_length():
    md = "## Results\n\n**82 (82.8%)** vs *70 (70.7%)*"
    out = read_markdown(md)
    assert len(out) == len(md)
    assert "82 (82.8%)" in out
    assert "*" not in out
    assert "#" not in out


def test_iter_documents_directory_jsonl_and_stdin(tmp_path):
    (tmp_path / "a.txt").write_text("HR 0.68 (95% CI 0.48-0.95)")
    (tmp_path / "b.md").write_text("**HR** 0.70")
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"id": "x1", "text": "one"}) + "\n\n" + json.dumps({"id": 7, "text": "two"})
    )
    (tmp_path / "ignored.csv").write_text("1,2")
    docs = list(iter_documents([tmp_path, "-"], stdin="from stdin"))
    assert [(d.id, d.format) for d in docs] == [
        ("a", "text"),
        ("b", "markdown"),
        ("x1", "text"),
        ("7", "text"),
        ("stdin", "text"),
    ]
    assert docs[3].source.endswith("c.jsonl:3")


@pytest.mark.parametrize(
    ("line", "match"),
    [
        ("not json", "line 1: not a JSON object"),
        ('{"id": "a"}', "each line must be"),
        ('{"id": true, "text": "x"}', "`id` must be a string or integer"),
    ],
)
def test_bad_jsonl_names_file_and_line(tmp_path, line, match):
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(InvalidArgumentError, match=match):
        list(iter_documents(path))


def test_missing_path():
    with pytest.raises(InvalidArgumentError, match="no file or directory"):
        list(iter_documents(["/no/such/file.txt"]))
