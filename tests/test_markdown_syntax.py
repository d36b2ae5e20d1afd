"""terrain/markdown.py reads Markdown as the site renders it; one rule puts each language in the site."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import pytest

from terrain import markdown as md
from terrain.links import urls_in
from terrain.project import Project, site_language, site_prefix

ROOT = Path(__file__).resolve().parent.parent
PROJECT = Project.load(ROOT)

ROWS = [
    "| a | b |",
    "| `x|y` | c \\| d |",
    "| a || c |",
    "| ``a`|`` | b |",
    "| ` | b |",
    "| a \\| b | c |",
    "a | b",
    "| [text](page.md) | 30 |",
]


def rendered_cells(row: str, count: int) -> list[str]:
    """The cells Python-Markdown's tables extension (the site's) makes of a body row."""
    table = f"|{' h |' * count}\n|{' --- |' * count}\n{row}\n"
    out = markdown.markdown(table, extensions=["tables"])
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td>(.*?)</td>", out, re.S)]


@pytest.mark.parametrize("row", ROWS)
def test_table_cells_split_as_the_site_splits_them(row):
    cells = md.split_cells(row)
    shown = rendered_cells(row, len(cells))
    assert len(shown) == len(cells)
    assert [re.sub(r"[`*]|\[|\]\([^)]*\)", "", c) for c in cells] == [c.replace("`", "") for c in shown]


def test_heading_anchors_are_the_ones_the_site_gives():
    headings = {h.text for unit in PROJECT.units() for page in unit.pages.values() for h in md.headings(page.body)}
    assert headings
    for text in sorted(headings):
        out = markdown.markdown(f"## {text}", extensions=["toc", "attr_list"])
        found = re.search(r'id="([^"]*)"', out)
        assert found, out
        assert md.slugify(text) == found.group(1), text


def test_every_language_has_one_place_in_the_site():
    default = PROJECT.default_language
    assert site_prefix(default, default) == ""
    for lang in PROJECT.languages:
        for path in ("index.html", "modules/01-x/index.html", "search/search_index.json"):
            assert site_language(site_prefix(lang, default) + path, PROJECT.languages, default) == (lang, path)
    assert site_language("assets/x.css", PROJECT.languages, default) == (default, "assets/x.css")


def test_link_addresses_are_read_in_order_whatever_their_kind():
    text = "See [a](https://a.example/x) and <https://b.example>, ![c](https://c.example/c.png) [d](local.md)."
    assert urls_in(text) == ["https://a.example/x", "https://b.example", "https://c.example/c.png"]
