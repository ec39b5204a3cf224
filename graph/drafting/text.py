"""The text of a document to draft from: plain text, HTML or PDF, as the corpus will hold it.

A document handed to ``draft`` is untrusted input: it is read as a regular file of limited
size, never executed or fetched from (an HTML page's scripts, styles, images and links are
ignored; nothing is requested from the network), and anything that is not text we can use
(an empty file, a scanned PDF with no text layer, a binary file) is one
:class:`~graph.errors.InputError` line saying what to do.

The text we keep is what quotes are checked against: for HTML, the page's visible text with
a line break for each block; for a PDF, the text layer of each page (pypdf). Where the text
came from markup, :attr:`DocumentText.origins` maps each run of the text back to its place
in the file, so a quote's offsets can be found in the original as well.
"""

from __future__ import annotations

import bisect
import html
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ..errors import InputError
from ..reading import MAX_FILE_MB, Allowed, Refused, read_corpus_file

#: The most pages of a PDF that are read: a letter has a few, a report a few hundred.
MAX_PDF_PAGES = 2000
#: The most a Word document may unpack to (its parts together), and the most any part may
#: grow from its packed size: a zip bomb is refused before it is unpacked.
MAX_DOCX_UNPACKED = 200 * 1024 * 1024
MAX_DOCX_RATIO = 200


@dataclass
class DocumentText:
    """A document's text as the corpus will hold it, with what its markup told us."""

    text: str
    #: "text", "html" or "pdf": what the file was.
    format: str
    #: The title the file gives itself (HTML <title> or <h1>, a PDF's metadata), if any.
    title: str | None = None
    #: (offset in ``text``, offset in the file's decoded characters) at the start of each
    #: run of text taken from markup; empty for plain text, whose offsets are the file's.
    origins: list[tuple[int, int]] = field(default_factory=list)

    def origin_of(self, offset: int) -> int | None:
        """Where the character at ``offset`` of :attr:`text` stands in the original file
        (HTML: in its decoded characters), or None where the format keeps no such map."""
        if not self.origins:
            return offset if self.format == "text" else None
        i = bisect.bisect_right(self.origins, (offset, float("inf"))) - 1
        if i < 0:
            return None
        at, source = self.origins[i]
        return source + (offset - at)


def read_document(path: str | Path, max_file_mb: float = MAX_FILE_MB) -> DocumentText:
    """The text of the document at ``path`` (plain text, HTML or PDF, told by its bytes).

    Raises :class:`~graph.errors.InputError` with one problem if the file cannot be read or
    holds no text to draft from.
    """
    path = Path(path)
    try:
        # Not a corpus file, but read the same careful way: a regular file, of bounded size,
        # checked as opened (a named pipe or /dev/zero is refused, not read for ever).
        data = read_corpus_file(path, _anywhere(max_file_mb)).data or b""
    except Refused as exc:
        raise InputError.single(path, 0, str(exc)) from None
    except FileNotFoundError:
        raise InputError.single(path, 0, "no such file") from None
    except IsADirectoryError:
        raise InputError.single(path, 0, "is a folder; name a file") from None
    except OSError as exc:
        raise InputError.single(path, 0, f"cannot be read ({exc.strerror or exc})") from None
    return text_of(data, path)


def _anywhere(max_file_mb: float) -> Allowed:
    allowed = Allowed.of(Path.cwd(), max_file_mb=max_file_mb)
    allowed.confined = False
    return allowed


def text_of(data: bytes, name: str | Path = "the document") -> DocumentText:
    """The text of a document's bytes ``data``, its format told by what the bytes begin with
    (``%PDF-``, an HTML tag) and not by its name, which anyone can choose."""
    head = data[:1024].lstrip().lower()
    if data.startswith(b"%PDF-") or data[:1024].find(b"%PDF-") >= 0:
        found = _pdf_text(data, name)
    elif data.startswith(b"PK\x03\x04"):
        found = _docx_text(data, name)
    elif head.startswith((b"<!doctype html", b"<html", b"<?xml")) or _looks_like_html(head):
        found = _html_text(_decode(data, name), name)
    else:
        found = DocumentText(_clean(_decode(data, name)), "text")
    if not found.text.strip():
        raise InputError.single(name, 0, _EMPTY[found.format])
    return found


