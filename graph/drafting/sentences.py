"""Sentences of a document's text, each with its character offsets: what claims are cut from.

syntok finds the sentence boundaries (rules, in pure Python, fast enough for a folder of a
thousand letters); around it, rules of our own for what letters and analyses hold that a
general splitter does not know: a heading or a list item on a line of its own is a block,
not the start of the next sentence, and a citation's abbreviation ("Sec. 2(d)", "Bus. &
Prof. Code § 22757.12") does not end a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from syntok import segmenter


@dataclass(frozen=True)
class Sentence:
    """A sentence (or a heading, or a list item) of the text: ``text[start:end]``."""

    start: int
    end: int
    #: The paragraph it stands in, counted from 0 in the body of the text.
    paragraph: int
    #: A line of its own without a sentence's end: a heading, a name, a date.
    heading: bool = False


#: An abbreviation a legal citation goes on after: a sentence split after it is mended.
_GOES_ON = re.compile(
    r"(?:\b(?:Sec|Secs|Sect|Subd|Subds|Para|Par|Art|Ch|Chap|No|Nos|Stat|Code|Bus|Prof|Gov|"
    r"Lab|Civ|Proc|Pen|Ins|Health|Saf|Fin|Elec|Evid|Fam|Veh|Rev|Tax|Pub|Res|Util|Welf|Inst|"
    r"Cal|U\.S|e\.g|i\.e|cf|v|vs|al|approx|Dept|Assoc|Inc|Corp|Co|Ltd|Mr|Ms|Mrs|Dr|Sen|"
    r"Assemblymember|Rep|Gov|Hon|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.|§)\s*$",
    re.IGNORECASE,
)
#: What a sentence after such an abbreviation begins with when it goes on the citation.
_CITATION_GOES_ON = re.compile(r"^\s*(?:\(?\d|\([a-zA-Z0-9]{1,4}\)|&|§)")
#: A list item's marker at a line's start: "- ", "• ", "1) ", "(a) ", "3. ".
#: A sentence that is nothing but a citation: "Sec. 2(d).", "(Lab. Code § 1102.5.)".
_CITATION_ALONE = re.compile(
    r"^\(?(?:Sec(?:tion)?s?\.?|SEC\.|§§?|[A-Z][a-z]*\.(?: & [A-Z][a-z]*\.)? Code,? §§?)\s*"
    r"[\d(][\w().,\s-]{0,40}\)?\.?\)?$"
)
_ITEM = re.compile(r"^[ \t]*(?:[-*•▪◦‣⁃–—]+|\(?\d{1,3}[.)]|\([a-zA-Z]{1,4}\)|[A-Za-z][.)])[ \t]+")
#: Lines that stand alone whatever they end with: a greeting, a subject line, a closing.
_ALONE = re.compile(
    r"^\W*(?:Dear\b.{0,120}[,:]$|(?:Re|Subject|To|From|Date|Attn|CC)\s*:|"
    r"(?:Sincerely|Respectfully(?: submitted)?|Regards|Best regards|Yours truly)\b.{0,3}$)",
    re.IGNORECASE,
)
_END = re.compile(r"[.!?:;…][\"'”’)\]*]*\s*$")


def split_sentences(text: str, start: int = 0) -> list[Sentence]:
    """The sentences of ``text`` from offset ``start`` on, in order, none crossing a
    paragraph (a blank line, or a line of its own in text that is not wrapped) or a block
    of its own (a heading, a list item).

    >>> t = "Dear Senator,\\nThe bill fails. It cites Sec. 2(d). Fine.\\n\\n- Costs rise.\\n"
    >>> [t[s.start:s.end] for s in split_sentences(t)]
    ['Dear Senator,', 'The bill fails.', 'It cites Sec. 2(d).', 'Fine.', '- Costs rise.']
    """
    found: list[Sentence] = []
    paragraph = -1
    for p_start, p_end in _paragraphs(text, start):
        for b_start, b_end, heading, new in _blocks(text, p_start, p_end):
            paragraph += new
            if heading:
                found.append(Sentence(b_start, b_end, max(paragraph, 0), heading=True))
                continue
            paragraph = max(paragraph, 0)
            found.extend(Sentence(s, e, paragraph) for s, e in _in_block(text, b_start, b_end))
    return found


def _paragraphs(text: str, start: int) -> list[tuple[int, int]]:
    spans = []
    at = start
    for m in re.finditer(r"\n[ \t]*\n\s*", text[start:]):
        end = start + m.start()
        if text[at:end].strip():
            spans.append((at, end))
        at = start + m.end()
    if text[at:].strip():
        spans.append((at, len(text.rstrip())))
    return spans


#: Lines no wider than this, mostly, are text wrapped by hand or by a PDF's layout.
_WRAPPED_WIDTH = 130


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int, bool, bool]]:
    """The blocks of one paragraph (start, end, whether a heading, whether it begins a new
    paragraph): runs of wrapped lines that make one flow of sentences; lines that stand
    alone (a heading, a name); list items, each a block. In text that is not wrapped, each
    line is a paragraph of its own."""
    lines = []
    at = start
    for line in text[start:end].split("\n"):
        stripped = line.strip()
        if stripped:
            s = at + len(line) - len(line.lstrip())
            lines.append((s, s + len(stripped)))
        at += len(line) + 1
    widths = sorted(e - s for s, e in lines)
    wide = widths[len(widths) * 3 // 4] if widths else 0
    wrapped = len(lines) > 1 and wide <= _WRAPPED_WIDTH
    blocks: list[list] = []  # [start, end, heading, new paragraph]
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        next_line = text[lines[i + 1][0] : lines[i + 1][1]] if i + 1 < len(lines) else ""
        ends = bool(_END.search(line))
        short = (e - s) < 0.6 * wide or (e - s) < 60 or len(lines) == 1
        heading = (
            not ends and short and not next_line[:1].islower() and not _ITEM.match(line)
        ) or bool(_ALONE.match(line))
        previous = blocks[-1] if blocks else None
        goes_on = (
            previous is not None
            and not previous[2]
            and not _ITEM.match(line)
            and not heading
            and (
                not _END.search(text[previous[0] : previous[1]])
                or wrapped
                and (previous[1] - (text.rfind("\n", previous[0], previous[1]) + 1 or previous[0]))
                >= 0.8 * wide
            )
        )
        if goes_on and previous is not None:
            previous[1] = e
        else:
            blocks.append([s, e, heading, not blocks or not wrapped])
    return [(s, e, h, new) for s, e, h, new in blocks]


_LABEL_ENDS = re.compile(r"\([a-zA-Z0-9]{1,4}\)\.(\s+)(?=[A-Z“\"‘(])")


def _after_labels(text: str, start: int, end: int) -> list[tuple[int, int]]:
    parts = []
    for m in _LABEL_ENDS.finditer(text, start, end):
        parts.append((start, m.start(1)))
        start = m.end(1)
    parts.append((start, end))
    return parts


def _in_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of one block (syntok's, mended where a citation was cut)."""
    chunk = text[start:end]
    spans: list[tuple[int, int]] = []
    for paragraph in segmenter.analyze(chunk):
        for sentence in paragraph:
            tokens = [t for t in sentence if t.value]
            if not tokens:
                continue
            s = start + tokens[0].offset
            e = start + tokens[-1].offset + len(tokens[-1].value)
            if spans and (
                _GOES_ON.search(text[spans[-1][0] : spans[-1][1]])
                and _CITATION_GOES_ON.match(text[s:e])
            ):
                spans[-1] = (spans[-1][0], e)
            else:
                spans.append((s, e))
    # syntok does not end a sentence after a subdivision's label: "... Sec. 2(d). The".
    spans = [part for span in spans for part in _after_labels(text, *span)]
    # A citation after a quotation ("... companies.” Sec. 2(d).") is the sentence's end.
    mended: list[tuple[int, int]] = []
    for s, e in spans:
        if mended and _CITATION_ALONE.match(text[s:e]):
            mended[-1] = (mended[-1][0], e)
        else:
            mended.append((s, e))
    return mended
