"""What the MkDocs hooks do, kept here so that it can be tested without MkDocs.

Each function adapts one part of the curriculum to one MkDocs event; hooks/pipeline.py only
calls them.
"""

from __future__ import annotations

import collections
import functools
import html
import itertools
import json
import posixpath
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from .cards import web_form
from .project import Page, Project, Unit, site_language, site_prefix
from .countries import Country, note_block
from .markdown import lower_words
from .render import (
    Context,
    abbreviations,
    download_links,
    expand_markers,
    render_used_in,
    spans,
    translation_notice,
    untranslated_notice,
    web_details,
)

SHIM = "node_modules/iframe-worker/shim/index.js"
SHIM_DEST = "assets/javascripts/iframe-worker.js"

_state: dict = {}


# ---- project state (reset on every build: `mkdocs serve` keeps hook modules loaded) --------


def load(config) -> Project:
    from . import countries

    root = Path(config.config_file_path).parent
    _state["project"] = Project.load(root)
    _state["country"] = countries.edition(_state["project"])  # only in `terrain build --country CC`
    return _state["project"]


def country() -> Country | None:
    """The country edition being built, or None (every other build: no local material)."""
    return _state.get("country")


def project(config) -> Project:
    return _state.get("project") or load(config)


def start(command: str) -> None:
    """Remember whether MkDocs serves a preview (`mkdocs serve`) or builds the site."""
    _state["serving"] = command == "serve"


def serving() -> bool:
    """True in a `mkdocs serve` preview: its live-reload script is injected into every page as
    it is served, so the Content-Security-Policy (for the published site) is left out."""
    return bool(_state.get("serving"))


def page_language(src_uri: str, project: Project) -> str:
    parts = src_uri.rsplit(".", 2)
    return parts[1] if len(parts) == 3 and parts[1] in project.languages else project.default_language


def language_free(src_uri: str, project: Project) -> str:
    parts = src_uri.rsplit(".", 2)
    return f"{parts[0]}.md" if len(parts) == 3 and parts[1] in project.languages else src_uri


def unit_of(src_uri: str, project: Project) -> Unit | None:
    parts = src_uri.split("/")
    if len(parts) == 3 and parts[0] == "modules":
        return project.modules.get(parts[1])
    if len(parts) == 3 and parts[0] == "worksheets":
        return project.worksheets.get(parts[1])
    return None


# ---- on_config: the nav -----------------------------------------------------------------------

START = ["index.md", "facilitator-guide.md", "share.md", "running-case.md", "safety.md"]
REFERENCE = [
    "glossary.md",
    "readings.md",
    "downloads.md",
    "adapting.md",
    "translating.md",
    "translation-status.md",
    "about.md",
]


def nav(project: Project) -> list:
    """Start pages, the modules in order, the worksheets by name, then reference pages."""
    docs = project.docs_pages()
    first = project.default_language
    ws = sorted(project.worksheets.values(), key=lambda w: w.title(first).lower())
    local = ["country.md"] if country() is not None else []  # the country profile, in a country edition only
    return [
        {"Start here": local + [p for p in START if p in docs]},
        {"Modules": [f"modules/{m.slug}/index.md" for m in project.modules.values()]},
        {"Worksheets": [f"worksheets/{w.slug}/index.md" for w in ws]},
        {"Reference": [p for p in REFERENCE if p in docs]},
    ]


# ---- on_config: stage the sources where MkDocs and static-i18n look for them ------------------

STAGE = "build/stage"


def staged_files(project: Project) -> dict[str, Path]:
    """Site path -> source file, for docs/, every module and worksheet, and the offline shim.

    Only what the content policy publishes (terrain/policy.py): files of an allowed type, never
    a symlink, never a path outside the repository. Anything else is left behind, and
    `terrain check` names it.
    """
    from .policy import DOCS_EXTENSIONS, UNIT_EXTENSIONS, folder_files

    files = {}
    docs = project.root / "docs"
    for path, reason in folder_files(docs, project.root, DOCS_EXTENSIONS, recursive=True, project=project):
        if reason is None:
            files[path.relative_to(docs).as_posix()] = path
    for unit in project.units():
        if not project.contains(unit.folder):
            continue
        for path, reason in folder_files(unit.folder, project.root, UNIT_EXTENSIONS, project=project):
            if reason is None and path.suffix != ".yml":
                files[f"{unit.src_dir}/{unit.slug}/{path.name}"] = path
    shim = project.root / SHIM
    if shim.is_file():
        files[SHIM_DEST] = shim
    edition = country()
    if (
        edition is not None and edition.profile
    ):  # every site language gets the page; a missing one shows another's, marked
        fallback = edition.profile.get(project.default_language) or next(iter(edition.profile.values()))
        for lang in project.languages:
            files[f"country.{lang}.md"] = (edition.profile.get(lang) or fallback).path
    return files


def stage(project: Project) -> Path:
    """Copy the sources into build/stage, the docs_dir MkDocs reads (no symlinks).

    static-i18n only handles pages inside docs_dir, and modules/ and worksheets/ live beside
    it. Only changed files are written and stale ones removed, so `mkdocs serve` settles.
    """
    target = project.root / STAGE
    wanted = staged_files(project)
    for site_path, source in wanted.items():
        dest = target / site_path
        data = source.read_bytes()
        if not dest.exists() or dest.read_bytes() != data:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
    if target.exists():
        for path in sorted(target.rglob("*"), reverse=True):
            rel_path = path.relative_to(target).as_posix()
            if path.is_file() and rel_path not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return target


