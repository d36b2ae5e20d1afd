"""Load the curriculum from disk: languages, modules, worksheets, readings, glossary, strings.

Loading never raises on bad input: every problem is collected in `Project.problems`, so the
hooks and `terrain check` can report them all at once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from . import schemas, yamlfile
from .problems import Problem, rel

if TYPE_CHECKING:
    from .cards import CardSet, Pictograms

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)
# The longest module or worksheet folder name: the print edition names its files after it
# (`cards-NN-SLUG.pdf.part`, `SLUG.docx.part`), and a file system takes 255 characters a name.
MAX_SLUG = 80


@dataclass
class Page:
    """One language's Markdown file of a module, worksheet or docs page."""

    path: Path
    name: str  # path relative to the project root, for messages
    lang: str
    meta: dict
    body: str
    body_line: int  # line number of the body's first line in the file
    meta_lines: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))

    @property
    def summary(self) -> str:
        return str(self.meta.get("summary", ""))

    @property
    def translation(self) -> schemas.Translation:
        """The `translation:` block of its front matter; {} when it has none (a default-language page)."""
        value = self.meta.get("translation")
        return cast(schemas.Translation, value) if isinstance(value, dict) else schemas.Translation()


@dataclass
class Unit:
    """A module or a worksheet: a folder with its yml facts and one page per language."""

    kind: str  # "module" or "worksheet"
    slug: str
    folder: Path
    facts: dict
    facts_lines: dict
    pages: dict[str, Page]
    default_language: str = "en"  # the project's: the page shown when a language has none

    @property
    def order(self) -> int:
        return int(self.facts.get("order", 999)) if isinstance(self.facts.get("order"), int) else 999

    # The facts of its yml, typed once here. A value the schema refuses reads as missing: the
    # loader has reported it (terrain/schemas.py MODULE, WORKSHEET), and the build stops on it.

    def _whole(self, key: str) -> int | None:
        value = self.facts.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def _names(self, key: str) -> list[str]:
        value = self.facts.get(key)
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    @property
    def duration(self) -> int | None:
        """Its minutes (`duration`), or None when missing or not a whole number."""
        return self._whole("duration")

    @property
    def day(self) -> int | None:
        """The workshop day of a module (`day`), or None."""
        return self._whole("day")

    @property
    def worksheet_slugs(self) -> list[str]:
        """The worksheets a module uses (`worksheets`), in its order."""
        return self._names("worksheets")

    @property
    def reading_ids(self) -> list[str]:
        """The readings a module cites (`readings`), in its order."""
        return self._names("readings")

    @property
    def orientation(self) -> str:
        """How a worksheet is printed (`orientation`): "portrait" (the default) or "landscape"."""
        value = self.facts.get("orientation")
        return value if value in ("portrait", "landscape") else "portrait"

    @property
    def sheet_pages(self) -> int:
        """How many pages a worksheet prints on (`pages`), 1 by default."""
        pages = self._whole("pages")
        return pages if pages is not None and pages > 0 else 1

    @property
    def copies(self) -> str:
        """Who gets a copy of a worksheet (`copies`): "participant", "group" (the default) or "facilitator"."""
        value = self.facts.get("copies")
        return value if value in ("participant", "group", "facilitator") else "group"

    @property
    def src_dir(self) -> str:
        return "modules" if self.kind == "module" else "worksheets"

    def page(self, lang: str, fallback: str | None = None) -> Page | None:
        """Its page in `lang`, else in `fallback` (the default language), else None."""
        return self.pages.get(lang) or self.pages.get(fallback or self.default_language)

    def title(self, lang: str) -> str:
        """The title of `page(lang)`, or the folder name when it has no page."""
        page = self.page(lang)
        return page.title if page is not None else self.slug


def body_hash(text: str) -> str:
    """The short hash a translation records of the English body it was made from."""
    normalised = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:12]


