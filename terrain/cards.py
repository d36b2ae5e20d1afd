"""Picture cards and pictograms: the cards an activity uses (modules/NN-slug/cards.yml), printed
as cut-out A4 sheets, and the pictograms that stand for the symbols of the worksheet forms
(data/pictograms.yml), drawn from pinned open icon sets or from a local drawing.

A pictogram is named `set:name` (an icon of an installed iconify set, like
`healthicons:woman`) or as a file beside the module, like `pictures/mercury.svg`.
"""

from __future__ import annotations

import html
import json
import logging
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from . import schemas, yamlfile
from .problems import Problem, rel
from .render import spans

if TYPE_CHECKING:
    from .project import Project, Unit

log = logging.getLogger("terrain.cards")

# The icon sets Terrain may draw from: prefix -> npm package (pinned in package.json).
ICON_SETS = {"healthicons": "@iconify-json/healthicons", "game-icons": "@iconify-json/game-icons"}
# Where the icon sets are looked for: the project, then the checkout terrain runs from and the one
# whose .venv runs it (a copy of a project in a temporary folder has no node_modules of its own).
FALLBACK_ROOTS = (Path(__file__).resolve().parent.parent, Path(sys.prefix).resolve().parent)
ACTIVITY = re.compile(r"^###\s+\S+\s+(\d+)\s*[—–-]", re.M)
LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./-]*\.(svg|png)$", re.I)
PER = ("group", "participant", "facilitator")


# ---- icons ------------------------------------------------------------------------------------