_EMPTY = {
    "text": "is empty: there is no text to draft from",
    "docx": "is a Word document with no text in it",
    "html": "holds no visible text (only markup or scripts); save the page's text instead",
    "pdf": (
        "has no text layer (a scanned PDF?): run OCR on it first, or copy its text into a .txt file"
    ),
}


def _looks_like_html(head: bytes) -> bool:
    return bool(re.match(rb"<(head|body|meta|title|div|p|h[1-6]|article|section)\b", head))


def _decode(data: bytes, name: str | Path) -> str:
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError.single(
            name, 0, "is not a text, HTML or PDF file (it holds binary data); give its text"
        )
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.single(
            name,
            0,
            f"is not UTF-8 text (byte {exc.start} cannot be read); save it as UTF-8, or give "
            "the HTML or PDF",
        ) from None


#: Control characters no corpus text may hold; tabs and line breaks stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")


def _clean(text: str) -> str:
    """Line ends made one, form feeds a line break, control characters gone: the text the
    corpus keeps. Every quote is taken from this text, so each stays verbatim in it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return _CONTROL.sub("", text)


# --- HTML --------------------------------------------------------------------------------

#: Elements that begin and end a block of text: a line break around each.
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
#: Elements whose content is not text a reader sees.
_HIDDEN = frozenset(
    ["script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object"]
)


class _PageText(HTMLParser):
    """The visible text of a page, a block a line, with where each run came from.

    The standard library's parser: it reads the markup and nothing else (no scripts run, no
    entity or resource is fetched).
    """

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.size = 0
        self.origins: list[tuple[int, int]] = []
        self.hidden = 0
        self.title: list[str] = []
        self.h1: list[str] = []
        self._in_title = False
        self._in_h1 = False
        self._lines = [0]
        for m in re.finditer("\n", source):
            self._lines.append(m.end())

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def _add(self, text: str, origin: int | None) -> None:
        if origin is not None:
            self.origins.append((self.size, origin))
        self.parts.append(text)
        self.size += len(text)

    def _break(self, lines: int = 2) -> None:
        """End the block: its trailing spaces dropped, then a blank line (``lines`` 2) or a
        line break (1, for <br>). Nothing before the first text."""
        if not self.parts:
            return
        last = self.parts[-1]
        if last.endswith("\n"):
            if lines == 2 and not last.endswith("\n\n") and last != "\n":
                self._add("\n", None)
            return
        stripped = last.rstrip(" ")
        self.size -= len(last) - len(stripped)
        self.parts[-1] = stripped
        self._add("\n" * lines, None)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        if tag == "title":
            self._in_title = True
        if tag == "h1":
            self._in_h1 = True
        if tag in _BLOCKS:
            self._break(1 if tag == "br" else 2)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCKS:
            self._break(1 if tag == "br" else 2)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN and self.hidden:
            self.hidden -= 1
        if tag == "title":
            self._in_title = False
        if tag == "h1":
            self._in_h1 = False
        if tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        if self.hidden:
            return
        if self._in_h1:
            self.h1.append(data)
        # White space as a browser shows it: runs of it one space, none at a line's start.
        text = re.sub(r"\s+", " ", data)
        if not self.parts or self.parts[-1].endswith(("\n", " ")):
            text = text.lstrip()
        if text:
            self._add(text, self._offset())


def _html_text(source: str, name: str | Path) -> DocumentText:
    parser = _PageText(source)
    try:
        parser.feed(source)
        parser.close()
    except (AssertionError, ValueError) as exc:  # the parser's own complaints
        raise InputError.single(name, 0, f"cannot be read as HTML ({exc})") from None
    parser._break()
    text = "".join(parser.parts).rstrip("\n") + "\n"
    title = html.unescape(" ".join("".join(parser.h1 or parser.title).split())) or None
    return DocumentText(_clean(text), "html", title, parser.origins)


# --- PDF ---------------------------------------------------------------------------------


def _pdf_text(data: bytes, name: str | Path) -> DocumentText:
    """The text layer of a PDF, page after page (pypdf, in pure Python: it reads the file
    and runs nothing in it). A file pypdf cannot read is one problem, not a traceback."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are not the user's
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:  # noqa: BLE001 (pypdf raises several kinds here)
                raise InputError.single(
                    name, 0, "is an encrypted PDF; save a copy without a password"
                ) from None
        pages = []
        for i, page in enumerate(reader.pages):
            if i >= MAX_PDF_PAGES:
                break
            pages.append(page.extract_text() or "")
        title = None
        meta = reader.metadata
        if meta is not None and meta.title:
            title = " ".join(str(meta.title).split()) or None
    except InputError:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        ZeroDivisionError,
        OSError,
        AssertionError,
    ) as exc:
        raise InputError.single(
            name, 0, f"cannot be read as a PDF ({type(exc).__name__}: {str(exc)[:80]})"
        ) from None
    text = "\n\n".join(_clean(p).strip("\n") for p in pages if p.strip())
    return DocumentText(text + "\n" if text else "", "pdf", title)


