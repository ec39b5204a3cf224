"""Building: corpus folder in, Turtle, TriG and an HTML map out, all or nothing.

:func:`build` runs the stages in order (load and check, emit, serialize, render) entirely in
memory, and only then writes the files, each atomically; a broken corpus leaves the output
folder as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from pathlib import Path

from rdflib import Dataset, Graph

from .emit import Quad, dataset_of, emit_quads, graph_of, union
from .export import trig_of_quads, turtle_of_triples
from .load import load_corpus
from .model import ATTACK_KINDS, Corpus
from .network import to_networkx
from .validate import validate_build
from .visualize import render_html

#: The corpus that ships with the tool: the SB 1047 debate.
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "sb1047"


class BuildResult:
    """What a build gives: the checked corpus, its RDF (dataset and union graph), the files.

    The rdflib dataset and graph are made when first asked for, from the statements the
    build emitted: on a large corpus they are the slowest and largest part of a build
    (bench/README.md), and writing Turtle and TriG does not need them.
    """

    def __init__(
        self,
        corpus: Corpus,
        dataset: Dataset | None = None,
        graph: Graph | None = None,
        files: dict[str, Path] | None = None,
        *,
        quads: list[Quad] | None = None,
    ) -> None:
        self.corpus = corpus
        self.files: dict[str, Path] = files or {}
        self._dataset = dataset
        self._graph = graph
        self._quads = quads

    @property
    def quads(self) -> list[Quad]:
        """Every statement, as (subject, predicate, object, graph) rdflib terms."""
        if self._quads is None:
            self._quads = [(s, p, o, g) for s, p, o, g in self.dataset.quads() if g is not None]
        return self._quads

    @property
    def dataset(self) -> Dataset:
        """The RDF dataset: one named graph per source document (see :func:`emit_graph`)."""
        if self._dataset is None:
            self._dataset = dataset_of(self.quads)
        return self._dataset

    @property
    def graph(self) -> Graph:
        """All statements in one rdflib graph (see :func:`union`)."""
        if self._graph is None:
            made = self._dataset is not None
            self._graph = union(self._dataset) if made else graph_of(self.quads)
        return self._graph

    def counts(self) -> dict[str, int]:
        """What the graph holds, by kind, for the summary a user reads after a build."""
        c = self.corpus
        relations = Counter(r.kind for r in c.relations)
        return {
            "source documents": len(c.sources),
            "claims": len(c.claims),
            "quoted claims": sum(1 for cl in c.claims if cl.quote),
            "paraphrased claims": sum(1 for cl in c.claims if cl.paraphrase),
            "supports": relations["supports"],
            "attacks": sum(relations[k] for k in ATTACK_KINDS),
            "organizations": len(c.organizations),
            "people": len(c.people),
            "memberships": len(c.memberships),
            "bills": len(c.bills),
            "bill sections": sum(len(b.sections) for b in c.bills),
            "bill versions": sum(len(b.versions) for b in c.bills),
            "legislative events": sum(len(b.events) for b in c.bills),
            "topics": len(c.topics),
            "triples": len(self.graph),
        }

    def summary(self) -> str:
        """A short, human-readable report of the build."""
        lines = [f"Built {self.corpus.title!r} ({self.corpus.name})"]
        width = max(len(k) for k in self.counts())
        lines += [f"  {k:<{width}}  {v:>6}" for k, v in self.counts().items()]
        if self.files:
            lines.append("Wrote:")
            lines += [f"  {kind:<7} {path}" for kind, path in self.files.items()]
        return "\n".join(lines)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(files: dict[Path, str]) -> None:
    """Write each file through a temporary file in its folder, so none is ever half-written."""
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            os.chmod(tmp, 0o666 & ~_umask())
            staged.append((tmp, path))
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)


def build(
    corpus_dir: str | Path = DEFAULT_CORPUS, out_dir: str | Path | None = "out"
) -> BuildResult:
    """Build a corpus: check it, emit RDF, and (with ``out_dir``) write Turtle, TriG and HTML.

    Returns the corpus, the RDF dataset and its union graph, so a notebook can go on from
    there. Raises :class:`~graph.errors.InputError` before writing anything if the corpus has
    problems.
    """
    corpus = load_corpus(corpus_dir)
    quads = emit_quads(corpus)
    result = BuildResult(corpus, quads=quads)
    # The emitted graph must meet the shapes (ontology/shapes.ttl) before anything is written;
    # a violation is reported at the corpus line of the record that made the node.
    validate_build(corpus, result.graph)
    if out_dir is None:
        return result
    out = Path(out_dir)
    name = corpus.name
    # Turtle and TriG straight from the emitted statements: the same bytes to_turtle and
    # to_trig give for the same graph, without filling an rdflib store first.
    texts = {
        out / f"{name}.ttl": turtle_of_triples((s, p, o) for s, p, o, _ in quads),
        out / f"{name}.trig": trig_of_quads(quads),
    }
    texts[out / f"{name}.html"] = render_html(to_networkx(result.graph), title=corpus.title)
    write_atomically(texts)
    result.files = {p.suffix.lstrip("."): p for p in texts}
    return result