class IconSet:
    """An installed iconify set: its icons.json read as bytes, each icon decoded when asked for.

    The two sets are 9.5 MB of JSON and a build draws a few dozen icons: decoding every one cost
    more than the rest of reading the cards. The packages write one key per line, indented with
    tabs: the set's own keys (`icons`, `aliases`, `width`…) after one tab, each icon or alias
    after two. A JSON text holds no raw line break inside a string, so these are lines of the file
    itself. A set written another way is decoded whole; tests/test_cards.py compares the two ways
    on every icon of the installed sets, so a new layout shows there, not on a page.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.whole: dict | None = None
        keys = [(m.group(1).decode(), m.end()) for m in _SET_KEY.finditer(data)]
        self.keys = dict(keys)  # a key of the set -> where its value starts
        self.entries: dict[str, dict[str, tuple[int, int]]] = {}  # section -> name -> its value's bytes
        for (key, start), end in zip(keys, [at for _, at in keys[1:]] + [len(data)]):
            if data.startswith(b"{", start):
                found = [(m.group(1), m.end() - 1) for m in _SET_ENTRY.finditer(data, start, end)]
                ends = [at for _, at in found[1:]] + [end]
                self.entries[key] = {
                    (json.loads(b'"' + name + b'"') if b"\\" in name else name.decode()): (at, stop)
                    for (name, at), stop in zip(found, ends)
                }
        if not self.entries.get("icons"):  # not the layout above
            self.whole = json.loads(data)

    def get(self, section: str, name: str) -> dict | None:
        """An icon (`section` "icons") or an alias ("aliases") as json.loads gives it; None if absent."""
        if self.whole is not None:
            return self.whole.get(section, {}).get(name)
        span = self.entries.get(section, {}).get(name)
        if span is None:
            return None
        return _DECODER.raw_decode(self.data[span[0] : span[1]].decode("utf-8"))[0]  # stops at its end

    def default(self, key: str, fallback: int) -> int:
        """A value the set gives all its icons (`width`, `height`)."""
        if self.whole is not None:
            return self.whole.get(key, fallback)
        at = self.keys.get(key)
        return fallback if at is None else _DECODER.raw_decode(self.data[at : self.data.find(b"\n", at)].decode())[0]

    def names(self) -> list[str]:
        """Every icon's and alias's name."""
        if self.whole is not None:
            return [*self.whole.get("icons", {}), *self.whole.get("aliases", {})]
        return [*self.entries.get("icons", {}), *self.entries.get("aliases", {})]


_SET_KEY = re.compile(rb'\n\t"(\w+)":\s*')  # a key of the set itself: a line indented one tab
_SET_ENTRY = re.compile(rb'\n\t\t"([^"\\\n]*(?:\\.[^"\\\n]*)*)":\s*\{')  # an icon or alias: two tabs
_DECODER = json.JSONDecoder()


@cache
def _icon_set(folder: str, prefix: str) -> IconSet | None:
    """An installed iconify set, or None when it is not installed."""
    for root in (Path(folder), *FALLBACK_ROOTS):
        path = root / "node_modules" / ICON_SETS[prefix] / "icons.json"
        if path.is_file():
            return IconSet(path.read_bytes())
    return None


def icon_svg(root: Path, ref: str) -> str | None:
    """The SVG of an icon `set:name`, black on transparent; None when the set or icon is unknown."""
    prefix, _, name = ref.partition(":")
    if prefix not in ICON_SETS:
        return None
    data = _icon_set(str(root), prefix)
    if data is None:
        return None
    icon, seen = data.get("icons", name), 0
    while icon is None and (alias := data.get("aliases", name)) is not None and seen < 5:  # an alias names its parent
        name, seen = alias["parent"], seen + 1
        icon = data.get("icons", name)
    if icon is None:
        return None
    width, height = icon.get("width", data.default("width", 16)), icon.get("height", data.default("height", 16))
    body = icon["body"].replace("currentColor", "#000")
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{icon.get("left", 0)} {icon.get("top", 0)} {width} {height}">{body}</svg>'


def icon_names(root: Path, prefix: str) -> list[str]:
    data = _icon_set(str(root), prefix) if prefix in ICON_SETS else None
    return sorted(data.names()) if data else []


def pictogram_problem(root: Path, folder: Path, ref: str) -> str | None:
    """What is wrong with a pictogram reference, with the fix; None when it is fine."""
    if LOCAL.match(ref):
        if ".." in ref.split("/"):
            return f"the picture `{ref}` lies outside the module folder — put it next to the module, like `pictures/{ref.rsplit('/', 1)[-1]}`"
        path = folder / ref
        if path.exists() and not path.resolve().is_relative_to(folder.resolve()):
            return f"the picture `{ref}` is a link to a file outside the module folder — copy the file itself into {rel(folder, root)}/"
        if path.is_symlink() or not path.is_file():
            return f"the picture `{ref}` does not exist in {rel(folder, root)}/ — add the SVG or PNG file there, or correct the name"
        return None
    prefix, colon, name = ref.partition(":")
    if not colon or prefix not in ICON_SETS:
        return f"`{ref}` is neither an icon (`set:name`, sets: {', '.join(ICON_SETS)}) nor a local .svg or .png file — write e.g. `healthicons:woman` or `pictures/woman.svg`"
    if _icon_set(str(root), prefix) is None:
        return f"the icon set `{prefix}` is not installed [setup] — run `make setup` (it installs {ICON_SETS[prefix]} from package.json)"
    if icon_svg(root, ref) is None:
        import difflib  # only for a name that is wrong

        close = difflib.get_close_matches(name, icon_names(root, prefix), n=3, cutoff=0.6)
        hint = (
            f"did you mean {', '.join(f'`{prefix}:{c}`' for c in close)}?"
            if close
            else f"look the name up in node_modules/{ICON_SETS[prefix]}/icons.json"
        )
        return f"the icon `{ref}` is not in the {prefix} set — {hint}"
    return None


def pictogram_file(root: Path, folder: Path, ref: str, dest: Path) -> Path:
    """Write a pictogram as a file in `dest` (an icon's SVG, or a copy of the local picture)."""
    dest.mkdir(parents=True, exist_ok=True)
    if LOCAL.match(ref):
        source = folder / ref
        target = dest / (folder.name + "--" + ref.replace("/", "--"))
        target.write_bytes(source.read_bytes())
        return target
    target = dest / (ref.replace(":", "--") + ".svg")
    if not target.exists():
        target.write_text(icon_svg(root, ref) or "", encoding="utf-8")
    return target


# ---- cards.yml ----------------------------------------------------------------------------------


@dataclass
class Card:
    id: str
    pictogram: str
    label: dict
    story: dict
    line: int


@dataclass
class CardSet:
    module: str  # the module folder name
    folder: Path
    id: str
    activity: int
    per: str
    title: dict
    cards: list[Card] = field(default_factory=list)
    line: int = 0
    todo: list[str] = field(default_factory=list)  # texts still to translate, as path:line: lines for `terrain check`

    @property
    def has_stories(self) -> bool:
        return any(card.story for card in self.cards)


def text_in(texts: dict, lang: str, default: str) -> str:
    """A text in a language, or in the default language when it has none yet."""
    return str(texts.get(lang) or texts.get(default) or "")


def set_translated(card_set: CardSet, lang: str, default: str) -> bool:
    """Every text of a set (its title, every label and story) has a `lang:` text. A set is
    translated whole or not at all: a partly translated set is never printed with the default
    language's text in the missing labels, which would mix two languages on one sheet unsaid."""
    if lang == default:
        return True
    texts = [card_set.title, *(c.label for c in card_set.cards), *(c.story for c in card_set.cards if c.story)]
    return all(str(texts_.get(lang) or "").strip() for texts_ in texts)


def cards_language(project: Project, slug: str, lang: str) -> str:
    """The language of the card PDF a module's page in `lang` offers: `lang` when every set of its
    cards.yml is translated into it, else the default language (whose PDF the page links to, marked
    as not yet translated). A language never gets a card PDF of its own with another's text."""
    default = project.default_language
    sets = project.cards[0].get(slug) or []
    return lang if all(set_translated(s, lang, default) for s in sets) else default


def activity_numbers(unit) -> set[int]:
    """The numbers N of the `### Activity N — …` headings of a module's pages."""
    numbers: set[int] = set()
    for page in unit.pages.values():
        numbers |= {int(n) for n in ACTIVITY.findall(page.body)}
    return numbers


def load_cards(project: Project) -> tuple[dict[str, list[CardSet]], list[Problem]]:
    """Every module's card sets, and every problem in its cards.yml."""
    found: dict[str, list[CardSet]] = {}
    problems: list[Problem] = []
    for slug, unit in project.modules.items():
        path = unit.folder / "cards.yml"
        if not path.exists():
            continue
        name = rel(path, project.root)
        data, lines, errors = project.read_yaml(path, name)
        if not errors:
            errors = yamlfile.validate(data, schemas.CARDS, name, lines)
        if errors:
            problems += errors
            continue
        sets, more = _card_sets(project, unit, data, lines, name)
        found[slug] = sets
        problems += more
    return found, problems


def _card_sets(project: Project, unit: Unit, data: dict, lines: dict, name: str) -> tuple[list[CardSet], list[Problem]]:
    """Typed card sets from a valid cards.yml, and what the schema cannot see."""
    problems: list[Problem] = []
    sets: list[CardSet] = []
    set_ids: dict[str, int] = {}
    default = project.default_language
    numbers = activity_numbers(unit)
    untranslated: dict[str, list[tuple[int, str]]] = {}  # language -> (line, what) of its missing texts
    for i, raw in enumerate(data.get("sets") or []):
        line = yamlfile.line_of(lines, ("sets", i, "id"))
        if raw["id"] in set_ids:
            problems.append(
                Problem(
                    name,
                    line,
                    f"the set id `{raw['id']}` is used twice (first on line {set_ids[raw['id']]}) — give each set its own id",
                )
            )
        set_ids.setdefault(raw["id"], line)
        if numbers and raw["activity"] not in numbers:
            where = yamlfile.line_of(lines, ("sets", i, "activity"))
            problems.append(
                Problem(
                    name,
                    where,
                    f"`activity: {raw['activity']}` — the module has no `### Activity {raw['activity']} —`; use one of {', '.join(map(str, sorted(numbers)))}",
                )
            )
        card_set = CardSet(unit.slug, unit.folder, raw["id"], raw["activity"], raw["per"], raw["title"], line=line)
        card_ids: dict[str, int] = {}
        for j, card in enumerate(raw["cards"]):
            cline = yamlfile.line_of(lines, ("sets", i, "cards", j, "id"))
            if card["id"] in card_ids:
                problems.append(
                    Problem(
                        name,
                        cline,
                        f"the card id `{card['id']}` is used twice in the set `{raw['id']}` (first on line {card_ids[card['id']]}) — give each card its own id",
                    )
                )
            card_ids.setdefault(card["id"], cline)
            wrong = pictogram_problem(project.root, unit.folder, card["pictogram"])
            if wrong:
                problems.append(Problem(name, yamlfile.line_of(lines, ("sets", i, "cards", j, "pictogram")), wrong))
            card_set.cards.append(Card(card["id"], card["pictogram"], card["label"], card.get("story") or {}, cline))
        for texts, what, where in (
            [(raw["title"], "title", line)]
            + [(c.label, f"card `{c.id}`", c.line) for c in card_set.cards]
            + [(c.story, f"story of `{c.id}`", c.line) for c in card_set.cards if c.story]
        ):
            for key in texts:
                if key not in project.languages:
                    # a misspelt language key (`pr:` for `pt:`) would silently leave its text unprinted
                    missing = [lang for lang in project.languages if lang not in texts]
                    guess = f"write `{missing[0]}:` if that is the language meant, or " if missing else "write "
                    at = [
                        n
                        for path, n in lines.items()
                        if len(path) > 2 and path[:2] == ("sets", i) and path[-1] == key and n >= where
                    ]
                    problems.append(
                        Problem(
                            name,
                            min(at, default=where),
                            f"the {what} has a `{key}:` text, but `{key}` is no language of the site ({', '.join(project.languages)}) — {guess}one of the site's language codes",
                        )
                    )
            if default not in texts:
                problems.append(
                    Problem(
                        name, where, f"the {what} has no `{default}:` text — write it in the default language first"
                    )
                )
            for lang in project.languages:
                if lang != default and lang not in texts:
                    untranslated.setdefault(lang, []).append((where, what))
        sets.append(card_set)
    for lang, gaps in untranslated.items():  # one line per file and language, not one per card
        first_line, first_text = gaps[0]
        more = len(gaps) - 1
        has = f" and {more} more text{'s' if more > 1 else ''} have" if more else " has"
        sets[0].todo.append(  # listed by `terrain check` only, not by every command
            f"{name}:{first_line}: the {first_text}{has} no `{lang}:` text yet — add them: until every text of its sets has one, the module's cards are offered in {default}, marked as not yet translated"
        )
    return sets, problems


# ---- print: cut-out A4 sheets -------------------------------------------------------------------


def typst_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def card_typst(project, card_set: CardSet, lang: str, module_no: int, icons: Path, out: Path) -> str:
    """One set as a Typst dictionary for the card template."""
    default = project.default_language
    cards = []
    for card in card_set.cards:
        image = pictogram_file(project.root, card_set.folder, card.pictogram, icons).relative_to(out).as_posix()
        story = text_in(card.story, lang, default) if card.story else ""
        cards.append(
            f"(image: {typst_str(image)}, label: {typst_str(text_in(card.label, lang, default))}, story: {typst_str(story)})"
        )
    title = text_in(card_set.title, lang, default)
    corner = f"{project.text(lang, 'labels', 'module')} {module_no} · {title}"
    per = project.text(lang, "cards", f"per_{card_set.per}")
    return (
        f"(title: {typst_str(title)}, corner: {typst_str(corner)}, per: {typst_str(per)}, stories: {'true' if card_set.has_stories else 'false'}, "
        f"cards: ({', '.join(cards)},))"
    )


def cards_to_translate(project) -> list[str]:
    """Every card title, label and story with no text yet in a language of the site, as `path:line: …`
    (shown by `terrain check` only: the other commands do not repeat it before their own answer)."""
    all_sets, _ = project.cards
    return [line for sets in all_sets.values() for card_set in sets for line in card_set.todo]


def cards_pdf_name(unit) -> str:
    return f"cards-{unit.slug}"


def build_cards(project, lang: str, typ_compiler, problems: list[Problem]) -> list[Path]:
    """One cut-out PDF per module that has cards, in build/downloads/LANG/cards-NN-slug.pdf."""
    from .pack import source_epoch, write_whole

    all_sets, _ = project.cards
    stage = project.root / "build" / "print" / lang / "cards"
    template = project.root / "print" / "templates" / "cards" / "cards.typ"
    written = []
    downloads = project.downloads / lang
    for old in downloads.glob("cards-*.pdf") if downloads.is_dir() else []:
        if old.stem.removeprefix("cards-") not in all_sets:
            old.unlink()
    for slug, sets in all_sets.items():
        unit = project.modules[slug]
        if cards_language(project, slug, lang) != lang:  # not translated whole: no PDF of its own
            (downloads / f"{cards_pdf_name(unit)}.pdf").unlink(missing_ok=True)
            continue
        page = unit.page(lang, project.default_language)
        stage.mkdir(parents=True, exist_ok=True)
        (stage / "cards.typ").write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
        typ = stage / f"{cards_pdf_name(unit)}.typ"
        body = ",\n  ".join(card_typst(project, s, lang, unit.order, stage / "icons", stage) for s in sets)
        module_title = f"{unit.order}. {page.title if page else slug}"
        typ.write_text(
            '#import "cards.typ": card-sheets\n'
            f"#card-sheets(lang: {typst_str(lang.split('-')[0])}, module: {typst_str(module_title)}, cut: {typst_str(project.text(lang, 'cards', 'cut'))},\n"
            f" credits: {typst_str(project.text(lang, 'cards', 'credits'))},\n sets: (\n  {body},\n))\n",
            encoding="utf-8",
        )
        try:
            pdf = typ_compiler.compile(input=str(typ), format="pdf", root=str(stage), timestamp=source_epoch())
        except RuntimeError as error:
            detail = getattr(error, "diagnostic", "") or str(error)
            problems.append(
                Problem(rel(unit.folder / "cards.yml", project.root), 0, f"Typst could not print the cards: {detail}")
            )
            continue
        dest = downloads / f"{cards_pdf_name(unit)}.pdf"
        dest.parent.mkdir(parents=True, exist_ok=True)
        write_whole(dest, pdf)
        written.append(dest)
    return written


# ---- the Downloads page -------------------------------------------------------------------------


def download_rows(ctx) -> list[str]:
    """Table rows of the Downloads page for the card PDFs of the page's language."""
    from .render import download_file, list_title

    rows = []
    all_sets, _ = ctx.project.cards
    for slug, sets in all_sets.items():
        unit = ctx.project.modules[slug]
        lang = cards_language(ctx.project, slug, ctx.lang)
        path = f"downloads/{lang}/{cards_pdf_name(unit)}.pdf"
        file = download_file(ctx.project, path)
        titles = ", ".join(text_in(s.title, lang, ctx.project.default_language) for s in sets)
        link = card_link(ctx.project, ctx.lang, lang, ctx.site_href(path), file) if file.exists() else "—"
        if lang != ctx.lang:
            titles = f'<span lang="{lang}">{titles}</span>'

        rows.append(
            f"| **{ctx.t('cards', 'title')}** — {unit.order}. {list_title(ctx, unit)}{ctx.colon} {titles} | {link} | — |"
        )
    return rows


def card_link(project, page_lang: str, lang: str, href: str, file: Path) -> str:
    """The download link of a card PDF; one in another language than the page's says so: its
    `hreflang` and `lang`, and the notice of a page not yet translated (`notices.missing`)."""
    from .render import human_size

    label = (
        f"{project.text(page_lang, 'labels', 'download_pdf')}, {human_size(file.stat().st_size, page_lang, project)}"
    )
    if lang == page_lang:
        return f'<a href="{href}" download>{label}</a>'
    return (
        f'<a href="{href}" hreflang="{lang}" download>{label} <span lang="{lang}">({lang})</span></a> '
        f'<em class="terrain-untranslated">{html.escape(project.text(page_lang, "notices", "missing"))}</em>'
    )


# ---- pictograms in the worksheet forms ------------------------------------------------------


@dataclass
class Pictogram:
    symbol: str
    icon: str
    label: dict[str, str]


class Pictograms(TypedDict):
    """data/pictograms.yml, checked: the shared symbols, and each worksheet's own."""

    symbols: dict[str, Pictogram]
    worksheets: dict[str, dict[str, Pictogram]]


def load_pictograms(project: Project) -> tuple[Pictograms, list[Problem]]:
    """data/pictograms.yml: {'symbols': {symbol: Pictogram}, 'worksheets': {slug: {symbol: Pictogram}}}."""
    path = project.root / "data" / "pictograms.yml"
    name = rel(path, project.root)
    empty: Pictograms = {"symbols": {}, "worksheets": {}}
    if not path.exists():
        return empty, []
    data, lines, problems = yamlfile.load(path, name)
    if not problems:
        problems = yamlfile.validate(data, schemas.PICTOGRAMS, name, lines)
    if problems:
        return empty, problems
    out: Pictograms = {"symbols": {}, "worksheets": {}}
    data_folder = project.root / "data"

    def entry(symbol: str, value: dict, key: tuple) -> Pictogram:
        wrong = pictogram_problem(project.root, data_folder, value["icon"])
        if wrong:
            problems.append(Problem(name, yamlfile.line_of(lines, key + ("icon",)), wrong))
        if project.default_language not in value["label"]:
            problems.append(
                Problem(
                    name,
                    yamlfile.line_of(lines, key),
                    f"the symbol `{symbol}` has no `{project.default_language}:` label — name what it stands for",
                )
            )
        return Pictogram(symbol, value["icon"], value["label"])

    for symbol, value in (data.get("symbols") or {}).items():
        out["symbols"][symbol] = entry(symbol, value, ("symbols", symbol))
    for slug, symbols in (data.get("worksheets") or {}).items():
        if slug not in project.worksheets:
            problems.append(
                Problem(
                    name,
                    yamlfile.line_of(lines, ("worksheets", slug)),
                    f"there is no worksheet `{slug}` — use a folder name under worksheets/",
                )
            )
        out["worksheets"][slug] = {s: entry(s, v, ("worksheets", slug, s)) for s, v in symbols.items()}
    return out, problems


def pictograms_for(project: Project, worksheet: str) -> dict[str, Pictogram]:
    registry, _ = project.pictograms
    return {**registry["symbols"], **registry["worksheets"].get(worksheet, {})}


def _symbol_pattern(symbols) -> re.Pattern | None:
    keys = sorted(symbols, key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys)) if keys else None


