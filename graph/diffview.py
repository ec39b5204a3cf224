"""What changed between versions of a bill, as a page a reader opens from a file.

:func:`render_diff_html` writes the amendments :func:`graph.diff.amendments` finds as one
self-contained HTML page: for each amendment a header with its counts, then each part that
changed as a row of a side-by-side table, the earlier wording with its struck words on the
left and the later wording with its inserted words on the right. It is the page ``diff
--out-file`` writes, the terminal's ``word_diff_text`` for a reader who would rather read.

The page needs nothing but itself: its one stylesheet is inline and allowed by hash in a
Content-Security-Policy that lets nothing be fetched and no script run (the page has none:
the "show unchanged parts" box works by CSS alone). A bill's words are untrusted input, so
every piece of text from it is HTML-escaped where it is written; nothing from the bill lands
in an attribute, a URL or a script.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Sequence

from .diff import Amendment, PartChange, Version, visible

__all__ = ["render_diff_html"]

# The kinds of change an amendment's header counts, in the order it names them.
_COUNTED = ("added", "removed", "changed", "renumbered", "unchanged")

_CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --accent: #0b5cad;
        --del-bg: #ffebe9; --del-ink: #82071e; --ins-bg: #dafbe1; --ins-ink: #0f5323;
        color-scheme: light dark; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #e6edf3; --muted: #9198a1; --line: #3d444d; --soft: #151b23; --accent: #4493f8;
          --del-bg: #4c1d1f; --del-ink: #ffc1bc; --ins-bg: #12361f; --ins-ink: #aff5b4; }
  body { background: #0d1117; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 84rem; padding: 1rem 1.25rem 4rem; color: var(--ink);
       font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
       -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; line-height: 1.3; margin: 0 0 .5rem; }
a { color: var(--accent); }
.legend, .summary, .note { color: var(--muted); }
.toc { background: var(--soft); border: 1px solid var(--line); border-radius: 6px;
       padding: .5rem 1rem; margin: 0 0 1rem; }
.toc h2 { font-size: 1rem; margin: .25rem 0; }
.toc ol { margin: .25rem 0; padding-left: 1.5rem; }
.toc li { margin: .15rem 0; }
.toc .n { color: var(--muted); font-size: .9em; }
.toggle { font-weight: 600; cursor: pointer; }
main { margin-top: 1rem; }
#show-unchanged { width: 1.1rem; height: 1.1rem; margin: 0 .4rem 0 0; vertical-align: -.2rem; }
.amendment { margin: 2rem 0 0; }
.summary { margin: 0 0 .75rem; }
.summary .count { white-space: nowrap; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
col.part { width: 13rem; }
thead th { position: sticky; top: 0; background: var(--soft); text-align: left;
           font-weight: 600; font-size: .9rem; padding: .4rem .75rem;
           border-bottom: 2px solid var(--line); }
tbody th, tbody td { vertical-align: top; padding: .5rem .75rem; border-top: 1px solid var(--line);
                     overflow-wrap: anywhere; }
tbody th { text-align: left; font-weight: normal; font-size: .9rem; }
.cite { display: block; font-weight: 600; font-variant-numeric: tabular-nums; }
.kind { display: inline-block; font-size: .75rem; text-transform: uppercase; letter-spacing: .04em;
        border-radius: 3px; padding: 0 .35rem; margin-bottom: .15rem; background: var(--soft);
        border: 1px solid var(--line); color: var(--muted); }
tr.added .kind { color: var(--ins-ink); background: var(--ins-bg); border-color: transparent; }
tr.removed .kind { color: var(--del-ink); background: var(--del-bg); border-color: transparent; }
.words { display: block; color: var(--muted); font-size: .8rem; }
td.none { background: var(--soft); }
del { background: var(--del-bg); color: var(--del-ink); text-decoration: line-through;
      text-decoration-thickness: 1px; border-radius: 2px; }
ins { background: var(--ins-bg); color: var(--ins-ink); text-decoration: underline;
      text-decoration-thickness: 1px; text-underline-offset: 2px; border-radius: 2px; }
tr.added ins, tr.removed del { text-decoration: none; }
del::before, del::after, ins::before, ins::after {
      clip-path: inset(100%); clip: rect(1px, 1px, 1px, 1px); height: 1px; width: 1px;
      overflow: hidden; position: absolute; white-space: nowrap; }
del::before { content: " [struck: "; } ins::before { content: " [inserted: "; }
del::after, ins::after { content: "] "; }
tr.unchanged { display: none; color: var(--muted); }
#show-unchanged:checked ~ main tr.unchanged { display: table-row; }
#show-unchanged:checked ~ main tr.hidden-note { display: none; }
tr.hidden-note td { color: var(--muted); font-style: italic; text-align: center; }
@media (max-width: 700px) {
  body { padding: .75rem .75rem 3rem; font-size: 15px; }
  h1 { font-size: 1.3rem; }
  table, tbody, tr, th, td { display: block; width: auto; }
  thead { display: none; }
  tbody tr { border-top: 1px solid var(--line); padding: .5rem 0; }
  tbody th, tbody td { border: 0; padding: .2rem 0; }
  td.none { display: none; }
  td.before::before, td.after::before { display: block; color: var(--muted); font-size: .75rem;
      text-transform: uppercase; letter-spacing: .04em; }
  td.before::before { content: "Before"; } td.after::before { content: "After"; }
  #show-unchanged:checked ~ main tr.unchanged { display: block; }
}
@media print {
  thead th { position: static; }
  .toggle, #show-unchanged { display: none; }
}
""".lstrip()


