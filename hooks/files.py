"""Load the curriculum, build the nav, and stage docs/, modules/ and worksheets/ for every language."""
from __future__ import annotations

from typing import TYPE_CHECKING

from terrain import site

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    project = site.load(config)
    config.docs_dir = str(site.stage(project))
    config.nav = site.nav(project)
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    site.load(config)
