"""Render what the Markdown leaves to the data: worksheet and reading lists, the agenda, the
glossary, the module list, translation notices. Used by the site hooks and the print edition.

A page asks for rendered content with a marker, `<!-- terrain:NAME -->`, placed where the
content belongs; `RENDERERS` maps each NAME to the function that writes its Markdown.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .markdown import MARKER
from .project import Page, Project, Unit, body_hash, site_prefix
from .schemas import Reading, glossary_term


@dataclass
class Context:
    """Where a rendering lands: the project, the language and the page being rendered."""

    project: Project
    lang: str
    src_uri: str  # language-free source path of the page, e.g. modules/01-x/index.md
    unit: Unit | None = None
    for_print: bool = False
    shown_in: str = ""  # a draft's page: the language of the page shown in its place (its article's `lang`)

    @property
    def article_lang(self) -> str:
        """The language the page's article is marked as: the page's, or for a draft the default's."""
        return self.shown_in or self.lang

    def t(self, group: str, key: str) -> str:
        return self.project.text(self.lang, group, key)

    @property
    def colon(self) -> str:
        """A colon as this language writes it (data/ui/LANG.yml `formats.colon`; French puts a no-break space before it)."""
        return ui_format(self.project, self.lang, "colon")

    def clock(self, minutes: int) -> str:
        """A time of day, minutes after midnight, as this language writes it: 08:30, 8 h 30."""
        return clock(self.project, self.lang, minutes)

    def duration(self, minutes: int) -> str:
        """A length of time as this language writes it: 45 min, 5 h 15."""
        return duration(self.project, self.lang, minutes)

    def md_link(self, target: str, text: str) -> str:
        """A Markdown link to another source page, relative to this one (plain text in print)."""
        if self.for_print:
            return text
        return f"[{text}]({_relative(target, posixpath.dirname(self.src_uri))})"

    def site_href(self, site_path: str) -> str:
        """A relative URL from this page's output to a file of the built site (such as a PDF)."""
        return _relative(site_path, posixpath.dirname(self.dest_uri))

    @property
    def dest_uri(self) -> str:
        base = self.src_uri[:-3] + ".html" if self.src_uri.endswith(".md") else self.src_uri
        return site_prefix(self.lang, self.project.default_language) + base


def _relative(path: str, folder: str) -> str:
    """`path` relative to `folder`, both from the same root (the sources' or the site's), which
    has no parent to climb to: posixpath.relpath from that root, without asking the system for
    the working directory as relpath does for paths that are not absolute."""
    return posixpath.relpath("/" + path, "/" + folder)


def spans(page: str, start: str, end: str, word: bool = False) -> list[tuple[int, int]]:
    """Where each `start…end` of a page (HTML, mostly) begins and ends: the spans of
    `re.finditer(re.escape(start) + (r"\b" if word else "") + ".*?" + re.escape(end), page, re.S)`,
    found by plain searches (a regex's `.*?` tries the end at every character). `word`: `start`
    (which then ends in a letter) is not followed by a word character: `<table` but not `<tables`."""
    found, position = [], 0
    while (begin := page.find(start, position)) >= 0:
        after = begin + len(start)
        if word and after < len(page) and (page[after].isalnum() or page[after] == "_"):  # no \b here
            position = after
            continue
        finish = page.find(end, after)
        if finish < 0:
            break  # no later start has an end either
        position = finish + len(end)
        found.append((begin, position))
    return found


# ---- times and durations, as each language writes them (data/ui/LANG.yml `formats`) ----------


def ui_format(project: Project, lang: str, key: str, **values: int) -> str:
    """Fill a `formats` template: {h} hours, {hh} zero-padded, {m} minutes, {mm} zero-padded.

    Plain replacement, not str.format, so a translator's template can only place numbers; its
    spaces become no-break spaces, since a time or a duration never breaks across lines.
    """
    text = project.text(lang, "formats", key)
    h, m = values.get("h", 0), values.get("m", 0)
    for name, value in (("{hh}", f"{h:02d}"), ("{mm}", f"{m:02d}"), ("{h}", str(h)), ("{m}", str(m))):
        text = text.replace(name, value)
    return text.replace(" ", "\u00a0")