# ---- on_page_markdown ---------------------------------------------------------------------------


def page_markdown(markdown: str, src_uri: str, project: Project) -> str:
    """Expand markers, add notices, hover definitions and collapsible answers."""
    lang = page_language(src_uri, project)
    free = language_free(src_uri, project)
    unit = unit_of(free, project)
    ctx = Context(project, lang, free, unit)
    shown = untranslated_source(project, lang, free)
    if shown is not None:  # a draft: the default language's page is shown, and says so (issue 15)
        markdown = shown.body
        ctx.shown_in = shown.lang  # its article is marked so; what is in `lang` carries its own `lang`
    out = expand_markers(markdown, ctx)
    edition = country()
    if edition is not None and free == "country.md":
        out = country_page(ctx, edition, out)
    if edition is not None and unit is not None and unit.kind == "module":
        out = (
            note_block(edition, unit.slug, lang, f"{ctx.t('country', 'local_note')}{ctx.colon} {edition.name(lang)}")
            + out
        )
    if shown is not None:
        out = untranslated_notice(ctx) + out
    elif unit is not None:
        page, source = unit.pages.get(lang), unit.pages.get(project.default_language)
        if page is not None:
            out = translation_notice(ctx, page, source) + out
        if unit.kind == "worksheet":
            out = worksheet_header(ctx, unit) + out
    out = web_details(out)
    return out + "\n\n" + abbreviations(ctx, out) + "\n"


def country_page(ctx: Context, edition, out: str) -> str:
    """The country profile, with the local readings; marked when shown in another language."""
    from .render import reading_line

    if edition.readings:
        out += (
            f"\n\n## {ctx.t('country', 'local_readings')}\n\n"
            + "\n".join(reading_line(ctx, entry) for entry in edition.readings)
            + "\n"
        )
    if ctx.lang not in edition.profile:
        out = untranslated_notice(ctx) + out
    return out


def worksheet_header(ctx: Context, unit: Unit) -> str:
    """The facts line at the top of a worksheet page: time, paper, modules, downloads."""
    pages = ctx.project.count_text(ctx.lang, "labels", "page_count", unit.sheet_pages).replace(" ", "\u00a0", 1)
    bits = [
        ctx.duration(unit.duration) if unit.duration is not None else "?",
        f"{ctx.t('labels', unit.orientation)}, {pages}",
    ]
    used = render_used_in(ctx)
    if used:
        bits.append(f"{ctx.t('labels', 'used_in')}{ctx.colon} {used}")
    downloads = download_links(ctx, "worksheets", unit.slug)
    line = " · ".join(bits)
    return (
        f'<p class="ws-facts" markdown="1">{line}</p>\n'
        + (f'<p class="ws-downloads">{downloads}</p>\n' if downloads else "")
        + "\n"
    )


# ---- on_page_content ----------------------------------------------------------------------------

CALLOUT_TITLE = re.compile(r'<p class="admonition-title">(Note|Tip|Important|Warning|Caution)</p>')


def page_content(content: str, src_uri: str, project: Project) -> str:
    """Callout titles in the page's language (on_page_content: the search indexes them)."""
    lang = page_language(src_uri, project)
    return CALLOUT_TITLE.sub(
        lambda m: f'<p class="admonition-title">{html.escape(project.text(lang, "callouts", m.group(1).lower()))}</p>',
        content,
    )


def page_layout(content: str, src_uri: str, project: Project, dest_uri: str = "") -> str:
    """Tables in regions a keyboard can scroll; worksheet forms wrapped for printing, their symbols
    drawn as pictograms, images of the site's copy (`dest_uri`: where the page is written).
    Markup without words, added once the search has read the page (`in_page`)."""
    lang = page_language(src_uri, project)
    content = table_regions(content, project.text(lang, "labels", "table"))
    unit = unit_of(language_free(src_uri, project), project)
    if unit is not None and unit.kind == "worksheet":
        content = wrap_worksheet(content, project.text(lang, "worksheet_sections", "form"), unit)
        base = "../" * dest_uri.count("/")  # from the page's folder to the site's root
        content = web_form(content, project, lang, unit.slug, base)  # form symbols drawn as pictograms
    return content


class ContentNotFound(Exception):
    """A written page does not hold its content as the theme was given it."""


def in_page(output: str, content: str, change: Callable[[str], str]) -> str:
    """A written page with its content (`page.content`, which the theme writes as it is, once)
    replaced by `change(content)`. Material's search reads the content before the page is written,
    in on_page_context: markup added here (table regions, the worksheet's sections and pictograms)
    costs its HTML parser nothing and changes no word of the search."""
    if not content:
        return output
    at = output.find(content[:200])  # a short needle is found fast; then the whole is compared
    while at >= 0 and not output.startswith(content, at):
        at = output.find(content[:200], at + 1)
    if at < 0:
        raise ContentNotFound(
            "the page's content is not in the page as written — has the theme's content.html changed?"
        )
    return "".join((output[:at], change(content), output[at + len(content) :]))  # `a + b + c`: 40 times slower


def table_regions(content: str, label: str) -> str:
    """Wrap each table in a named region a keyboard can focus, since it may scroll sideways."""
    region = f'<div class="terrain-table" role="region" tabindex="0" aria-label="{html.escape(label)}">'
    parts, done = [], 0
    for begin, end in spans(content, "<table", "</table>", word=True):  # each <table\b.*?</table>
        parts += [content[done:begin], region, content[begin:end], "</div>"]
        done = end
    parts.append(content[done:])
    return "".join(parts)


