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

from .cache import BuildCache, digest
from .emit import dataset_of, document, emit_graphs, graph_plan, trig_block, turtle_block, union
from .load import load_corpus
from .model import ATTACK_KINDS, Bill, Corpus, SourceDocument
from .validate import validate_build
from .visualize import build_map

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


def write_atomically(files: dict[Path, str | bytes]) -> None:
    """Write each file through a temporary file in its folder, so none is ever half-written."""
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in files.items():
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            if isinstance(content, bytes):
                with os.fdopen(fd, "wb") as f:
                    f.write(content)
            else:
                with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                    f.write(content)
            os.chmod(tmp, 0o666 & ~_umask())
            staged.append((tmp, path))
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)


def _graph_key(corpus: Corpus, made_from: Bill | SourceDocument | str, cache: BuildCache) -> str:
    """What one named graph is made from, as a digest: the same key, the same statements.

    A graph's statements depend on its own file (and a source's text), the base IRI, and
    the IRIs of the agents it names (an id is an organization's or a person's IRI).
    """
    people = {p.id for p in corpus.people}

    def agent(a: str) -> str:
        return f"person:{a}" if a in people else f"org:{a}"

    parts = [corpus.base]
    if isinstance(made_from, Bill):
        parts += [cache.digests.get(str(made_from.origin.file), "")]
        parts += [agent(a) for a in [*made_from.authors, "|", *made_from.coauthors]]
    elif isinstance(made_from, SourceDocument):
        d = made_from
        parts += [cache.digests.get(str(d.origin.file), ""), d.text_sha256 or "", d.bill]
        parts += [agent(a) for a in d.authors]
        parts += [agent(a) for c in d.claims for a in ["|", *c.by]]
    elif made_from == "organizations":
        parts += [cache.digests.get(str(corpus.root / "organizations.yaml"), "")]
    else:
        parts += [corpus.title, cache.digests.get(str(corpus.root / "topics.yaml"), "")]
    return digest("\x00".join(parts).encode("utf-8"))


def build(
    corpus_dir: str | Path = DEFAULT_CORPUS,
    out_dir: str | Path | None = "out",
    *,
    use_cache: bool = True,
) -> BuildResult:
    """Build a corpus: check it, emit RDF, and (with ``out_dir``) write Turtle, TriG and HTML.

    Returns the corpus and its RDF (a pyoxigraph store, and rdflib's dataset and union graph
    when asked for), so a notebook can go on from there. Raises
    :class:`~graph.errors.InputError` before writing anything if the corpus has problems.

    With ``out_dir`` the build keeps a cache there (:mod:`graph.cache`); building the same
    corpus again redoes only what changed, and gives the same bytes. ``use_cache=False``
    builds everything afresh (and writes a new cache).
    """
    out = Path(out_dir) if out_dir is not None else None
    corpus_path = Path(corpus_dir).resolve()
    cache = BuildCache() if out is None or not use_cache else BuildCache.open(out, corpus_path)
    if out is not None:
        cache.path = BuildCache.file_for(out, corpus_path)
    corpus = load_corpus(corpus_path, cache)

    plan = graph_plan(corpus)
    keys = {name: _graph_key(corpus, made_from, cache) for name, made_from in plan}
    kept = {name: cache.graph(name, keys[name]) for name, _ in plan}
    fresh = {name for name, texts in kept.items() if texts is None}
    made = {g.name: g for g in emit_graphs(corpus, only=fresh)}
    trig_blocks, turtle_blocks = [], []
    for name, _ in plan:
        texts = kept[name]
        if texts is None:
            texts = (trig_block(made[name]), turtle_block(made[name]))
            cache.keep_graph(name, keys[name], *texts)
        trig_blocks.append(texts[0])
        turtle_blocks.append(texts[1])
    trig = document(trig_blocks)
    del made, kept

    # Oxigraph reads our TriG into its store in Rust, faster than we could hand it terms.
    store = ox.Store()
    store.bulk_load(trig.encode("utf-8"), format=ox.RdfFormat.TRIG)
    result = BuildResult(corpus, store)
    # The emitted graphs must meet the shapes (ontology/shapes.ttl) before anything is
    # written; a violation is reported at the corpus line of the record that made the node.
    # Graphs the cache gave unchanged were checked when they were made.
    validate_build(corpus, store, graphs=None if len(fresh) == len(plan) else fresh)
    if out is None:
        return result
    name = corpus.name
    texts: dict[Path, str | bytes] = {
        out / f"{name}.ttl": document(turtle_blocks),
        out / f"{name}.trig": trig,
    }
    # The map straight from the store: on a large corpus it reads only what it will draw.
    texts[out / f"{name}.html"] = build_map(store, title=corpus.title)
    result.files = {p.suffix.lstrip("."): p for p in texts}
    texts[cache.path] = cache.dumps()  # type: ignore[index]
    write_atomically(texts)
    return result
