"""Staging for Jupyter Book/MyST: each language's sheets and handbook chapters as Markdown in
build/print/LANG/, its myst.yml, and the `jupyter-book build --typst` run that exports Typst."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .. import countries, upstream
from ..cards import print_form
from ..countries import note_title, print_note, readings_section
from ..markdown import section
from ..problems import Problem, rel
from ..project import Project, Unit
from ..render import Context, expand_markers, unit_src
from ..upstream import disguise, undisguise  # MyST's Typst writer rewrites some characters: they travel disguised
from .edition import LICENCE, Edition, Sheet, curriculum_order, drafts_left, untranslated
from .fonts import missing_glyphs
from .forms import PAGEBREAK, blocks_markdown, form_blocks, with_page_breaks
from .markup import for_print, material_admonitions


def left_out(where: str, message: str) -> Problem:
    """A page the print edition leaves out: shown to the writer, never blocking (a draft may wait)."""
    return Problem(where, 0, message, rule="print-left-out", severity="warning")


def stage_sheet(project: Project, unit: Unit, lang: str, edition: Edition) -> tuple[Sheet | None, list[Problem]]:
    """Write one worksheet's participant sheet as Markdown for MyST; no sheet when it cannot be printed."""
    page = unit.pages.get(lang)
    if page is None or untranslated(project, page):
        where = rel(unit.folder, project.root)
        return None, [left_out(where, f"no {lang} page yet (or a draft) — its participant sheet is left out")]
    found = section(page.body, project.text(lang, "worksheet_sections", "form"))
    if not found or not found[0].strip():
        heading = project.text(lang, "worksheet_sections", "form")
        return None, [left_out(page.name, f"no `## {heading}` section — its participant sheet is skipped")]
    orientation, pages = unit.orientation, unit.sheet_pages
    ctx = Context(project, lang, unit_src(unit), unit, for_print=True)
    blocks = with_page_breaks(form_blocks(expand_markers(found[0], ctx)), pages)
    sheet = Sheet(unit, lang, page, blocks, orientation, pages)
    body = for_print(
        print_form(blocks_markdown(blocks), project, lang, unit.slug, edition.out / "pictograms", edition.out),
        project,
        lang,
    )
    write_staged(edition.stage / "worksheets" / f"{unit.slug}.md", sheet.title, body)
    return sheet, missing_glyphs(sheet.title + page.summary + body, page.name)


def stage_module(project: Project, unit: Unit, lang: str, edition: Edition) -> tuple[str | None, list[Problem]]:
    """Write one module for the handbook, markers expanded for print; no name when the page is missing."""
    page = unit.pages.get(lang)
    if page is None or untranslated(project, page):
        where = rel(unit.folder, project.root)
        return None, [left_out(where, f"no {lang} page yet (or a draft) — the {lang} handbook leaves it out")]
    ctx = Context(project, lang, unit_src(unit), unit, for_print=True)
    length = ctx.duration(unit.duration) if unit.duration is not None else "?"
    day = unit.day if unit.day is not None else "?"
    meta = f"**{ctx.t('labels', 'day')} {day} · {ctx.t('labels', 'duration')}{ctx.colon} {length}**"
    intro = f"*{page.summary}*\n\n{meta}\n\n" if page.summary else f"{meta}\n\n"
    note = (
        print_note(edition.country, unit.slug, lang, note_title(ctx, edition.country))
        if edition.country is not None and unit.kind == "module"
        else ""
    )  # a country edition's local note, in a box at the top of its module
    body = for_print(intro + note + expand_markers(page.body, ctx), project, lang)
    name = f"modules/{unit.slug}.md"
    write_staged(edition.stage / name, f"{unit.order}. {page.title or unit.slug}", body)
    return name, missing_glyphs(page.title + body, page.name)


