"""Translation workflow: status of every translated file, marking a translation current,
and adding a new language without touching any existing file."""
from __future__ import annotations

import re
from pathlib import Path

from .problems import rel
from .project import FRONT_MATTER, Page, Project, body_hash, read_page


def sources(project: Project):
    """Every translatable page as (name without language, {lang: Path})."""
    for unit in project.units():
        yield f"{unit.src_dir}/{unit.slug}/index.md", {l: unit.folder / f"index.{l}.md" for l in project.languages}
    for key, paths in project.docs_pages().items():  # noqa: B007 — the key is what is yielded; paths are rebuilt per language
        yield f"docs/{key}", {l: project.root / "docs" / (key[:-3] + f".{l}.md") for l in project.languages}


def status(project: Project) -> dict[str, dict[str, list[str]]]:
    """Per language: missing, out of date (English changed since) and draft files."""
    report: dict[str, dict[str, list[str]]] = {}
    default = project.default_language
    for lang in project.languages:
        if lang == default:
            continue
        states = {"missing": [], "outdated": [], "draft": []}
        for name, paths in sources(project):  # noqa: B007 — name is not needed here
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
    path.write_text(with_translation(path.read_text(encoding="utf-8"), source_hash, state), encoding="utf-8")


def with_translation(text: str, source_hash: str, state: str) -> str:
    """A page's text with `translation: {source_hash, status}` in its front matter."""
    match = FRONT_MATTER.match(text)
    block = f"translation:\n  source_hash: '{source_hash}'\n  status: {state}\n"
    if not match:
        text = f"---\n{block}---\n{text}"
    else:
        meta = match.group(1)
        meta = re.sub(r"^translation:.*?(?=^\S|\Z)", "", meta, flags=re.S | re.M)
        text = f"---\n{meta}{block}---\n" + text[match.end():]
    return text


def _prose(body: str) -> list[str]:
    """Lines of a page that carry words (not markers, answers' tags, table rules or headings)."""
    from .markdown import prose_lines

    lines = []
    for _, line in prose_lines(body):  # code blocks are not translated
        text = re.sub(r"`[^`]*`", "", line).strip()
        if re.search(r"[^\W\d_]{3}", text) and not text.startswith(("<!--", "<details", "</details", "|--", "|:-", "#")):
            lines.append(text)
    return lines


def untranslated_share(source: Page, page: Page) -> float:
    """The share of a translation's lines that are still word for word the source's."""
    english, lines = set(_prose(source.body)), _prose(page.body)
    return sum(line in english for line in lines) / len(lines) if lines else 1.0


def mark(project: Project, lang: str, targets: list[Path]) -> tuple[list[str], list[str]]:
    """Record that translations are current with today's English.

    Returns (marked, refused): a page whose lines are still mostly the English is refused, so
    that a draft copy cannot be declared translated by mistake.
    """
    done, refused = [], []
    for name, paths in sources(project):  # noqa: B007 — name is not needed here
        target = paths.get(lang)
        if target is None or not target.exists():
            continue
        if targets and not any(target.resolve() == t.resolve() or t.resolve() in target.resolve().parents for t in targets):
            continue
        source, _ = read_page(paths[project.default_language], project.root, project.default_language)
        page, _ = read_page(target, project.root, lang)
        share = untranslated_share(source, page)
        if share > 0.2:
            refused.append(f"{rel(target, project.root)}: {share:.0%} of its lines are still as in {rel(source.path, project.root)} — translate them, then mark it again")
            continue
        set_translation(target, body_hash(source.body), "current")
        done.append(rel(target, project.root))
    return done, refused


# ---- a new language ---------------------------------------------------------------------------

LOCALE = re.compile(r"^(\s*)- locale: (\S+)\s*$")


def _add_to_mkdocs(text: str, lang: str, name: str) -> str:
    """Append a language to the i18n plugin's list in mkdocs.yml, keeping the file's layout."""
    lines = text.split("\n")
    last = max(i for i, line in enumerate(lines) if LOCALE.match(line))
    indent = LOCALE.match(lines[last]).group(1)
    end = last + 1
    while end < len(lines) and lines[end].strip() and len(lines[end]) - len(lines[end].lstrip()) > len(indent):
        end += 1
    block = [f"{indent}- locale: {lang}", f"{indent}  name: {_yaml_string(name)}", f"{indent}  build: true", f"{indent}  site_name: Terrain"]
    return "\n".join(lines[:end] + block + lines[end:])


def _add_to_glossary(text: str, lang: str) -> str:
    """Give every glossary entry a `LANG:` block holding the English, for the translator to replace."""
    import yaml

    entries = {e["id"]: e for e in yaml.safe_load(text) or []}
    out, current = [], None
    lines = text.split("\n")

    def close(entry_id):
        entry = entries.get(entry_id)
        if entry and lang not in entry:
            en = entry["en"]
            out.append(f"  {lang}:  # draft: translate from en")
            for key in ("term", "expansion", "definition"):
                if key in en:
                    out.append(f"    {key}: {json_quote(en[key])}")

    for line in lines:
        match = re.match(r"^- id:\s*(\S+)", line)
        if match:
            if current:
                while out and not out[-1].strip():
                    out.pop()
                close(current)
                out.append("")
            current = match.group(1)
        out.append(line)
    if current:
        while out and not out[-1].strip():
            out.pop()
        close(current)
        out.append("")
    return "\n".join(out)


