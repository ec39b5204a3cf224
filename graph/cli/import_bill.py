"""``import-bill``: read a bill's published text, one version or every version, into a corpus
bill file."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import InputError, Problem
from .app import main, out_file_option

# How many files a folder of versions may hold: a bill has tens of versions, not thousands.
_MAX_VERSIONS = 500


@main.command("import-bill")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@out_file_option(
    "Write the bill file here (e.g. corpus/NAME/bills/sb53.yaml); default: print it. With "
    "versions, their texts go to the texts/ folder beside bills/ (../texts from the file)."
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=None,
    help="leginfo's page only: levels to keep below each bill or code section: 1 keeps "
    "subdivisions (a), 2 adds paragraphs (1), and so on. Default: every level.",
)
def import_bill_command(files: tuple[Path, ...], out_file: Path | None, depth: int | None) -> None:
    """Read a bill's text as its legislature publishes it and write the corpus bill file.

    FILES is one file or several, or a folder of them: each a version of one bill in any
    format the tool reads, told by its content: leginfo's bill text page saved as HTML,
    California's bill XML (the caml files of leginfo's downloads, whose amended versions
    carry Legislative Counsel's marks of struck and inserted text), or US Congress bill XML
    in USLM. Every version is written, oldest first, with its label, date, chamber, its tree
    of parts and its text (texts/<bill>/<version>.txt, one line per part), so quotes from any
    version are checked like any other and `diff` shows what each amendment changed.

    A single leginfo page gives, as before, the skeleton of the bill (its version menu and
    the tree of the version shown), with no texts.
    """
    from ..import_bill import authors_line, citations, import_bill, import_versions, to_yaml
    from ..plumbing.staging import write_atomically

    contents = read_bill_files(files)
    if len(contents) == 1 and _is_leginfo_page(contents[0][1]):
        name, html_text = contents[0]
        bill = import_bill(html_text, depth=depth, name=name)
        text = to_yaml(bill, page_name=Path(name).name, authors=authors_line(html_text))
        if out_file is None:
            click.echo(text, nl=False)
            return
        write_atomically({out_file: text})
        click.echo(
            f"Wrote {out_file}: {bill.get('identifier', 'the bill')}, "
            f"{len(bill.get('versions', []))} versions, "
            f"{len(list(citations(bill['sections'])))} sections and parts."
        )
        return
    if depth is not None:
        raise InputError.single("--depth", 0, "applies to a leginfo page only; drop it")
    imported = import_versions(contents)
    bill, texts = imported.bill, imported.texts
    if out_file is None:
        raise InputError.single(
            "import-bill",
            0,
            "name the bill file to write with -o (e.g. corpus/NAME/bills/"
            f"{bill['id']}.yaml): the versions' texts are written beside it, in texts/",
        )
    header = (
        f"Imported from {len(contents)} file{'s' * (len(contents) != 1)} by "
        "`bill-graph import-bill`: every version, with its parts and its text."
    )
    authors = ", ".join(imported.authors) or None
    outputs: dict[Path, str] = {
        out_file: to_yaml(bill, page_name="", header=header, authors=authors)
    }
    texts_dir = out_file.parent.parent / "texts"
    corpus = os.path.realpath(out_file.parent.parent)
    problems = []
    for relative, text in texts.items():
        # Each text's path is made of the bill's and the version's ids, which come from the
        # files: one that would leave texts/ is a bug, and nothing is written.
        if Path(relative).is_absolute() or ".." in Path(relative).parts:
            raise InputError.single(
                "import-bill", 0, f"a version's text would be written outside texts/: {relative}"
            )
        # A texts/ folder (or one of its folders, or a text) that is a link out of the corpus
        # would have the text written where it leads, over what is there.
        real = os.path.realpath(texts_dir / relative)
        if not real.startswith(corpus.rstrip(os.sep) + os.sep):
            problems.append(
                Problem(
                    str(texts_dir / relative),
                    0,
                    f"resolves outside the corpus folder (to {real}); a version's text is "
                    "written only inside the corpus: remove the link",
                )
            )
        outputs[texts_dir / relative] = text
    if problems:
        raise InputError(problems)
    write_atomically(outputs)
    parts = sum(len(list(citations(v["sections"]))) for v in bill["versions"])
    click.echo(
        f"Wrote {out_file}: {bill['identifier']}, {len(bill['versions'])} versions, "
        f"{parts} parts in all, and {len(texts)} texts in {texts_dir}/{bill['id']}/."
    )


def read_bill_files(files: tuple[Path, ...]) -> list[tuple[str, str]]:
    """(name, text) of each file named and of each file of each folder named, read as
    untrusted files are (:func:`read_bill_file`): a folder's files only if they are in it,
    links followed, as a corpus's are."""
    contents, problems = [], []
    for path, within in _expand(files):
        try:
            contents.append((str(path), read_bill_file(path, within)))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return contents


def _expand(files: tuple[Path, ...]) -> list[tuple[Path, Path | None]]:
    """The files named, and the files of each folder named (sorted; not its subfolders),
    each with the folder it must resolve into (None for a file named)."""
    out: list[tuple[Path, Path | None]] = []
    problems: list[Problem] = []
    for f in files:
        if f.is_dir():
            inside = sorted(p for p in f.iterdir() if p.is_file() and not p.name.startswith("."))
            inside = [p for p in inside if p.suffix.lower() in (".xml", ".html", ".htm")]
            if not inside:
                problems.append(Problem(str(f), 0, "holds no .xml or .html files to import"))
            out.extend((p, f) for p in inside)
        elif not f.exists():
            problems.append(Problem(str(f), 0, "no such file"))
        else:
            out.append((f, None))
    if len(out) > _MAX_VERSIONS:
        problems.append(Problem(str(files[0]), 0, f"more than {_MAX_VERSIONS} files to import"))
    if problems:
        raise InputError(problems)
    return out


def read_bill_file(path: Path, within: Path | None = None) -> str:
    """A bill file's text, read as any untrusted file is: a regular file, of limited size;
    with ``within``, the folder it was found in, only if it resolves, links followed, into
    that folder (a link in a folder of versions to a file elsewhere is not read)."""
    from ..reading import Allowed, Refused, read_corpus_file

    if within is not None:
        real, folder = os.path.realpath(path), os.path.realpath(within)
        if not real.startswith(folder.rstrip(os.sep) + os.sep):
            raise InputError.single(
                path,
                0,
                f"resolves outside the folder {within} (to {real}); copy the file into the "
                "folder, or name the file itself",
            )
    try:
        found = read_corpus_file(path, Allowed.of(within or path.resolve().parent))
    except Refused as exc:
        raise InputError.single(path, 0, str(exc)) from None
    except FileNotFoundError:
        raise InputError.single(path, 0, "no such file") from None
    except OSError as exc:
        raise InputError.single(path, 0, f"cannot be read ({exc.strerror or exc})") from None
    try:
        return (found.data or b"").decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.single(path, 0, f"is not UTF-8 text ({exc.reason})") from None


def _is_leginfo_page(text: str) -> bool:
    from ..billformats import format_of, leginfo

    return format_of(text) is leginfo
