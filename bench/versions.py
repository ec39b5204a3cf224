"""Every version of a bill, timed as a user meets it: reading the versions, diffing each
amendment, following each part through them all.

    .venv/bin/python bench/versions.py                      # SB 53, and 1,000 to 4,000 parts
    .venv/bin/python bench/versions.py --sizes 2000 --repeat 1

- **SB 53**: the ten versions in ``shared/data/sb53/versions`` (2025, introduced to chaptered),
  each file read and given to ``read_version``, then ``compare`` on each successive pair and
  ``lineage`` over all ten: what ``import-bill`` and the ``diff`` command do with a bill.
  Target: under 2 s.
- **synthetic**: a bill of N parts (sections of ten or so subdivisions, about 25 words each)
  in 20 versions, made here as (citation, own words) sequences like a reader's; each version
  rewords 2% of the parts, inserts 1% (the subdivisions after one in its section take the next
  letter: renumbered), removes 1% (the ones after move up), and gives one section in a hundred
  a new number, subdivisions and all. ``compare`` on each successive pair, then ``lineage``.
  Target: under 10 s at 2,000 parts, and linear in the parts (1,000 and 4,000 to show it).

Wall time is ``time.perf_counter`` around the whole calls, the best of ``--repeat`` runs in
this process (the first run of SB 53 includes Python's first use of the code, as a user's);
CPU time (``time.process_time``, the best run too) is beside it, and linearity is judged on
it, since other work on a shared machine stretches wall time and not this process's CPU.
"""

from __future__ import annotations

import argparse
import platform
import random
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from graph.billformats import read_version  # noqa: E402
from graph.diff import compare, lineage  # noqa: E402

SB53 = ROOT.parent / "shared" / "data" / "sb53" / "versions"
SB53_TARGET = 2.0  # seconds, all ten versions read and diffed
SYNTHETIC_TARGET = 10.0  # seconds, 2,000 parts in 20 versions
SYNTHETIC_PARTS = 2000
LINEAR = 1.25  # time per part at the largest size, at most this times that at the smallest


# --- SB 53 ------------------------------------------------------------------------------


def sb53() -> dict[str, Any]:
    """Read the ten versions, diff each amendment, follow every part: what is timed."""
    versions = []
    for path in sorted(SB53.glob("*.xml")):
        text = path.read_text(encoding="utf-8")
        versions.append([(p.cite, p.text) for p in read_version(text, path.name).walk()])
    changes = [compare(a, b) for a, b in zip(versions, versions[1:], strict=False)]
    maps = lineage(versions)
    return {
        "versions": len(versions),
        "parts": sum(len(v) for v in versions),
        "changes": sum(len(c) for c in changes),
        "provisions": len({p for m in maps for p in m.values()}),
    }


# --- a synthetic bill -------------------------------------------------------------------


