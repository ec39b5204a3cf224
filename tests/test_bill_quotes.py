"""Quotes from official texts (sources with ``official_text``) are verbatim in the texts we hold.

The corpus does not copy the official pages; the loader cannot check these quotes, so this test
does, against the copies in ../shared/data/ (see its README for where each comes from).
"""

from __future__ import annotations

import pytest

from graph.quotes import NormalizedText, html_to_text

from .conftest import SHARED_DATA

DATA = SHARED_DATA / "sb1047"
LEGINFO = "https://leginfo.legislature.ca.gov/faces/"

#: The official pages we hold, by the URL a corpus names in `official_text`.
HELD = {
    f"{LEGINFO}billTextClient.xhtml?bill_id=202320240SB1047&version=20230SB104788ENR": (
        DATA / "enrolled-2024-09-03.html"
    ),
    f"{LEGINFO}billStatusClient.xhtml?bill_id=202320240SB1047": DATA / "status.html",
}


@pytest.fixture(scope="module")
def official_texts() -> dict[str, NormalizedText]:
    return {
        url: NormalizedText(html_to_text(path.read_text("utf-8"))) for url, path in HELD.items()
    }


def official_sources(corpus):
    return [doc for doc in corpus.sources if doc.official_text]


def test_the_enrolled_bill_is_a_source_with_quotes_to_check(sb1047_corpus):
    docs = official_sources(sb1047_corpus)
    assert any(doc.kind == "bill-text" for doc in docs)
    assert any(cl.quote for doc in docs for cl in doc.claims)


def test_every_official_text_named_is_one_we_hold(sb1047_corpus):
    for doc in official_sources(sb1047_corpus):
        assert doc.official_text in HELD, (
            f"{doc.id}: we hold no copy of {doc.official_text}; quote only from texts we hold "
            "or mark the claims as paraphrases"
        )


def test_every_quote_from_an_official_text_is_verbatim(sb1047_corpus, official_texts):
    checked = 0
    for doc in official_sources(sb1047_corpus):
        text = official_texts.get(doc.official_text)
        for cl in doc.claims:
            if cl.quote is None or text is None:
                continue
            assert text.find(cl.quote) is not None, (
                f"{doc.id}/{cl.id}: quote not found in {doc.official_text}: {cl.quote!r}"
            )
            checked += 1
    assert checked >= 1


def test_a_quote_with_a_word_missing_is_caught(official_texts):
    """The seed's ellipsis dropped 'and access to compute' from SEC. 2(d); that is no quote."""
    enrolled = next(t for url, t in official_texts.items() if "billTextClient" in url)
    full = "artificial intelligence innovation and access to compute is accessible"
    assert enrolled.find(full) is not None
    assert enrolled.find("artificial intelligence innovation is accessible") is None
