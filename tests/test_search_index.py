"""The search index phones download on their first visit: small, and every word still findable."""

from __future__ import annotations

import gzip
import json
import re

import pytest

from terrain import site as terrain_site

# Bytes on the wire (gzip, as `serve --lan` sends it) of one language's search index. A module
# page's first visit is about 83 KB gzip without it (BENCHMARKS.md); the goal for the whole visit
# is 150 KB, so about 66 KB for the index. Measured 2026-11-30: en 65 KB, fr 78 KB (the French
# index is still over the goal; this budget stops it growing). A language with drafts gets the
# share of it its translated pages make: drafts are kept out of its search (issue 15).
INDEX_BUDGET_GZIP = 81 * 1024
INDEX_OVERHEAD_GZIP = 2 * 1024  # the least: the index's settings (separator, stop words), whatever it holds


def visible(text: str) -> str:
    return re.sub(r'<span class="terrain-fold" hidden>.*?</span>', "", text)


def hidden(text: str) -> list[str]:
    found = re.search(r'<span class="terrain-fold" hidden> (.*?)</span>', text)
    return found.group(1).split() if found else []


def test_a_section_keeps_a_preview_then_every_other_word_once():
    words: set[str] = set()
    text = (
        "<p>La réhabilitation des sites : "
        + "le plan de réhabilitation, " * 20
        + "et la <strong>revégétalisation</strong> finale.</p>"
    )
    out = terrain_site.compact_text(text, words, frozenset({"la", "le", "de", "des", "et"}), ("l", "d"))
    assert visible(out).startswith("La réhabilitation des sites") and len(visible(out)) <= terrain_site.PREVIEW + 2
    rest = hidden(out)
    assert (
        max(rest.count(w) for w in rest) <= terrain_site.REPEAT
        and rest.count("rehabilitation") == terrain_site.REPEAT - 1
    )
    # hidden words go without accents (the query does too), once each spelling
    assert "revegetalisation" in rest and "rehabilitation" in rest
    assert not [w for w in rest if not w.isascii()], rest
    assert not {"la", "le", "de", "et"} & set(rest)  # the separator swallows stop words anyway
    assert "<strong>" not in out


def test_a_later_section_lists_only_the_words_its_page_has_not_listed():
    words: set[str] = set()
    first = terrain_site.compact_text("<p>" + "mercure orpaillage " * 100 + "</p>", words)
    second = terrain_site.compact_text("<p>" + "x " * 100 + "mercure cyanure</p>", words)
    assert "cyanure" in hidden(second) and "mercure" not in hidden(second)
    assert "mercure" in visible(first) or "mercure" in hidden(first)


def test_elided_words_are_listed_without_their_elision():
    out = terrain_site.compact_text("<p>" + "x " * 100 + "l’atténuation d'impact</p>", set(), frozenset(), ("l", "d"))
    assert "attenuation" in hidden(out) and "impact" in hidden(out)
    assert not [w for w in hidden(out) if "’" in w or "'" in w]


@pytest.mark.slow
def test_each_languages_search_index_fits_its_budget_and_keeps_every_word(site, project):
    pages = [f"{u.src_dir}/{u.slug}/index.html" for u in project.units()] + [d[:-3] + ".html" for d in project.docs]
    for lang in project.languages:
        prefix = "" if lang == project.default_language else f"{lang}/"
        drafts = terrain_site.draft_locations(project, lang) if prefix else set()
        budget = max(INDEX_OVERHEAD_GZIP, INDEX_BUDGET_GZIP * (len(pages) - len(drafts)) / len(pages))
        raw = (site / prefix / "search" / "search_index.json").read_bytes()
        size = len(gzip.compress(raw, 9))
        assert size <= budget, (
            f"{lang}: the search index is {size / 1024:.0f} KB gzip, over {budget / 1024:.0f} KB"
            f" ({len(drafts)} of its {len(pages)} pages are drafts, out of its search)"
        )
        docs = json.loads(raw)["docs"]
        assert not {d["location"].split("#", 1)[0] for d in docs} & drafts, f"{lang}: drafts in the search index"
        shown = [p for p in pages if p.startswith("modules/") and p not in drafts]
        if not shown:
            continue  # every module page is a draft: none is in this language's search
        indexed = {
            w.lower()
            for d in docs
            for w in re.findall(r"[\w’']+", re.sub(r"<[^>]+>", " ", d["title"] + " " + d["text"]))
        }
        # every word of a page's text is findable: a long word taken from the built page itself
        page = (site / prefix / shown[0]).read_text(encoding="utf-8")
        article = re.sub(r"<[^>]+>", " ", re.search(r"<article.*?</article>", page, re.S).group(0))
        long_words = {w.lower() for w in re.findall(r"[^\W\d_]{9,}", article)}
        # the site sends the query without accents (overrides/main.html): the folded spelling counts
        missing = sorted(
            w
            for w in long_words
            if not {w, terrain_site.fold(w)} & indexed and not any(terrain_site.fold(w) in i for i in indexed)
        )
        assert not missing, f"{lang}: words of the page missing from the search index: {missing[:10]}"
