"""Translation workflow: status of every translated file, marking a translation current,
and adding a new language without touching any existing file."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from .problems import rel
from .project import FRONT_MATTER, Page, Project, body_hash, read_page


def sources(project: Project):
    """Every translatable page as (name without language, {lang: Path})."""
    for unit in project.units():
        yield f"{unit.src_dir}/{unit.slug}/index.md", {l: unit.folder / f"index.{l}.md" for l in project.languages}
    for key, paths in project.docs_pages().items():
        yield f"docs/{key}", {l: project.root / "docs" / (key[:-3] + f".{l}.md") for l in project.languages}


def status(project: Project) -> dict[str, dict[str, list[str]]]:
    """Per language: missing, out of date (English changed since) and draft files."""
    report: dict[str, dict[str, list[str]]] = {}
    default = project.default_language
    for lang in project.languages:
        if lang == default:
            continue
        states = {"missing": [], "outdated": [], "draft": []}
        for name, paths in sources(project):
            source, target = paths[default], paths[lang]
            if not source.exists():
                continue
            if not target.exists():
                states["missing"].append(rel(target, project.root))
                continue
            src_page, _ = read_page(source, project.root, default)
            page, _ = read_page(target, project.root, lang)
            info = page.translation
            if info.get("status") == "draft":
                states["draft"].append(rel(target, project.root))
            elif info.get("source_hash") != body_hash(src_page.body):
                states["outdated"].append(rel(target, project.root))
        report[lang] = states
    return report


def set_translation(path: Path, source_hash: str, state: str) -> None:
    """Write `translation: {source_hash, status}` into a file's front matter, keeping the rest."""
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    block = f"translation:\n  source_hash: {source_hash}\n  status: {state}\n"
    if not match:
        text = f"---\n{block}---\n{text}"
    else:
        meta = match.group(1)
        meta = re.sub(r"^translation:.*?(?=^\S|\Z)", "", meta, flags=re.S | re.M)
        text = f"---\n{meta}{block}---\n" + text[match.end():]
    path.write_text(text, encoding="utf-8")


def mark(project: Project, lang: str, targets: list[Path]) -> list[str]:
    """Record that translations are current with today's English; returns what was marked."""
    done = []
    for name, paths in sources(project):
        target = paths.get(lang)
        if target is None or not target.exists():
            continue
        if targets and not any(target.resolve() == t.resolve() or t.resolve() in target.resolve().parents for t in targets):
            continue
        source, _ = read_page(paths[project.default_language], project.root, project.default_language)
        set_translation(target, body_hash(source.body), "current")
        done.append(rel(target, project.root))
    return done