def _letters(n: int) -> str:
    """California's subdivision letters: a ... z, aa ... zz, aaa ..."""
    return string.ascii_lowercase[n % 26] * (n // 26 + 1)


class SyntheticBill:
    """A bill of about ``parts`` parts, amended ``versions - 1`` times, seeded."""

    VOCABULARY = 600

    def __init__(self, parts: int, versions: int = 20, seed: int = 53) -> None:
        self.rng = random.Random(seed)
        self.words = [f"w{i}" for i in range(self.VOCABULARY)]
        self.next_number = 0
        # A section: [number, heading words, [subdivision words, ...]]
        self.sections: list[list[Any]] = []
        while sum(2 + len(s[2]) for s in self.sections) < parts:
            self.sections.append([self._number(), self._body(), [self._body() for _ in range(10)]])
        self.versions = [self._version()]
        for _ in range(versions - 1):
            self._amend()
            self.versions.append(self._version())

    def _number(self) -> str:
        self.next_number += 1
        return f"{22000 + self.next_number}"

    def _body(self) -> str:
        return " ".join(self.rng.choices(self.words, k=self.rng.randint(15, 35)))

    def _version(self) -> list[tuple[str, str]]:
        """(citation, own words) of every part: a bill section, its code section, each
        subdivision (a), (b), ... by its place, as a reader of a version gives them."""
        out = []
        for k, (number, heading, subdivisions) in enumerate(self.sections, start=1):
            out.append((f"SEC. {k}", f"SEC. {k}. Section {number} is added to the Code, to read:"))
            out.append((number, f"{number}. {heading}"))
            for i, body in enumerate(subdivisions):
                label = f"({_letters(i)})"
                out.append((f"{number}{label}", f"{label} {body}"))
        return out

    def _amend(self) -> None:
        rng = self.rng
        every = [(s, i) for s, section in enumerate(self.sections) for i in range(len(section[2]))]
        n = len(every)
        for s, i in rng.sample(every, max(1, n * 2 // 100)):  # reworded
            words = self.sections[s][2][i].split()
            for _ in range(rng.randint(1, 3)):
                words[rng.randrange(len(words))] = rng.choice(self.words)
            self.sections[s][2][i] = " ".join(words)
        for _ in range(max(1, n // 100)):  # removed: the subdivisions after it move up
            subdivisions = rng.choice(self.sections)[2]
            if len(subdivisions) > 1:
                subdivisions.pop(rng.randrange(len(subdivisions)))
        for _ in range(max(1, n // 100)):  # inserted: the subdivisions after it move down
            subdivisions = rng.choice(self.sections)[2]
            subdivisions.insert(rng.randrange(len(subdivisions) + 1), self._body())
        for section in rng.sample(self.sections, max(1, len(self.sections) // 100)):
            section[0] = self._number()  # renumbered, subdivisions and all


def synthetic(bill: SyntheticBill) -> dict[str, Any]:
    """Diff each amendment of the bill and follow every part: what is timed."""
    versions = bill.versions
    changes = [compare(a, b) for a, b in zip(versions, versions[1:], strict=False)]
    maps = lineage(versions)
    kinds: dict[str, int] = {}
    for amendment in changes:
        for c in amendment:
            kinds[c.kind] = kinds.get(c.kind, 0) + 1
    return {
        "versions": len(versions),
        "parts": len(versions[0]),
        "kinds": kinds,
        "provisions": len({p for m in maps for p in m.values()}),
    }


# --- the report -------------------------------------------------------------------------


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, float, list[float], Any]:
    """The best wall time and the best CPU time of ``repeat`` runs, every wall time, and what
    the last run gave. CPU time is this process's own: what other work on a shared machine
    does to the wall time, it does not."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), walls, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000])
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=53)
    args = parser.parse_args(argv)

    print(f"Python {platform.python_version()}, {platform.machine()}, best of {args.repeat}")
    print(f"{'':46}{'wall s':>8}{'CPU s':>8}  wall s of each run")
    best, cpu, times, found = best_of(args.repeat, sb53)
    runs = " ".join(f"{t:.2f}" for t in times)
    print(f"{'SB 53: read, diff, lineage (10 versions)':46}{best:8.2f}{cpu:8.2f}  {runs}")
    print(
        f"    {found['parts']} parts in all, {found['changes']} part changes, "
        f"{found['provisions']} provisions"
    )
    rows = {}
    for size in sorted(args.sizes):
        bill = SyntheticBill(size, args.versions, args.seed)
        best_s, cpu_s, times_s, found_s = best_of(args.repeat, lambda bill=bill: synthetic(bill))
        rows[size] = (best_s, cpu_s, found_s["parts"])
        label = f"synthetic: {found_s['parts']} parts, {found_s['versions']} versions"
        print(f"{label:46}{best_s:8.2f}{cpu_s:8.2f}  {' '.join(f'{t:.2f}' for t in times_s)}")
        kinds = ", ".join(f"{v} {k}" for k, v in sorted(found_s["kinds"].items()))
        print(f"    {kinds}; {found_s['provisions']} provisions; ", end="")
        print(f"{1e3 * cpu_s / found_s['parts']:.2f} ms of CPU a part")

    print()
    status = 0

    def target(what: str, ok: bool, detail: str) -> None:
        nonlocal status
        status |= not ok
        print(f"{what:46}{'met' if ok else 'MISSED':>8}  {detail}")

    target("SB 53 under 2 s", best < SB53_TARGET, f"{best:.2f} s")
    nearest = min(rows, key=lambda s: abs(s - SYNTHETIC_PARTS))
    t, _, n = rows[nearest]
    target(f"synthetic {n} parts under 10 s", t < SYNTHETIC_TARGET, f"{t:.2f} s")
    if len(rows) > 1:
        small, large = rows[min(rows)], rows[max(rows)]
        ratio = (large[1] / large[2]) / (small[1] / small[2])
        target(
            "synthetic linear in the parts (CPU time)",
            ratio <= LINEAR,
            f"a part costs {ratio:.2f}x at {large[2]} parts what it costs at {small[2]} "
            f"(x{large[2] / small[2]:.1f} parts, x{large[1] / small[1]:.2f} CPU time)",
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
