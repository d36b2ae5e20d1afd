"""Translation workflow: status of every translated file, marking a translation current,
and adding a new language without touching any existing file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .problems import rel
from .project import FRONT_MATTER, Page, Project, body_hash, read_page


def sources(project: Project) -> Iterator[tuple[str, dict[str, Path]]]:
    """Every translatable page as (name without language, {lang: Path})."""
    for unit in project.units():
        yield f"{unit.src_dir}/{unit.slug}/index.md", {l: unit.folder / f"index.{l}.md" for l in project.languages}
    for key, paths in project.docs_pages().items():  # noqa: B007 — the key is what is yielded; paths are rebuilt per language
        yield f"docs/{key}", {l: project.root / "docs" / (key[:-3] + f".{l}.md") for l in project.languages}


def status(project: Project) -> dict[str, dict[str, list[str]]]:
    """Per language: missing, out of date (English changed since) and draft files."""
    report: dict[str, dict[str, list[str]]] = {}
    default = project.default_language
    # the pages the project has read already (read_page of the same files): not read again
    loaded = {page.path: page for unit in project.units() for page in unit.pages.values()}
    loaded.update((page.path, page) for pages in project.docs.values() for page in pages.values())

    def page_of(path: Path, lang: str) -> Page:
        return loaded[path] if path in loaded else read_page(path, project.root, lang)[0]

    for lang in project.languages:
        if lang == default:
            continue
        states: dict[str, list[str]] = {"missing": [], "outdated": [], "draft": []}
        store = read_store(project, lang)  # once, not once per page
        for name, paths in sources(project):
            source, target = paths[default], paths[lang]
            if not source.exists():
                continue
            if not target.exists():
                states["missing"].append(rel(target, project.root))
                continue
            src_page, page = page_of(source, default), page_of(target, lang)
            info = page.translation
            if info.get("status") == "draft":
                states["draft"].append(rel(target, project.root))
            elif not is_fresh(project, lang, name, src_page, page, store):
                states["outdated"].append(rel(target, project.root))
        report[lang] = states
    return report


# ---- what a translation was made from: data/translated-from/LANG.json (issue 15) --------------

STORE = "data/translated-from"
MAX_STORE = 20_000_000  # bytes: a store larger than this is not read


def store_path(project: Project, lang: str) -> Path:
    return project.root / STORE / f"{lang}.json"


def read_store(project: Project, lang: str) -> dict:
    """{language-free page: {hash, title, summary, paragraphs}} as recorded by `terrain i18n mark`."""
    import json

    path = store_path(project, lang)
    if not path.is_file() or path.is_symlink() or path.stat().st_size > MAX_STORE:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def blocks(body: str) -> list[str]:
    """A page body as paragraphs (blocks between blank lines), as written."""
    return [b.strip("\n") for b in re.split(r"\n[ \t]*\n", body.strip()) if b.strip()]


def record(source: Page) -> dict:
    return {
        "hash": body_hash(source.body),
        "title": source.title,
        "summary": source.summary,
        "paragraphs": blocks(source.body),
    }


def is_fresh(project: Project, lang: str, name: str, source: Page, page: Page, store: dict | None = None) -> bool:
    """A translation is current when the default language's body, title and summary are those it was marked against.

    `store`: the language's read_store, when the caller has read it already."""
    if page.translation.get("source_hash") != body_hash(source.body):
        return False
    recorded = (read_store(project, lang) if store is None else store).get(name)
    return not (
        isinstance(recorded, dict)
        and (recorded.get("title"), recorded.get("summary")) != (source.title, source.summary)
    )


