"""How good `draft` is: its drafts against the hand-made maps, and how fast it drafts.

    .venv/bin/python bench/draft.py            # prints the figures
    .venv/bin/python bench/draft.py --json r.json

- **Claims**, on every document whose hand-made map quotes its text (today the seed
  statement, corpus/sb1047/sources/ai-alliance-opposition-2024.yaml, 22 quoted claims):
  a hand-made claim is *found* when a draft claim's quote overlaps it by at least half of
  the hand-made quote's characters (recall); a draft claim is *right* when at least half
  of its own characters lie in one hand-made quote (precision). The draft is made twice:
  told where the statement begins (the hand map's `text_begins_after`, as an author would
  pass --begins-after), and not told.
- **Citations** found in the text and resolved in the bill's tree; **organizations** the
  text names matched to the registry entries whose source is the document; the **authors**
  and the **stance** right or wrong.
- **SB 53**: the committee and floor analyses of ../shared/data/sb53/analyses (no hand map
  yet), drafted against a corpus bill made in a temporary folder as a user makes it
  (`import-bill ../shared/data/sb53/versions -o TMP/bills/sb53.yaml`): the version each
  analysis reads (as its header or file name says), its citations resolved in that version
  or an earlier one (or, for a committee's amendment it quotes, in the later version that
  has its words), of other law (existing law: the text names its code, or it stands bare in
  the bill's words in a code the bill adds to), and not found, each of those with its
  sentence; the committee found as author, time.
- **Time** per document, and per 10 pages (3,000 characters a page).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.drafting import draft_text, text_of  # noqa: E402
from graph.drafting.sentences import split_sentences  # noqa: E402
from graph.load import load_bill, load_corpus  # noqa: E402
from graph.model import Corpus  # noqa: E402

SHARED = ROOT.parent / "shared"
SB53 = SHARED / "data" / "sb53"
PAGE = 3000


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score_claims(hand: list[tuple[int, int]], drafted: list[tuple[int, int]]) -> dict:
    found = [h for h in hand if any(_overlap(h, d) * 2 >= h[1] - h[0] for d in drafted)]
    right = [d for d in drafted if any(_overlap(h, d) * 2 >= d[1] - d[0] for h in hand)]
    both = [
        h for h in hand if any(_overlap(h, d) * 2 >= max(h[1] - h[0], d[1] - d[0]) for d in drafted)
    ]
    return {
        "hand_claims": len(hand),
        "draft_claims": len(drafted),
        "recall": round(len(found) / len(hand), 3) if hand else None,
        "precision": round(len(right) / len(drafted), 3) if drafted else None,
        "matched_both_ways": len(both),
    }


def bench_hand_maps(corpus_dir: Path) -> list[dict]:
    corpus = load_corpus(corpus_dir, drafts=True)
    rows = []
    for doc in corpus.sources:
        hand = [(c.anchor.start, c.anchor.end) for c in doc.claims if c.anchor is not None]
        if not hand or doc.text is None:
            continue
        found = text_of(doc.text.encode("utf-8"), doc.id)
        expected_orgs = sorted(
            {o.id for o in corpus.organizations if o.provenance.source == doc.id}
            | set(doc.authors)
            | {a for c in doc.claims for a in c.by}
        )
        for told in (True, False):
            begins = doc.text_begins_after if told else None
            t0 = time.perf_counter()
            d = draft_text(found, doc.id, corpus=corpus, bill=doc.bill, begins_after=begins)
            seconds = time.perf_counter() - t0
            row = {"document": doc.id, "told_where_it_begins": bool(begins) if told else False}
            row.update(score_claims(hand, [(c.start, c.end) for c in d.claims]))
            hand_sections = sorted({s for c in doc.claims for s in c.sections})
            named = sorted({m.id for m in d.named if m.id})
            row.update(
                citations_found=[c.words for c in d.citations],
                citations_resolved=[c.resolved for c in d.citations if c.resolved],
                citations_unresolved=[c.citation for c in d.citations if not c.resolved],
                hand_sections=hand_sections,
                organizations_expected=len(expected_orgs),
                organizations_matched=len(set(named) & set(expected_orgs)),
                organizations_missed=sorted(set(expected_orgs) - set(named)),
                organizations_extra=sorted(set(named) - set(expected_orgs)),
                authors_right=sorted(d.authors) == sorted(doc.authors),
                stance=d.stance,
                stance_right=d.stance == doc.stance,
                seconds=round(seconds, 3),
                seconds_per_10_pages=round(seconds * 10 * PAGE / max(len(doc.text), 1), 3),
            )
            rows.append(row)
            if not doc.text_begins_after:
                break
    return rows


def sb53_bill(folder: Path) -> Corpus:
    """A corpus holding SB 53 as a user makes it: ``import-bill`` on its ten versions, run as
    the command line runs, into ``folder``; its bill loaded (the corpus has no sources)."""
    out = folder / "bills" / "sb53.yaml"
    subprocess.run(  # noqa: S603 (our own command, on our own data)
        [sys.executable, str(ROOT / "build_graph.py"), "import-bill", str(SB53 / "versions"),
         "-o", str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    bill = load_bill(out)
    return Corpus(name="sb53", title="SB 53", base="https://example.org/sb53/", root=folder,
                  bills=[bill])  # fmt: skip


def _sentence(text: str, start: int, end: int) -> str:
    around = next(
        (s for s in split_sentences(text, max(0, start - 600)) if s.start <= start < s.end), None
    )
    lo, hi = (around.start, around.end) if around else (max(0, start - 150), end + 150)
    lo, hi = max(lo, start - 300), min(hi, end + 300)
    return " ".join(text[lo:hi].split())


def bench_sb53() -> dict:
    analyses = sorted((SB53 / "analyses").glob("*.md"))
    with tempfile.TemporaryDirectory() as tmp:
        corpus = sb53_bill(Path(tmp))
        bill = corpus.bills[0]
        dates = {v.id: v.date for v in bill.versions}
        rows = []
        for path in analyses:
            raw = path.read_bytes()
            t0 = time.perf_counter()
            found = text_of(raw, path.name)
            d = draft_text(
                found,
                re.sub(r"[^a-z0-9]+", "-", path.stem.lower()),
                corpus=corpus,
                source_name=path.name,
            )
            seconds = time.perf_counter() - t0
            read = dates.get(d.version or "", "")
            resolved = [c for c in d.citations if c.resolved]
            rows.append(
                {
                    "analysis": path.name,
                    "characters": len(found.text),
                    "claims": len(d.claims),
                    "version": d.version,
                    "version_words": d.version_words,
                    "citations": len(d.citations),
                    "resolved": len(resolved),
                    "resolved_in_version_read": sum(1 for c in resolved if c.version == d.version),
                    "resolved_in_earlier": sorted(
                        {
                            f"{c.resolved} ({c.version})"
                            for c in resolved
                            if c.version != d.version and dates[c.version] <= read
                        }
                    ),  # fmt: skip
                    "resolved_in_later": sorted(
                        {
                            f"{c.resolved} ({c.version}{', by its words' if c.by_words else ''})"
                            for c in resolved
                            if dates[c.version] > read
                        }
                    ),  # fmt: skip
                    "other_law": sum(1 for c in d.citations if c.other_law),
                    "other_law_cited": sorted(
                        {
                            f"{c.citation} of the {c.code}"
                            + (" (bare, in the bill's words)" if c.code_said else "")
                            for c in d.citations
                            if c.other_law
                        }
                    ),  # fmt: skip
                    "not_found": [
                        {
                            "citation": c.citation,
                            "words": c.words,
                            "sentence": _sentence(d.text, c.start, c.end),
                        }
                        for c in d.citations
                        if not c.resolved and not c.other_law
                    ],  # fmt: skip
                    "claims_with_version": sum(1 for c in d.claims if c.version),
                    "author": d.authors,
                    "kind": d.kind,
                    "stance": d.stance,
                    "seconds": round(seconds, 3),
                    "seconds_per_10_pages": round(seconds * 10 * PAGE / max(len(found.text), 1), 3),
                }
            )
    return {"versions": len(bill.versions), "analyses": rows}


def bench_ten_pages(corpus_dir: Path) -> dict:
    """A ten-page letter against a whole corpus (its registry, topics and 233 claims to
    compare for counterclaims): the seed statement's own text ten times over."""
    corpus = load_corpus(corpus_dir, drafts=True)
    seed = (corpus_dir / "texts" / "ai-alliance-opposition-2024.txt").read_text("utf-8")
    body = seed[seed.index("Cached Content Preview") :]
    letter = "\n\n".join([body] * 10)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        d = draft_text(text_of(letter.encode("utf-8")), "ten-pages", corpus=corpus)
        times.append(time.perf_counter() - t0)
    return {
        "characters": len(letter),
        "pages": round(len(letter) / PAGE, 1),
        "claims": len(d.claims),
        "seconds_first": round(times[0], 3),
        "seconds_best": round(min(times), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "sb1047")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    report = {"hand_maps": bench_hand_maps(args.corpus), "ten_pages": bench_ten_pages(args.corpus)}
    if SB53.exists():
        report["sb53"] = bench_sb53()
    for row in report["hand_maps"]:
        told = "told where it begins" if row["told_where_it_begins"] else "not told"
        print(
            f"{row['document']} ({told}): recall {row['recall']} precision {row['precision']} "
            f"({row['draft_claims']} draft claims, {row['hand_claims']} hand-made; "
            f"{row['matched_both_ways']} overlap by half either way)"
        )
        print(
            f"  citations found {row['citations_found']}, resolved {row['citations_resolved']}"
            f", unresolved {row['citations_unresolved']}; hand map cites {row['hand_sections']}"
        )
        print(
            f"  organizations matched {row['organizations_matched']}/"
            f"{row['organizations_expected']} (missed {row['organizations_missed']}, extra "
            f"{row['organizations_extra']}); authors right: {row['authors_right']}; stance "
            f"{row['stance']} right: {row['stance_right']}; {row['seconds']} s "
            f"({row['seconds_per_10_pages']} s per 10 pages)"
        )
    t = report["ten_pages"]
    print(
        f"a {t['pages']}-page letter ({t['characters']} characters, {t['claims']} claims) "
        f"against the whole corpus: {t['seconds_first']} s (best of 3: {t['seconds_best']} s)"
    )
    if "sb53" in report:
        s = report["sb53"]
        rows = s["analyses"]
        print(
            f"SB 53 analyses: {len(rows)}, against the bill import-bill made "
            f"({s['versions']} versions)"
        )
        for r in rows:
            print(
                f"  {r['analysis']}: {r['characters']} chars, {r['claims']} claims, reads "
                f"{r['version']} ({r['version_words'] or 'in print on its date'}); "
                f"{r['citations']} citations: {r['resolved']} resolved "
                f"({r['resolved_in_version_read']} in that version), {r['other_law']} of other "
                f"law, {len(r['not_found'])} not found; {r['claims_with_version']} claims "
                f"written with version:; author {r['author']}, {r['kind']}, {r['seconds']} s"
            )
            if r["resolved_in_earlier"]:
                print(f"    in an earlier version: {r['resolved_in_earlier']}")
            if r["resolved_in_later"]:
                print(f"    in a later version: {r['resolved_in_later']}")
            if r["other_law_cited"]:
                print(f"    of other law: {r['other_law_cited']}")
        missing = [(r["analysis"], n) for r in rows for n in r["not_found"]]
        print(f"  not found: {len(missing)}")
        for name, n in missing:
            print(f"    {name}: {n['citation']} ({n['words']!r}): {n['sentence']}")
        worst = max(r["seconds_per_10_pages"] for r in rows)
        total = sum(r["seconds"] for r in rows)
        print(f"  slowest: {worst} s per 10 pages; all {len(rows)}: {round(total, 2)} s")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
