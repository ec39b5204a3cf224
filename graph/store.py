"""The store every command opens: an RDF file's dataset indexed on disk once, reopened in a moment.

Parsing a 1.1-million-triple TriG file into memory takes Oxigraph about 5 seconds, and every
command that reads the file paid it again. :func:`open_store` indexes the file once into
Oxigraph's on-disk store (RocksDB) and later opens that index read-only in a fraction of a
second. The index is the file's: its manifest records the file's size, modification time and
SHA-256, so an index that no longer matches its file is never used; it is made again (and
the command says so on stderr).

Where the index lives:

- beside a build's output, in the build's own cache folder (``OUT/.cache/<file>.oxigraph``),
  so that it goes where the build's other derived files go and is removed with them;
- for any other RDF file, in the user's cache (``$XDG_CACHE_HOME/billgraph/stores``, by
  default ``~/.cache``), named by the file's full path, so that nothing is written beside a
  file the user only asked to read.

:func:`corpus_store` does the same for a corpus folder: it brings the last build of that
corpus up to date (an incremental build, through the build's cache: only what changed is
read) and opens the index of its TriG. Builds are remembered in ``builds.json`` in the same
cache; a corpus never built is built into the cache.

The file is parsed by the same parser, with the same messages, as :func:`graph.query.load_store`
(one parser decides), into a temporary folder that takes the index's place only once it is
whole: an index is complete or absent, and two commands indexing the same file at once both
end with one index.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import InputError

#: The layout of an index; one made by another layout (or another pyoxigraph) is made again.
INDEX_FORMAT = 1
MANIFEST = "billgraph-index.json"
#: Files this large (bytes) take seconds to index, and the user is told why they wait.
SAY_INDEXING = 10_000_000
#: The folder a build keeps its cache in (graph.plumbing.cache), where a build's files are indexed.
BUILD_CACHE = ".cache"


def cache_home() -> Path:
    """The user's cache folder for this tool (``$XDG_CACHE_HOME/billgraph``)."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "billgraph"


def _name_of(path: Path) -> str:
    return hashlib.sha256(os.fsencode(path)).hexdigest()[:32]


def index_dir(rdf_file: str | os.PathLike[str]) -> Path:
    """Where the index of ``rdf_file`` is kept (see the module's notes)."""
    path = Path(rdf_file).resolve()
    beside = path.parent / BUILD_CACHE
    if beside.is_dir() and not beside.is_symlink():
        return beside / f"{path.name}.oxigraph"
    return cache_home() / "stores" / f"{path.name[:60]}-{_name_of(path)}"


@dataclass(frozen=True)
class Fingerprint:
    """What identifies a file's content: the stat fields that change when it is written, and
    its SHA-256, which decides when they differ (a copy, a touch)."""

    size: int
    mtime_ns: int
    inode: int
    sha256: str

    @classmethod
    def stat_of(cls, path: Path) -> tuple[int, int, int]:
        st = path.stat()
        return st.st_size, st.st_mtime_ns, st.st_ino

    @classmethod
    def of(cls, path: Path) -> Fingerprint:
        size, mtime, inode = cls.stat_of(path)
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
        return cls(size, mtime, inode, digest.hexdigest())

    def record(self) -> dict[str, Any]:
        return {
            "format": INDEX_FORMAT,
            "pyoxigraph": ox.__version__,
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "inode": self.inode,
            "sha256": self.sha256,
        }


def _manifest(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ours = isinstance(data, dict) and data.get("format") == INDEX_FORMAT
    return data if ours and data.get("pyoxigraph") == ox.__version__ else None


def _write_manifest(folder: Path, record: dict[str, Any]) -> None:
    tmp = folder / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(record, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def current_index(rdf_file: str | os.PathLike[str]) -> Path | None:
    """The index of ``rdf_file`` if there is one and it matches the file as it is now.

    The stat fields decide when they match; when only they differ (the file was copied or
    touched), its SHA-256 decides, and a match is recorded so the next look is quick.
    """
    path = Path(rdf_file)
    folder = index_dir(path)
    manifest = _manifest(folder)
    if manifest is None:
        return None
    size, mtime, inode = Fingerprint.stat_of(path)
    if (manifest["size"], manifest["mtime_ns"], manifest["inode"]) == (size, mtime, inode):
        return folder
    if manifest["size"] != size:
        return None
    now = Fingerprint.of(path)
    if now.sha256 != manifest["sha256"]:
        return None
    with contextlib.suppress(OSError):
        _write_manifest(folder, now.record())
    return folder


def make_index(rdf_file: str | os.PathLike[str]) -> Path:
    """Index ``rdf_file`` on disk (see the module's notes) and return the index's folder.

    Raises :class:`InputError` naming the line at fault if the file does not parse; nothing
    is left behind then.
    """
    from .query import fill_store

    path = Path(rdf_file)
    if not path.is_file():
        raise InputError.single(path, 0, "no such file")
    before = Fingerprint.of(path)
    folder = index_dir(path)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".tmp"))
    try:
        store = fill_store(ox.Store(str(tmp / "store")), path)
        store.optimize()
        store.flush()
        del store
        if Fingerprint.of(path) != before:
            raise InputError.single(path, 0, "the file changed while it was being indexed")
        _write_manifest(tmp, before.record())
        _replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def _replace(new: Path, folder: Path) -> None:
    """Put the whole index ``new`` in ``folder``'s place, the old one (if any) out of it."""
    old = None
    if folder.exists():
        old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".old"))
        with contextlib.suppress(FileNotFoundError):  # another command moved it first
            os.replace(folder, old / "index")
    try:
        os.replace(new, folder)
    except OSError:
        # Another command put a whole index there in the meantime: keep theirs.
        if _manifest(folder) is None:
            raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def store_of(rdf_file: str | os.PathLike[str], *, quiet: bool = False) -> Path:
    """The folder of the on-disk store of ``rdf_file``, current with the file: found, or made
    first (saying so on stderr unless ``quiet``), about as long as three parses of it, once.

    Open it with ``pyoxigraph.Store.read_only``; any number of processes can at once.
    """
    path = Path(rdf_file)
    if not path.is_file():
        raise InputError.single(path, 0, "no such file")
    folder = current_index(path)
    if folder is None:
        if not quiet and path.stat().st_size >= SAY_INDEXING:
            _say(f"Indexing {path} for the commands that read it (once per change of it)...")
        folder = make_index(path)
    return folder / "store"


