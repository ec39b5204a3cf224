"""A draft as a corpus source file: YAML the loader reads, with what to review as comments.

The same draft gives the same bytes. Values are written by PyYAML one at a time (so a quote
comes back from the file exactly as it stands in the text); the comments around them tell
the reviewer what each claim is, where its quote stands, which statements are still the
quote's words, which citations the bill's tree lacks, and which claims of other documents
may answer it.
"""

from __future__ import annotations

import yaml

from .document import Draft, DraftClaim


def _value(value: object) -> str:
    """One YAML value, on one line where it fits (a long text folds onto more)."""
    text = yaml.safe_dump(
        value, allow_unicode=True, default_flow_style=True, width=88, sort_keys=False
    )
    text = text.removesuffix("\n...\n").rstrip("\n")
    return text.replace("\n", "\n      ")


def _flow(value: object) -> str:
    """One YAML value inside a flow mapping (``{id: x, name: ...}``), where a comma or a
    bracket would end it: quoted wherever a plain value could not stand there."""
    text = yaml.safe_dump([value], allow_unicode=True, default_flow_style=True, width=10**6)
    return text.strip()[1:-1]


def _comment(words: str) -> str:
    return " ".join(words.split())


def to_yaml(draft: Draft, text_path: str) -> str:
    """The source file of ``draft``, whose text the corpus holds at ``text_path`` (relative
    to the source file, as ``text:`` is written)."""
    d = draft
    lines = [
        "# yaml-language-server: $schema=../../../graph/schema/source.schema.json",
        "#",
        f"# A DRAFT, written by `bill-graph {d.made_by}` from {_comment(d.source_name)} "
        f"({d.format}).",
        "# No one has reviewed it, and a build refuses it until someone has (or builds it",
        "# with --drafts, marked as a draft on the map). To review it:",
        "#   - read each claim against the text: keep, merge, cut or drop it; the comment",
        "#     above it says what kind of claim it seems, and where its quote stands;",
        "#   - put each statement marked 'the quote's words' in your own words;",
        "#   - check the authors, stance, date and title; move any proposed organization",
        "#     to organizations.yaml (and its `organizations:` list out of this file);",
        "#   - check the relations, and the counterclaims suggested in comments;",
        "#   - then delete the line `draft: true`.",
    ]
    if d.named:
        seen: dict[str | None, str] = {}
        for m in d.named:
            seen.setdefault(m.id, f"{_comment(m.words)} ({m.id})")
        seen = list(seen.values())
        lines.append(f"# Organizations the text names: {', '.join(seen)}.")
    if d.stance_words:
        lines.append(f"# Stance {d.stance}: the text says {_comment(d.stance_words)!r}.")
    elif d.stance is None:
        lines.append("# Stance: the text does not say plainly; add `stance:` if it has one.")
    if d.citations:
        lines.append("# Citations of the bill found in the text:")
        if d.version:
            why = f"as {_comment(d.version_words)!r}" if d.version_words else "in print on its date"
            lines.append(
                f"#   (read in {d.version_labels.get(d.version, d.version)}, the version it "
                f"reads: {why}; then in the others, nearest earlier first)"
            )
        for c in _distinct(d.citations):
            if c.resolved:
                where = ""
                if c.version and c.version != d.version:
                    where = f" (in {d.version_labels.get(c.version, c.version)})"
                if c.by_words:
                    where += " (found by its words: the version numbers it so)"
                lines.append(f"#   {_comment(c.words)!r} -> {c.resolved}{where}")
            elif not d.has_tree:
                lines.append(f"#   {_comment(c.words)!r} -> {c.citation} (no bill tree to check)")
            elif c.other_law:
                by = f" ({c.code_said})" if c.code_said else ""
                lines.append(
                    f"#   {_comment(c.words)!r} -> {c.citation} of the {c.code}{by}: existing "
                    "law, not a part of the bill"
                )
            else:
                near = f"; nearest part: {c.nearest}" if c.nearest else ""
                lines.append(f"#   {_comment(c.words)!r} -> {c.citation}: NOT in the bill{near}")
    lines += [
        f"id: {d.id}",
        "draft: true",
        f"title: {_value(d.title)}",
        f"kind: {d.kind}",
        f"authors: {_value(d.authors)}",
    ]
    if d.bill:
        lines.append(f"bill: {d.bill}")
    if d.stance:
        lines.append(f"stance: {d.stance}")
    if d.date:
        lines.append(f"date: {_value(d.date)}")
    if d.reads:
        why = f" (it says {_comment(d.version_words)!r})" if d.version_words else ""
        lines.append(f"# The version it reads: {d.version_labels.get(d.reads, d.reads)}{why}.")
        lines.append(f"version: {d.reads}")
    lines.append(f"text: {_value(text_path)}")
    if d.begins_after:
        lines.append(f"text_begins_after: {_value(d.begins_after)}")
    if d.proposed:
        lines.append("# Proposed: the registry has no such organization. Check each, then move")
        lines.append("# it to organizations.yaml (with its `source:`).")
        lines.append("organizations:")
        for p in d.proposed:
            lines.append(f"  # {p.why}")
            lines.append(f"  - {{id: {p.id}, name: {_flow(p.name)}, kind: {p.kind}}}")
    if d.positions:
        lines += [
            "",
            "# Positions the document records: each organization under the heading it is",
            "# listed under (matched in the registry, or proposed above).",
            "positions:",
        ]
        seen: set[str] = set()
        for pid, stance, role, where, name, matched in d.positions:
            how = f"matched {matched!r}" if matched else "new"
            if pid in seen:
                lines.append(
                    f"  # {_comment(name)!r} ({how}) is listed again, under {where!r}: check"
                )
                continue
            seen.add(pid)
            lines.append(f"  # {_comment(name)!r}: {how}")
            item = f"  - {{by: {pid}, stance: {stance}"
            if role:
                item += f", role: {role}"
            lines.append(item + f", where: {_flow(where)}}}")
    lines += ["", "claims:"]
    if not d.claims:
        lines[-1] = "claims: []  # no claim found: write them by hand"
    for c in d.claims:
        lines += _claim(c)
    if d.relations:
        lines += ["", "relations:"]
        for r in d.relations:
            lines.append(f"  # marked by {r.marker!r}")
            lines.append(f"  - id: {r.id}")
            lines.append(f"    kind: {r.kind}")
            lines.append(f"    from: {_value(r.premises)}")
            lines.append(f"    to: {r.conclusion}")
    return "\n".join(lines) + "\n"