def wrap_worksheet(content: str, form_title: str, unit: Unit) -> str:
    """Mark the form section for print (`ws-form`) and the facilitator's notes (`ws-notes`)."""
    cuts, position = [], 0  # before each `<h2 ` or `<h2>`: re.split(r"(?=<h2[ >])", content), by plain searches
    while (at := content.find("<h2", position)) >= 0:
        if content[at + 3 : at + 4] in (" ", ">"):
            cuts.append(at)
        position = at + 3
    parts = [content[begin:end] for begin, end in zip([0, *cuts], [*cuts, len(content)])]
    out = [f'<div class="ws-notes">{parts[0]}</div>']
    for part in parts[1:]:
        heading = re.match(r"<h2[^>]*>(.*?)</h2>", part, re.S)
        title = html.unescape(re.sub(r"<[^>]+>", "", heading.group(1))).replace("¶", "").strip() if heading else ""
        css = "ws-form" if title == form_title else "ws-notes"
        out.append(f'<section class="{css}">{part}</section>')
    return f'<div class="worksheet {unit.orientation}" data-pages="{unit.sheet_pages}">' + "".join(out) + "</div>"


# ---- on_post_page: one search index per language ------------------------------------------------


def draft_meta(src_uri: str, project: Project) -> dict:
    """The title and summary of the default language's page shown in place of a draft: its page, menu
    entry and tab say what the reader gets, in the language it is in, not a translation begun."""
    shown = untranslated_source(project, page_language(src_uri, project), language_free(src_uri, project))
    if shown is None:
        return {}
    return {key: value for key, value in (("title", shown.title), ("summary", shown.summary)) if value}


def untranslated_source(project: Project, lang: str, free: str) -> Page | None:
    """The default language's page shown in place of a draft translation, or None."""
    if lang == project.default_language:
        return None
    unit = unit_of(free, project)
    pages = unit.pages if unit is not None else project.docs.get(free, {})
    page, source = pages.get(lang), pages.get(project.default_language)
    return source if page is not None and source is not None and page.translation.get("status") == "draft" else None


# a language -> the project last asked about, and its draft locations in that language
_drafts: dict[str, tuple[Project, frozenset[str]]] = {}


def draft_locations(project: Project, lang: str) -> frozenset[str]:
    """The site paths (without the language folder) of a language's draft pages: shown in the
    default language, so they stay out of that language's search index. Found once per project
    and language: each page of the language asks (page_output, draft_links)."""
    known = _drafts.get(lang)
    if known is None or known[0] is not project:
        known = _drafts[lang] = (project, frozenset(_find_drafts(project, lang)))
    return known[1]


def _find_drafts(project: Project, lang: str) -> set[str]:
    """draft_locations, worked out."""
    found = set()
    for free in [f"{u.src_dir}/{u.slug}/index.md" for u in project.units()] + list(project.docs):
        if untranslated_source(project, lang, free) is not None:
            found.add(free[:-3] + ".html")
    return found


LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")  # a BCP 47 tag, as `lang="…"` takes it


def language_tag(project: Project, lang: str) -> str:
    """The tag a language's pages declare (`lang="…"`, read by screen readers): the site's code,
    unless data/ui/LANG.yml gives `language_tag:` because the code is no language's (`qm` for
    Mooré, whose tag is `mos`; a test language). A malformed value is ignored (`terrain check` says so)."""
    tag = project.ui.get(lang, {}).get("language_tag")
    return tag if isinstance(tag, str) and LANGUAGE_TAG.fullmatch(tag) else lang


def page_output(output: str, dest_uri: str, project: Project) -> str:
    """Point a translated page's search at its language's index (site/LANG/search/); a draft's
    article carries the language it is actually written in; a language whose site code is no
    language's declares its `language_tag` instead."""
    lang, path = site_language(dest_uri, project.languages, project.default_language)
    edition, shown_in = country(), None
    if edition is not None and path == "country.html" and lang not in edition.profile and edition.profile:
        shown_in = (
            project.default_language if project.default_language in edition.profile else next(iter(edition.profile))
        )
    elif lang != project.default_language and path in draft_locations(project, lang):
        shown_in = project.default_language
    if lang != project.default_language:
        output = draft_links(output, dest_uri, lang, project)
    if shown_in is not None:
        output = output.replace(
            '<article class="md-content__inner md-typeset">',
            f'<article class="md-content__inner md-typeset" lang="{shown_in}">',
            1,
        )
        output = output.replace(  # the page's title in the header, shown on scrolling
            '<div class="md-header__topic" data-md-component="header-topic">',
            f'<div class="md-header__topic" data-md-component="header-topic" lang="{shown_in}">',
            1,
        )
    tag = language_tag(project, lang)
    if tag != lang:  # the page, the draft notice and any passage marked as in this language
        output = re.sub(rf'(\slang="){re.escape(lang)}"', lambda m: f'{m.group(1)}{tag}"', output)
    if lang == project.default_language:
        return output
    depth = dest_uri.count("/") - 1
    base = posixpath.join(*([".."] * depth)) if depth else "."
    found, position = None, output.find('"base":')  # the first one CONFIG_BASE matches, as re.sub(count=1) would
    while position >= 0 and (found := CONFIG_BASE.match(output, position)) is None:
        position = output.find('"base":', position + 1)
    if found is None:
        return output
    return "".join((output[: found.end(1)], base, output[found.start(2) :]))  # `+` copies the page twice


