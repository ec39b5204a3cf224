"""Several corpora built into one dataset (``build CORPUS CORPUS ... -o OUT``).

Two debates over two bills (SB 1047 and its successor SB 53) answer questions neither
answers alone: who opposed one and supported the other, which objections came back. Each
corpus keeps its own base IRI and builds exactly as it does alone (same files, same bytes,
its own cache); the dataset of all of them is written beside, as ``OUT/<a>+<b>.ttl``,
``.trig`` and ``.html``. An organization that spoke in both debates is one agent across
them where a corpus says so (``same_as`` in its registry: ``owl:sameAs``), and a topic of
one scheme is the same as another's where its ``exact_match`` says so (``skos:exactMatch``);
the cross-debate questions (``graph/queries/``) follow those links.

Every corpus is checked before anything is written: a problem in any of them is reported
with the others', and no file of any of them is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, Problem
from ..load import load_corpus
from ..network import skeleton
from ..plumbing.splice import joined
from ..plumbing.staging import Staged
from ..reading import MAX_FILE_MB
from ..visualize import draw
from .result import BuildResult
from .run import build


@dataclass
class Together:
    """What a build of several corpora gives: each corpus's build, and the joint files."""

    name: str
    title: str
    builds: list[BuildResult]
    files: dict[str, Path]
    triples: int

    @property
    def warnings(self) -> list[str]:
        return [w for b in self.builds for w in b.warnings]

    def summary(self) -> str:
        lines = [b.summary() for b in self.builds]
        lines.append(f"Built {self.title!r} ({self.name}): {self.triples} triples")
        lines.append("Wrote:")
        lines += [f"  {kind:<7} {path}" for kind, path in self.files.items()]
        return "\n".join(lines)


def build_together(
    corpus_dirs: Iterable[str | Path],
    out_dir: str | Path,
    *,
    use_cache: bool = True,
    allow_dirs: Iterable[str | Path] = (),
    max_file_mb: float = MAX_FILE_MB,
    drafts: bool = False,
) -> Together:
    """Build each corpus into ``out_dir`` and, beside them, the dataset of all of them.

    Raises :class:`~graph.errors.InputError` before writing anything if any corpus has a
    problem, if two are the same folder, or if two share a name (their files would
    overwrite each other) or a base IRI (their IRIs would mix).
    """
    dirs = [Path(d).resolve() for d in corpus_dirs]
    allow_dirs = tuple(allow_dirs)
    out = Path(out_dir)
    problems: list[Problem] = []
    corpora = []
    for d in dirs:
        try:
            corpora.append(
                load_corpus(d, allow_dirs=allow_dirs, max_file_mb=max_file_mb, drafts=drafts)
            )
        except InputError as e:
            problems += e.problems
    problems = problems or clashes(corpora)
    if problems:
        raise InputError(problems)

    name = "+".join(c.name for c in corpora)
    title = " and ".join(c.title for c in corpora)
    builds = [
        build(
            d,
            out,
            use_cache=use_cache,
            allow_dirs=allow_dirs,
            max_file_mb=max_file_mb,
            drafts=drafts,
        )
        for d in dirs
    ]
    turtle = joined(b.files["ttl"] for b in builds)
    trig = joined(b.files["trig"] for b in builds)
    store = ox.Store()
    store.bulk_load(trig.encode("utf-8"), format=ox.RdfFormat.TRIG)
    page, _ = draw(skeleton(store), title=title)
    files = {"ttl": out / f"{name}.ttl", "trig": out / f"{name}.trig", "html": out / f"{name}.html"}
    staged = Staged({files["ttl"]: turtle, files["trig"]: trig, files["html"]: page})
    staged.commit()
    return Together(name, title, builds, files, len(store))


def clashes(corpora: list) -> list[Problem]:
    """A corpus given twice, or two sharing a name or a base IRI: one problem each."""
    problems = []
    seen: dict[str, dict] = {"folder": {}, "name": {}, "base IRI": {}}
    for c in corpora:
        keys = {"folder": c.root, "name": c.name, "base IRI": c.base}
        for kind in ["folder"] if c.root in seen["folder"] else list(keys):
            other = seen[kind].setdefault(keys[kind], c)
            if other is not c:
                problems.append(
                    Problem(
                        str(c.root / "corpus.yaml"),
                        0,
                        f"this corpus has the same {kind} as {other.root} ({keys[kind]}); "
                        "corpora built together need a folder, a name and a base IRI each",
                    )
                )
    return problems
