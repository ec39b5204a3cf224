"""The side-by-side page of an amendment, read in Debian's headless Chromium with the network
refused: SB 53's amendment of July 8, 2025 as its versions were published, and a crafted bill
whose words are markup. The SB 53 page is saved to test-artifacts/sb53-diff-2025-07-08.png
(and -phone.png) for a person to look at.
"""

from __future__ import annotations

import importlib.util
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

from graph.billformats import read_version
from graph.diff import Version, amendments
from graph.diffview import render_diff_html

from .browser import CHROMIUM, Browser, OpenedPage
from .conftest import ROOT

VERSIONS = Path(__file__).resolve().parents[1].parent / "shared/data/sb53/versions"
JULY_8 = "05-2025-07-08-amended-assembly"
ARTIFACTS = ROOT / "test-artifacts"

# Markup a bill's words might hold, to break out of the text, an attribute, a textarea or a
# script; and an image that would be fetched if it were markup.
ATTACK = (
    "</textarea></td></tr></table><script>window.__pwned = 1</script>"
    '<img src="https://example.invalid/x.png" onerror="window.__pwned = 2">'
    " \"double\" 'single' & &amp; &lt;b&gt; <!-- --> ]]>"
)
# Words enough that a removed part and an added one, each holding the attack, are two parts.
GONE = " ".join(f"gone{i}" for i in range(40))
NEW = " ".join(f"new{i}" for i in range(40))
# Line separator: harmless in HTML, a line break in a JavaScript string.
LS = "\u2028"

if not CHROMIUM.exists() or importlib.util.find_spec("playwright") is None:
    reason = "needs /usr/bin/chromium and playwright: run scripts/setup-tests.sh"
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def sb53_versions() -> list[Version]:
    """SB 53's versions as the legislature published them, each named by its file."""
    out = []
    for path in sorted(VERSIONS.glob("*.xml")):
        v = read_version(path.read_text(encoding="utf-8"), str(path))
        out.append(Version(path.stem, v.label, v.date, tuple((p.cite, p.text) for p in v.walk())))
    return out


@pytest.fixture(scope="module")
def july_8() -> list:
    return amendments("SB 53", sb53_versions(), after=JULY_8)


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    yield b
    b.close()


def open_page(browser: Browser, page: str, path: Path) -> OpenedPage:
    path.write_text(page, encoding="utf-8")
    return browser.open(path)


def rows(opened: OpenedPage) -> list[dict]:
    """Each part's row as a reader finds it: its kind and citation, the words on each side,
    the words marked struck and inserted, and whether it is shown."""
    return opened.page.evaluate(
        """() => [...document.querySelectorAll("tr.part")].map(tr => ({
            kind: tr.querySelector(".kind").textContent,
            cite: tr.querySelector(".cite").textContent,
            before: tr.querySelector("td.before").textContent,
            after: tr.querySelector("td.after").textContent,
            del: [...tr.querySelectorAll("del")].map(e => e.textContent),
            ins: [...tr.querySelectorAll("ins")].map(e => e.textContent),
            shown: tr.getClientRects().length > 0,
        }))"""
    )


def row(found: list[dict], cite: str) -> dict:
    (match,) = [r for r in found if r["cite"] == cite]
    return match


