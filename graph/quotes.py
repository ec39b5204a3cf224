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


_WORD = re.compile(r"\S+")


class NormalizedText:
    """A source text prepared once for many quote look-ups.

    Holds the folded text (what :func:`normalize` gives) and, instead of an index per
    character, where each run of non-space characters starts in both texts: a long text is
    prepared many times faster, and an offset maps back with one bisection.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        folded = text.translate(_FOLD)
        words: list[str] = []
        self._at: list[int] = []  # where each word starts in the folded text
        self._orig: list[int] = []  # where it starts in the original
        self._end: list[int] = []  # where it ends in the original
        at = 0
        for m in _WORD.finditer(folded):
            words.append(m.group())
            self._at.append(at)
            self._orig.append(m.start())
            self._end.append(m.end())
            at += len(words[-1]) + 1
        self.folded = " ".join(words)

    def _original(self, at: int) -> int:
        """The original offset of the folded text's character ``at``: a space between two
        words stands for the first white-space character between them."""
        i = bisect.bisect_right(self._at, at) - 1
        inside = at - self._at[i]
        if inside < self._end[i] - self._orig[i]:
            return self._orig[i] + inside
        return self._end[i]

    def find(self, quote: str, start: int = 0) -> QuoteAnchor | None:
        """Where ``quote`` stands in the text (its first occurrence from ``start``), or None.

        ``start`` is an offset into the original text: a quote before it is not looked at.

        >>> t = NormalizedText("It would slow   innovation, thwart advancements.")
        >>> a = t.find("slow innovation")
        >>> (a.start, a.end, a.exact)
        (9, 26, 'slow   innovation')
        """
        folded_quote = " ".join(_WORD.findall(quote.translate(_FOLD)))
        if not folded_quote:
            return None
        at = self.folded.find(folded_quote, self._folded_offset(start))
        if at < 0:
            return None
        start = self._original(at)
        end = self._original(at + len(folded_quote) - 1) + 1
        return QuoteAnchor(
            exact=self.text[start:end],
            start=start,
            end=end,
            prefix=self.text[max(0, start - CONTEXT) : start],
            suffix=self.text[end : end + CONTEXT],
        )

    def _folded_offset(self, start: int) -> int:
        """The first folded offset whose original offset is ``start`` or later."""
        if start <= 0 or not self._at:
            return 0
        i = bisect.bisect_left(self._end, start + 1)  # first word ending after start
        if i == len(self._at):
            return len(self.folded)
        if self._orig[i] >= start:
            # start falls in the white space before word i: its separator, if any, counts
            # when the separator's original offset (the end of word i-1) is at or after start.
            if i > 0 and self._end[i - 1] >= start:
                return self._at[i] - 1
            return self._at[i]
        return self._at[i] + (start - self._orig[i])


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