CONFIG_BASE = re.compile(r'("base":\s*")[^"]*(")')  # in the theme's __config: where the search index is


NAV_LINK = re.compile(r'<a href="([^"#]*)(#[^"]*)?" class="(md-nav__link|md-footer__link)')
HEADING_LANG = re.compile(r'<div lang="([\w-]+)">\s*<h[1-6] id="([^"]+)"')  # an entry in its own language


def draft_links(output: str, dest_uri: str, lang: str, project: Project) -> str:
    """The menu and footer links to a draft show the default language's title (draft_meta): they
    carry that language's `lang`, as the page's list of modules does; a link of the page's table of
    contents to a heading in its own language (a translated glossary entry) carries that one (issue 15)."""
    drafts = draft_locations(project, lang)
    own = {hid: l for l, hid in HEADING_LANG.findall(output)} if '<div lang="' in output else {}
    if not drafts and not own:
        return output
    here = posixpath.dirname(dest_uri)

    def mark(match: re.Match) -> str:
        href, fragment = match.group(1), (match.group(2) or "")[1:]
        target = posixpath.normpath(posixpath.join(here, href or posixpath.basename(dest_uri)))
        if target.endswith("/") or "." not in posixpath.basename(target):
            target = posixpath.join(target, "index.html")
        shown = project.default_language if target.removeprefix(f"{lang}/") in drafts else lang
        if not href and fragment in own:
            shown = own[fragment]
        return match.group(0).replace("<a ", f'<a lang="{shown}" ', 1) if shown != lang else match.group(0)

    return NAV_LINK.sub(mark, output)


COPYRIGHT = '<div class="md-copyright__highlight">'
PERMALINK = '<a class="headerlink" href="'  # then the heading's address, and the title
PERMALINK_TITLE = '" title="Permanent link"'


def localise_permalinks(output: str, dest_uri: str, project: Project) -> str:
    """The title of the ¶ link after each heading in the page's language (`labels.permalink`), not
    Markdown's English "Permanent link" (mkdocs.yml's `toc` setting is one for every language).

    What `re.sub(r'(<a class="headerlink" href="[^"]*" title=")Permanent link(")', …)` does, by plain
    searches: the page is cut at each link's start, and a piece whose address (up to the first
    quote) is followed by the English title gets the page's own."""
    lang = site_language(dest_uri, project.languages, project.default_language)[0]
    title = html.escape(project.text(lang, "labels", "permalink"), quote=True)
    pieces = output.split(PERMALINK)
    for i in range(1, len(pieces)):
        piece = pieces[i]
        end = piece.find('"')  # the address's end: no quote inside it
        if end >= 0 and piece.startswith(PERMALINK_TITLE, end):
            pieces[i] = f'{piece[:end]}" title="{title}"{piece[end + len(PERMALINK_TITLE) :]}'
    return PERMALINK.join(pieces)


def localise_footer(output: str, dest_uri: str, project: Project) -> str:
    """The footer line in the page's language (data/ui/LANG.yml `labels.footer`), not mkdocs.yml's English:
    what is between the first `<div class="md-copyright__highlight">` and the next `</div>`."""
    start = output.find(COPYRIGHT)
    end = output.find("</div>", start + len(COPYRIGHT)) if start >= 0 else -1
    if end < 0:
        return output
    lang = site_language(dest_uri, project.languages, project.default_language)[0]
    text = html.escape(project.text(lang, "labels", "footer"), quote=False)
    return f"{output[: start + len(COPYRIGHT)]}\n      {text}\n    {output[end:]}"


# ---- on_page_content: words the search must not glue --------------------------------------------

# Material's search text drops tags without a space: "ASM<br>What" and "</td><td>" glue two words
# into one ("ASMWhat"), which no reader types. A line break or a cell boundary gets a newline (no
# change on screen), which the search reads as a space.
SEAM = re.compile(r"(<br\s*/?>|</(?:td|th|dt|dd|caption|figcaption)>)(?=\S)", re.I)


def search_seams(content: str) -> str:
    """A page's HTML with a newline after each line break and table cell, so its words stay apart in the search."""
    return SEAM.sub("\\1\n", content)


# ---- on_post_build: split and fold the search index ---------------------------------------------