def diff(project: Project, lang: str, target: Path) -> list[str]:
    """The default-language paragraphs (and title, summary) that changed since `target` was marked,
    each with its line in today's default-language file."""
    import difflib

    for name, paths in sources(project):  # noqa: B007 — the loop stops at the page asked for; `name` is read after it
        own = paths.get(lang)
        if own is not None and target.resolve() in (own.resolve(), own.parent.resolve()):
            break
    else:
        raise ValueError(
            f"{target} is no translated page of `{lang}` — give a file like modules/04-formalisation/index.{lang}.md or its folder"
        )
    source, _ = read_page(paths[project.default_language], project.root, project.default_language)
    recorded = read_store(project, lang).get(name)
    src_name = rel(source.path, project.root)
    if not isinstance(recorded, dict):
        own_page, _ = read_page(paths[lang], project.root, lang)
        if own_page.translation.get("status") == "draft":
            raise ValueError(
                f"{rel(paths[lang], project.root)} is a draft, never marked: there is nothing to compare yet — translate the whole of {src_name}, mark it with `terrain i18n mark {lang} {rel(paths[lang], project.root)}`, and from then on every change to the English shows here"
            )
        raise ValueError(
            f"{rel(paths[lang], project.root)} was marked before `terrain i18n mark` kept what it was translated from ({STORE}/{lang}.json) — compare the whole of {src_name}, then mark the page again: the next change will show here"
        )
    out = []
    for key in ("title", "summary"):
        if recorded.get(key) != getattr(source, key):
            out.append(f"{src_name}: the {key} changed:\n  - {recorded.get(key)}\n  + {getattr(source, key)}")
    old, new = [str(p) for p in recorded.get("paragraphs") or []], blocks(source.body)
    starts, offset = [], 0
    body = source.body.strip()
    lead = len(source.body) - len(source.body.lstrip())
    for block in new:
        at = body.find(block, offset)
        starts.append(source.body_line + source.body[: lead + at].count("\n"))
        offset = at + len(block)
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        where = f"{src_name}:{starts[b1]}" if b1 < len(new) else f"{src_name}:end"
        what = {"replace": "changed", "delete": "removed", "insert": "new"}[tag]
        lines = [f"{where}: {what}:"]
        lines += ["  - " + line for p in old[a1:a2] for line in p.split("\n")]
        lines += ["  + " + line for p in new[b1:b2] for line in p.split("\n")]
        out.append("\n".join(lines))
    return out


def _save_records(project: Project, lang: str, records: dict) -> None:
    import json
    import os

    if not records:
        return
    data = read_store(project, lang)
    data.update(records)
    path = store_path(project, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(dict(sorted(data.items())), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


# ---- strings still in the default language -----------------------------------------------------


def untranslated_strings(project: Project, lang: str) -> list[str]:
    """`file:line: …` for every paragraph of a marked page, glossary field, reading note and
    interface string that is still as in the default language."""
    from . import checks, yamlfile

    default, out = project.default_language, []
    for page, source, _ in checks._translated_pages(project):
        if page.lang == lang:
            still, _ = checks.still_default(source, page)
            out += [f"{page.name}:{line}: paragraph still in {default}" for line in still]
    glossary, lines, _ = project.read_yaml(project.root / "data" / "glossary.yml", "data/glossary.yml")
    for index, entry in enumerate(glossary if isinstance(glossary, list) else []):
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get(lang), dict)
            or not isinstance(entry.get(default), dict)
        ):
            continue
        for key in ("expansion", "definition"):
            value = entry[lang].get(key)
            if value and value == entry[default].get(key) and len(checks.WORD.findall(str(value))) >= 2:
                out.append(
                    f"data/glossary.yml:{yamlfile.line_of(lines, (index, lang, key))}: `{entry.get('id')}` {key} still in {default}"
                )
    readings, lines, _ = project.read_yaml(project.root / "data" / "readings.yml", "data/readings.yml")
    for index, entry in enumerate(readings if isinstance(readings, list) else []):
        note = entry.get("note") if isinstance(entry, dict) else None
        if isinstance(note, dict) and note.get(lang) and note.get(lang) == note.get(default):
            out.append(
                f"data/readings.yml:{yamlfile.line_of(lines, (index, 'note', lang))}: note of `{entry.get('id')}` still in {default}"
            )
    mine, lines, _ = project.read_yaml(project.root / "data" / "ui" / f"{lang}.yml", f"data/ui/{lang}.yml")
    theirs, _, _ = project.read_yaml(project.root / "data" / "ui" / f"{default}.yml", f"data/ui/{default}.yml")

    def walk(a, b, path):
        if isinstance(a, dict) and isinstance(b, dict):
            for key in a:
                if key in b:
                    walk(a[key], b[key], path + (key,))
        elif isinstance(a, list) and isinstance(b, list):
            for index, (x, y) in enumerate(zip(a, b)):
                walk(x, y, path + (index,))
        elif (
            isinstance(a, str)
            and a == b
            and len(checks.WORD.findall(a)) >= 2
            and path[-1:] not in (("language_name",), ("language_in_sentence",))
        ):
            out.append(
                f"data/ui/{lang}.yml:{yamlfile.line_of(lines, path)}: `{'.'.join(map(str, path))}` still in {default}"
            )

    walk(mine, theirs, ())
    return [line for line in out if not _kept(project, line)]