def _e(text: object) -> str:
    """``text`` as HTML: the five characters that could open markup or close a quoted
    attribute are escaped, so a bill's ``<script>`` or ``"`` stays words on the page, and
    the characters that would turn the words after them around (U+202E) are shown by name
    (:func:`graph.diff.visible`), so an inserted word reads as what it is.

    >>> _e('</textarea><b onclick="x">&\\'')
    '&lt;/textarea&gt;&lt;b onclick=&quot;x&quot;&gt;&amp;&#x27;'
    >>> _e("$5\u202e00")
    '$5[U+202E]00'
    """
    return html.escape(visible(str(text)), quote=True)


def _csp_hash(source: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline stylesheet."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _when(version: Version) -> str:
    """A version as a reader names it: ``Amended in Assembly, July 8, 2025 (2025-07-08)``."""
    return f"{version.label} ({version.date})" if version.date else version.label


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _side(change: PartChange, keep: str) -> str:
    """One side of a part's row: the words the version has, the changed ones marked
    (``keep`` is ``-`` for the earlier wording, ``+`` for the later)."""
    tag = "del" if keep == "-" else "ins"
    pieces = []
    for op, words in change.diff.ops:
        if op == "=":
            pieces.append(_e(words))
        elif op == keep:
            pieces.append(f"<{tag}>{_e(words)}</{tag}>")
    return " ".join(pieces)


def _row(change: PartChange) -> str:
    """A part's row: its kind and citation(s), then its earlier and its later wording."""
    if change.kind == "renumbered":
        cite = f"{_e(change.before)} → {_e(change.after)}"
    else:
        cite = _e(change.after if change.after is not None else change.before)
    counts = []
    if change.struck:
        counts.append(f"{change.struck:,} struck")
    if change.inserted:
        counts.append(f"{change.inserted:,} inserted")
    words = f'<span class="words">{", ".join(counts)}</span>' if counts else ""
    if change.before is None:
        before = '<td class="before none"></td>'
    else:
        before = f'<td class="before">{_side(change, "-")}</td>'
    if change.after is None:
        after = '<td class="after none"></td>'
    else:
        after = f'<td class="after">{_side(change, "+")}</td>'
    kind = _e(change.kind)
    return (
        f'<tr class="part {kind}"><th scope="row"><span class="kind">{kind}</span>'
        f'<span class="cite">{cite}</span>{words}</th>{before}{after}</tr>'
    )


def _summary(amendment: Amendment) -> str:
    """The amendment's counts: parts added, removed, changed and renumbered; words struck and
    inserted."""
    n = amendment.counts()
    parts = [f'<span class="count">{_plural(n[k], "part", "parts")} {k}</span>' for k in _COUNTED]
    struck = sum(c.struck for c in amendment.changes)
    inserted = sum(c.inserted for c in amendment.changes)
    words = (
        f'<span class="count">{_plural(struck, "word", "words")} struck</span>, '
        f'<span class="count">{inserted:,} inserted</span>'
    )
    return f'<p class="summary">{", ".join(parts)}; {words}.</p>'


def _section(number: int, amendment: Amendment) -> str:
    a, b = amendment.before, amendment.after
    unchanged = amendment.counts()["unchanged"]
    rows = [_row(c) for c in amendment.changes]
    if unchanged:
        rows.append(
            f'<tr class="hidden-note"><td colspan="3">'
            f"{_plural(unchanged, 'part', 'parts')} unchanged, not shown.</td></tr>"
        )
    if not amendment.changes:
        rows.append('<tr><td colspan="3" class="note">No part to show.</td></tr>')
    return (
        f'<section class="amendment" id="amendment-{number}">\n'
        f"<h2>{_e(amendment.bill)}: from {_e(_when(a))} to {_e(_when(b))}</h2>\n"
        f"{_summary(amendment)}\n"
        f'<table>\n<colgroup><col class="part"><col><col></colgroup>\n'
        f'<thead><tr><th scope="col">Part</th><th scope="col">Before: {_e(a.label)}</th>'
        f'<th scope="col">After: {_e(b.label)}</th></tr></thead>\n'
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</section>"
    )


def _toc(amendments: Sequence[Amendment]) -> str:
    items = []
    for number, a in enumerate(amendments, 1):
        shown = sum(1 for c in a.changes if c.kind != "unchanged")
        items.append(
            f'<li><a href="#amendment-{number}">{_e(a.bill)}: from {_e(_when(a.before))} '
            f'to {_e(_when(a.after))}</a> <span class="n">({shown:,} of '
            f"{_plural(len(a.changes), 'part', 'parts')} differ)</span></li>"
        )
    return (
        '<nav class="toc" aria-label="Amendments"><h2>Amendments</h2>\n<ol>\n'
        + "\n".join(items)
        + "\n</ol>\n</nav>"
    )


def _title(amendments: Sequence[Amendment]) -> str:
    bills = list(dict.fromkeys(a.bill for a in amendments))
    if len(amendments) == 1:
        a = amendments[0]
        return f"{a.bill}: from {a.before.label} to {a.after.label}"
    if len(bills) == 1:
        return f"{bills[0]}: what each amendment changed"
    return "What each amendment changed"


def render_diff_html(amendments: list[Amendment], *, title: str | None = None) -> str:
    """A self-contained HTML page of ``amendments``, side by side, part by part: the page a
    reader opens from a file to see what each amendment struck and inserted.

    The parts that did not change are in the page but hidden until the reader ticks "Show
    unchanged parts". The page fetches nothing and runs no script; the same amendments give
    the same bytes.

    >>> from graph.diff import Version, amendments
    >>> v1 = Version("v1", "Introduced", "2025-01-07", (("SEC. 1", "SEC. 1. Fees < $5."),))
    >>> v2 = Version("v2", "Amended", "2025-02-27", (("SEC. 1", "SEC. 1. Fees < $9."),))
    >>> page = render_diff_html(amendments("SB 53", [v1, v2]))
    >>> "<del>$5.</del>" in page and "<ins>$9.</ins>" in page and "Fees &lt;" in page
    True
    """
    heading = title if title is not None else _title(amendments)
    style = _CSS
    body = [
        f"<h1>{_e(heading)}</h1>",
        '<p class="legend">Words struck are marked <del>like this</del>, words inserted '
        "<ins>like this</ins>. A part renumbered between versions is shown as one part, its old "
        "and new citations beside it.</p>",
    ]
    if amendments:
        body.append(_toc(amendments))
    body.append(
        '<input type="checkbox" id="show-unchanged">'
        '<label class="toggle" for="show-unchanged">Show unchanged parts</label>'
    )
    sections = [_section(n, a) for n, a in enumerate(amendments, 1)]
    if not sections:
        sections.append('<p class="note">No amendments to show.</p>')
    body.append("<main>\n" + "\n".join(sections) + "\n</main>")
    csp = (
        f"default-src 'none'; style-src {_csp_hash(style)}; script-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    # data-ready: the page is whole once parsed (no script draws it); tests/browser.py waits
    # for the mark as it does for the map.
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="generator" content="bill-argument-graph">\n'
        f"<title>{_e(heading)}</title>\n"
        f"<style>{style}</style>\n"
        '</head>\n<body data-ready="true">\n' + "\n".join(body) + "\n</body>\n</html>\n"
    )