ELISION = re.compile(r"\b([cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.I)
LETTER = "A-Za-z0-9À-ÖØ-öø-ÿŒœ"  # the search separator is a JavaScript RegExp without the u flag: no \\p{L}


@functools.lru_cache(maxsize=1 << 16)  # the same words, page after page
def fold(text: str) -> str:
    """Lower-case text without accents or French elisions: l’Évaluation → evaluation."""
    if "'" in text or "’" in text:  # an elision needs its apostrophe
        text = ELISION.sub("", text)
    if text.isascii():  # nothing to decompose
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _unelided(word: str) -> str:
    """A word without its French elisions (l’, qu’…: ELISION), which need an apostrophe."""
    return ELISION.sub("", word) if "'" in word or "’" in word else word


def _fold_extra(text: str) -> str:
    """The accent-free spellings of the words in a text that have accents, as often as they occur.

    As often, not once: a page that says « réhabilitation » twenty times must rank as high for
    « rehabilitation » as for « réhabilitation ».
    """
    if text.isascii():  # no word with an accent (most English titles)
        return ""
    words = [_unelided(w).lower() for w in WORD.findall(TAG.sub(" ", text)) if not w.isascii()]
    counts: dict[str, int] = {}
    for word in words:
        folded = fold(word)
        if folded != word:
            counts[folded] = counts.get(folded, 0) + 1
    return " ".join(" ".join([w] * n) for w, n in sorted(counts.items()))


def _any_case(word: str) -> str:
    """A word as a regex that matches it in any case (the separator RegExp has no i flag)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.lower() != c.upper() else re.escape(c) for c in word)


# The most times a word is listed in a section's hidden words (its weight in the ranking). Once:
# a second listing of the words said twice cost the French index 2.7 KB gzip (3.5 %); titles
# (weighed 1000 times more) and the page boosts (SEARCH_BOOST) decide the ranking anyway.
REPEAT = 1
PREVIEW = 80  # characters of a section’s text shown under a search result: two lines on a phone
WORD = re.compile(r"[\w’']+")


def _noise(word: str) -> bool:
    """A hidden word nobody searches for: a single character, or a number under 1000 (a day, a page)."""
    return len(word) < 2 or (word.isdigit() and len(word) < 4)


def minify_css(site: Path) -> int:
    """Strip comments and spaces from the project's own stylesheets in the built site; returns bytes saved.

    Every page loads terrain.css on the first visit; the source stays commented.
    """
    saved = 0
    for path in (site / "assets" / "stylesheets").glob("terrain*.css"):
        text = path.read_text(encoding="utf-8")
        small = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        small = re.sub(r"\s+", " ", small)
        small = re.sub(r"\s*([{};,>])\s*", r"\1", small).replace(";}", "}").strip()
        saved += len(text) - len(small)
        path.write_text(small + "\n", encoding="utf-8")
    return saved


TAG = re.compile(r"<[^>]+>")


@functools.cache  # a few languages' lists, section after section
def _elision_at_start(elisions: tuple[str, ...]) -> re.Pattern[str] | None:
    """An elided article or pronoun (l’, qu’…) at the start of a word, as a language's `search: elisions` lists them."""
    if not elisions:
        return None
    return re.compile("^(?:" + "|".join(re.escape(e) for e in sorted(elisions, key=len, reverse=True)) + ")['’]")


class Lexicon:
    """What compact_text needs to know of each distinct word, worked out the first time a word is
    met rather than in every section that says it, and kept in sets, so that a section's words are
    sorted out by set operations. One per search index build (split_search_index)."""

    def __init__(self) -> None:
        self.known: set[str] = set()
        self.unlisted: set[str] = set()  # never a hidden word: a single character, a small number, apostrophes only
        self.folds: dict[str, str] = {}  # the words fold() changes, and their folded spelling
        self.changed: set[str] = set()  # the keys of `folds`
        self.accented: set[str] = set()  # the words fold() changes that are not ASCII
        self.elidable: set[str] = set()  # the words with an apostrophe
        self.bare: dict[re.Pattern[str], dict[str, str]] = {}  # an elision pattern -> word -> the word without it

    def learn(self, words: set[str]) -> None:
        """Sort the words not met before into the sets."""
        unknown = words - self.known
        for word in unknown:
            if not word.strip("’'") or _noise(word):
                self.unlisted.add(word)
            folded = fold(word)
            if folded != word:
                self.folds[word] = folded
                self.changed.add(word)
                if not word.isascii():
                    self.accented.add(word)
            if "'" in word or "’" in word:
                self.elidable.add(word)
        self.known |= unknown

    def unelided(self, elided: re.Pattern[str], words: set[str]) -> dict[str, str]:
        """Each word without the elision `elided` matches at its start (`_elision_at_start`)."""
        bare = self.bare.setdefault(elided, {})
        for word in words:
            if word not in bare:
                bare[word] = elided.sub("", word)
        return {word: bare[word] for word in words}


def preview(text: str) -> str:
    """The start of a text as a search result shows it: its words one space apart, cut after a word
    within PREVIEW characters (then …), or all of them. Spaces are evened out only as far as needed."""
    size = 2 * PREVIEW
    while True:
        head = " ".join(text[:size].split())  # the start of the text's words one space apart, however far
        if len(head) > PREVIEW or size >= len(text):
            break
        size *= 4
    return head if len(head) <= PREVIEW else head[:PREVIEW].rsplit(" ", 1)[0] + " …"


def compact_text(
    text: str,
    page_words: set[str],
    stop_words: frozenset[str] = frozenset(),
    elisions: tuple[str, ...] = (),
    lexicon: Lexicon | None = None,
) -> str:
    """A section's search text, small enough for a phone: a preview, then each other word once.

    Phones download the whole index of their language on the first visit. A section keeps the
    start of its text as written (the preview under a result), then, hidden, every other word
    the page has not already listed in an earlier section, lower-case and without accents (the
    site's search sends the query without accents too: overrides/main.html), and the accent-free
    spelling of the preview's accented words. Every word of a page stays findable (the page is found
    from its first section that holds the word); repeats and markup go, and so do hidden words
    the language's separator swallows anyway (stop words, elisions). `page_words` is updated;
    `lexicon` is what is known of the words already met (the same one for every section of a build).
    """
    lexicon = lexicon if lexicon is not None else Lexicon()
    elided = _elision_at_start(elisions)
    plain = html.unescape(TAG.sub(" ", text))
    shown = preview(plain)
    in_preview = set(lower_words(WORD, shown))
    said = lower_words(WORD, plain)
    # how often each word occurs, counted only when a word may be listed more than once
    counts = collections.Counter(said) if REPEAT > 1 else None
    words = set(said)
    lexicon.learn(words)
    if not in_preview <= words:  # a word cut in the preview
        lexicon.learn(in_preview)
    if elided is not None:  # an elision needs its apostrophe; every such word out before any goes back in
        elidable = words & lexicon.elidable
        bare = lexicon.unelided(elided, elidable)
        unelided = set(bare.values())
        lexicon.learn(unelided)
        words -= elidable
        words |= unelided
        if counts is not None:
            moved = [(stripped, counts.pop(word)) for word, stripped in bare.items()]
            for stripped, times in moved:
                counts[stripped] += times
    new = words - page_words - stop_words - lexicon.unlisted
    # each new word not in the preview, folded: `rest`, those fold() leaves as they are; `rest_folds`,
    # the folded spellings of the others
    rest = new - in_preview
    refolded = rest & lexicon.changed
    rest -= refolded
    rest_folds = [lexicon.folds[w] for w in refolded]
    if counts is not None:  # a word said often weighs more (up to REPEAT times), as in the page
        rest_folds += [lexicon.folds.get(w, w) for w in new for _ in range(min(counts[w], REPEAT) - 1)]
    here = in_preview | new  # holds `rest` too
    # the accent-free spellings of the section's accented words, when nothing listed them yet
    folded: set[str] = set()
    for word in here & lexicon.accented:
        plain_word = lexicon.folds[word]
        if plain_word not in here and plain_word not in page_words and plain_word not in rest_folds:
            folded.add(plain_word)
    page_words.update(here, folded)
    # in alphabetical order (Material's search does not care; gzip packs sorted lists tighter),
    # without what the separator swallows (« là » folds to the stop word « la »); the words of
    # `rest` are new words, none of them a stop word or noise
    listed = [w for w in itertools.chain(rest_folds, folded) if w not in stop_words and not _noise(w)]
    hidden = " ".join(sorted(itertools.chain(rest, listed)))
    out = html.escape(shown, quote=False)
    return out + (f'<span class="terrain-fold" hidden> {hidden}</span>' if hidden else "")


def search_separator(base: str, project: Project, lang: str) -> str:
    """The search separator of a language: the site's, plus its elisions and its stop words.

    Material tokenizes both the pages and the query with this RegExp, so what it swallows is
    neither indexed nor searched: « plan d’action » looks for `plan` and `action` (not every word
    in d…), and « de » or « les » alone match nothing instead of every page. The lists are the
    language's own, in data/ui/LANG.yml (`search: elisions, stop_words`).
    """
    settings = project.ui.get(lang, {}).get("search") or {}
    parts = [base]
    elisions = str(settings.get("elisions") or "").split()
    if elisions:
        prefixes = "|".join(_any_case(e) for e in sorted(elisions, key=len, reverse=True))
        parts.append(f"(?<![{LETTER}])(?:{prefixes})['’](?=[{LETTER}])")
    stop_words = str(settings.get("stop_words") or "").split()
    if stop_words:
        words = "|".join(_any_case(w) for w in sorted(stop_words, key=len, reverse=True))
        parts.append(f"(?<![{LETTER}])(?:{words})(?![{LETTER}'’])")
    return "|".join(f"(?:{p})" for p in parts)


# Reference lists name a subject in passing (a reading's title, a glossary entry); the modules
# and worksheets teach it. Ranked lower, they come after the pages about the subject.
SEARCH_BOOST = {"readings.html": 0.3, "glossary.html": 0.5, "downloads.html": 0.5, "translation-status.html": 0.3}


def search_boost(location: str) -> float | None:
    """The ranking weight of a page of the search index, when it is not 1."""
    return SEARCH_BOOST.get(location.split("#", 1)[0])


def split_search_index(site: Path, project: Project) -> dict[str, int]:
    """Write one search index per language, each with accent-free spellings added.

    Material builds one index for every language; a reader on a French page must get French
    results only, and find "réhabilitation" by typing "rehabilitation". The folded spellings
    go into a hidden span, so the result previews show the text as written. Each index gets its
    language's separator (elisions, stop words: `search_separator`) and ranks reference lists
    after the teaching pages (`SEARCH_BOOST`).
    """
    index_file = site / "search" / "search_index.json"
    if not index_file.exists():
        return {}
    data = json.loads(index_file.read_text(encoding="utf-8"))
    by_language: dict[str, list[tuple[str, dict]]] = {lang: [] for lang in project.languages}
    for doc in data["docs"]:  # each entry's language, and its location inside that language's folder
        lang, location = site_language(doc["location"], project.languages, project.default_language)
        by_language[lang].append((location, doc))
    lexicon = Lexicon()  # the words met in any language
    counts = {}
    for lang in project.languages:
        prefix = site_prefix(lang, project.default_language)
        docs = []
        drafts = draft_locations(project, lang) if prefix else set()
        seen: dict[str, set[str]] = {}  # page -> the words its earlier sections already hold
        settings = project.ui.get(lang, {}).get("search") or {}
        stop_words = frozenset(w.lower() for w in str(settings.get("stop_words") or "").split())
        elisions = tuple(e.lower() for e in str(settings.get("elisions") or "").split())
        for location, doc in by_language[lang]:
            if location.split("#", 1)[0] in drafts:
                continue
            new = dict(doc, location=location)
            boost = search_boost(location)
            if boost is not None:
                new["boost"] = boost
            # the title too (its matches weigh most), without what the separator swallows (« à » → a)
            title = doc.get("title", "")
            extra = " ".join(w for w in _fold_extra(title).split() if w not in stop_words)
            if extra:
                new["title"] = title + f'<span class="terrain-fold" hidden> {extra}</span>'
            page = location.split("#", 1)[0]
            # a title is indexed (and weighs most): the words of the page's title and of a section's
            # title need no repeat in the text of that section or of the page's later sections
            said = WORD.findall(TAG.sub(" ", title).lower())
            seen.setdefault(page, set()).update(map(_unelided, said), extra.split())
            new["text"] = compact_text(doc.get("text", ""), seen[page], stop_words, elisions, lexicon)
            docs.append(new)
        config = dict(
            data["config"],
            lang=["en"],
            separator=search_separator(data["config"].get("separator", r"[\s\-]+"), project, lang),
        )
        out = site / prefix / "search"
        out.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":")).encode()
        (out / "search_index.json").write_bytes(payload)
        (out / "search_index.js").write_bytes(b"var __index = " + payload)
        counts[lang] = len(docs)
    return counts


