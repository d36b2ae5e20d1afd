"""Render markers, notices, callout titles and worksheet print sections on every page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from terrain import site

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    project = site.project(config)
    page.meta.update(site.draft_meta(page.file.src_uri, project))  # a draft shows the default language's title too
    return site.page_markdown(markdown, page.file.src_uri, project)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return site.page_content(html, page.file.src_uri, site.project(config))


def on_startup(command: str, dirty: bool) -> None:
    # `mkdocs serve` injects its live-reload script into every page as it serves it; the
    # Content-Security-Policy is for the published site, so the preview goes without it.
    site._state["serving"] = command == "serve"


@event_priority(-300)  # last: after the search hook has pointed the page at its language's index
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return output if site._state.get("serving") else site.content_security_policy(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    if site._state.get("serving") or not template_name.endswith(".html"):
        return output_content
    return site.content_security_policy(output_content)