WEB_FOLDER = "assets/pictograms"  # one copy of each pictogram in the built site, written by write_web_pictograms


def web_name(pictogram: Pictogram) -> str:
    """The file name of an icon's pictogram in the built site (WEB_FOLDER)."""
    return pictogram.icon.replace(":", "--") + ".svg"


def web_img(project, pictogram: Pictogram, lang: str, base: str = "") -> str:
    """A pictogram for the web page: an <img> of the site's one copy of the icon, with its text
    alternative; `base` is the relative way from the page to the site's root (file:// and the ZIM)."""
    label = html.escape(text_in(pictogram.label, lang, project.default_language), quote=True)
    if LOCAL.match(pictogram.icon):
        return html.escape(pictogram.symbol)  # a local picture would have to be published; keep the symbol
    src = html.escape(f"{base}{WEB_FOLDER}/{web_name(pictogram)}", quote=True)
    # width and height: its size (1.8em, terrain.css) without the stylesheet too
    return f'<img class="terrain-pictogram" src="{src}" alt="{label}" title="{label}" width="29" height="29">'


def write_web_pictograms(project, site: Path) -> int:
    """Write each icon of data/pictograms.yml once into the built site (WEB_FOLDER), for web_img;
    black on transparent, as the print edition draws them. Returns the file count."""
    registry, _ = project.pictograms
    every = [*registry["symbols"].values(), *(p for ws in registry["worksheets"].values() for p in ws.values())]
    dest = site / WEB_FOLDER
    written = set()
    for pictogram in every:
        name = web_name(pictogram)
        if LOCAL.match(pictogram.icon) or name in written:
            continue
        svg = icon_svg(project.root, pictogram.icon)
        if svg is not None:
            dest.mkdir(parents=True, exist_ok=True)
            (dest / name).write_text(svg, encoding="utf-8")
            written.add(name)
    return len(written)


