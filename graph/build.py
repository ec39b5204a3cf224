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

import pyoxigraph as ox
from rdflib import Dataset, Graph

from .emit import dataset_of, emit_graphs, trig_of, turtle_of, union
from .load import load_corpus
from .model import ATTACK_KINDS, Corpus
from .network import to_networkx
from .validate import validate_build
from .visualize import render_html

#: The corpus that ships with the tool: the SB 1047 debate.
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "sb1047"


class BuildResult:
    """What a build gives: the checked corpus, its RDF, the files written.

    The RDF is held in a pyoxigraph store (one named graph per source document), which the
    build validates and queries; rdflib's dataset and union graph, for a notebook, are made
    when first asked for: on a large corpus they are the slowest and largest part of a build
    (bench/README.md), and the build itself does not need them.
    """

    def __init__(
        self,
        corpus: Corpus,
        store: ox.Store,
        files: dict[str, Path] | None = None,
    ) -> None:
        self.corpus = corpus
        self.store = store
        self.files: dict[str, Path] = files or {}
        self._dataset: Dataset | None = None
        self._graph: Graph | None = None

    @property
    def dataset(self) -> Dataset:
        """The RDF dataset, as rdflib's: one named graph per source document."""
        if self._dataset is None:
            self._dataset = dataset_of(self.store.quads_for_pattern(None, None, None, None))
        return self._dataset

    @property
    def graph(self) -> Graph:
        """All statements in one rdflib graph (see :func:`~graph.emit.union`)."""
        if self._graph is None:
            self._graph = union(self.dataset)
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
            # Each subject's statements live in one named graph, so no triple is in two:
            # the store's size is the number of distinct triples.
            "triples": len(self.store),
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
    graphs = emit_graphs(corpus)
    trig = trig_of(graphs)
    # Oxigraph reads our TriG into its store in Rust, faster than we could hand it terms.
    store = ox.Store()
    store.bulk_load(trig.encode("utf-8"), format=ox.RdfFormat.TRIG)
    result = BuildResult(corpus, store)
    # The emitted graph must meet the shapes (ontology/shapes.ttl) before anything is written;
    # a violation is reported at the corpus line of the record that made the node.
    validate_build(corpus, store)
    if out_dir is None:
        return result
    out = Path(out_dir)
    name = corpus.name
    texts = {out / f"{name}.ttl": turtle_of(graphs), out / f"{name}.trig": trig}
    texts[out / f"{name}.html"] = render_html(to_networkx(result.graph), title=corpus.title)
    write_atomically(texts)
    result.files = {p.suffix.lstrip("."): p for p in texts}
    return result
