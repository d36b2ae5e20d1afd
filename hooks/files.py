"""Load the curriculum, build the nav, and stage docs/, modules/ and worksheets/ for every language."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from terrain import site, upstream

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.hooks.terrain")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if upstream.nested_language_build(config):
        return config  # a nested language build: sources already loaded and staged
    project = site.load(config)  # `mkdocs serve` reloads the config, so this runs on every rebuild
    config.docs_dir = str(site.stage(project))
    config.nav = site.nav(project)
    return config


@event_priority(-250)  # after every language is built, before the built site is checked
def on_post_build(config: MkDocsConfig) -> None:
    if not upstream.nested_language_build(config):
        stale = site.stale_downloads(site.project(config))
        if stale:
            log.info("warning: %s", stale)  # not log.warning: --strict would make it fatal
        site.copy_downloads(Path(config.site_dir), site.project(config))
        site.patch_worker_shim(Path(config.site_dir))  # file:// search under the Content-Security-Policy