def test_july_8_amendment_side_by_side(browser, july_8, tmp_path):
    (amendment,) = july_8
    n = amendment.counts()
    opened = open_page(browser, render_diff_html(july_8), tmp_path / "sb53.html")
    page = opened.page
    heading = (
        "SB 53: from Amended in Senate, May 23, 2025 (2025-05-23) "
        "to Amended in Assembly, July 8, 2025 (2025-07-08)"
    )
    assert page.text_content("section.amendment h2") == heading
    assert page.text_content("nav.toc a") == heading
    assert page.get_attribute("nav.toc a", "href") == "#amendment-1"
    summary = page.text_content(".summary")
    for kind in ("added", "removed", "changed", "renumbered"):
        assert f"{n[kind]} parts {kind}" in summary
    struck = sum(c.struck for c in amendment.changes)
    inserted = sum(c.inserted for c in amendment.changes)
    assert f"{struck:,} words struck, {inserted:,} inserted" in summary

    found = rows(opened)
    # The Government Code section was renumbered: its subdivision (a) is one part, its words kept.
    moved = row(found, "11547.6.1(a) → 11546.8(a)")
    assert moved["kind"] == "renumbered" and moved["shown"]
    assert moved["before"] == moved["after"] and moved["del"] == moved["ins"] == []
    # The chapter became the Transparency in Frontier Artificial Intelligence Act.
    # The new SEC. 2 adds it (Legislative Counsel marks all of it inserted); the old SEC. 2,
    # the Labor Code's whistleblower chapter, is SEC. 4 now.
    chapter = row(found, "SEC. 2")
    assert chapter["kind"] == "added" and chapter["before"] == ""
    assert "Transparency in Frontier Artificial Intelligence Act" in chapter["after"]
    labor = row(found, "SEC. 2 → SEC. 4")
    assert labor["kind"] == "renumbered" and "Labor Code" in labor["before"]
    assert "Critical" in labor["del"] and "Catastrophic" in labor["ins"]
    risk = row(found, "1107(b) → 22757.11(b)")
    assert "“Critical" in risk["del"] and "“Catastrophic" in risk["ins"]
    assert risk["before"].startswith("(b) “Critical risk” means")
    assert risk["after"].startswith("(b) “Catastrophic risk” means")
    # An added part only on the right, a removed one only on the left.
    added = row(found, "22757.11(c)")
    assert added["kind"] == "added" and added["before"] == ""
    assert added["after"] == "(c) “Critical safety incident” means any of the following:"
    removed = row(found, "1107(b)(2)")
    assert removed["kind"] == "removed" and removed["after"] == ""
    assert removed["before"] == removed["del"][0]

    # The unchanged parts are in the page, hidden until the reader asks for them.
    unchanged = [r for r in found if r["kind"] == "unchanged"]
    assert len(unchanged) == n["unchanged"] > 0
    assert not any(r["shown"] for r in unchanged)
    assert all(r["shown"] for r in found if r["kind"] != "unchanged")
    note = "section.amendment tr.hidden-note"
    assert page.text_content(note) == f"{n['unchanged']} parts unchanged, not shown."
    page.click("label[for=show-unchanged]")
    assert page.is_checked("#show-unchanged")
    assert all(r["shown"] for r in rows(opened))
    assert page.is_hidden(note)
    page.click("label[for=show-unchanged]")
    assert not any(r["shown"] for r in rows(opened) if r["kind"] == "unchanged")

    assert opened.errors == []  # a stylesheet the policy refused would be an error here
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("document.querySelector('tr.renumbered').scrollIntoView()")
    page.screenshot(path=str(ARTIFACTS / "sb53-diff-2025-07-08.png"))
    page.close()


def test_july_8_amendment_fits_a_phone(browser, july_8, tmp_path):
    opened = open_page(browser, render_diff_html(july_8), tmp_path / "sb53.html")
    page = opened.page
    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # Side by side becomes one above the other: the later wording under the earlier.
    (before, after) = page.evaluate(
        """() => { const tr = document.querySelector("tr.renumbered");
                   return ["td.before", "td.after"].map(s => {
                       const b = tr.querySelector(s).getBoundingClientRect();
                       return [b.left, b.top, b.bottom]; }); }"""
    )
    assert after[1] >= before[2] and abs(after[0] - before[0]) < 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("document.querySelector('tr.renumbered').scrollIntoView()")
    page.screenshot(path=str(ARTIFACTS / "sb53-diff-2025-07-08-phone.png"))
    page.close()


