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
- **SB 53**: the committee and floor analyses of ../shared/data/sb53/analyses (no hand map,
  no SB 53 corpus yet): citations found, and resolved against the part citations read from
  the chaptered bill XML (an approximation: an analysis of an earlier version may cite
  parts the chaptered text numbers otherwise), the committee found as author, time.
- **Time** per document, and per 10 pages (3,000 characters a page).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.drafting import draft_text, text_of  # noqa: E402
from graph.load import load_corpus  # noqa: E402

SHARED = ROOT.parent / "shared"
SB53 = SHARED / "data" / "sb53"
PAGE = 3000

_CAML = "{http://lc.ca.gov/legalservices/schemas/caml.1#}"
_LABEL = re.compile(r"^\s*\(([a-zA-Z0-9]{1,5})\)")
_ROMAN = re.compile(r"^(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii|xiii|xiv|xv)$")


def caml_citations(path: Path) -> list[str]:
    """The part citations of a California bill XML (CAML) version, as a bill file writes
    them: ``SEC. 2``, ``SEC. 2(d)``, ``22757.12``, ``22757.12(a)(2)``, down to clauses.

    Levels are told by the label: (a) a subdivision, (1) a paragraph, (A) a subparagraph,
    (i) a clause, but (i) after (h) (and (v), (x) after (u), (w)) a subdivision.
    """
    tree = ET.parse(path)  # noqa: S314 (the Legislature's file, in shared/data)
    out: list[str] = []
    for bill_section in tree.iter(f"{_CAML}BillSection"):
        num = bill_section.find(f"{_CAML}Num")
        if num is None or not num.text:
            continue
        sec = "SEC. " + re.sub(r"^SECTION|^SEC\.", "", num.text.strip()).strip(" .")
        out.append(sec)
        content = bill_section.find(f"{_CAML}Content")
        if content is not None:
            out += _parts(sec, content)
        for law in bill_section.iter(f"{_CAML}LawSection"):
            law_num = law.find(f"{_CAML}Num")
            if law_num is None or not law_num.text:
                continue
            cite = law_num.text.strip().rstrip(".")
            out.append(cite)
            for content in law.iter(f"{_CAML}Content"):
                out += _parts(cite, content)
    return list(dict.fromkeys(out))


def _parts(base: str, content: ET.Element) -> list[str]:
    out: list[str] = []
    stack: list[tuple[int, str]] = []
    last_letter = ""
    for p in content.iter("{http://www.w3.org/1999/xhtml}p"):
        text = "".join(p.itertext())
        while True:
            m = _LABEL.match(text)
            if not m:
                break
            label = m.group(1)
            if label.isdigit():
                level = 2
            elif label.isupper():
                level = 3
            elif _ROMAN.match(label) and not (
                len(label) == 1 and last_letter and ord(label) == ord(last_letter) + 1
            ):
                level = 4
            else:
                level = 1
                last_letter = label
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1] if stack else base
            cite = f"{parent}({label})"
            stack.append((level, cite))
            out.append(cite)
            text = text[m.end() :].lstrip("\u2002 ")
    return out


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


def bench_sb53() -> dict:
    analyses = sorted((SB53 / "analyses").glob("*.md"))
    chaptered = SB53 / "versions" / "10-2025-09-29-chaptered.xml"
    tree = caml_citations(chaptered) if chaptered.exists() else []
    rows = []
    for path in analyses:
        raw = path.read_bytes()
        t0 = time.perf_counter()
        found = text_of(raw, path.name)
        d = draft_text(found, re.sub(r"[^a-z0-9]+", "-", path.stem.lower()), citations=tree)
        seconds = time.perf_counter() - t0
        rows.append(
            {
                "analysis": path.name,
                "characters": len(found.text),
                "claims": len(d.claims),
                "citations": len(d.citations),
                "resolved": sum(1 for c in d.citations if c.resolved),
                "unresolved_bill_parts": sorted(
                    {c.citation for c in d.citations if not c.resolved and not c.code}
                ),
                "other_law": sum(1 for c in d.citations if not c.resolved and c.code),
                "author": d.authors,
                "kind": d.kind,
                "stance": d.stance,
                "seconds": round(seconds, 3),
                "seconds_per_10_pages": round(seconds * 10 * PAGE / max(len(found.text), 1), 3),
            }
        )
    return {"tree_parts": len(tree), "analyses": rows}


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
        print(f"SB 53 analyses: {len(rows)}; chaptered tree read: {s['tree_parts']} parts")
        for r in rows:
            print(
                f"  {r['analysis']}: {r['characters']} chars, {r['claims']} claims, "
                f"{r['citations']} citations ({r['resolved']} in the chaptered tree, "
                f"{r['other_law']} of other law, not found {r['unresolved_bill_parts']}),"
                f" author {r['author']}, {r['kind']}, {r['seconds']} s"
            )
        worst = max(r["seconds_per_10_pages"] for r in rows)
        total = sum(r["seconds"] for r in rows)
        print(f"  slowest: {worst} s per 10 pages; all {len(rows)}: {round(total, 2)} s")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
