"""A synthetic legislature: a seeded, deterministic corpus with the shape of a real session.

At full size (``--scale 1``) it holds about 2,000 bills of about 20 sections each, with
versions and legislative events (committee and floor votes with tallies); 5,000 organizations,
a tenth of them coalitions that the others join; 20,000 source documents (letters, statements,
testimony, analyses) with about 100,000 claims between them, a quarter of those documents with a
text their quotes are checked against; and supports and attacks within and across documents.
Built, that is somewhat over 1,000,000 triples. ``--scale 0.01`` gives a corpus a hundred times
smaller, for tests.

Everything is synthetic and says so: names are made of numbered words, every IRI and URL is
under ``https://example.org/synthetic/``. The same seed and scale always give the same bytes.

    .venv/bin/python bench/generate.py /tmp/legislature --scale 1
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

#: Full-size shape of a session; every count is multiplied by ``scale``.
FULL = {
    "bills": 2000,
    "organizations": 5000,
    "sources": 20000,
    "legislators": 120,
}
CLAIMS_PER_SOURCE = (2, 8)  # uniform: 5 on average, so 100,000 claims at full size
SECTIONS_PER_BILL = (16, 24)
TEXT_SHARE = 0.25  # documents whose text we hold, so their claims are quotes
COALITION_SHARE = 0.1

URL = "https://example.org/synthetic/"


def _words(text: str) -> list[str]:
    return text.split()


_WORDS = _words(
    "access accountability agency algorithm audit balance benefit burden capacity compliance "
    "consumer cost coverage data deadline disclosure district duty enforcement equity evidence "
    "exemption fairness fee funding grant harm health housing impact incentive innovation "
    "insurance labor liability license market notice oversight penalty permit privacy program "
    "public rate record reform registry report review risk safety school security standard "
    "subsidy tax testing transit transparency wage water worker"
)
_VERBS = _words(
    "raises lowers delays protects burdens expands limits clarifies weakens strengthens "
    "duplicates funds shifts narrows broadens"
)
_ADJ = _words(
    "small rural urban public private regional local statewide nonprofit independent "
    "emerging established"
)
_ORG_WORDS = _words(
    "Alliance Association Council Coalition Institute League Network Partners Society Union "
    "Foundation Group Project Center Fund"
)
_PLACES = _words(
    "Northern Southern Eastern Western Central Coastal Valley Mountain Bay Delta Inland Harbor"
)

DOC_KINDS = (
    ("letter", 10),
    ("statement", 4),
    ("testimony", 2),
    ("committee-analysis", 1),
    ("floor-analysis", 1),
    ("press-release", 2),
    ("op-ed", 1),
    ("blog-post", 1),
)
STANCES = (
    ("support", 8),
    ("oppose", 8),
    ("support-if-amended", 2),
    ("oppose-unless-amended", 2),
    ("concerns", 2),
    ("neutral", 1),
)
ORG_KINDS = ("company", "nonprofit", "trade-association", "university", "government-body")
TOPICS = 40


def _q(value: object) -> str:
    """A YAML scalar: JSON is YAML, and json.dumps quotes and escapes every string safely."""
    return json.dumps(value, ensure_ascii=False)


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


@dataclass
class _Bill:
    id: str
    identifier: str
    sections: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)  # "source/claim" keys, for attacks


@dataclass
class _State:
    rng: random.Random
    bills: list[_Bill] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    legislators: list[str] = field(default_factory=list)
    bill_weights: list[float] = field(default_factory=list)  # cumulative, for rng.choices
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _date(rng: random.Random, year: int = 2025) -> str:
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(n)]
    words.insert(rng.randint(1, n - 1), rng.choice(_VERBS))
    return " ".join(words).capitalize() + "."


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _corpus_yaml(root: Path) -> None:
    _write(
        root / "corpus.yaml",
        [
            "name: synthetic-legislature",
            "title: A synthetic legislative session (benchmark data)",
            "description: Generated by bench/generate.py; every name and fact in it is synthetic.",
            f"base: {URL}legislature/",
        ],
    )


def _topics(root: Path, st: _State) -> None:
    lines = ["topics:"]
    for i in range(TOPICS):
        tid = f"{_WORDS[i % len(_WORDS)]}-{i}"
        st.topics.append(tid)
        lines.append(f"  - id: {tid}")
        lines.append(f"    label: {_q(_WORDS[i % len(_WORDS)].capitalize() + f' {i}')}")
        lines.append(f"    definition: {_q(f'Synthetic topic {i}.')}")
        if i >= 8:
            lines.append(f"    broader: {st.topics[i % 8]}")
    _write(root / "topics.yaml", lines)
    st.count("topics", TOPICS)


def _organizations(root: Path, st: _State, n_orgs: int, n_legislators: int) -> None:
    rng = st.rng
    lines = ["organizations:"]
    n_coalitions = max(1, int(n_orgs * COALITION_SHARE))
    coalitions = []
    for i in range(n_orgs):
        coalition = i < n_coalitions
        oid = f"{'coalition' if coalition else 'org'}-{i}"
        kind = "coalition" if coalition else rng.choice(ORG_KINDS)
        name = f"{rng.choice(_PLACES)} {rng.choice(_WORDS).capitalize()} {rng.choice(_ORG_WORDS)}"
        lines.append(f"  - id: {oid}")
        lines.append(f"    name: {_q(f'{name} {i}')}")
        lines.append(f"    kind: {kind}")
        lines.append(f"    url: {URL}org/{oid}")
        lines.append(f"    source: {URL}registry/{oid}")
        (coalitions if coalition else st.orgs).append(oid)
    st.orgs.extend(coalitions)
    lines.append("people:")
    for i in range(n_legislators):
        pid = f"legislator-{i}"
        st.legislators.append(pid)
        role = "Senator" if i % 3 == 0 else "Assemblymember"
        lines.append(f"  - id: {pid}")
        lines.append(f"    name: {_q(f'Legislator {i}')}")
        lines.append(f"    role: {role}")
        lines.append(f"    source: {URL}roster/{pid}")
    lines.append("memberships:")
    n_members = 0
    for oid in st.orgs:
        if oid.startswith("coalition"):
            continue
        for cid in sorted(set(rng.sample(coalitions, k=min(len(coalitions), rng.randint(0, 2))))):
            lines.append(f"  - member: {oid}")
            lines.append(f"    of: {cid}")
            lines.append(f"    source: {URL}coalitions/{cid}")
            n_members += 1
    _write(root / "organizations.yaml", lines)
    st.count("organizations", n_orgs)
    st.count("people", n_legislators)
    st.count("memberships", n_members)


def _bill(root: Path, st: _State, i: int) -> None:
    rng = st.rng
    house = "ab" if i % 2 == 0 else "sb"
    number = 100 + i
    bill = _Bill(id=f"{house}{number}", identifier=f"{house.upper()} {number}")
    url = f"{URL}bills/{bill.id}"
    authors = rng.sample(st.legislators, k=min(len(st.legislators), rng.randint(1, 3)))
    lines = [
        f"id: {bill.id}",
        f"identifier: {bill.identifier}",
        f"title: {_q('An act relating to ' + ' and '.join(rng.sample(_WORDS, 2)))}",
        "jurisdiction: US-CA",
        "session: 2025-2026",
        f"local_id: 20252026{house.upper()}{number}",
        f"url: {url}",
        f"source: {url}",
        f"authors: {_flow(authors[:1])}",
    ]
    if len(authors) > 1:
        lines.append(f"coauthors: {_flow(authors[1:])}")
    n_versions = rng.randint(1, 4)
    version_ids = ["introduced"] + [f"amended-{k}" for k in range(1, n_versions)]
    lines.append("versions:")
    for k, vid in enumerate(version_ids):
        lines.append(f"  - id: {vid}")
        lines.append(f"    label: {_q('Introduced' if k == 0 else f'Amended ({k})')}")
        lines.append(f"    date: {_q(f'2025-{k + 2:02d}-{rng.randint(1, 28):02d}')}")
        lines.append(f"    source: {url}/{vid}")
    lines.append(f"sections_source: {url}/{version_ids[-1]}")
    lines.append("sections:")
    target = rng.randint(*SECTIONS_PER_BILL)
    top = 0
    while len(bill.sections) < target:
        top += 1
        cite = f"SEC. {top}"
        bill.sections.append(cite)
        lines.append(f"  - cite: {_q(cite)}")
        lines.append(f"    label: {_q(f'SEC. {top}.')}")
        lines.append(f"    summary: {_q(_sentence(rng, 6))}")
        lines.append("    parts:")
        for sub in "abcd"[: rng.randint(1, 4)]:
            bill.sections.append(f"{cite}({sub})")
            lines.append(f"      - label: {_q(f'({sub})')}")
            lines.append(f"        summary: {_q(_sentence(rng, 5))}")
            n_paras = rng.randint(0, 2)
            if n_paras:
                lines.append("        parts:")
            for para in range(1, n_paras + 1):
                bill.sections.append(f"{cite}({sub})({para})")
                lines.append(f"          - label: {_q(f'({para})')}")
    lines.append("events:")
    lines.append("  - id: introduced")
    lines.append("    kind: introduction")
    lines.append(f"    date: {_q(f'2025-02-{rng.randint(1, 28):02d}')}")
    lines.append(f"    label: {_q('Introduced')}")
    lines.append("    version: introduced")
    lines.append(f"    source: {url}/history")
    n_events = 1
    for k, vid in enumerate(version_ids):
        for kind, body, size in (
            ("committee-vote", f"Committee {rng.randint(1, 30)}", 11),
            ("floor-vote", "Assembly" if house == "ab" else "Senate", 80 if house == "ab" else 40),
        ):
            if rng.random() < 0.5:
                continue
            ayes = rng.randint(size // 3, size)
            noes = rng.randint(0, size - ayes)
            lines.append(f"  - id: {kind}-{k}")
            lines.append(f"    kind: {kind}")
            lines.append(f"    date: {_q(f'2025-{k + 3:02d}-{rng.randint(1, 28):02d}')}")
            lines.append(f"    label: {_q(f'{body} vote on {vid}')}")
            lines.append(f"    body: {_q(body)}")
            lines.append(f"    version: {vid}")
            lines.append(f"    ayes: {ayes}")
            lines.append(f"    noes: {noes}")
            lines.append(f"    not_voting: {size - ayes - noes}")
            lines.append(f"    result: {'passed' if ayes > size // 2 else 'failed'}")
            lines.append(f"    source: {url}/votes")
            n_events += 1
    _write(root / "bills" / f"{bill.id}.yaml", lines)
    st.bills.append(bill)
    st.count("bills")
    st.count("bill sections", len(bill.sections))
    st.count("bill versions", len(version_ids))
    st.count("legislative events", n_events)


def _source(root: Path, st: _State, i: int) -> None:
    rng = st.rng
    sid = f"doc-{i}"
    bill = rng.choices(st.bills, cum_weights=st.bill_weights)[0]
    kind = _weighted(rng, DOC_KINDS)
    title = f"{kind.replace('-', ' ').capitalize()} on {bill.identifier} ({i})"
    stance = _weighted(rng, STANCES)
    authors = sorted(set(rng.sample(st.orgs, k=1 if rng.random() < 0.8 else 3)))
    lines = [
        f"id: {sid}",
        f"title: {_q(title)}",
        f"kind: {kind}",
        f"authors: {_flow(authors)}",
        f"bill: {bill.id}",
        f"stance: {stance}",
        f"date: {_q(_date(rng))}",
        f"url: {URL}documents/{sid}",
    ]
    n_claims = rng.randint(*CLAIMS_PER_SOURCE)
    sentences = [_sentence(rng, rng.randint(8, 14)) for _ in range(n_claims)]
    has_text = rng.random() < TEXT_SHARE
    if has_text:
        lines.append(f"text: ../texts/{sid}.txt")
        filler = [_sentence(rng, rng.randint(6, 12)) for _ in range(n_claims)]
        body = " ".join(s for pair in zip(filler, sentences, strict=True) for s in pair)
        (root / "texts" / f"{sid}.txt").write_text(
            f"Synthetic document {sid}.\n\n{body}\n", encoding="utf-8"
        )
    lines.append("claims:")
    own: list[str] = []
    for k, sentence in enumerate(sentences):
        cid = f"claim-{k}"
        own.append(cid)
        lines.append(f"  - id: {cid}")
        lines.append(f"    statement: {_q(sentence)}")
        if has_text:
            words = sentence.split()
            lines.append(f"    quote: {_q(' '.join(words[1:-1]))}")
        else:
            lines.append("    paraphrase: true")
            lines.append(f"    where: {_q(f'paragraph {k + 1}')}")
        if rng.random() < 0.25:
            lines.append("    whole_bill: true")
        else:
            cites = sorted(set(rng.sample(bill.sections, k=rng.randint(1, 2))))
            lines.append(f"    sections: {_flow(cites)}")
        lines.append(
            f"    topics: {_flow(sorted(set(rng.sample(st.topics, k=rng.randint(1, 2)))))}"
        )
    st.count("claims", n_claims)
    relations = []
    # Supports inside the document: its later claims ground its first.
    for k in range(1, n_claims):
        if rng.random() < 0.4:
            relations.append((f"supports-{k}", "supports", [own[k]], own[0]))
    # Attacks on claims of earlier documents about the same bill.
    for k in range(rng.randint(0, 3)):
        if not bill.claims:
            break
        target = rng.choice(bill.claims)
        kind_ = rng.choice(("rebuts", "undermines", "rebuts"))
        relations.append((f"attack-{k}", kind_, [rng.choice(own)], target))
    if relations:
        lines.append("relations:")
    for rid, kind_, premises, conclusion in relations:
        lines.append(f"  - id: {rid}")
        lines.append(f"    kind: {kind_}")
        lines.append(f"    from: {_flow(premises)}")
        lines.append(f"    to: {conclusion}")
        st.count("supports" if kind_ == "supports" else "attacks")
    bill.claims.extend(f"{sid}/{c}" for c in own[:2])
    _write(root / "sources" / f"{sid}.yaml", lines)
    st.count("source documents")
    st.count("texts", int(has_text))


def generate(out_dir: str | Path, scale: float = 1.0, seed: int = 1047) -> dict[str, int]:
    """Write a synthetic corpus folder at ``out_dir`` and give what it holds, by kind.

    The folder is replaced if it exists. The same ``scale`` and ``seed`` give byte-identical
    files, so a benchmark run can be repeated and compared.
    """
    root = Path(out_dir)
    if root.exists():
        shutil.rmtree(root)
    for sub in ("bills", "sources", "texts"):
        (root / sub).mkdir(parents=True)
    st = _State(rng=random.Random(seed))
    size = {k: max(2, round(v * scale)) for k, v in FULL.items()}
    _corpus_yaml(root)
    _topics(root, st)
    _organizations(root, st, size["organizations"], size["legislators"])
    for i in range(size["bills"]):
        _bill(root, st, i)
    # Debate concentrates on some bills (Zipf-like): a few draw hundreds of letters, most few.
    total = 0.0
    for rank in range(len(st.bills)):
        total += 1.0 / (rank + 3)
        st.bill_weights.append(total)
    for i in range(size["sources"]):
        _source(root, st, i)
    return dict(sorted(st.counts.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the corpus to (replaced)")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="fraction of full size (default 1: ~1M triples)"
    )
    parser.add_argument("--seed", type=int, default=1047)
    args = parser.parse_args(argv)
    counts = generate(args.out, args.scale, args.seed)
    width = max(map(len, counts))
    for k, v in counts.items():
        print(f"{k:<{width}}  {v:>8,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