def cards_left(project: Project, lang: str) -> list[str]:
    """`file:line: …` for every cards.yml with a title, label or story that has no `lang:` text yet
    (one line per file, as `terrain check` prints them): the module's cards stay in the default
    language, marked not yet translated, until every text of the file has one."""
    from .cards import cards_to_translate

    return [line for line in cards_to_translate(project) if f"no `{lang}:` text yet" in line]


KEPT = re.compile(r"#\s*same as [a-z]{2}\b", re.I)


def _kept(project: Project, found: str) -> bool:
    """A data string marked `# same as en` at the end of its line stays as in the default language (a name)."""
    name, line = found.split(":", 2)[:2]
    if not name.startswith("data/") or not line.isdigit():
        return False
    try:
        lines = (project.root / name).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return False
    return 0 < int(line) <= len(lines) and bool(KEPT.search(lines[int(line) - 1]))


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
        text = f"---\n{meta}{block}---\n" + text[match.end() :]
    return text


def _prose(body: str) -> list[str]:
    """Lines of a page that carry words (not markers, answers' tags, table rules or headings)."""
    from .markdown import prose_lines

    lines = []
    for _, line in prose_lines(body):  # code blocks are not translated
        text = re.sub(r"`[^`]*`", "", line).strip()
        if re.search(r"[^\W\d_]{3}", text) and not text.startswith(
            ("<!--", "<details", "</details", "|--", "|:-", "#")
        ):
            lines.append(text)
    return lines


def untranslated_share(source: Page, page: Page) -> float:
    """The share of a translation's lines that are still word for word the source's."""
    english, lines = set(_prose(source.body)), _prose(page.body)
    return sum(line in english for line in lines) / len(lines) if lines else 1.0


def mark(project: Project, lang: str, targets: list[Path]) -> tuple[list[str], list[str]]:
    """Record that translations are current with today's English.

    Returns (marked, refused): a page with a paragraph still in the default language is refused
    (checks.still_default), so that a draft copy cannot be declared translated by mistake. What
    the page was translated from is kept in data/translated-from/LANG.json, for `i18n diff`.
    """
    from . import checks

    done, refused, records = [], [], {}
    for name, paths in sources(project):
        target = paths.get(lang)
        if target is None or not target.exists():
            continue
        if targets and not any(
            target.resolve() == t.resolve() or t.resolve() in target.resolve().parents for t in targets
        ):
            continue
        source, _ = read_page(paths[project.default_language], project.root, project.default_language)
        page, _ = read_page(target, project.root, lang)
        lines, share = checks.still_default(source, page)
        if lines:
            where = ", ".join(str(l) for l in lines[:12]) + (" …" if len(lines) > 12 else "")
            refused.append(
                f"{rel(target, project.root)}: {len(lines)} paragraph(s), {share:.0%} of its words, still as in {rel(source.path, project.root)} (lines {where}) — translate them, then mark it again"
            )
            continue
        set_translation(target, body_hash(source.body), "current")
        records[name] = record(source)
        done.append(rel(target, project.root))
    _save_records(project, lang, records)
    return done, refused


# ---- a new language ---------------------------------------------------------------------------

LANGUAGE_TAG = re.compile(
    r"[a-z]{2}(-[A-Z]{2})?"
)  # ISO 639-1, optionally with an ISO 3166 country (what mkdocs-static-i18n accepts)
LOCALE = re.compile(r"^(\s*)- locale: (\S+)\s*$")


def _add_to_mkdocs(text: str, lang: str, name: str, sections: list[str] | None = None) -> str:
    """Append a language to the i18n plugin's list in mkdocs.yml, keeping the file's layout, with
    its `nav_translations`: the menu's section titles, in the default language until translated."""
    lines = text.split("\n")
    locales = [(i, m) for i, line in enumerate(lines) if (m := LOCALE.match(line))]
    if not locales:
        raise ValueError(
            "mkdocs.yml has no `- locale:` line in the i18n plugin's languages — restore it from git, then add the language again"
        )
    last, found = locales[-1]
    indent = found.group(1)
    end = last + 1
    while end < len(lines) and lines[end].strip() and len(lines[end]) - len(lines[end].lstrip()) > len(indent):
        end += 1
    block = [
        f"{indent}- locale: {lang}",
        f"{indent}  name: {_yaml_string(name)}",
        f"{indent}  build: true",
        f"{indent}  site_name: Terrain",
    ]
    if sections:
        block.append(f"{indent}  nav_translations:  # the menu's section titles: translate each value, keep each key")
        block += [f"{indent}    {_yaml_key(title)}: {_yaml_key(title)}" for title in sections]
    return "\n".join(lines[:end] + block + lines[end:])