def _docx_text(data: bytes, name: str | Path) -> DocumentText:
    """The text of a Word document (.docx, python-docx): its paragraphs and tables in
    document order, a blank line between blocks. A heading is written ``# words`` and a
    paragraph all in bold ``**words**``, as the Legislature's analyses set their headings,
    so one reading of an analysis serves its Markdown and its Word forms. The archive is
    checked before anything is unpacked; nothing it links to is fetched."""
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError.single(name, 0, f"cannot be read as a Word document ({exc})") from None
    if "word/document.xml" not in {p.filename for p in parts}:
        raise InputError.single(name, 0, "is a ZIP archive, not a Word document (.docx)")
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_DOCX_UNPACKED or any(
        p.file_size > MAX_DOCX_RATIO * max(p.compress_size, 1) and p.file_size > 1_000_000
        for p in parts
    ):
        raise InputError.single(
            name, 0, f"unpacks to {unpacked // 1_000_000} MB, far more than a document's text "
            "needs (a zip bomb?); save its text instead"
        )  # fmt: skip
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
        blocks = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                blocks.append(_docx_paragraph(block))
            elif isinstance(block, Table):
                for row in block.rows:
                    cells = [" ".join(c.text.split()) for c in row.cells]
                    blocks.append(" | ".join(dict.fromkeys(c for c in cells if c)))
        title = document.core_properties.title or None
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 (python-docx and lxml raise many kinds)
        raise InputError.single(
            name, 0, f"cannot be read as a Word document ({type(exc).__name__}: {str(exc)[:80]})"
        ) from None
    text = "\n\n".join(_clean(b).strip("\n") for b in blocks if b.strip())
    return DocumentText(text + "\n" if text else "", "docx", title)


def _docx_paragraph(p) -> str:  # noqa: ANN001 (a python-docx Paragraph)
    words = p.text.strip()
    if not words:
        return ""
    style = (p.style.name if p.style is not None else "") or ""
    if style.lower().startswith(("heading", "title")):
        return "# " + words
    runs = [r for r in p.runs if r.text.strip()]
    if runs and all(r.bold for r in runs):
        return f"**{words}**"
    indent = p.paragraph_format.left_indent
    if "quote" in style.lower() or (indent is not None and indent > 0):
        return "> " + words  # a letter the analysis quotes, set as a block
    return words