def stage_docs_page(
    project: Project, key: str, lang: str, edition: Edition, name: str
) -> tuple[list[str], list[Problem]]:
    """A docs page, one chapter per `##` section (the text before the first goes with the page's title)."""
    from ..markdown import headings

    page = project.docs.get(key, {}).get(lang)
    if page is None or untranslated(project, page):
        return [], [left_out(f"docs/{key}", f"no {lang} page yet (or a draft) — the {lang} handbook leaves it out")]
    ctx = Context(project, lang, key, None, for_print=True)
    body = expand_markers(material_admonitions(page.body), ctx)
    lines = body.split("\n")
    cuts = [h.line - 1 for h in headings(body) if h.level == 2]
    parts = [(page.title, lines[: cuts[0]] if cuts else lines)]
    for index, start in enumerate(cuts):
        end = cuts[index + 1] if index + 1 < len(cuts) else len(lines)
        parts.append((lines[start][3:].strip(), lines[start + 1 : end]))
    staged, problems = [], []
    for number, (title, part) in enumerate(parts):
        text = "\n".join(part).strip()
        if not text:
            continue
        text = re.sub(r"^#(#{2,5}) ", r"\1 ", text, flags=re.M)  # one level up: the section is now a chapter
        text = for_print(text, project, lang)
        problems += missing_glyphs(title + text, page.name)
        file = f"docs/{name}-{number:02d}.md"
        write_staged(edition.stage / file, title, text)
        staged.append(file)
    return staged, problems


def stage_guide(project: Project, lang: str, edition: Edition) -> tuple[list[str], list[Problem]]:
    """The facilitator guide: how to prepare, the programme, the materials and print plan, low-literacy tips."""
    return stage_docs_page(project, "facilitator-guide.md", lang, edition, "guide")


def stage_companions(project: Project, lang: str, edition: Edition) -> tuple[list[str], list[Problem]]:
    """The pages a facilitator needs beside the guide, one chapter each (their sections become
    sub-headings): the running case, the health and safety note and how to share the site."""
    staged, problems = [], []
    for key, name in (("running-case.md", "case"), ("safety.md", "safety"), ("share.md", "share")):
        page = project.docs.get(key, {}).get(lang)
        if page is None:
            problems.append(left_out(f"docs/{key}", f"no {lang} page yet — the {lang} handbook skips it"))
            continue
        ctx = Context(project, lang, key, None, for_print=True)
        text = for_print(expand_markers(material_admonitions(page.body), ctx), project, lang)
        text = re.sub(r"^(#{2,5}) ", r"#\1 ", text, flags=re.M)  # one level down: the page is one chapter
        problems += missing_glyphs(page.title + text, page.name)
        write_staged(edition.stage / f"docs/{name}.md", page.title, text)
        staged.append(f"docs/{name}.md")
    return staged, problems


def stage_country(project: Project, lang: str, edition: Edition) -> tuple[list[str], list[Problem]]:
    """A country edition's profile, with its local readings, as one chapter (countries/CC/)."""
    country = edition.country
    page = country.profile.get(lang) if country is not None else None
    if country is None or page is None:
        return [], []
    ctx = Context(project, lang, "country.md", None, for_print=True)
    text = expand_markers(material_admonitions(page.body), ctx) + readings_section(ctx, country)
    text = re.sub(r"^(#{2,5}) ", r"#\1 ", for_print(text, project, lang), flags=re.M)  # the page is one chapter
    write_staged(edition.stage / "docs/country.md", page.title or country.name(lang), text)
    return ["docs/country.md"], missing_glyphs(page.title + text, page.name)


def stage_glossary(project: Project, lang: str, edition: Edition) -> list[str]:
    """The glossary as one chapter: its terms become sub-headings."""
    page = project.docs.get("glossary.md", {}).get(lang)
    if page is None or untranslated(project, page):
        return []
    ctx = Context(project, lang, "glossary.md", None, for_print=True)
    text = for_print(expand_markers(page.body, ctx), project, lang)
    text = re.sub(r"^## ", "### ", text, flags=re.M)
    write_staged(edition.stage / "docs/glossary.md", page.title, text)
    return ["docs/glossary.md"]