def read_page(path: Path, root: Path, lang: str, name: str | None = None) -> tuple[Page, list[Problem]]:
    """Split a Markdown file into front matter and body; report malformed front matter. `name`:
    the file's name in messages, rel(path, root) when not given."""
    name = rel(path, root) if name is None else name
    text, problems = yamlfile.read_text(path, name)  # no byte-order mark; not UTF-8 is a problem
    if text is None:
        return Page(path, name, lang, {}, "", 1), problems
    text = text.replace("\r\n", "\n")
    match = FRONT_MATTER.match(text)
    if not match:
        page = Page(path, name, lang, {}, text, 1)
        if text.startswith("---"):
            return page, [
                Problem(
                    name,
                    1,
                    "the front matter opened by `---` on line 1 is never closed — add a line `---` after the `summary:` line",
                )
            ]
        return page, [
            Problem(
                name,
                1,
                "the file has no front matter — start it with `---`, a `title:` line, a `summary:` line and `---`",
            )
        ]
    meta, lines, problems = yamlfile.parse(match.group(1), name, first_line=2)
    if problems:
        meta = {}
    elif not isinstance(meta, dict):
        problems = [
            Problem(name, 2, "the front matter is not a set of `key: value` lines — write `title: …` and `summary: …`")
        ]
        meta = {}
    else:
        problems = yamlfile.validate(meta, schemas.PAGE_META, name, lines)
    body_line = text[: match.end()].count("\n") + 1
    return Page(path, name, lang, meta, text[match.end() :], body_line, lines), problems