def _yaml_key(text: str) -> str:
    """A plain YAML scalar when `text` is one, else quoted."""
    return text if re.fullmatch(r"[A-Za-z][\w ]*\w", text) else _yaml_string(text)


def nav_sections(project: Project) -> list[str]:
    """The section titles of the site's menu (terrain/site.py builds it), as `nav_translations` keys."""
    from .site import nav

    return [title for section in nav(project) for title in section]


def is_language_code(lang: str) -> bool:
    """Whether a tag's language is one that browsers and screen readers know (the CLDR list, from
    Babel, which the Material theme installs; the theme's own languages without it)."""
    base = lang.split("-")[0]
    try:
        from babel import Locale

        return base in Locale("en").languages
    except ImportError:
        return theme_language(base) == base


def theme_language(lang: str) -> str:
    """The Material theme language for a tag: itself, its base language (pt for pt-MZ), or en."""
    try:
        import material

        folder = Path(material.__file__).parent / "templates" / "partials" / "languages"
    except ImportError:
        return lang
    for candidate in (lang, lang.split("-")[0]):
        if (folder / f"{candidate}.html").is_file():
            return candidate
    return "en"


def _add_to_glossary(text: str, lang: str, default: str) -> str:
    """Give every glossary entry a `LANG:` block holding the default language's text, for the
    translator to replace."""
    import yaml

    entries = {e["id"]: e for e in yaml.safe_load(text) or []}
    out, current = [], None
    lines = text.split("\n")

    def close(entry_id):
        entry = entries.get(entry_id)
        if entry and lang not in entry and isinstance(entry.get(default), dict):
            source = entry[default]
            out.append(f"  {lang}:  # draft: translate from {default}")
            for key in ("term", "expansion", "definition"):
                if key in source:
                    out.append(f"    {key}: {json_quote(source[key])}")

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
    if not LANGUAGE_TAG.fullmatch(lang):
        raise ValueError(
            f"`{lang}` is not a language code — use a two-letter code like `pt` (ISO 639-1), or one with its country like `pt-MZ` or `fr-BF`; a language without a two-letter code (Mooré, Dioula…) takes an unused one, such as `qm`, with its own name in --name"
        )
    if lang in project.languages:
        raise ValueError(
            f"`{lang}` is already configured in mkdocs.yml — run `terrain i18n status` to see what is left to translate"
        )
    name = (name or lang).strip()
    if not name or len(name) > 60 or any(ord(c) < 32 or c in "\u2028\u2029\x7f" for c in name):
        raise ValueError(
            f"the name {name!r} cannot be used — give the language's own name in a few words, like --name Português"
        )
    root = project.root
    done: list[str] = []
    writes: dict[Path, str] = {}  # every change, made in memory first: all of them are written, or none

    mkdocs = root / "mkdocs.yml"
    writes[mkdocs] = _add_to_mkdocs(mkdocs.read_text(encoding="utf-8"), lang, name, nav_sections(project))
    done.append(f"configured `{lang}` ({name}) in mkdocs.yml: the site and the print edition build it")

    theme = theme_language(lang)
    partial = root / "overrides" / "partials" / "languages" / f"{lang}.html"
    if theme != lang and not partial.exists():  # the theme has no words for this tag (pt-MZ, qa)
        partial.parent.mkdir(parents=True, exist_ok=True)
        writes[partial] = (
            f"{{#- Written by `terrain i18n new`: the theme's own words (search, menu) for `{lang}`, taken from `{theme}`\n"
            f"    until the Material theme has this language; the page still says it is in `{lang}`. -#}}\n"
            f'{{% import "partials/languages/{theme}.html" as base %}}\n'
            f'{{% macro t(key) %}}{{% if key == "language" %}}{lang}{{% else %}}{{{{ base.t(key) }}}}{{% endif %}}{{% endmacro %}}\n'
        )
        done.append(f"created {rel(partial, root)} (the theme's words for `{lang}`, from `{theme}`)")

    ui = root / "data" / "ui" / f"{lang}.yml"
    if ui.exists():
        done.append(f"kept the existing {rel(ui, root)}")
    else:
        text = (root / "data" / "ui" / f"{project.default_language}.yml").read_text(encoding="utf-8")
        text = re.sub(
            r"^language_name: .*$", lambda m: f"language_name: {_yaml_string(name)}", text, count=1, flags=re.M
        )
        text = re.sub(  # the name inside a sentence: the same until the translator writes it (`português`)
            r"^language_in_sentence: .*$",
            lambda m: (
                f"language_in_sentence: {_yaml_string(name)}  # your language's name inside a sentence, e.g. `português`"
            ),
            text,
            count=1,
            flags=re.M,
        )
        if not is_language_code(lang):  # `qm` for Mooré: the pages must still declare a real tag
            text = re.sub(
                r"^(language_name: .*)$",
                lambda m: (
                    m.group(1)
                    + f"\nlanguage_tag: qaa  # what the pages declare to screen readers: `{lang}` is no language's code — write the language's ISO 639-3 code (Mooré: mos, Dioula: dyu); qaa is reserved for local use"
                ),
                text,
                count=1,
                flags=re.M,
            )
        writes[ui] = (
            f"# DRAFT: interface strings for `{lang}`, copied from English. Translate every value; keep the keys.\n"
            + text
        )
        done.append(f"created {rel(ui, root)} (interface strings, in English: translate them)")
        if not is_language_code(lang):
            done.append(
                f"`{lang}` is no language's code: the pages declare `qaa` (reserved for local use) to screen readers — write the language's ISO 639-3 code in `language_tag:` of {rel(ui, root)}"
            )

    terms = root / "data" / "terms" / f"{lang}.yml"
    if terms.exists():
        done.append(f"kept the existing {rel(terms, root)}")
    else:
        terms.parent.mkdir(parents=True, exist_ok=True)
        writes[terms] = (
            f"# Terminology base for `{lang}`: one entry per decision (the fields are explained at the top of data/terms/fr.yml).\n# `terrain check` reports every forbidden variant it finds in the {lang} sources.\n[]\n"
        )
        done.append(f"created {rel(terms, root)} (the terminology base, empty: record each term you decide on)")

    glossary = root / "data" / "glossary.yml"
    writes[glossary] = _add_to_glossary(glossary.read_text(encoding="utf-8"), lang, project.default_language)
    done.append(
        f"added a `{lang}:` block, in the default language ({project.default_language}), to each of the {len(project.glossary)} terms of data/glossary.yml"
    )

    readings = root / "data" / "readings.yml"
    writes[readings] = _add_to_readings(readings.read_text(encoding="utf-8"), lang, project.default_language)
    done.append(
        f"added a `{lang}:` note, in the default language ({project.default_language}), to each reading of data/readings.yml"
    )

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
    done.append(
        f"created {created} draft pages marked `translation: {{status: draft}}`"
        + (f"; kept {kept} that existed" if kept else "")
    )
    _write_all(root, writes)
    done += [
        "",
        "Translator's checklist:",
        f"  1. data/ui/{lang}.yml — translate every value (section headings, callout titles, labels, notices).",
        f"  2. data/glossary.yml — replace each `{lang}:` block's term, expansion and definition; data/readings.yml — each `{lang}:` note; delete the `# draft` comment of each one you translate. data/terms/{lang}.yml — each term you decide on, with the variants to avoid. modules/NN-slug/cards.yml — add `{lang}: …` to each picture card's title, label and story (`terrain check` lists each one left).",
        f"  3. every index.{lang}.md — translate it completely; keep headings as in data/ui/{lang}.yml, markers, <details> blocks, minutes and link paths. Until it is marked, the site shows the English page with a notice, and the print edition leaves it out.",
        f"  4. mkdocs.yml — under `locale: {lang}`, translate each value of `nav_translations` (the menu's section titles); keep the keys.",
        f"  5. `terrain i18n mark {lang} PATH` when a page is done and reviewed; `terrain i18n status` shows what is left, line by line; `terrain i18n diff {lang} PATH` what changed in the English since.",
        "  6. `terrain check`, then `make serve` to read it as participants will.",
        "  7. commit your work after each page (`git add mkdocs.yml overrides modules worksheets docs data; git commit`), or send the changed files to the person who publishes the site.",
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
                raise ValueError(
                    f"adding the language would break {rel(path, root)} ({problems[0].message.split(' — ')[0]}) — nothing was changed"
                )
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
            original = originals[path]
            if original is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(original)
        raise
