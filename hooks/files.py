"""Load the curriculum, build the nav, and stage docs/, modules/ and worksheets/ for every language."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from terrain import site

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if getattr(config.plugins.get("i18n"), "building", False):
        return config  # a nested language build: sources already loaded and staged
    project = site.load(config)  # `mkdocs serve` reloads the config, so this runs on every rebuild
    config.docs_dir = str(site.stage(project))
    config.nav = site.nav(project)
    return config


@event_priority(-250)  # after every language is built, before the built site is checked
def on_post_build(config: MkDocsConfig) -> None:
    if not getattr(config.plugins.get("i18n"), "building", False):
        site.copy_downloads(Path(config.site_dir), site.project(config))
        site.patch_worker_shim(Path(config.site_dir))  # file:// search under the Content-Security-Policy