# ---- on_post_build: the print edition and packs join the site ----------------------------------


def copy_downloads(site: Path, project: Project) -> int:
    """Put build/downloads (PDF, DOCX, packs) into site/downloads; returns the file count.

    Hard links where the file system allows, as `terrain pack` publishes its packs: 49 MB are not
    copied on every build. Nothing writes into either file in place (the print edition and the
    packs write NAME.part, then rename it: pack.write_whole), so a print never changes the site.
    """
    import os
    import shutil

    source = project.downloads
    if not source.is_dir():
        return 0
    count = 0
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source).parts
        if any(part.startswith(".") for part in relative) or path.name.endswith(".part") or path.is_symlink():
            continue  # half-written or swapped-out packs, locks: never published
        if path.is_file():
            dest = site / "downloads" / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.unlink(missing_ok=True)
            try:
                os.link(path, dest)
            except OSError:  # another file system, or one without links
                shutil.copy2(path, dest)
            count += 1
    return count


SOURCE_FOLDERS = ("modules", "worksheets", "docs", "data", "print")
PRINTED_SUFFIXES = {
    ".md",
    ".yml",
    ".typ",
    ".svg",
    ".png",
    ".jpg",
    ".jpeg",
    ".webp",
    ".ttf",
    ".otf",
}  # what the print edition reads