@dataclass
class Project:
    """Everything the site, the print edition and the checks need to know about the sources."""

    root: Path
    languages: list[str]
    default_language: str = "en"
    problems: list[Problem] = field(default_factory=list)
    # reminders, not problems: strings a language in progress (data/ui/LANG.yml still `# DRAFT`) lacks
    ui_todo: list[str] = field(default_factory=list)
    # the YAML files read so far, by path: (data, line map, problems) of yamlfile.load (see read_yaml())
    parsed: dict[Path, tuple[Any, yamlfile.Lines, list[Problem]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # paths resolved so far (see real_path())
    real_paths: dict[Path, Path] = field(default_factory=dict, repr=False, compare=False)

    # ---- loading ---------------------------------------------------------------------------

    @classmethod
    def load(cls, root: Path | str = ".", languages: list[str] | None = None) -> Project:
        root = Path(root).resolve()
        found, problems = read_site_languages(root)
        project = cls(root=root, languages=languages or found, problems=[] if languages else problems)
        project.default_language = project.languages[0]
        # Load every part now, in this order, so that all their problems are in `problems` before
        # any check runs; each part appends its own problems as it is read (once: cached).
        for part in ("modules", "worksheets", "readings", "glossary", "ui", "docs", "cards", "pictograms"):
            getattr(project, part)
        return project

    def real_path(self, path: Path) -> Path:
        """path.resolve(), remembered per loaded project: a path that is not a symlink resolves to
        its folder's real path and its own name, so each folder is looked at once (one lstat),
        not every part of every path again."""
        if path not in self.real_paths:
            if path.name in ("", ".", "..") or path.is_symlink():
                self.real_paths[path] = path.resolve()
            else:
                self.real_paths[path] = self.real_path(path.parent) / path.name
        return self.real_paths[path]

    def inside(self, path: Path) -> bool:
        """policy.inside(path, self.root), with real_path()."""
        try:
            return self.real_path(path).is_relative_to(self.real_path(self.root))
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13) leads nowhere
            return False

    def contains(self, path: Path) -> bool:
        """Whether a path is no symlink and, with every symlink resolved, stays inside the repository."""
        return not path.is_symlink() and self.inside(path)

    def name_of(self, path: Path) -> str:
        """rel(path, self.root), with real_path() for its folder: a file where it sits (a symlink
        is named, not what it leads to)."""
        try:
            return (self.real_path(path.parent) / path.name).relative_to(self.real_path(self.root)).as_posix()
        except (ValueError, OSError, RuntimeError):
            return rel(path, self.root)

    def read_yaml(self, path: Path, name: str) -> tuple[Any, yamlfile.Lines, list[Problem]]:
        """A YAML file's (data, line map, problems), as yamlfile.load gives them, parsed once per
        loaded project: the loaders, the content policy, the translation checks and the kit read
        the same data files. The data is shared: read it, never change it (the loaders only add
        each entry's `_line`); the list of problems is the caller's own."""
        if path not in self.parsed:
            self.parsed[path] = yamlfile.load(path, name)
        data, lines, problems = self.parsed[path]
        return data, lines, list(problems)

    def _units(self, kind: str, folder: str, schema: dict) -> dict[str, Unit]:
        units: dict[str, Unit] = {}
        base = self.root / folder
        if not base.is_dir():
            return units
        pattern = schemas.MODULE_SLUG if kind == "module" else schemas.SLUG
        for path in sorted(p for p in base.iterdir() if p.is_dir()):
            slug = path.name
            if slug.startswith((".", "_")):
                continue
            if len(slug) > MAX_SLUG:  # else `terrain print` would stop at a name too long to write
                self.problems.append(
                    Problem(
                        rel(path, self.root),
                        0,
                        f"the folder name is {len(slug)} characters long — shorten it to {MAX_SLUG} at most: the print edition's files are named after it (`NAME.pdf.part` while written), and a file name holds 255 at most",
                    )
                )
                continue
            if not re.match(pattern, slug):
                example = "03-social-impacts" if kind == "module" else "stakeholder-map"
                self.problems.append(
                    Problem(
                        rel(path, self.root),
                        0,
                        f"the folder name `{slug}` is not a valid {kind} name — rename it in lower case with hyphens, like `{example}`",
                    )
                )
                continue
            yml = path / f"{kind}.yml"
            yml_name = self.name_of(yml)
            facts: dict = {}
            lines: dict = {}
            if not yml.exists():
                self.problems.append(
                    Problem(
                        yml_name,
                        0,
                        f"the {kind} has no {kind}.yml — create it; see CONTRIBUTING.md for its fields",
                    )
                )
            else:
                data, lines, problems = yamlfile.load(yml, yml_name)
                self.problems += problems
                if not problems:
                    if not isinstance(data, dict):
                        self.problems.append(
                            Problem(
                                yml_name,
                                1,
                                f"{kind}.yml must be a set of `key: value` lines — see CONTRIBUTING.md",
                            )
                        )
                    else:
                        facts = data
                        self.problems += yamlfile.validate(data, schema, yml_name, lines)
            pages = {}
            for lang in self.languages:
                md = path / f"index.{lang}.md"
                if md.exists():
                    page, problems = read_page(md, self.root, lang, self.name_of(md))
                    pages[lang] = page
                    self.problems += problems
            units[slug] = Unit(kind, slug, path, facts, lines, pages, self.default_language)
        return units

    @cached_property
    def modules(self) -> dict[str, Unit]:
        units = self._units("module", "modules", schemas.MODULE)
        return dict(sorted(units.items(), key=lambda kv: (kv[1].order, kv[0])))

    @cached_property
    def worksheets(self) -> dict[str, Unit]:
        return self._units("worksheet", "worksheets", schemas.WORKSHEET)

    def _data_list(self, filename: str, schema: dict) -> tuple[list[dict[str, Any]], dict]:
        path = self.root / "data" / filename
        name = self.name_of(path)
        if not path.exists():
            self.problems.append(Problem(name, 0, f"data/{filename} is missing — restore it from git"))
            return [], {}
        data, lines, problems = self.read_yaml(path, name)
        self.problems += problems
        if problems or data is None:
            return [], {}
        self.problems += yamlfile.validate(data, schema, name, lines)
        if not isinstance(data, list):
            return [], lines
        entries = [e for e in data if isinstance(e, dict) and isinstance(e.get("id"), str)]
        seen: dict[str, int] = {}
        for index, entry in enumerate(data):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            line = yamlfile.line_of(lines, (index, "id"))
            if entry["id"] in seen:
                self.problems.append(
                    Problem(
                        name,
                        line,
                        f"the id `{entry['id']}` is used twice (first on line {seen[entry['id']]}) — give each entry its own id",
                    )
                )
            else:
                seen[entry["id"]] = line
            entry.setdefault("_line", line)
        return entries, lines

    @cached_property
    def readings(self) -> dict[str, schemas.Reading]:
        entries, _ = self._data_list("readings.yml", schemas.READINGS)
        return {e["id"]: cast(schemas.Reading, e) for e in entries}

    @cached_property
    def glossary(self) -> list[schemas.GlossaryEntry]:
        entries, _ = self._data_list("glossary.yml", schemas.GLOSSARY)
        return sorted(entries, key=lambda e: e["id"])

    @cached_property
    def ui(self) -> dict[str, dict]:
        strings: dict[str, dict] = {}
        line_maps: dict[str, dict] = {}
        for lang in self.languages:
            path = self.root / "data" / "ui" / f"{lang}.yml"
            name = self.name_of(path)
            if not path.exists():
                self.problems.append(
                    Problem(
                        name,
                        0,
                        f"the interface strings for `{lang}` are missing — run `terrain i18n new {lang}` or copy data/ui/en.yml and translate it",
                    )
                )
                continue
            data, lines, problems = self.read_yaml(path, name)
            self.problems += problems
            strings[lang] = data if isinstance(data, dict) else {}
            line_maps[lang] = lines
            tag = strings[lang].get("language_tag")
            if tag is not None and not (isinstance(tag, str) and re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*", tag)):
                self.problems.append(
                    Problem(
                        name,
                        yamlfile.line_of(lines, ("language_tag",)),
                        f"`language_tag: {tag}` is not a language tag — write the language's ISO 639-3 code in lower case, like `mos` (Mooré) or `dyu` (Dioula)",
                    )
                )
            self.problems += ui_value_problems(strings[lang], name, lines)
        default = self.default_language
        for lang in strings:
            if lang != default and default in strings and lang in line_maps:
                parity = ui_key_parity(strings[default], strings[lang], f"data/ui/{lang}.yml", line_maps[lang], default)
                path = self.root / "data" / "ui" / f"{lang}.yml"
                if path.read_text(encoding="utf-8").startswith("# DRAFT"):  # a language in progress never blocks
                    self.ui_todo += [f"{p.path}:{p.line}: {p.message}" for p in parity if p.rule == "ui-key-missing"]
                    parity = [p for p in parity if p.rule != "ui-key-missing"]
                self.problems += parity
        return strings

    @cached_property
    def cards(self) -> tuple[dict[str, list[CardSet]], list[Problem]]:
        """Picture cards by module (modules/NN-slug/cards.yml); their problems join the others."""
        from .cards import load_cards

        found, problems = load_cards(self)
        self.problems += problems
        return found, problems

    @cached_property
    def pictograms(self) -> tuple[Pictograms, list[Problem]]:
        """The pictograms of the form symbols (data/pictograms.yml)."""
        from .cards import load_pictograms

        found, problems = load_pictograms(self)
        self.problems += problems
        return found, problems

    # ---- lookups ---------------------------------------------------------------------------

    @property
    def downloads(self) -> Path:
        """Where the print edition and the packs are written; the site build copies it to site/downloads.

        A country edition (TERRAIN_COUNTRY, set by `terrain build/print/pack --country CC`) has its
        own folder, build/downloads-CC, so that nothing of it reaches the shared edition's files."""
        from .countries import current_code

        code = current_code()
        return self.root / "build" / (f"downloads-{code}" if code else "downloads")

    def text(self, lang: str, group: str, key: str) -> str:
        """An interface string in a language, falling back to the default language."""
        for candidate in (lang, self.default_language):
            value = self.ui.get(candidate, {}).get(group, {}).get(key)
            if is_plural(value):  # a count string read without its count: the general form
                value = value.get("other")
            if value:
                return str(value)
        return key

    def count_text(self, lang: str, group: str, key: str, count: int, **values: object) -> str:
        """An interface string with a count, in the plural form the language's rule picks for it
        (`{one: …, other: …}` in data/ui/LANG.yml; a plain string serves every count), with
        {count} and the other {names} filled in; the default language's string when LANG has none."""
        text = key
        for candidate in (lang, self.default_language):
            value = self.ui.get(candidate, {}).get(group, {}).get(key)
            if is_plural(value):
                value = value.get(plural_category(candidate, count)) or value.get("other")
            if value:
                text = str(value)
                break
        for name, filled in {"count": count, **values}.items():
            text = text.replace("{" + name + "}", str(filled))
        return text

    def modules_using(self, worksheet: str) -> list[Unit]:
        """Modules whose module.yml names a worksheet, in curriculum order."""
        return [m for m in self.modules.values() if worksheet in m.worksheet_slugs]

    def modules_reading(self, reading: str) -> list[Unit]:
        return [m for m in self.modules.values() if reading in m.reading_ids]

    def units(self) -> list[Unit]:
        return [*self.modules.values(), *self.worksheets.values()]

    @cached_property
    def docs(self) -> dict[str, dict[str, Page]]:
        """docs/ pages, read once: {'index.md': {'en': Page, 'fr': Page}}."""
        docs: dict[str, dict[str, Page]] = {}
        for key, paths in self.docs_pages().items():
            for lang, path in paths.items():
                page, problems = read_page(path, self.root, lang, self.name_of(path))
                docs.setdefault(key, {})[lang] = page
                self.problems += problems  # a broken front matter is reported, never read as no title
        return docs

    @cached_property
    def translation_status(self) -> dict:
        """Every language's pages and their translation state (terrain/i18n.py `status`), found
        once: the status page shows the same table in every language."""
        from .i18n import status

        return status(self)

    @cached_property
    def acronyms(self) -> dict[str, list[tuple[str, str]]]:
        """The glossary's acronyms in each language with their expansions, in glossary order (the
        hover definitions of every page)."""
        from .schemas import glossary_term

        found: dict[str, list[tuple[str, str]]] = {}
        for lang in self.languages:
            found[lang] = []
            for entry in self.glossary:
                item = glossary_term(entry, lang)
                term = item.get("term", "") if item else ""
                if item and item.get("expansion") and ACRONYM.fullmatch(term):
                    found[lang].append((term, item["expansion"]))
        return found

    @cached_property
    def file_policy(self) -> tuple[list[Problem], list[Problem]]:
        """(errors, warnings) of the files in module, worksheet and docs folders (terrain/policy.py),
        found once: the checks and the build's warnings both ask for them."""
        from .policy import folder_problems

        return folder_problems(self)

    def docs_pages(self) -> dict[str, dict[str, Path]]:
        """docs/ pages by their language-free path: {'index.md': {'en': Path, 'fr': Path}}."""
        pages: dict[str, dict[str, Path]] = {}
        docs = self.root / "docs"
        for path in sorted(docs.rglob("*.md")):
            parts = path.name.split(".")
            if len(parts) >= 3 and parts[-2] in self.languages:
                key = (path.parent.relative_to(docs) / ".".join(parts[:-2] + ["md"])).as_posix()
                pages.setdefault(key, {})[parts[-2]] = path
        return pages


# ---- the built site: the default language at the root, every other language in its folder --------


def site_prefix(lang: str, default: str) -> str:
    """Where a language's pages go in the built site and in a pack: the default language at the
    root (""), every other language in a folder of its code ("fr/"). The one place of this rule."""
    return "" if lang == default else f"{lang}/"


def site_language(path: str, languages: Iterable[str], default: str) -> tuple[str, str]:
    """The language of a path of the built site, and the path inside that language's folder
    (`fr/modules/x.html` -> ("fr", "modules/x.html")): the inverse of `site_prefix`."""
    first, _, rest = path.partition("/")
    if rest and first != default and first in languages:
        return first, rest
    return default, path


def site_languages(root: Path) -> list[str]:
    """The language codes configured for the i18n plugin in mkdocs.yml, default first."""
    return read_site_languages(root)[0]


def read_site_languages(root: Path) -> tuple[list[str], list[Problem]]:
    """The i18n plugin's language codes in mkdocs.yml, default first, and the problems reading them.

    A broken mkdocs.yml is reported with its line; meanwhile the languages are those of
    data/ui/LANG.yml (English first), so that the other checks still run."""
    data, _, problems = yamlfile.load(root / "mkdocs.yml", "mkdocs.yml")
    if problems or not isinstance(data, dict):
        ui = sorted(p.stem for p in (root / "data" / "ui").glob("*.yml"))
        codes = sorted(ui, key=lambda code: code != "en") or ["en"]
        return codes, problems or [
            Problem(
                "mkdocs.yml", 1, "mkdocs.yml is not a set of `key: value` lines [mkdocs-config] — restore it from git"
            )
        ]
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            langs = (plugin["i18n"] or {}).get("languages") or []
            langs = [lang for lang in langs if isinstance(lang, dict) and isinstance(lang.get("locale"), str)]
            codes = [lang["locale"] for lang in langs if lang.get("default")] + [
                lang["locale"] for lang in langs if not lang.get("default")
            ]
            return codes or ["en"], []
    return ["en"], []


# Keys of data/ui/LANG.yml that set how a language behaves, not strings: only some languages have them.
ACRONYM = re.compile(r"[A-Z&][A-Za-z&\-]{1,9}")  # a glossary term shown with a hover definition
LANGUAGE_SETTINGS = {("typography",), ("language_tag",)}


# The plural categories of CLDR (https://cldr.unicode.org/index/cldr-spec/plural-rules): a count
# string of data/ui/LANG.yml is a mapping of some of them, `other` always among them, e.g.
# `incomplete: {one: "{count} page …", other: "{count} pages …"}`; each language fills the
# categories its own rule uses (English and French: one, other).
PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})


