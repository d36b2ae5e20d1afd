"""Stop the build when the sources or the built pages have problems, reporting all of them."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority

from terrain import checks, site, upstream
from terrain.problems import report

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.hooks.terrain")


def _outer_build(config: MkDocsConfig) -> bool:
    """static-i18n builds the other languages inside the first build: act once, outside them."""
    return not upstream.nested_language_build(config)


_checked: list[Path] = []  # the site being written, once its sources passed their checks


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


@event_priority(-300)  # last: after every language is written and the search index is split
def on_post_build(config: MkDocsConfig) -> None:
    if not _outer_build(config):
        return
    problems = checks.check_site(Path(config.site_dir), site.project(config))
    if problems:
        where = site.set_aside(Path(config.site_dir))  # never left where pack and serve --lan would take it
        raise Abort(
            "The built site has problems; it was not published"
            + (f" (moved to {where})" if where else "")
            + ".\n"
            + report(problems)
        )


def on_build_error(error: Exception) -> None:
    """A build that stops once it has started writing (a warning in strict mode, in any language's
    build, which static-i18n runs inside the first one) leaves a partial site: set it aside too."""
    if _checked and (where := site.set_aside(_checked.pop())):
        log.info("The build stopped: the partial site was moved to %s, not published.", where)