def stage_annex(project: Project, lang: str, edition: Edition) -> list[str]:
    """Every worksheet's form, one after another, as the handbook's annex."""
    if not edition.sheets:
        return []
    # Rows to write in get room, as on the sheets, if less: one form per page, to photocopy.
    rows = "```{raw:typst}\n#form-state.update(true)\n#row-state.update(1.1cm)\n```"
    parts = [project.text(lang, "handbook", "annex_intro"), rows]
    for index, sheet in enumerate(edition.sheets):
        form = "\n\n".join(b.source for b in sheet.blocks if b.kind != "break")
        parts.append(
            ("" if index == 0 else PAGEBREAK + "\n\n") + f"## {sheet.title}\n\n*{sheet.page.summary}*\n\n{form}"
        )
    text = for_print("\n\n".join(parts), project, lang)
    write_staged(edition.stage / "docs/annex.md", project.text(lang, "handbook", "annex"), text)
    return ["docs/annex.md"]


def edition_line(project: Project, lang: str) -> str:
    """The cover's line: version (package metadata), date (SOURCE_DATE_EPOCH's when set), and the
    site's address or "offline edition"."""
    from ..pack import build_date, version
    from ..yamlfile import load as load_yaml

    config, _, _ = load_yaml(project.root / "mkdocs.yml", "mkdocs.yml")
    url = config.get("site_url") if isinstance(config, dict) else None
    where = url or f"{project.text(lang, 'handbook', 'offline')} · Terrain"
    line = f"{project.text(lang, 'handbook', 'version')} {version(project.root)} · {build_date().isoformat()} · {where}"
    left = drafts_left(project, lang)
    return line + (" · " + project.count_text(lang, "handbook", "incomplete", left) if left else "")


