#!/usr/bin/env python3
"""The audit report in a real browser: `entitle report examples/` is rendered by
headless Chromium, which takes a screenshot and gives back the page as it parsed it.
On that page every link must reach a place on the page, every rule and every
scenario must appear, every citation must be quoted from its source, and nothing may
be fetched from elsewhere.

Run by .ci/run with ENTITLE_BIN set to the release binary and CHROMIUM to the
browser (Debian's `chromium`). Writes the report and its screenshot to
target/report/ so that a failed run can be looked at.
"""

import json
import os
import struct
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTITLE = os.environ.get("ENTITLE_BIN", str(ROOT / "target/release/entitle"))
CHROMIUM = os.environ.get("CHROMIUM", "chromium")
OUT = ROOT / "target" / "report"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--hide-scrollbars",
]


class Page(HTMLParser):
    """The ids, links, resources, rule sections, scenario rows and quotes of a page."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.fetches = [], [], []
        self.rules, self.scenarios, self.quotes = [], [], 0
        self._row = None
        self._cell = None
        self._cells = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        for key in ("src", "srcset", "data"):
            if key in a:
                self.fetches.append(f"{tag} {key}={a[key]}")
        if tag in ("link", "script", "img", "iframe", "object", "embed"):
            self.fetches.append(tag)
        if tag == "article" and "rule" in a.get("class", ""):
            self.rules.append(a.get("id"))
        if tag == "blockquote":
            self.quotes += 1
        if tag == "tr" and a.get("id", "").startswith("scenario-"):
            self._row, self._cells = a["id"], []
        if tag == "td" and self._row:
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag == "td" and self._row is not None and self._cell is not None:
            self._cells.append(self._cell)
            self._cell = None
        if tag == "tr" and self._row:
            self.scenarios.append(self._cells[1] if len(self._cells) > 1 else "")
            self._row = None


def run(args, **kw):
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=True, **kw).stdout


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "the screenshot is not a PNG"
    return struct.unpack(">II", head[16:24])


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    report = OUT / "report.html"
    run([ENTITLE, "report", "examples/", "--output", str(report)])
    url = report.resolve().as_uri()
    shot = OUT / "report.png"
    subprocess.run(
        [CHROMIUM, *FLAGS, "--window-size=1280,4000", f"--screenshot={shot}", url],
        capture_output=True, check=True, timeout=120,
    )
    width, height = png_size(shot)
    assert (width, height) == (1280, 4000), f"screenshot {width}x{height}"
    assert shot.stat().st_size > 50_000, "the screenshot is nearly empty"
    dom = subprocess.run(
        [CHROMIUM, *FLAGS, "--dump-dom", url], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    page = Page()
    page.feed(dom)

    problems = []
    ids = set(page.ids)
    if len(ids) != len(page.ids):
        problems.append("an id is given twice")
    for href in page.links:
        if not href.startswith("#"):
            problems.append(f"a link out of the page: {href}")
        elif href[1:] not in ids:
            problems.append(f"a broken link: {href}")
    problems += [f"fetches {f}" for f in page.fetches]

    rules = json.loads(run([ENTITLE, "rules", "--format", "json"]))["rules"]
    if len(page.rules) != len(rules):
        problems.append(f"{len(page.rules)} rule sections for {len(rules)} rules")
    text = dom
    for r in rules:
        if f">{r['id']} <small>" not in text:
            problems.append(f"rule {r['id']} is not on the page")
    results = json.loads(run([ENTITLE, "eval", "--format", "json", "examples/"]))["results"]
    names = [r["scenario"] for r in results]
    if page.scenarios != names:
        missing = [n for n in names if n not in page.scenarios]
        problems.append(f"the scenarios listed differ from the {len(names)} evaluated; missing: {missing[:5]}")
    cited = sum(len([c for c in r["cites"].split(",") if c.strip()]) for r in rules)
    if page.quotes != cited:
        problems.append(f"{page.quotes} quoted passages for {cited} citations")
    if "not in the pack's sources" in text:
        problems.append("a citation is not resolved")

    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(
        f"report rendered in Chromium ({width}x{height} screenshot): {len(rules)} rules, "
        f"{len(names)} scenarios, {page.quotes} quoted passages, {len(page.links)} links, none broken"
    )


if __name__ == "__main__":
    main()