def clock(project: Project, lang: str, minutes: int) -> str:
    """A time of day (minutes after midnight): `formats.clock`."""
    return ui_format(project, lang, "clock", h=minutes // 60, m=minutes % 60)


def duration(project: Project, lang: str, minutes: int) -> str:
    """A length of time: `formats.minutes` under an hour, else `formats.hours` or `formats.whole_hours`."""
    if minutes < 60:
        return ui_format(project, lang, "minutes", m=minutes)
    h, m = divmod(minutes, 60)
    return ui_format(project, lang, "hours" if m else "whole_hours", h=h, m=m)


# ---- paths --------------------------------------------------------------------------------


def unit_src(unit: Unit) -> str:
    return f"{unit.src_dir}/{unit.slug}/index.md"


def download_path(lang: str, kind: str, name: str, suffix: str) -> str:
    """Where the print edition puts a file, relative to the site root."""
    return f"downloads/{lang}/{kind}/{name}.{suffix}"


def download_file(project: Project, site_path: str) -> Path:
    """The file behind a download link, in the print edition's build folder."""
    return project.downloads / site_path.removeprefix("downloads/")


def human_size(size: int, lang: str, project: Project) -> str:
    """A file size as a reader says it: 84 KB, 1.2 MB (1,2 Mo in French: `formats.size_units`, `formats.decimal`)."""
    units = (project.text(lang, "formats", "size_units").split() + ["B", "KB", "MB"])[:3]
    if size < 1024:
        value, unit = f"{size}", units[0]
    elif size < 1024 * 1024:
        value, unit = f"{size / 1024:.0f}", units[1]
    else:
        value, unit = f"{size / 1024 / 1024:.1f}", units[2]
    value = value.replace(".", project.text(lang, "formats", "decimal"))
    return f"{value}\u00a0{unit}"


# ---- renderers ----------------------------------------------------------------------------


def download_links(ctx: Context, kind: str, name: str, suffixes: tuple[str, ...] = ("pdf", "docx")) -> str:
    """Raw-HTML download links with sizes, for the files the print edition built."""
    links = []
    for suffix in suffixes:
        path = download_path(ctx.lang, kind, name, suffix)
        file = download_file(ctx.project, path)
        if file.exists():
            label = ctx.t("labels", f"download_{suffix}")
            links.append(
                f'<a href="{ctx.site_href(path)}" download>{label}, {human_size(file.stat().st_size, ctx.lang, ctx.project)}</a>'
            )
    return " · ".join(links)


def _duration_fact(ctx: Context, unit: Unit) -> str:
    """A unit's `duration:` as the language writes it, or `?` when its yml lacks it."""
    return ctx.duration(unit.duration) if unit.duration is not None else "?"


# ---- a page in a list: a draft is listed as the page the site shows in its place (issue 15) ------


def listed(project: Project, unit: Unit, lang: str) -> tuple[Page | None, str]:
    """The page by which a list in `lang` names a unit, and the language that page is in: a draft
    translation (or a missing one) is shown as the default language's page, so it is listed under
    that page's title and summary too, never under a title begun in the draft."""
    default = project.default_language
    page = unit.pages.get(lang)
    if page is not None and (lang == default or page.translation.get("status") != "draft"):
        return page, lang
    return unit.pages.get(default), default


def _in_language(ctx: Context, text: str, lang: str) -> str:
    """Text marked with its language when it is not the page's (on the site; print keeps the words)."""
    return f'<span lang="{lang}">{text}</span>' if text and lang != ctx.lang and not ctx.for_print else text


def list_title(ctx: Context, unit: Unit, link: bool = True) -> str:
    """A unit's title as a list of pages shows it, linked to its page unless `link` is False."""
    page, lang = listed(ctx.project, unit, ctx.lang)
    title = _in_language(ctx, page.title, lang) if page is not None else unit.slug
    return ctx.md_link(unit_src(unit), title) if link else title


def list_summary(ctx: Context, unit: Unit) -> str:
    page, lang = listed(ctx.project, unit, ctx.lang)
    return _in_language(ctx, page.summary, lang) if page is not None else ""


def list_sort_key(ctx: Context, unit: Unit) -> str:
    page, _ = listed(ctx.project, unit, ctx.lang)
    return (page.title if page is not None else unit.slug).lower()


def worksheet_line(ctx: Context, ws: Unit) -> str:
    bits = [_duration_fact(ctx, ws), ctx.t("labels", ws.orientation)]
    line = f"- **{list_title(ctx, ws)}** — {list_summary(ctx, ws)} ({', '.join(bits)})"
    if not ctx.for_print:
        downloads = download_links(ctx, "worksheets", ws.slug)
        if downloads:
            line += f"<br>{downloads}"
    return line


def render_worksheets(ctx: Context) -> str:
    names = ctx.unit.worksheet_slugs if ctx.unit else []
    found = [ctx.project.worksheets[n] for n in names if n in ctx.project.worksheets]
    if not found:
        return f"*{ctx.t('labels', 'no_worksheets')}*"
    return "\n".join(worksheet_line(ctx, ws) for ws in found)


def reading_line(ctx: Context, entry: Reading) -> str:
    authors = ", ".join(entry.get("authors", []))
    year = f" ({entry['year']})" if entry.get("year") else ""
    title = entry["title"]
    if entry.get("url") and not ctx.for_print:
        # a `)` in the address (Mercury_(element)) would end Markdown's link early: percent-encoded
        destination = entry["url"].replace("(", "%28").replace(")", "%29")
        title_md = f"[*{title}*]({destination})"
    else:
        title_md = f"*{title}*"
    if entry.get("language") and entry["language"] != ctx.lang and not ctx.for_print:
        title_md = f'<span lang="{entry["language"]}">{title_md}</span>'  # read aloud in its own language
    publisher = f" {entry['publisher']}." if entry.get("publisher") else ""
    language = ""
    if entry.get("language") and entry["language"] != ctx.lang:
        names = ctx.project.ui.get(ctx.lang, {}).get("reading_languages") or {}  # data/ui/LANG.yml: `fr: in French`
        label = names.get(entry["language"]) if isinstance(names, dict) else None
        language = f" ({label or (ctx.project.text(ctx.lang, 'labels', 'in_language') if entry['language'] == 'en' else entry['language'])})"
    note = (entry.get("note") or {}).get(ctx.lang) or (entry.get("note") or {}).get(ctx.project.default_language, "")
    url = f" <{entry['url']}>" if entry.get("url") and ctx.for_print else ""
    return f"- {authors}{year}. {title_md}.{publisher}{language}{url}" + (f" {note}" if note else "")


def render_readings(ctx: Context) -> str:
    ids = ctx.unit.reading_ids if ctx.unit else []
    return "\n".join(reading_line(ctx, ctx.project.readings[i]) for i in ids if i in ctx.project.readings)


def render_all_readings(ctx: Context) -> str:
    """The reading list page: every registered reading with the modules that use it."""
    status = link_status(ctx.project)
    out = []
    for entry in sorted(ctx.project.readings.values(), key=lambda e: (e.get("authors") or [""])[0].lower()):
        line = reading_line(ctx, entry)
        used = [list_title(ctx, m) for m in ctx.project.modules_reading(entry["id"]) if m.page(ctx.lang) is not None]
        if used:
            line += f" *{ctx.t('labels', 'uses')}{ctx.colon}* " + ", ".join(used) + "."
        checked = status.get(entry.get("url", ""))
        if entry.get("url"):
            if checked:
                line += f" <small>({ctx.t('labels', 'last_checked')} {checked['checked']}{ctx.colon} {checked['status']})</small>"
            else:
                line += f" <small>({ctx.t('labels', 'never_checked')})</small>"
        out.append(line)
    return "\n".join(out)


def link_status(project: Project) -> dict[str, dict]:
    """Results of the last `terrain links --online`, by URL (data/link-status.yml)."""
    import yaml

    path = project.root / "data" / "link-status.yml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def draft_glossary_blocks(project: Project, lang: str) -> set[str]:
    """The ids of the glossary entries whose `lang:` block is still marked `# draft` (written in the
    default language by `terrain i18n new`): shown as the default language's entry until translated."""
    path = project.root / "data" / "glossary.yml"
    found: set[str] = set()
    if lang == project.default_language or not path.is_file():
        return found
    current = None
    for line in path.read_text(encoding="utf-8", errors="replace").split("\n"):
        if match := re.match(r"^- id:\s*['\"]?([^'\"\s#]+)", line):
            current = match.group(1)
        elif current and re.match(rf"^  {re.escape(lang)}:.*#\s*draft\b", line, re.I):
            found.add(current)
    return found


def render_glossary(ctx: Context) -> str:
    """Every term, in the page's language where it is translated, else in the default language;
    an entry in another language than the page's article carries its own `lang` (issue 15: a draft's
    article is the default language's, while some of its entries may be translated already)."""
    default = ctx.project.default_language
    drafts = draft_glossary_blocks(ctx.project, ctx.lang)
    shown = []
    for entry in ctx.project.glossary:
        own = glossary_term(entry, ctx.lang) if entry.get("id") not in drafts else None
        item, lang = (own, ctx.lang) if own and own.get("term") else (entry[default], default)
        shown.append((item["term"].lower(), item, lang, entry))
    out = []
    for _, item, lang, entry in sorted(shown, key=lambda s: s[0]):
        expansion = f" — *{item['expansion']}*" if item.get("expansion") else ""
        other = entry[default]["term"] if lang != default and entry[default]["term"] != item["term"] else ""
        english = f' (<span lang="{default}">{other}</span>)' if other else ""
        text = f"## {item['term']}{english}\n\n{expansion[3:] + '. ' if expansion else ''}{item['definition']}\n"
        if lang != ctx.article_lang and not ctx.for_print:
            text = f'<div lang="{lang}" markdown="1">\n\n{text}\n</div>\n'
        out.append(text)
    return "\n".join(out)


def render_modules(ctx: Context) -> str:
    head_mod, head_day, head_dur = ctx.t("labels", "module"), ctx.t("labels", "day"), ctx.t("labels", "duration")
    rows = [f"| | {head_mod} | {head_day} | {head_dur} |", "|---:|---|:-:|--:|"]
    for module in ctx.project.modules.values():
        rows.append(
            f"| {module.order} | {list_title(ctx, module)}<br><small>{list_summary(ctx, module)}</small> | {module.day if module.day is not None else ''} | {_duration_fact(ctx, module)} |"
        )
    return "\n".join(rows)


def render_all_worksheets(ctx: Context) -> str:
    out = []
    for ws in sorted(ctx.project.worksheets.values(), key=lambda w: list_sort_key(ctx, w)):
        line = worksheet_line(ctx, ws)
        used = [list_title(ctx, m) for m in ctx.project.modules_using(ws.slug) if m.page(ctx.lang) is not None]
        if used:
            used_line = f"*{ctx.t('labels', 'used_in')}{ctx.colon}* {', '.join(used)}"
            line = line.replace("<br>", f"<br>{used_line}<br>", 1) if "<br>" in line else f"{line}<br>{used_line}"
        out.append(line)
    return "\n".join(out)


def agenda(project: Project, start: int = 8 * 60 + 30) -> dict[int, list[tuple[int, int, str, Unit | None]]]:
    """The three-day timetable from module.yml days and durations, with breaks and lunch.

    A 15-minute break separates two modules; lunch (60 minutes) takes its place before the
    first module that would start at 12:00 or later.
    """
    days: dict[int, list[Unit]] = {}
    for module in project.modules.values():
        if module.day is not None:
            days.setdefault(module.day, []).append(module)
    table: dict[int, list[tuple[int, int, str, Unit | None]]] = {}
    for day, modules in sorted(days.items()):
        rows: list[tuple[int, int, str, Unit | None]] = []
        now, lunched = start, False
        for module in modules:
            if not lunched and now >= 12 * 60:
                rows.append((now, now + 60, "lunch", None))
                now, lunched = now + 60, True
            elif rows:
                rows.append((now, now + 15, "break", None))
                now += 15
            duration = module.duration or 0
            rows.append((now, now + duration, "module", module))
            now += duration
        table[day] = rows
    return table


def render_agenda(ctx: Context) -> str:
    """The programme of data/programme.yml day by day, or module.yml days when there is none."""
    from . import programme as prog

    plan = prog.load(ctx.project)
    if plan is None or not plan.days or plan.problems:
        return _render_module_agenda(ctx)
    head = f"| {ctx.t('labels', 'start')} | {ctx.t('labels', 'end')} | {ctx.t('labels', 'module')} / {ctx.t('programme', 'slot')} | {ctx.t('labels', 'duration')} |"
    out = []
    for day in plan.days:
        hours = ctx.t("programme", "day_hours").format(start=ctx.clock(day.start), end=ctx.clock(day.end))
        out.append(f"### {ctx.t('labels', 'day')} {day.number} ({hours})\n")
        out += [head, "|---|---|---|--:|"]
        for entry in day.entries:
            if entry.module:
                what = f"**{entry.module.order}. {list_title(ctx, entry.module)}**"
                if entry.steps:
                    what += (
                        " ("
                        + ctx.t("programme", "steps" if entry.steps[0] != entry.steps[1] else "step").format(
                            first=entry.steps[0], last=entry.steps[1]
                        )
                        + ")"
                    )
            else:
                name = prog.label(ctx.project, entry.slot.get("label"), ctx.lang)
                detail = prog.label(ctx.project, entry.slot.get("what"), ctx.lang)
                what = f"*{name}*" + (f" — {detail}" if detail else "")
            out.append(
                f"| {ctx.clock(entry.start)} | {ctx.clock(entry.end)} | {what} | {ctx.duration(entry.minutes)} |"
            )
        free = day.end - day.finish
        out.append(f"\n*{ctx.duration(free)} {ctx.t('programme', 'optional_free')}.*\n")
    return "\n".join(out)


def render_kit(ctx: Context) -> str:
    """The materials and print plan for the default workshop: 20 participants in 4 groups."""
    from . import kit

    return kit.render_markdown(
        ctx.project, kit.plan(ctx.project, 20, 4), ctx.lang, heading="###", web=not ctx.for_print
    )  # under the guide's `## Materials and print plan`: no skipped level


def _render_module_agenda(ctx: Context) -> str:
    out = []
    for day, rows in agenda(ctx.project).items():
        total = sum(r[3].duration or 0 for r in rows if r[3])
        out.append(f"### {ctx.t('labels', 'day')} {day}\n")
        out.append(
            f"| {ctx.t('labels', 'start')} | {ctx.t('labels', 'end')} | {ctx.t('labels', 'module')} | {ctx.t('labels', 'duration')} |"
        )
        out.append("|---|---|---|--:|")
        for begin, end, kind, module in rows:
            if module:
                label = f"{module.order}. {list_title(ctx, module)}"
            else:
                label = f"*{ctx.t('labels', kind)}*"
            out.append(f"| {ctx.clock(begin)} | {ctx.clock(end)} | {label} | {ctx.duration(end - begin)} |")
        out.append(f"\n*{ctx.t('labels', 'duration')}{ctx.colon} {ctx.duration(total)}*\n")
    return "\n".join(out)


def render_used_in(ctx: Context) -> str:
    if not ctx.unit:
        return ""
    used = [list_title(ctx, m) for m in ctx.project.modules_using(ctx.unit.slug) if m.page(ctx.lang) is not None]
    return ", ".join(used)


def render_downloads(ctx: Context) -> str:
    """Every PDF and DOCX of this language, and the offline packs, with their sizes."""
    rows = ["| | PDF | DOCX |", "|---|---|---|"]
    for kind, name, title in (
        ("books", "handbook", ctx.t("labels", "handbook_title")),
        ("books", "worksheet-pack", ctx.t("labels", "pack_title")),
    ):
        rows.append(f"| **{title}** | {download_links(ctx, kind, name, ('pdf',)) or '—'} | — |")
    for ws in sorted(ctx.project.worksheets.values(), key=lambda w: list_sort_key(ctx, w)):
        rows.append(
            f"| {list_title(ctx, ws)} | {download_links(ctx, 'worksheets', ws.slug, ('pdf',)) or '—'} | {download_links(ctx, 'worksheets', ws.slug, ('docx',)) or '—'} |"
        )
    from .cards import download_rows  # picture cards, one PDF per module

    rows += download_rows(ctx)
    if not (ctx.project.downloads / ctx.lang).is_dir():
        rows.insert(0, f"*{ctx.t('labels', 'not_built')}*\n")
    from .pack import packs_html  # by their names; `terrain pack` fills the list in the built site

    packs = packs_html(ctx.project, ctx.lang, ctx.site_href, ctx.project.downloads / "packs")
    return "\n".join(rows) + "\n\n" + packs + "\n"


def render_translation_status(ctx: Context) -> str:
    report = ctx.project.translation_status
    out = []
    for lang, states in report.items():
        out.append(f"## {ctx.project.ui.get(lang, {}).get('language_name', lang)} (`{lang}`)\n")
        if not any(states.values()):
            out.append("✓\n")
        for state, names in states.items():
            for name in names:
                out.append(f"- **{ctx.t('translation_states', state)}** — `{name}`")  # words from data/ui/LANG.yml
        out.append("")
    return "\n".join(out)


RENDERERS: dict[str, Callable[[Context], str]] = {
    "worksheets": render_worksheets,
    "readings": render_readings,
    "readings-all": render_all_readings,
    "glossary": render_glossary,
    "modules": render_modules,
    "worksheets-all": render_all_worksheets,
    "agenda": render_agenda,
    "kit": render_kit,
    "used-in": render_used_in,
    "downloads": render_downloads,
    "translation-status": render_translation_status,
}


def expand_markers(markdown: str, ctx: Context) -> str:
    """Replace every `<!-- terrain:NAME -->` with its rendering; unknown names stay (and are reported by checks)."""

    def replace(match: re.Match) -> str:
        renderer = RENDERERS.get(match.group(1))
        return renderer(ctx) if renderer else match.group(0)

    return MARKER.sub(replace, markdown)


# ---- web-only adornments ------------------------------------------------------------------


def abbreviations(ctx: Context, markdown: str = "") -> str:
    """Abbreviation definitions (Markdown `abbr`) so glossary acronyms show their meaning on hover.

    Only the acronyms the page uses: the `abbr` extension searches every text node for every
    definition, which costs more than the rest of our rendering when all are given.
    """
    acronyms = ctx.project.acronyms.get(ctx.lang, [])
    if not acronyms:
        return ""
    terms = tuple(term for term, _ in acronyms)
    longest = max(map(len, terms))
    # One search for all the terms, not one per term: a term the page holds starts inside a match
    # (of itself, or of another term found there or just before), so it is in one of these windows.
    # They are joined by a newline, which no acronym holds (project.ACRONYM): a term found in the
    # joined windows is inside one of them.
    windows = "\n".join({markdown[m.start() : m.end() + longest - 1] for m in _any_of(terms).finditer(markdown)})
    return "\n".join(f"*[{term}]: {expansion}" for term, expansion in acronyms if term in windows)


@functools.lru_cache(maxsize=16)  # one pattern per language's acronyms, built once
def _any_of(terms: tuple[str, ...]) -> re.Pattern[str]:
    """A regex that matches any of `terms`."""
    return re.compile("|".join(map(re.escape, terms)))


def translation_notice(ctx: Context, page: Page, source: Page | None) -> str:
    """A notice on a translated page that is a draft or older than its English source."""
    if ctx.lang == ctx.project.default_language or source is None:
        return ""
    info = page.translation
    if info.get("status") == "draft":
        text = ctx.t("notices", "draft")
    elif info.get("source_hash") and info.get("source_hash") != body_hash(source.body):
        text = ctx.t("notices", "outdated")
    else:
        return ""
    return f"> [!WARNING]\n> {text}\n\n"


def language_in_sentence(project: Project, lang: str) -> str:
    """A language's name as written inside a sentence (data/ui/LANG.yml `language_in_sentence`:
    « traduite en français », not « en Français »), else its `language_name`, else its code."""
    ui = project.ui.get(lang, {})
    return str(ui.get("language_in_sentence") or ui.get("language_name") or lang)


def untranslated_notice(ctx: Context) -> str:
    """On a draft translation's page: the default language's text is shown; say so in the reader's language."""
    import html as htmlmod

    project = ctx.project
    names = {l: language_in_sentence(project, l) for l in (ctx.lang, project.default_language)}
    text = (
        ctx.t("notices", "untranslated")
        .replace("{language}", names[ctx.lang])
        .replace("{source}", names[project.default_language])
    )
    title = ctx.t("notices", "untranslated_title")
    return (
        f'<div class="admonition warning terrain-untranslated" lang="{ctx.lang}"><p class="admonition-title">{htmlmod.escape(title)}</p>'
        f"<p>{htmlmod.escape(text)}</p></div>\n\n"
    )


def web_details(markdown: str) -> str:
    """Let Markdown work inside `<details>` answers and style them as collapsible blocks."""
    return re.sub(r"<details>", '<details class="question" markdown="1">', markdown)