KEY = re.compile(r"^\w+\s?:\s")  # the key line of a form: "Key: …", "Légende : …"


def web_form(content: str, project, lang: str, worksheet: str, base: str = "") -> str:
    """In a worksheet's form section, draw the symbols of the table headers and the key as pictograms
    (`base`: the relative way from the page to the site's root)."""
    symbols = pictograms_for(project, worksheet)
    pattern = _symbol_pattern(symbols)
    if not pattern:
        return content

    def draw(text: str) -> str:
        return pattern.sub(lambda m: web_img(project, symbols[m.group(0)], lang, base), text)

    def cell(match: re.Match) -> str:
        inner = html.unescape(match.group(2))
        return (
            match.group(1) + draw(match.group(2)) + match.group(3) if symbols_only(pattern, inner) else match.group(0)
        )

    def section(part: str) -> str:
        part = _each(part, "<thead>", "</thead>", draw)
        part = re.sub(r"(<td[^>]*>)([^<]*)(</td>)", cell, part)
        return _each(part, "<p>", "</p>", draw)  # each paragraph, up to its first </p>

    return _each(content, '<section class="ws-form">', "</section>", section)


def _each(text: str, start: str, end: str, change) -> str:
    """`text` with each `start…end` (the shortest, render.spans) replaced by `change` of it."""
    parts, done = [], 0
    for begin, finish in spans(text, start, end):
        parts += [text[done:begin], change(text[begin:finish])]
        done = finish
    parts.append(text[done:])
    return "".join(parts)