def stale_downloads(project: Project) -> str | None:
    """A warning when build/downloads is older than the sources it was made from (a plain
    `mkdocs build` copies it as it is), naming the command that remakes it; None when fresh."""
    made = (
        [p.stat().st_mtime for p in project.downloads.rglob("*") if p.is_file()] if project.downloads.is_dir() else []
    )
    if not made:
        return None
    sources = [
        p
        for folder in SOURCE_FOLDERS
        if (project.root / folder).is_dir()
        for p in (project.root / folder).rglob("*")
        if p.is_file() and p.suffix.lower() in PRINTED_SUFFIXES
    ]
    newest = max(((p.stat().st_mtime, p) for p in sources), default=(0.0, project.root))
    if newest[0] <= min(made):
        return None
    return (
        f"build/downloads is older than {newest[1].relative_to(project.root).as_posix()}: the site publishes "
        "PDFs and packs made from older sources [stale-downloads] — run `terrain build` (it prints, then builds), or `terrain print` then `mkdocs build`"
    )


def prune_search_languages(site: Path, project: Project) -> list[str]:
    """Remove Material's search-language files for languages the site does not have.

    Material ships lunr support for ~30 languages (~400 KB); a reader offline, or a pack on a
    USB stick, needs only the configured languages' files and the shared support files.
    """
    lunr = site / "assets" / "javascripts" / "lunr"
    keep = {f"lunr.{lang}.min.js" for lang in project.languages} | {"lunr.stemmer.support.min.js", "lunr.multi.min.js"}
    removed = []
    for path in sorted(lunr.rglob("*.js")) if lunr.is_dir() else []:
        if path.name not in keep:
            path.unlink()
            removed.append(path.name)
    return removed


# ---- `terrain build`: the site is swapped in whole, only when every check passed ------------


def build_atomically(root: Path, run_mkdocs, final: Path | None = None) -> int:
    """Build into build/site.new, then replace site/ with it; a failed build leaves site/ as it was.

    `run_mkdocs(*args)` runs MkDocs and returns its exit code. A lock keeps two builds of one
    checkout from writing into each other.
    """
    import fcntl
    import shutil
    import sys

    build = root / "build"
    build.mkdir(parents=True, exist_ok=True)
    fresh, stale, final = build / "site.new", build / "site.old", final or root / "site"
    with (build / ".site.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            print(
                "terrain build: another build of this project is running — wait for it to finish, then build again",
                file=sys.stderr,
            )
            return 1
        shutil.rmtree(fresh, ignore_errors=True)
        try:
            code = run_mkdocs("build", "--strict", "--site-dir", str(fresh))
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM: clear up, then stop whoever asked (terrain serve too)
            shutil.rmtree(fresh, ignore_errors=True)
            print(f"terrain build: stopped; {final.name}/ is unchanged", file=sys.stderr)
            raise
        if code != 0 or not (fresh / "index.html").is_file():
            shutil.rmtree(fresh, ignore_errors=True)
            print(f"terrain build: the site was not built; {final.name}/ is unchanged", file=sys.stderr)
            return code or 1
        shutil.rmtree(stale, ignore_errors=True)
        if final.exists():
            final.replace(stale)
        fresh.replace(final)
        shutil.rmtree(stale, ignore_errors=True)
    return 0


