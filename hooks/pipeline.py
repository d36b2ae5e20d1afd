"""Terrain's MkDocs hooks: the whole site pipeline, in the order MkDocs calls the events.

Thin: each hook calls into terrain/ (terrain/site.py, terrain/checks.py), where the work is
done and tested without MkDocs. Every hook states its priority and why. Higher runs first;
plugins run before hooks of the same priority. For one `mkdocs build`:

    on_startup        remember whether this is a `mkdocs serve` preview
    on_config         load the project, stage the sources into build/stage, set the nav   (once)
    on_pre_build      check every source; any error stops the build before a page is written (once)
    on_page_markdown  markers, notices, worksheet header, hover definitions      (every page, every language)
    on_page_content   callout titles, search seams                                (every page, every language)
    on_post_template  Content-Security-Policy on 404.html                        (every language)
    on_post_page      table regions, worksheet form, footer, the page's search index, CSP (every page, every language)
    on_post_build     split the search index, copy downloads, check the built site (once)
    on_build_error    a build stopped after writing began: the partial site is set aside

mkdocs-static-i18n builds each further language inside the first build's on_post_build (at
its priority -100), running every event again. The hooks marked "once" act only in the outer
build: `_outer_build` is the one guard, and stops the build if static-i18n's internals change.

(Not named terrain.py: MkDocs puts hooks/ first on sys.path while it loads this file, and
`import terrain` would then import the file itself.)
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority

from terrain import cards, checks, site, upstream
from terrain.problems import report

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.terrain")


def _outer_build(config: MkDocsConfig) -> bool:
    """False inside static-i18n's nested build of a further language, where the hooks marked
    "once" do nothing. Reads a private attribute (terrain/upstream.py): if it is gone, the build
    stops with the reason, rather than run those hooks once per language, or never."""
    try:
        return not upstream.nested_language_build(config)
    except upstream.UpstreamChanged as error:
        raise Abort(str(error)) from error


@event_priority(0)  # order-free: it only records whether MkDocs serves a preview
def on_startup(command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
    site.start(command)


@event_priority(0)  # before static-i18n's (-100), which saves and reconfigures the config per language
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not _outer_build(config):
        return config  # sources already loaded and staged by the outer build
    project = site.load(config)  # `mkdocs serve` reloads the config, so this runs on every rebuild
    config.docs_dir = str(site.stage(project))
    config.nav = site.nav(project)
    return config


_checked: list[Path] = []  # the site being written, once its sources passed their checks


@event_priority(0)  # order-free: no plugin uses on_pre_build; it runs before any page is read
def on_pre_build(config: MkDocsConfig) -> None:
    if not _outer_build(config):
        return
    _checked.clear()
    for warning in checks.policy.check_warnings(site.project(config)):
        log.info("warning: %s", warning)  # not log.warning: --strict would make it fatal
    problems = checks.check_all(site.project(config))
    if problems:
        raise Abort("The sources have problems; nothing was published.\n" + report(problems))
    _checked.append(Path(config.site_dir))


@event_priority(0)  # after static-i18n's (50), which translates admonition titles (none configured)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    project = site.project(config)
    page.meta.update(site.draft_meta(page.file.src_uri, project))  # a draft shows the default language's title too
    return site.page_markdown(markdown, page.file.src_uri, project)


@event_priority(0)  # order-free: no plugin uses on_page_content (Material's search reads on_page_context)
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return site.search_seams(site.page_content(html, page.file.src_uri, site.project(config)))


@event_priority(0)  # order-free: no plugin uses on_post_template (404.html, sitemap.xml)
def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    if site.serving() or not template_name.endswith(".html"):
        return output_content
    return site.content_security_policy(output_content)


@event_priority(-200)  # after static-i18n's (-100): the CSP, last, hashes the page as written
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    project = site.project(config)
    src, dest = page.file.src_uri, page.file.dest_uri
    try:  # the markup the search need not read: table regions, the worksheet's form and pictograms
        output = site.in_page(output, page.content or "", lambda c: site.page_layout(c, src, project, dest))
    except site.ContentNotFound as error:
        raise Abort(f"{dest}: {error}") from error
    output = site.localise_footer(output, page.file.dest_uri, project)
    output = site.localise_permalinks(output, page.file.dest_uri, project)
    output = site.page_output(output, page.file.dest_uri, project)  # the page's language's search index
    return output if site.serving() else site.content_security_policy(output)


@event_priority(-200)  # after static-i18n (-100) built every language and the offline plugin (-100) inlined the index
def on_post_build(config: MkDocsConfig) -> None:
    if not _outer_build(config):
        return  # the outer build handles the finished site, every language written
    project, site_dir = site.project(config), Path(config.site_dir)
    site.split_search_index(site_dir, project)
    site.prune_search_languages(site_dir, project)
    site.minify_css(site_dir)
    stale = site.stale_downloads(project)
    if stale:
        log.info("warning: %s", stale)  # not log.warning: --strict would make it fatal
    site.copy_downloads(site_dir, project)
    cards.write_web_pictograms(project, site_dir)  # the worksheet forms' pictograms, one copy each
    site.patch_worker_shim(site_dir)  # file:// search under the Content-Security-Policy
    problems = checks.check_site(site_dir, project)  # last: the site as it will be published
    if problems:
        where = site.set_aside(site_dir)  # never left where pack and serve --lan would take it
        raise Abort(
            "The built site has problems; it was not published"
            + (f" (moved to {where})" if where else "")
            + ".\n"
            + report(problems)
        )


@event_priority(0)  # order-free: it only moves the partial site aside, whatever plugins did before
def on_build_error(error: Exception) -> None:
    """A build that stops once it has started writing (a warning in strict mode, in any language's
    build, which static-i18n runs inside the first one) leaves a partial site: set it aside too."""
    if _checked and (where := site.set_aside(_checked.pop())):
        log.info("The build stopped: the partial site was moved to %s, not published.", where)