def print_form(markdown: str, project, lang: str, worksheet: str, icons: Path, out: Path) -> str:
    """The form's Markdown for print: header-row and key symbols become 8 mm pictograms (raw Typst)."""
    symbols = pictograms_for(project, worksheet)
    pattern = _symbol_pattern(symbols)
    if not pattern:
        return markdown

    def draw(text: str) -> str:
        def image(match: re.Match) -> str:
            pictogram = symbols[match.group(0)]
            path = pictogram_file(project.root, project.root / "data", pictogram.icon, icons)
            src = path.relative_to(out).as_posix() if path.is_relative_to(out) else path.as_posix()
            return '{raw:typst}`#box(baseline: 25%, image("' + src + '", height: 8mm))`'

        return pattern.sub(image, text)

    lines, header_next = [], True
    for line in markdown.split("\n"):
        stripped = line.strip()
        if stripped.startswith("|"):
            if header_next:
                line = draw(line)
            else:  # a cell of symbols only ("☺ ○ ☹": circle one) is drawn too
                line = "|".join(draw(cell) if symbols_only(pattern, cell) else cell for cell in line.split("|"))
            header_next = False
        else:
            header_next = True
            if stripped and not stripped.startswith(("{raw:typst}", "```", "#")):
                line = draw(line)  # the key and the instruction lines
        lines.append(line)
    return "\n".join(lines)