def crafted() -> tuple[list, str, dict[str, str]]:
    """A bill whose citations, labels and words are markup: a changed part, an added one, a
    removed one and an unchanged one, each holding the attack."""
    cite = f"SEC. 1<b>{LS}\"'&"
    before = Version(
        "v1",
        f"Introduced {ATTACK}{LS}",
        "2025-01-07",
        (
            (cite, f"SEC. 1. Fees are {ATTACK} small."),
            ("SEC. 2", f"SEC. 2. {ATTACK} {GONE}"),
            ("SEC. 3", f"SEC. 3. {ATTACK} stays."),
        ),
    )
    after = Version(
        "v2",
        f"Amended {ATTACK}",
        "2025-02-27",
        (
            (cite, f"SEC. 1. Fees are {ATTACK} large."),
            ("SEC. 3", f"SEC. 3. {ATTACK} stays."),
            (f"SEC. 4{ATTACK}", f"SEC. 4. {ATTACK} {NEW}"),
        ),
    )
    title = f"{ATTACK}{LS}title"
    found = amendments(f"SB <i>1</i>{LS}", [before, after])
    words = {c: " ".join(t.split()) for c, t in before.parts + after.parts}  # as diff splits
    return found, title, {"cite": cite, **words}


def test_markup_in_a_bill_stays_text_and_runs_nothing(browser, tmp_path):
    found, title, words = crafted()
    html = render_diff_html(found, title=title)
    assert "<script" not in html.lower() and "<img" not in html.lower()
    opened = open_page(browser, html, tmp_path / "hostile.html")
    page = opened.page
    page.check("#show-unchanged")
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('script, img, textarea, i, b').length") == 0
    assert page.evaluate("document.title") == title
    assert page.text_content("h1") == title
    assert page.text_content("section.amendment h2") == (
        f"SB <i>1</i>{LS}: from Introduced {ATTACK}{LS} (2025-01-07) "
        f"to Amended {ATTACK} (2025-02-27)"
    )
    assert page.text_content("thead th:nth-child(2)") == f"Before: Introduced {ATTACK}{LS}"
    shown = rows(opened)
    assert [(r["kind"], r["cite"]) for r in shown] == [
        ("changed", words["cite"]),
        ("removed", "SEC. 2"),
        ("unchanged", "SEC. 3"),
        ("added", f"SEC. 4{ATTACK}"),
    ]
    changed, gone, kept, new = shown
    assert changed["before"] == words[words["cite"]].replace(" large.", " small.")
    assert changed["after"] == words[words["cite"]].replace(" small.", " large.")
    assert (changed["del"], changed["ins"]) == (["small."], ["large."])
    assert gone["before"] == words["SEC. 2"] == gone["del"][0]
    assert kept["before"] == kept["after"] == words["SEC. 3"]
    assert new["after"] == words[f"SEC. 4{ATTACK}"] == new["ins"][0]
    assert all(r["shown"] for r in shown)
    assert page.evaluate("window.__pwned") is None
    assert opened.errors == [] and opened.outside == []
    page.close()


class _Fetches(HTMLParser):
    """Every element and attribute through which a page could ask for something."""

    FETCHING = {"src", "srcset", "href", "action", "formaction", "poster", "data", "background"}

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [v or "" for k, v in attrs if k in self.FETCHING]


def test_the_page_asks_for_nothing(browser, july_8, tmp_path):
    found, title, _ = crafted()
    for name, html in (("sb53", render_diff_html(july_8)), ("hostile", render_diff_html(found))):
        opened = open_page(browser, html, tmp_path / f"{name}.html")
        assert opened.outside == []
        assert all(url.startswith("file://") for url in opened.requests)
        opened.page.close()
        # Read by an independent parser: no link, script, frame or image; links are in-page.
        fetches = _Fetches()
        fetches.feed(html)
        assert {"script", "link", "img", "iframe", "object", "embed"}.isdisjoint(fetches.tags)
        assert all(url.startswith("#") for url in fetches.urls), fetches.urls
        assert "url(" not in html and "@import" not in html
        assert "content=\"default-src 'none';" in html


def test_same_amendments_give_the_same_bytes(july_8):
    again = amendments("SB 53", sb53_versions(), after=JULY_8)
    first = render_diff_html(july_8).encode("utf-8")
    assert render_diff_html(again).encode("utf-8") == first
    assert render_diff_html(july_8).encode("utf-8") == first
