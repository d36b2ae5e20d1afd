"""hooks/pipeline.py: one file, its hooks in the order MkDocs calls them, one guard for static-i18n."""

from __future__ import annotations

import inspect
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from mkdocs.exceptions import Abort

ROOT = Path(__file__).resolve().parent.parent

# The order in which `mkdocs build` fires the events (mkdocs/commands/build.py): pages are read
# and rendered before the theme's static templates, which are written before the pages.
BUILD_ORDER = [
    "on_startup",
    "on_config",
    "on_pre_build",
    "on_files",
    "on_nav",
    "on_page_markdown",
    "on_page_content",
    "on_env",
    "on_post_template",
    "on_page_context",
    "on_post_page",
    "on_post_build",
    "on_build_error",  # only when a build fails, after whatever ran
]


def load_hooks():
    """The hooks file loaded as MkDocs loads it: its folder first on sys.path while it imports."""
    from mkdocs.config.config_options import Hooks

    return Hooks("plugins")._load_hook("hooks/pipeline.py", str(ROOT / "hooks" / "pipeline.py"))


def test_mkdocs_yml_names_one_hooks_file_that_exists():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert config["hooks"] == ["hooks/pipeline.py"]
    assert sorted(p.name for p in (ROOT / "hooks").glob("*.py")) == ["pipeline.py"]


def test_hooks_are_in_build_order_each_with_a_stated_priority():
    hooks = load_hooks()
    source = (ROOT / "hooks" / "pipeline.py").read_text(encoding="utf-8")
    names = [name for name, _ in inspect.getmembers(hooks, inspect.isfunction) if name.startswith("on_")]
    assert names, "hooks/pipeline.py defines no hook"
    assert set(names) <= set(BUILD_ORDER), f"an event this test does not know: {set(names) - set(BUILD_ORDER)}"
    defined = sorted(names, key=lambda name: source.index(f"def {name}("))
    assert defined == [name for name in BUILD_ORDER if name in names]
    for name in names:
        assert hasattr(getattr(hooks, name), "mkdocs_priority"), f"{name} has no @event_priority"
        line = source.splitlines()[source[: source.index(f"def {name}(")].count("\n") - 1]
        assert line.startswith("@event_priority(") and "  # " in line, f"{name}: say why it has its priority"


def config_with(plugin, tmp_path: Path):
    return SimpleNamespace(plugins={"i18n": plugin}, site_dir=str(tmp_path / "site"), config_file_path="unused")


def test_the_once_hooks_do_nothing_inside_a_nested_language_build(tmp_path):
    hooks = load_hooks()
    config = config_with(SimpleNamespace(building=True), tmp_path)
    assert hooks.on_config(config) is config  # neither loads nor stages the project again
    hooks.on_pre_build(config)
    hooks.on_post_build(config)  # would read config_file_path and site_dir if it acted
    assert not (tmp_path / "site").exists()


def test_a_static_i18n_without_building_stops_the_build_with_the_reason(tmp_path):
    hooks = load_hooks()
    for hook in (hooks.on_config, hooks.on_pre_build, hooks.on_post_build):
        with pytest.raises(Abort, match=r"static-i18n.*building.*terrain/upstream\.py"):
            hook(config_with(object(), tmp_path))


def test_a_page_gets_its_layout_where_its_content_was_written_or_the_build_stops():
    """on_post_page adds the markup without words (table regions, the worksheet's sections and
    pictograms) after Material's search has read the content: at the one place the theme wrote
    `page.content`. A theme that writes it otherwise stops the build, rather than publish pages
    without their regions."""
    hooks = load_hooks()
    page = SimpleNamespace(
        content="<table><tr><td>x</td></tr></table>",
        file=SimpleNamespace(src_uri="about.md", dest_uri="about.html"),
    )
    from terrain.project import Project

    project = Project.load(ROOT)
    config = SimpleNamespace()
    written = '<html><article class="md-content__inner md-typeset"><table><tr><td>x</td></tr></table></article></html>'
    import terrain.site as site

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site, "project", lambda config: project)
        patch.setattr(site, "serving", lambda: True)  # no Content-Security-Policy: the page as laid out
        out = hooks.on_post_page(written, page, config)
        assert 'role="region" tabindex="0"' in out and out.count("<table>") == 1, out
        with pytest.raises(Abort, match="content is not in the page"):
            hooks.on_post_page(written.replace("<td>x", "<td>y"), page, config)
