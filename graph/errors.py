"""The one exception type for bad input, and the problems it carries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input: where it is and what to do about it."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class InputError(Exception):
    """Raised when a corpus, a Turtle file or a query cannot be used as given.

    It carries every problem found, so an author can fix them all in one pass. The command
    line prints one line per problem, without a traceback, and exits non-zero.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str | Path, line: int, message: str) -> InputError:
        return cls([Problem(str(file), line, message)])