def write_staged(path: Path, title: str, body: str) -> None:
    """A staged page: its title as front matter (JSON is valid YAML), then the body."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: {json.dumps(disguise(title), ensure_ascii=False)}\n---\n\n{disguise(body)}", encoding="utf-8"
    )


def myst_config(project: Project, edition: Edition) -> dict:
    """One Jupyter Book project per language: a Typst export per sheet, and one for the handbook."""
    lang, templates = edition.lang, project.root / "print" / "templates"
    exports = [
        {
            "id": f"ws-{s.slug}",
            "format": "typst",
            "template": str(templates / "worksheet"),
            "output": f"out/ws-{s.slug}.typ",
            "articles": [f"worksheets/{s.slug}.md"],
            "sheet_summary": disguise(s.page.summary),
            "orientation": s.orientation,
            "lang": lang.split("-")[0],  # Typst takes the language, not pt-MZ
            "name_label": project.text(lang, "labels", "print_name"),
            "date_label": project.text(lang, "labels", "print_date"),
        }
        for s in edition.sheets
    ]
    if edition.modules:
        licence = project.text(lang, "labels", "licence")
        exports.append(
            {
                "id": "handbook",
                "format": "typst",
                "template": str(templates / "handbook"),
                "output": "out/handbook.typ",
                "articles": edition.modules,
                "lang": lang.split("-")[0],
                "cover_title": project.text(lang, "labels", "handbook_title")
                + (f" — {edition.country.name(lang)}" if edition.country is not None else ""),
                "licence": licence if licence != "licence" else LICENCE.get(lang, LICENCE["en"]),
                "contents_label": project.text(lang, "labels", "contents"),
                "edition": edition_line(project, lang),
            }
        )
    # A one-page table of contents: otherwise every export re-reads every staged page first.
    return {"version": 1, "project": {"title": f"Terrain ({lang})", "toc": [{"file": "index.md"}], "exports": exports}}


def stage(project: Project, lang: str) -> Edition:
    """Stage one language: sheets, modules and the myst.yml that exports them; what it leaves
    out goes into the edition's problems."""
    base = project.root / "build" / "print" / lang
    if base.exists():
        shutil.rmtree(base)  # stale pages and Jupyter Book's cache would leak into the books
    edition = Edition(lang, base, base / "out", project.downloads / lang, country=countries.edition(project))
    for unit in sorted(project.worksheets.values(), key=lambda u: curriculum_order(project, u)):
        sheet, problems = stage_sheet(project, unit, lang, edition)
        edition.problems += problems
        if sheet:
            edition.sheets.append(sheet)
    for unit in project.modules.values():
        name, problems = stage_module(project, unit, lang, edition)
        edition.problems += problems
        if name:
            edition.modules.append(name)
    if edition.modules:  # the handbook is the whole kit: guide, programme and plan first; glossary and forms after
        guide, guide_problems = stage_guide(project, lang, edition)
        companions, companion_problems = stage_companions(project, lang, edition)
        country, country_problems = stage_country(project, lang, edition)  # a country edition's profile
        edition.problems += guide_problems + companion_problems + country_problems
        edition.modules[:0] = guide + companions + country
        edition.modules += stage_glossary(project, lang, edition) + stage_annex(project, lang, edition)
    base.mkdir(parents=True, exist_ok=True)
    (base / "index.md").write_text(
        "---\ntitle: Terrain print edition\n---\n\nStaged by terrain/printing/myst.py.\n", encoding="utf-8"
    )
    (base / "myst.yml").write_text(
        json.dumps(myst_config(project, edition), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return edition


def typst_shim(project: Project) -> Path:
    """A do-nothing `typst` for Jupyter Book (terrain/upstream.py: we compile with the typst package)."""
    return upstream.typst_shim(project.root / "build" / "print" / "_bin")


def jupyter_book(edition: Edition, shim: Path) -> subprocess.Popen:
    """Start `jupyter-book build --typst` in a language's stage folder."""
    return subprocess.Popen(
        [sys.executable, "-m", "jupyter_book", "build", "--typst"],
        cwd=edition.stage,
        env=upstream.jupyter_book_env(shim),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def expected_typ(edition: Edition) -> list[Path]:
    """The .typ files Jupyter Book must write for a language."""
    files = [edition.out / f"ws-{s.slug}.typ" for s in edition.sheets]
    return files + ([edition.out / "handbook.typ"] if edition.modules else [])


def finish_export(project: Project, edition: Edition, process: subprocess.Popen) -> list[Problem]:
    """Check Jupyter Book wrote every .typ (it exits 0 when an export fails), then fix them up.
    An error means the language has nothing to compile; warnings name content MyST dropped."""
    output, _ = process.communicate()
    config = rel(edition.stage / "myst.yml", project.root)
    missing = [p for p in expected_typ(edition) if not p.exists() or p.stat().st_size == 0]
    if process.returncode or missing:
        names = ", ".join(rel(p, project.root) for p in missing) or "(none)"
        return [
            Problem(
                config,
                0,
                f"jupyter-book did not write {names} (exit code {process.returncode}); what it printed:\n{output}",
                rule="print-export",
            )
        ]
    problems = [  # content MyST could not convert: it is missing from the PDF
        Problem(
            config,
            0,
            f"jupyter-book ({edition.lang}): {line} — this content is missing from the PDF; write it as plain Markdown",
            rule="myst-dropped",
            severity="warning",
        )
        for line in upstream.myst_dropped(output)
    ]
    shutil.copyfile(project.root / "print" / "templates" / "terrain.typ", edition.out / "terrain.typ")
    (edition.out / "myst-imports.typ").write_text(upstream.MYST_IMPORTS, encoding="utf-8")
    for typ in edition.out.glob("*.typ"):
        typ.write_text(undisguise(typ.read_text(encoding="utf-8")), encoding="utf-8")
    return problems