def is_plural(value: object) -> bool:
    """A count string's forms: a mapping whose keys are all plural categories."""
    return isinstance(value, dict) and bool(value) and set(value) <= PLURAL_CATEGORIES


@cache
def plural_category(lang: str, count: int) -> str:
    """The plural category of a count in a language, by the CLDR rules Babel ships (installed with
    MkDocs Material, pinned in pyproject.toml): English `one` for 1 only, French `one` for 0 and 1.
    A language Babel does not know takes `one` for 1 only, and `other` for every other count."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(lang.replace("-", "_")).plural_form(count))
    except (UnknownLocaleError, ValueError, TypeError):
        return "one" if count == 1 else "other"


def _leaf_paths(data: dict, prefix: tuple = ()) -> dict[tuple, None]:
    """Every key path of a nested mapping, in file order (a mapping's own path too); a count
    string's forms are one leaf, since each language has the plural categories of its own rule."""
    paths: dict[tuple, None] = {}
    for key, value in data.items():
        paths[(*prefix, key)] = None
        if isinstance(value, dict) and not is_plural(value):
            paths.update(_leaf_paths(value, (*prefix, key)))
    return paths


def _value_at(data: dict, path: tuple) -> object:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None  # type: ignore[assignment]
    return data


def ui_value_problems(data: dict, name: str, lines: dict) -> list[Problem]:
    """Values of any data/ui/LANG.yml that nothing would show as written: a `typography:` Terrain
    does not know, a form of a count string that is not a text."""
    problems = []
    style = data.get("typography")
    if style is not None:
        from .typography import STYLES

        if not (isinstance(style, str) and style in STYLES):
            problems.append(
                Problem(
                    name,
                    yamlfile.line_of(lines, ("typography",)),
                    f"`typography: {style}` is not a typography Terrain knows — write one of: {', '.join(sorted(STYLES))}, or remove the line",
                    "ui-key-type",
                )
            )
    for path in _leaf_paths(data):
        value = _value_at(data, path)
        if isinstance(value, dict) and is_plural(value):
            for form, text in value.items():
                if not isinstance(text, str):
                    problems.append(
                        Problem(
                            name,
                            yamlfile.line_of(lines, (*path, form)),
                            f"the `{form}:` form of `{'.'.join(map(str, path))}` is {_kind(text)}, not a text — write the text after the colon, in quotes",
                            "ui-key-type",
                        )
                    )
    return problems


def _kind(value: object) -> str:
    """What a value of data/ui/LANG.yml is, in the words of a problem: a text (a count string's
    forms are a text too), a group of keys, a list, or another YAML value."""
    if isinstance(value, str) or (isinstance(value, dict) and is_plural(value)):
        return "a text"
    if isinstance(value, dict):
        return "a group of keys"
    if isinstance(value, list):
        return "a list"
    return "empty" if value is None else f"`{value}`"


def ui_key_parity(default: dict, other: dict, name: str, lines: dict, default_lang: str) -> list[Problem]:
    """Keys of data/ui/LANG.yml that the default language has and LANG lacks, or the reverse,
    at the line of the parent key: a missing string would silently show the default language."""
    problems = []
    want, have = _leaf_paths(default), _leaf_paths(other)
    for path in want:
        if path not in have and path[:-1] in have | {(): None}:
            dotted = ".".join(map(str, path))
            problems.append(
                Problem(
                    name,
                    yamlfile.line_of(lines, path[:-1]) if path[:-1] else 1,
                    f"the key `{dotted}` of data/ui/{default_lang}.yml is missing, so this language would show it in {default_lang} — add `{path[-1]}:` with its translation",
                    "ui-key-missing",
                )
            )
    for path in have:
        value = _value_at(other, path)
        expected = _kind(_value_at(default, path)) if path in want else ""
        if expected in ("a text", "a group of keys", "a list") and _kind(value) != expected:
            problems.append(
                Problem(
                    name,
                    yamlfile.line_of(lines, path),
                    f"`{'.'.join(map(str, path))}` is {_kind(value)}, where data/ui/{default_lang}.yml has {expected} — "
                    + (
                        'write the text after the colon, in quotes if it holds a colon or starts with [ or {: key: "text"'
                        if expected == "a text"
                        else f"give it the same shape as in data/ui/{default_lang}.yml"
                    ),
                    "ui-key-type",
                )
            )
            continue
        if isinstance(value, dict) and is_plural(value) and "other" not in value:
            problems.append(
                Problem(
                    name,
                    yamlfile.line_of(lines, path),
                    f"the count string `{'.'.join(map(str, path))}` has no `other:` form — add `other:`, the form for any count the other categories do not take",
                    "ui-plural-other",
                )
            )
        if path not in want and path[:-1] in want | {(): None} and path not in LANGUAGE_SETTINGS:
            dotted = ".".join(map(str, path))
            problems.append(
                Problem(
                    name,
                    yamlfile.line_of(lines, path),
                    f"the key `{dotted}` is not in data/ui/{default_lang}.yml and is never shown — remove it, or check its spelling",
                    "ui-key-unknown",
                )
            )
    return problems
