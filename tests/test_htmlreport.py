"""Tests of gvhdstats.htmlreport: structure, highlighting, no external resource, a real browser.

The browser test renders the bundled records' report with headless Chromium
(Debian's ``chromium``; ``.ci/run`` installs it), takes a screenshot, reads the
DOM and the network log, and checks that every claim card and figure is there
and that the page requested nothing from a network.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import gvhdstats
from gvhdstats.records import bundled_record_ids, load_record
from tests.conftest import missing_reference

FIGURE_TYPES = {"two-arm-binary", "ratio", "incidence", "meta-analysis"}


class _Dom(HTMLParser):
    """Collects cards, figures and every attribute that could load something."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[tuple[str, str]] = []  # (record, claim)
        self.figures: list[str] = []
        self.svgs_in_figures = 0
        self.loading: list[str] = []
        self.scripts = 0
        self.marks: list[tuple[str, str]] = []  # (class, text)
        self._record = ""
        self._in_figure = False
        self._mark: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article" and "data-record" in a:
            self._record = a["data-record"]
        if tag == "section" and "data-claim" in a:
            self.cards.append((self._record, a["data-claim"]))
        if tag == "figure":
            self.figures.append(a.get("data-claim", ""))
            self._in_figure = True
        if tag == "svg" and self._in_figure:
            self.svgs_in_figures += 1
        if tag == "script":
            self.scripts += 1
        if tag == "mark":
            self._mark = a.get("class", "")
        for k in ("src", "href", "srcset", "data", "poster", "action", "xlink:href"):
            # a link to a place in the same page loads nothing
            if k in a and not (k == "href" and str(a[k]).startswith("#")):
                self.loading.append(f"{tag} {k}={a[k]}")

    def handle_endtag(self, tag):
        if tag == "figure":
            self._in_figure = False

    def handle_data(self, data):
        if self._mark is not None:
            self.marks.append((self._mark, data))
            self._mark = None


def _dom(text: str) -> _Dom:
    d = _Dom()
    d.feed(text)
    return d


def _expected_cards():
    out = []
    for rid in bundled_record_ids():
        rec = load_record(rid)
        out += [(rid, c.id, c.type) for c in rec.claims]
    return out


def _check_structure(d: _Dom) -> None:
    expected = _expected_cards()
    assert d.cards == [(rid, cid) for rid, cid, _ in expected]
    need_figure = {cid for _, cid, t in expected if t in FIGURE_TYPES}
    assert need_figure
    assert need_figure <= set(d.figures)
    assert d.svgs_in_figures == len(d.figures)
    assert d.scripts == 0
    assert d.loading == []


@pytest.fixture(scope="module")
def page() -> str:
    return gvhdstats.report()


def test_every_claim_has_a_card_and_every_checked_claim_a_figure(page):
    _check_structure(_dom(page))


def test_nothing_in_the_file_can_load_a_resource(page):
    css = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert "url(" not in css
    assert "@import" not in css
    assert not re.search(r"\s(src|srcset)\s*=", page)
    # the only links are to cards of the same page
    hrefs = re.findall(r"\shref=\"([^\"]*)\"", page)
    assert hrefs
    assert all(h.startswith("#") for h in hrefs)
    ids = set(re.findall(r"\sid=\"([^\"]*)\"", page))
    assert {h[1:] for h in hrefs} <= ids
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()


def test_printed_numbers_are_marked_by_their_verdict(page):
    marks = _dom(page).marks
    # zhao2022 or-day28: "P = 0.043" is reproduced; relapse-hr: "P = 0.610" is not
    assert ("v-reproduced", "0.043") in marks
    assert ("v-inconsistent", "0.610") in marks


def test_report_writes_the_file_it_returns(tmp_path):
    out = tmp_path / "r.html"
    text = gvhdstats.report(["zhao2025"], html=out)
    assert out.read_text(encoding="utf-8") == text
    assert [c for r, c in _dom(text).cards] == [c.id for c in load_record("zhao2025").claims]


def test_citation_and_design_are_shown(page):
    rec = load_record("zhao2022")
    assert rec.source["doi"] in page
    assert "Design" in page
    assert "open-label" in page


# ----------------------------------------------------------------------------- browser

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    "--no-first-run",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # no network: every host resolves to nothing and the proxy is a closed local port
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        missing_reference("chromium (Debian package chromium) is not installed")
    return str(exe)


def _run(exe: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [exe, *CHROMIUM_FLAGS, *args],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=cwd,
        check=False,
    )


def _page_requests(netlog: Path) -> list[str]:
    """URLs the page itself asked for (file:// isolation key), not Chromium's own traffic."""
    d = json.loads(netlog.read_text(encoding="utf-8"))
    types = {v: k for k, v in d["constants"]["logEventTypes"].items()}
    urls = []
    for e in d["events"]:
        p = e.get("params") or {}
        if types.get(e["type"]) != "URL_REQUEST_START_JOB" or "url" not in p:
            continue
        if str(p.get("network_isolation_key", "")).startswith("file://") and not p[
            "url"
        ].startswith(("file:", "data:")):
            urls.append(p["url"])
    return urls


@pytest.mark.browser
def test_report_in_headless_chromium(tmp_path):
    exe = _chromium()
    report = tmp_path / "report.html"
    gvhdstats.report(html=report)
    # control: the same network log catches a page that does load something
    probe = tmp_path / "probe.html"
    probe.write_text('<!DOCTYPE html><img src="http://resource.invalid/x.png"><p>x</p>')
    _run(
        exe, f"--log-net-log={tmp_path / 'probe.json'}", "--dump-dom", probe.as_uri(), cwd=tmp_path
    )
    assert _page_requests(tmp_path / "probe.json") == ["http://resource.invalid/x.png"]

    shot = tmp_path / "report.png"
    proc = _run(
        exe,
        f"--log-net-log={tmp_path / 'net.json'}",
        "--window-size=1000,2400",
        f"--screenshot={shot}",
        report.as_uri(),
        cwd=tmp_path,
    )
    assert shot.exists(), proc.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1000, 2400)
    assert len(png) > 50_000  # a drawn page, not a blank one
    assert _page_requests(tmp_path / "net.json") == []

    dom = _run(exe, "--dump-dom", report.as_uri(), cwd=tmp_path)
    assert dom.returncode == 0, dom.stderr[-2000:]
    _check_structure(_dom(dom.stdout))