def symbols_only(pattern: re.Pattern, cell: str) -> bool:
    """A table cell that holds nothing but form symbols, like `☺ ○ ☹`."""
    return bool(cell.strip()) and bool(pattern.search(cell)) and not pattern.sub("", cell).strip()


# ---- pictograms in the DOCX sheets ---------------------------------------------------------------


def pictogram_png(project, pictogram: Pictogram, folder: Path) -> bytes:
    """A pictogram as a PNG for Word (which cannot show SVG), drawn by Typst from the SVG."""
    import typst

    svg = pictogram_file(project.root, project.root / "data", pictogram.icon, folder)
    png = svg.with_suffix(".png")
    if not png.exists():
        typ = svg.with_suffix(".typ")
        typ.write_text(
            f'#set page(width: auto, height: auto, margin: 0pt)\n#image("{svg.name}", height: 1cm)\n', encoding="utf-8"
        )
        png.write_bytes(typst.compile(str(typ), format="png", ppi=200, root=str(folder)))
    return png.read_bytes()


def docx_form(document, project, worksheet: str) -> None:
    """In a DOCX sheet, draw the symbols of the form's table headers, key, instructions and choice cells as 8 mm pictures."""
    from io import BytesIO

    from docx.shared import Cm

    symbols = pictograms_for(project, worksheet)
    pattern = _symbol_pattern(symbols)
    if not pattern:
        return
    folder = project.root / "build" / "print" / "_pictograms"

    def redraw(paragraph) -> None:
        runs = [(r.text, r.bold, r.italic, r.font.size) for r in paragraph.runs]
        if not any(pattern.search(text) for text, *_ in runs):
            return
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)
        for text, bold, italic, size in runs:
            for part in re.split(f"({pattern.pattern})", text):
                if not part:
                    continue
                run = paragraph.add_run()
                if part in symbols:
                    run.add_picture(BytesIO(pictogram_png(project, symbols[part], folder)), height=Cm(0.8))
                else:
                    run.text, run.bold, run.italic = part, bold, italic
                    if size:
                        run.font.size = size

    for paragraph in document.paragraphs[3:]:  # after the title, the summary and the name line
        redraw(paragraph)
    for table in document.tables:
        for index, row in enumerate(table.rows):
            for cell in row.cells:
                if index == 0 or symbols_only(pattern, cell.text):
                    for paragraph in cell.paragraphs:
                        redraw(paragraph)
