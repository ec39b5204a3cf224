"""Files written all or none: staged beside their final paths, then moved into place."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class Staged:
    """Files written beside their final paths under temporary names, not yet in place:
    :meth:`commit` moves them all there, :meth:`discard` removes them.

    A build stages its outputs while it still checks them, and commits only if the checks
    pass: the writing overlaps the checking, and a failed build leaves nothing behind.
    """

    def __init__(self, files: dict[Path, str | bytes] | None = None) -> None:
        self.files: list[tuple[str, Path]] = []
        self.folders: list[Path] = []  # made for the files, removed with them on discard
        for path, content in (files or {}).items():
            self.add(path, content)

    @property
    def paths(self) -> list[Path]:
        return [path for _, path in self.files]

    @property
    def temporary(self) -> list[str]:
        """The temporary files, in the order their paths were staged."""
        return [tmp for tmp, _ in self.files]

    def reserve(self, path: Path) -> str:
        """A new, empty temporary file that :meth:`commit` will move to ``path``."""
        try:
            missing = [f for f in [path.parent, *path.parent.parents] if not f.exists()]
            for folder in reversed(missing):
                folder.mkdir(exist_ok=True)
                self.folders.append(folder)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            os.close(fd)
            self.files.append((tmp, path))
            os.chmod(tmp, 0o666 & ~_umask())
        except BaseException:
            self.discard()
            raise
        return tmp

    def add(self, path: Path, content: str | bytes) -> None:
        tmp = self.reserve(path)
        try:
            if isinstance(content, bytes):
                with open(tmp, "wb") as f:
                    f.write(content)
            else:
                write_text(tmp, content)
        except BaseException:
            self.discard()
            raise

    def commit(self) -> None:
        try:
            for tmp, path in self.files:
                os.replace(tmp, path)
            self.folders = []
        finally:
            self.discard()

    def discard(self) -> None:
        for tmp, _ in self.files:
            if os.path.exists(tmp):
                os.unlink(tmp)
        self.files = []
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):  # not empty: something else is in it now
                folder.rmdir()
        self.folders = []


def write_text(path: str | Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_atomically(files: dict[Path, str | bytes]) -> None:
    """Write each file through a temporary file in its folder, so none is ever half-written."""
    Staged(files).commit()
