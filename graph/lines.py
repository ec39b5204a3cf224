"""Where a value stands in a YAML file: its line, found only when someone asks.

The loader parses corpus files with a fast parser that keeps no positions (bench/README.md:
keeping a line for every mapping cost more than half of loading a large corpus). A record
keeps instead its place in the file's data, ``("claims", 3)``, and :func:`line_at` finds the
line when a message needs it, by composing that one file again with PyYAML, which keeps marks.

>>> import tempfile
>>> with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
...     _ = f.write("id: doc\\nclaims:\\n  - id: a\\n  - id: b\\n    topics: [x]\\n")
>>> line_at(f.name, ("claims", 1)), line_at(f.name, ("claims", 1, "topics"))
(4, 5)
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml

from .reading import Allowed, read_corpus_file

_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: The files looked at here are those the loader has read (and so let in) already: read
#: again as regular files only, whatever their size, so that one swapped since for a named
#: pipe cannot hold a message up.
_READ_AGAIN = Allowed(Path("/"), max_file_mb=None, confined=False)


def _text(path: str | Path) -> str:
    return (read_corpus_file(Path(path), _READ_AGAIN).data or b"").decode("utf-8")


@lru_cache(maxsize=64)
def _composed(path: str, stamp: tuple[int, int]) -> yaml.Node | None:
    """The file's node tree, with marks; ``stamp`` (size, mtime) keeps the cache honest."""
    try:
        return yaml.compose(_text(path), Loader=_Composer)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def line_at(path: str | Path, at: Iterable[str | int] = ()) -> int:
    """The 1-based line of the value at ``at`` (mapping keys and list indexes) in a YAML file.

    A step that names a mapping key gives the key's own line; a list index gives the line
    where that item starts. Where the path leaves the file's data, the line of the deepest
    step found; 0 if the file cannot be read or parsed at all.
    """
    return _at(path, at)[0]


def written_at(path: str | Path, at: Iterable[str | int] = ()) -> str | None:
    """The value at ``at`` in a YAML file as its author wrote it (``1e50``, ``1.10``), not as
    it reads (``1e+50``, ``1.1``); None where there is no single value there.

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
    ...     _ = f.write("events:\\n  - {ayes: 1e50, session: 1.10}\\n")
    >>> written_at(f.name, ("events", 0, "ayes")), written_at(f.name, ("events", 0, "session"))
    ('1e50', '1.10')
    """
    line, node = _at(path, at)
    return node.value if line and isinstance(node, yaml.ScalarNode) else None


def _at(path: str | Path, at: Iterable[str | int]) -> tuple[int, yaml.Node | None]:
    """:func:`line_at`'s line, and the node there if the whole of ``at`` was found."""
    try:
        st = os.stat(path)
    except OSError:
        return 0, None
    node = _composed(str(path), (st.st_size, st.st_mtime_ns))
    if node is None:
        return 0, None
    line = node.start_mark.line + 1
    for step in at:
        if isinstance(node, yaml.MappingNode):
            found = next(
                ((k, v) for k, v in node.value if getattr(k, "value", None) == str(step)), None
            )
            if found is None:
                return line, None
            line = found[0].start_mark.line + 1
            node = found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if not 0 <= step < len(node.value):
                return line, None
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line, None
    return line, node


def duplicate_key_line(path: str | Path, key: str) -> int:
    """The line where ``key`` appears a second time in one mapping of a YAML file, or 0."""
    try:
        root = yaml.compose(_text(path), Loader=_Composer)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return 0
    todo = [root] if root is not None else []
    while todo:
        node = todo.pop()
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for k, v in node.value:
                if getattr(k, "value", None) == key and key in seen:
                    return k.start_mark.line + 1
                seen.add(getattr(k, "value", None))
                todo.append(v)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
    return 0


def collection_key(path: str | Path) -> tuple[int, int, str] | None:
    """Where a YAML file has a list or a mapping as a key (``[a, b]: x``, ``? [a]``): its line,
    its column and its text; None if it has none. Such a key cannot be read into a mapping.

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
    ...     _ = f.write("id: doc\\n[a, b]: x\\n")
    >>> collection_key(f.name)
    (2, 1, '[a, b]')
    """
    try:
        text = _text(path)
        root = yaml.compose(text, Loader=_Composer)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    todo = [root] if root is not None else []
    while todo:
        node = todo.pop()
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if not isinstance(k, yaml.ScalarNode):
                    mark = k.start_mark
                    return mark.line + 1, mark.column + 1, text[mark.index : k.end_mark.index]
                todo.append(v)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
    return None
