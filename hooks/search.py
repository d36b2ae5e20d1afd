"""One search index per language, with accents and elisions folded and no glued words; the footer in the page's language (see terrain.site)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from terrain import site, upstream

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page


def on_page_content(html: str, page: Page, config: MkDocsConfig, files) -> str:
    return site.search_seams(html)  # before Material's search reads the page (on_page_context)


@event_priority(-200)  # after static-i18n (-100) has written the index of every language
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    output = site.localise_footer(output, page.file.dest_uri, site.project(config))
    return site.page_output(output, page.file.dest_uri, site.project(config))


@event_priority(-200)  # after Material's offline plugin (-100) has inlined the index
def on_post_build(config: MkDocsConfig) -> None:
    if upstream.nested_language_build(config):
        return  # a nested language build: the outer build splits the finished index
    site.split_search_index(Path(config.site_dir), site.project(config))
    site.prune_search_languages(Path(config.site_dir), site.project(config))
    site.minify_css(Path(config.site_dir))