# ---- on_post_page: a Content-Security-Policy on every page (defence in depth) ----------------

CSP_DIRECTIVES = (
    "default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; worker-src 'self' blob:; frame-src 'self'; child-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'none'"
)


def article_spans(page: str) -> list[tuple[int, int]]:
    """Where each `<article…>…</article>` of a built page starts and ends: the spans of
    `re.finditer(r"<article\b.*?</article>", page, re.S)` (render.spans; the CSP here and the
    built-site check in terrain/checks.py both cut pages so)."""
    return spans(page, "<article", "</article>", word=True)


def without_articles(output: str) -> str:
    """A page without its content (`article_spans`)."""
    parts, position = [], 0
    for begin, end in article_spans(output):
        parts.append(output[position:begin])
        position = end
    parts.append(output[position:])
    return "".join(parts)


def inline_scripts(page: str) -> list[str]:
    """What is inside each `<script>…</script>` of a page: the first groups of
    `re.finditer(r"<script>(.*?)</script>", page, re.S)`, found by plain searches."""
    scripts, position = [], 0
    while (start := page.find("<script>", position)) >= 0:
        end = page.find("</script>", start + len("<script>"))
        if end < 0:
            break  # no later script has an end either
        scripts.append(page[start + len("<script>") : end])
        position = end + len("</script>")
    return scripts


CSP_META = '<meta http-equiv="Content-Security-Policy" content="'  # the start of the tag this module writes


@functools.lru_cache(maxsize=256)  # the theme's scripts are the same on every page of a folder
def _script_hash(script: str) -> str:
    """A script's CSP source: `'sha256-…'`."""
    import base64
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def content_security_policy(output: str) -> str:
    """Add a CSP meta tag: nothing loads from elsewhere; scripts only from the site itself and
    the theme's own inline scripts (by hash), so an injected script would not run."""
    head_end = output.find("</head>")
    if output.find(CSP_META, 0, head_end if head_end >= 0 else len(output)) >= 0:
        return output  # has ours already; a page that only names it (in its text, its title) gets one too
    theme = without_articles(output)  # the page's own content never earns a hash: only the theme's scripts run
    hashes = sorted({_script_hash(script) for script in inline_scripts(theme)})
    policy = CSP_DIRECTIVES + "; script-src 'self' " + " ".join(hashes)
    meta = f'{CSP_META}{policy}">'
    head = re.search(r"<meta charset=[^>]*>", output, re.I) or re.search(r"<head[^>]*>", output, re.I)
    if not head:
        return output
    return "".join((output[: head.end()], "\n  ", meta, output[head.end() :]))


# ---- on_post_build: the file:// search shim without inline script ---------------------------

SHIM_INLINE = '<script>postMessage=${c};importScripts=${d};addEventListener("error",({error})=>{parent.dispatchEvent(new ErrorEvent("error",{filename:"${e}",error}))})<\\/script>'
SHIM_INNER = "assets/javascripts/iframe-worker-inner.js"
SHIM_INNER_JS = """// Terrain: the iframe-worker shim's inline script as a file, so that the pages'
// Content-Security-Policy needs no 'unsafe-inline' (terrain/site.py, patch_worker_shim).
postMessage = function (message, origin) { parent.postMessage(message, origin || "*") };
importScripts = function (...urls) {
  return urls.reduce((done, url) => done.then(() => new Promise(resolve => {
    const script = document.createElement("script"); script.src = url; script.onload = resolve; document.body.appendChild(script)
  })), Promise.resolve())
};
addEventListener("error", ({ error }) => {
  const worker = document.scripts[document.scripts.length - 1];
  parent.dispatchEvent(new ErrorEvent("error", { filename: worker.src.replace(/\\?[^?]*$/, ""), error }))
});
"""


def patch_worker_shim(site: Path) -> bool:
    """Make the search work from file:// under the CSP: Material's worker shim writes an inline
    script into an iframe, which the policy blocks; load the same code from a file instead."""
    shim = site / SHIM_DEST
    if not shim.is_file():
        return False
    text = shim.read_text(encoding="utf-8")
    if SHIM_INLINE not in text:
        return SHIM_INNER in text
    inner = 'var __terrain_inner=document.currentScript&&document.currentScript.src.replace(/iframe-worker\\.js([?#].*)?$/,"iframe-worker-inner.js");\n'
    shim.write_text(inner + text.replace(SHIM_INLINE, "<script src=${__terrain_inner}><\\/script>"), encoding="utf-8")
    (site / SHIM_INNER).write_text(SHIM_INNER_JS, encoding="utf-8")
    return True


def set_aside(site_dir: Path) -> Path | None:
    """Move a site that failed its checks to SITE.failed, so that nothing serves or packs it.

    `terrain build` builds into build/site.new and removes it itself; a direct `mkdocs build`
    writes into site/, which must not keep a broken site. `mkdocs serve` previews are left.
    """
    import shutil

    if serving() or not site_dir.is_dir() or site_dir.name == "site.new":
        return None
    target = site_dir.with_name(site_dir.name + ".failed")
    shutil.rmtree(target, ignore_errors=True)
    site_dir.replace(target)
    return target