def _add_to_readings(text: str, lang: str, default: str) -> str:
    """Give every reading's `note:` a `LANG:` line holding the English note, for the translator."""
    lines, out, index = text.split("\n"), [], 0
    while index < len(lines):
        line = lines[index]
        out.append(line)
        index += 1
        if re.match(r"^  note:\s*$", line):
            english = None
            while index < len(lines) and lines[index].startswith("    "):
                match = re.match(rf"^    {default}:\s*(.*)$", lines[index])
                english = match.group(1) if match else english
                out.append(lines[index])
                index += 1
            if english is not None:
                out.append(f"    {lang}: {english}  # draft: translate from {default}")
    return "\n".join(out)


def json_quote(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def new_language(project: Project, lang: str, name: str | None = None) -> list[str]:
    """Add a language: mkdocs.yml, interface strings, glossary blocks and draft pages.

    Existing pages are never overwritten; what already exists is reported and left alone.
    Returns the translator's checklist, line by line.
    """
    if not re.fullmatch(r"[a-z]{2}", lang):
        raise ValueError(f"`{lang}` is not a two-letter language code — use one like `pt` or `es`")
    if lang in project.languages:
        raise ValueError(f"`{lang}` is already configured in mkdocs.yml — run `terrain i18n status` to see what is left to translate")
    name = (name or lang).strip()
    if not name or len(name) > 60 or any(ord(c) < 32 or c in "\u2028\u2029\x7f" for c in name):
        raise ValueError(f"the name {name!r} cannot be used — give the language's own name in a few words, like --name Português")
    root = project.root
    done: list[str] = []
    writes: dict[Path, str] = {}  # every change, made in memory first: all of them are written, or none

    mkdocs = root / "mkdocs.yml"
    writes[mkdocs] = _add_to_mkdocs(mkdocs.read_text(encoding="utf-8"), lang, name)
    done.append(f"configured `{lang}` ({name}) in mkdocs.yml: the site and the print edition build it")

    ui = root / "data" / "ui" / f"{lang}.yml"
    if ui.exists():
        done.append(f"kept the existing {rel(ui, root)}")
    else:
        text = (root / "data" / "ui" / f"{project.default_language}.yml").read_text(encoding="utf-8")
        text = re.sub(r"^language_name: .*$", lambda m: f"language_name: {_yaml_string(name)}", text, count=1, flags=re.M)
        writes[ui] = f"# DRAFT: interface strings for `{lang}`, copied from English. Translate every value; keep the keys.\n" + text
        done.append(f"created {rel(ui, root)} (interface strings, in English: translate them)")

    terms = root / "data" / "terms" / f"{lang}.yml"
    if terms.exists():
        done.append(f"kept the existing {rel(terms, root)}")
    else:
        terms.parent.mkdir(parents=True, exist_ok=True)
        terms.write_text(f"# Terminology base for `{lang}`: one entry per decision (the fields are explained at the top of data/terms/fr.yml).\n# `terrain check` reports every forbidden variant it finds in the {lang} sources.\n[]\n", encoding="utf-8")
        done.append(f"created {rel(terms, root)} (the terminology base, empty: record each term you decide on)")

    glossary = root / "data" / "glossary.yml"
    writes[glossary] = _add_to_glossary(glossary.read_text(encoding="utf-8"), lang)
    done.append(f"added a `{lang}:` block, in English, to each of the {len(project.glossary)} terms of data/glossary.yml")

    readings = root / "data" / "readings.yml"
    writes[readings] = _add_to_readings(readings.read_text(encoding="utf-8"), lang, project.default_language)
    done.append(f"added a `{lang}:` note, in English, to each reading of data/readings.yml")

    created = kept = 0
    for _, paths in sources(project):
        source = paths[project.default_language]
        target = source.with_name(source.name.replace(f".{project.default_language}.md", f".{lang}.md"))
        if not source.exists():
            continue
        if target.exists():
            kept += 1
            continue
        page, _ = read_page(source, root, project.default_language)
        writes[target] = with_translation(source.read_text(encoding="utf-8"), body_hash(page.body), "draft")
        created += 1
    done.append(f"created {created} draft pages marked `translation: {{status: draft}}`" + (f"; kept {kept} that existed" if kept else ""))
    _write_all(root, writes)
    done += [
        "",
        "Translator's checklist:",
        f"  1. data/ui/{lang}.yml — translate every value (section headings, callout titles, labels, notices).",
        f"  2. data/glossary.yml — replace each `{lang}:` block's term, expansion and definition; data/readings.yml — each `{lang}:` note; data/terms/{lang}.yml — each term you decide on, with the variants to avoid.",
        f"  3. every index.{lang}.md — translate it completely; keep headings as in data/ui/{lang}.yml, markers, <details> blocks, minutes and link paths.",
        f"  4. mkdocs.yml — add `nav_translations` for {lang} (Start here, Modules, Worksheets, Reference).",
        f"  5. `terrain i18n mark {lang} PATH` when a page is done; `terrain i18n status` shows what is left.",
        "  6. `terrain check`, then `make serve` to read it as participants will.",
    ]
    return done


def _yaml_string(text: str) -> str:
    """A YAML scalar that reads back as `text`, whatever it holds (a colon, a quote, a #)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def _write_all(root: Path, writes: dict[Path, str]) -> None:
    """Check that every YAML file still reads, then write each file; on any failure, restore
    what was written, so that a language is added whole or not at all."""
    import os

    from . import yamlfile

    for path, text in writes.items():
        if path.suffix == ".yml":
            _, _, problems = yamlfile.parse(text, rel(path, root))
            if problems:
                raise ValueError(f"adding the language would break {rel(path, root)} ({problems[0].message.split(' — ')[0]}) — nothing was changed")
    originals = {path: (path.read_bytes() if path.exists() else None) for path in writes}
    done: list[Path] = []
    try:
        for path, text in writes.items():
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
            done.append(path)
    except BaseException:
        for path in done:
            if originals[path] is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(originals[path])
        raise
