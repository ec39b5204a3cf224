"""Finding a verbatim quote in a source text, tolerant of layout but not of wording.

Quotes are compared after folding runs of white space to one space and typographic quotes
and apostrophes to plain ones, so a quote copied from a web page still matches the text file.
The offsets returned point into the original text, for W3C Web Annotation selectors.
"""

from __future__ import annotations

import bisect
import html
import re

from .model import QuoteAnchor

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)

CONTEXT = 32  # characters of prefix and suffix kept with an anchor


def normalize(text: str) -> tuple[str, list[int]]:
    """Fold quotes and white space; give the folded text and, per character, its original index.

    >>> normalize("a \\u201cb\\u201d\\n  c")
    ('a "b" c', [0, 1, 2, 3, 4, 5, 8])
    """
    folded = text.translate(_FOLD)
    out: list[str] = []
    index: list[int] = []
    in_space = False
    for i, ch in enumerate(folded):
        if ch.isspace():
            if not in_space and out:
                out.append(" ")
                index.append(i)
            in_space = True
            continue
        in_space = False
        out.append(ch)
        index.append(i)
    if out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


class NormalizedText:
    """A source text prepared once for many quote look-ups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded, self.index = normalize(text)

    def find(self, quote: str, start: int = 0) -> QuoteAnchor | None:
        """Where ``quote`` stands in the text (its first occurrence from ``start``), or None.

        ``start`` is an offset into the original text: a quote before it is not looked at.

        >>> t = NormalizedText("It would slow   innovation, thwart advancements.")
        >>> a = t.find("slow innovation")
        >>> (a.start, a.end, a.exact)
        (9, 26, 'slow   innovation')
        """
        folded_quote, _ = normalize(quote)
        if not folded_quote:
            return None
        from_folded = bisect.bisect_left(self.index, start)
        at = self.folded.find(folded_quote, from_folded)
        if at < 0:
            return None
        start = self.index[at]
        end = self.index[at + len(folded_quote) - 1] + 1
        return QuoteAnchor(
            exact=self.text[start:end],
            start=start,
            end=end,
            prefix=self.text[max(0, start - CONTEXT) : start],
            suffix=self.text[end : end + CONTEXT],
        )


def find_quote(text: str, quote: str) -> QuoteAnchor | None:
    """Where ``quote`` stands in ``text``, or None when it does not occur there."""
    return NormalizedText(text).find(quote)


_TAG = re.compile(r"<[^>]+>")
_DROP_BLOCKS = re.compile(r"<(script|style)\b[^>]*>.*?</\1>", re.S | re.I)


def html_to_text(markup: str) -> str:
    """The visible text of an HTML page, with tags dropped and entities decoded.

    Enough to check a quote against an official bill page; not a general HTML renderer.

    >>> html_to_text("<p>to ensure&nbsp;that <b>AI</b></p><script>x()</script>")
    'to ensure\\xa0that  AI'
    """
    without_code = _DROP_BLOCKS.sub(" ", markup)
    return html.unescape(_TAG.sub(" ", without_code)).strip()