def open_store(rdf_file: str | os.PathLike[str], *, quiet: bool = False) -> ox.Store:
    """The dataset of ``rdf_file`` as a read-only Oxigraph store on disk (:func:`store_of`)."""
    return ox.Store.read_only(str(store_of(rdf_file, quiet=quiet)))


class Step:
    """A change to an RDF file whose quads the caller knows (an incremental rebuild's), made to
    the file's store too, so that the store stays current without indexing the file again."""

    def __init__(self, rdf_file: Path, folder: Path) -> None:
        self.rdf_file = rdf_file
        self.folder = folder

    def apply(self, removed: Iterable[ox.Quad], added: Iterable[ox.Quad]) -> None:
        """Once the file holds its new statements: take ``removed`` out of the store, put
        ``added`` in, and record the file's new fingerprint. If anything fails on the way,
        the store is dropped (the next command indexes the file afresh), never left stale."""
        removed, added = list(removed), list(added)
        manifest = self.folder / MANIFEST
        try:
            # First of all the store stops being current, so a stop half-way is seen.
            manifest.unlink()
            if any(_has_blank(q) for q in (*removed, *added)):
                # A blank node read again is another node: the store cannot be patched.
                raise ValueError("blank nodes")
            store = ox.Store(str(self.folder / "store"))
            for q in removed:
                store.remove(q)
            store.extend(added)
            store.flush()
            del store
            _write_manifest(self.folder, Fingerprint.of(self.rdf_file).record())
        except (OSError, ValueError, RuntimeError):
            shutil.rmtree(self.folder, ignore_errors=True)


def _has_blank(q: ox.Quad) -> bool:
    return any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object, q.graph_name))


def step_of(rdf_file: str | os.PathLike[str]) -> Step | None:
    """Before a change to ``rdf_file``: its store, to keep in step, if it is current now."""
    path = Path(rdf_file)
    folder = current_index(path) if path.is_file() else None
    return None if folder is None else Step(path, folder)


# --- The last build of a corpus -------------------------------------------------------------


def _builds_file() -> Path:
    return cache_home() / "builds.json"


def _builds() -> dict[str, Any]:
    try:
        data = json.loads(_builds_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remember_build(corpus_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> None:
    """Record that ``corpus_dir`` was last built into ``out_dir`` (for :func:`corpus_store`)."""
    builds = _builds()
    builds[str(Path(corpus_dir).resolve())] = str(Path(out_dir).resolve())
    target = _builds_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".builds.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(builds, f, indent=1, sort_keys=True)
        os.replace(tmp, target)
    except OSError:
        # A cache that cannot be written costs the next command a build; nothing else.
        pass


def build_dir_of(corpus_dir: str | os.PathLike[str]) -> Path:
    """Where ``corpus_dir`` was last built, or the folder in the cache it is built into."""
    corpus = Path(corpus_dir).resolve()
    known = _builds().get(str(corpus))
    if isinstance(known, str) and Path(known).is_dir():
        return Path(known)
    return cache_home() / "builds" / f"{corpus.name[:60]}-{_name_of(corpus)}"


@dataclass
class Opened:
    """A corpus's store, ready for questions, and what names it in tables and titles."""

    store: ox.Store
    name: str
    title: str
    prefixes: dict[str, str]
    #: The TriG file the build wrote, and the folder of its store on disk.
    trig: Path
    folder: Path


def corpus_store(corpus_dir: str | os.PathLike[str], *, quiet: bool = False) -> Opened:
    """The store of the last build of ``corpus_dir``, brought up to date first.

    The build is incremental (only what changed since is read, checked and written); a corpus
    with problems raises :class:`InputError` as ``build`` does, and nothing is opened.
    """
    from .build import build

    out = build_dir_of(corpus_dir)
    result = build(corpus_dir, out)
    remember_build(corpus_dir, out)
    trig = result.files["trig"]
    name, title, base = result_names(result)
    folder = store_of(trig, quiet=quiet)
    return Opened(ox.Store.read_only(str(folder)), name, title, {name: base}, trig, folder)


def file_store(rdf_file: str | os.PathLike[str], *, quiet: bool = False) -> Opened:
    """The store of an RDF file a user gives, named after the file (see :func:`store_of`)."""
    path = Path(rdf_file)
    folder = store_of(path, quiet=quiet)
    name = path.name.split(".")[0] or "graph"
    return Opened(ox.Store.read_only(str(folder)), name, path.name, {}, path, folder)


def result_names(result: Any) -> tuple[str, str, str]:
    """The corpus name, title and base IRI of a build, without loading the corpus again."""
    rebuilt = getattr(result, "rebuilt", None)
    if rebuilt is not None:
        return rebuilt.name, rebuilt.title, rebuilt.base
    c = result.corpus
    return c.name, c.title, c.base