def _claim(c: DraftClaim) -> list[str]:
    where = f"characters {c.start}-{c.end} of the text"
    if c.origin is not None:
        where += f" (character {c.origin} of the HTML)"
    words = "ours" if c.rephrased else "the quote's words: put them in yours"
    out = [f"  # {c.kind}; {where}; statement: {words}"]
    for citation, code in c.unresolved:
        if code:
            out.append(f"  # cites {citation} of the {code}: existing law, not the bill's")
        else:
            out.append(f"  # cites {citation}, which the bill's tree does not hold")
    if c.version:
        out.append(f"  # cites {_comment(c.version_why or '')}: hence its version")
    if c.unplaced:
        out.append(f"  # NOT PLACED: {_comment(c.unplaced)}")
    out += [
        f"  - id: {c.id}",
        f"    statement: {_value(c.statement)}",
        f"    quote: {_value(c.quote)}",
    ]
    if c.version:
        out.append(f"    version: {c.version}")
    if c.by:
        out.append(f"    by: {_value(c.by)}")
    if c.sections:
        out.append(f"    sections: {_value(c.sections)}")
    if c.whole_bill:
        out.append("    whole_bill: true")
    if c.topics:
        out.append(f"    topics: {_value(c.topics)}")
    if c.counterclaims:
        out.append("    # Counterclaims to consider (a score of word likeness; not relations):")
        for k in c.counterclaims:
            out.append(f"    #   {k.score:.2f} {k.key} ({k.stance}): {_comment(k.statement)}")
    return out


def _distinct(citations):  # noqa: ANN001, ANN202
    seen = set()
    for c in citations:
        key = (" ".join(c.words.split()), c.citation)
        if key not in seen:
            seen.add(key)
            yield c
