"""Country editions (issue 15): a country team's own material in countries/CC/, built into its
own site with `terrain build --country CC`, never into another edition.

countries/CC/
  country.yml          name per language, languages of the edition
  profile.LANG.md      the filled country profile, one page per language of the edition
  readings.yml         local readings (laws, national reports), as data/readings.yml, `type: law` allowed
  notes/SLUG.LANG.md   a local note attached to module SLUG, shown in that module's page
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from . import schemas, yamlfile
from .problems import Problem, rel
from .project import Page, Project, read_page

COUNTRY_CODE = re.compile(r"[a-z]{2}")  # ISO 3166-1 alpha-2, in lower case: bf, mz
# A local reading may also be a law, a regulation or a policy; the other types are the shared ones.
_READING = cast(dict, schemas.READINGS["items"])
LOCAL_TYPES = ["law", "regulation", "policy", *_READING["properties"]["type"]["enum"]]
# A country's readings.yml: the shared readings' schema, with those types too
LOCAL_READINGS = {
    **schemas.READINGS,
    "items": {
        **_READING,
        "properties": {
            **_READING["properties"],
            "type": {"enum": LOCAL_TYPES, "description": "use one of " + ", ".join(LOCAL_TYPES)},
        },
    },
}
MAX_NOTE_LINES = 200

COUNTRY = {
    "type": "object",
    "required": ["name", "languages"],
    "additionalProperties": False,
    "properties": {
        "name": {
            "type": "object",
            "minProperties": 1,
            "patternProperties": {"^[a-z]{2}(-[A-Z]{2})?$": {"type": "string", "minLength": 2}},
            "additionalProperties": False,
            "description": "give the country's name in each language, like `name: {fr: Burkina Faso}`",
        },
        "languages": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "pattern": "^[a-z]{2}(-[A-Z]{2})?$"},
            "description": "list the languages of the edition, like `languages: [fr]`",
        },
    },
}


@dataclass
class Country:
    code: str
    folder: Path
    names: dict
    languages: list[str]
    profile: dict[str, Page] = field(default_factory=dict)
    readings: list[schemas.Reading] = field(default_factory=list)
    notes: dict[str, dict[str, Page]] = field(default_factory=dict)  # module slug -> lang -> note

    def name(self, lang: str) -> str:
        return str(self.names.get(lang) or next(iter(self.names.values()), self.code.upper()))

    def pages(self) -> list[Page]:
        """The profile in each language, then every local note."""
        return list(self.profile.values()) + [page for notes in self.notes.values() for page in notes.values()]


def codes(project: Project) -> list[str]:
    """The country folders of the project (countries/_template is the blank to copy, not an edition)."""
    base = project.root / "countries"
    return (
        sorted(p.name for p in base.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
        if base.is_dir()
        else []
    )


def load(project: Project, code: str) -> tuple[Country | None, list[Problem]]:
    """A country folder with every problem found in it."""
    folder = project.root / "countries" / code
    name = f"countries/{code}"
    if not COUNTRY_CODE.fullmatch(code):
        return None, [
            Problem(
                name,
                0,
                f"`{code}` is not a country code — name the folder with the country's two-letter code in lower case, like countries/bf",
            )
        ]
    if not folder.is_dir() or folder.is_symlink():
        return None, [
            Problem(name, 0, f"there is no folder {name} — copy countries/_template to {name} and fill it in")
        ]
    problems: list[Problem] = []
    from .policy import inside

    for path in sorted(folder.rglob("*")):  # a file may come from anyone: never one that points elsewhere
        if path.is_symlink() or not inside(path, project.root):
            problems.append(
                Problem(
                    f"{name}/{path.relative_to(folder).as_posix()}",
                    0,
                    "the file is a symlink (a shortcut to another file) [symlink] — replace it with a real file",
                )
            )
    if problems:
        return None, problems
    yml = folder / "country.yml"
    data, lines, found = (
        yamlfile.load(yml, f"{name}/country.yml")
        if yml.is_file()
        else (
            None,
            {},
            [Problem(f"{name}/country.yml", 0, "the country has no country.yml — copy it from countries/_template")],
        )
    )
    problems += found
    if not isinstance(data, dict):
        if not problems:  # empty, or a list: `terrain print --country CC` said "0 problems in 0 files" and stopped
            problems.append(
                Problem(
                    f"{name}/country.yml",
                    1,
                    "country.yml must be a set of `key: value` lines, `name:` and `languages:` — copy it from countries/_template",
                )
            )
        return None, problems
    problems += yamlfile.validate(data, COUNTRY, f"{name}/country.yml", lines)
    from .policy import check_data_values  # the names are plain words (they go into titles)

    problems += check_data_values(f"{name}/country.yml", data, lines)
    listed = data.get("languages")
    languages = [l for l in listed if isinstance(l, str)] if isinstance(listed, list) else []  # not each letter of `fr`
    for lang in languages:
        if lang not in project.languages:
            problems.append(
                Problem(
                    f"{name}/country.yml",
                    yamlfile.line_of(lines, ("languages",)),
                    f"`{lang}` is not a language of the site — use one of {', '.join(project.languages)}, or add it first with `terrain i18n new {lang}`",
                )
            )
    names = data.get("name")
    country = Country(code, folder, names if isinstance(names, dict) else {}, languages)
    for lang in languages:
        path = folder / f"profile.{lang}.md"
        if not path.is_file():
            problems.append(
                Problem(
                    f"{name}/profile.{lang}.md",
                    0,
                    f"the edition is in `{lang}` but has no profile.{lang}.md — copy countries/_template/profile.md and fill it in",
                )
            )
            continue
        page, found = read_page(path, project.root, lang)
        problems += found
        country.profile[lang] = page
    readings = folder / "readings.yml"
    if readings.is_file():
        entries, lines, found = yamlfile.load(readings, f"{name}/readings.yml")
        problems += found
        if entries is not None:
            problems += yamlfile.validate(entries, LOCAL_READINGS, f"{name}/readings.yml", lines)
            from .policy import check_data_values  # plain words, web addresses only, as data/readings.yml

            problems += check_data_values(f"{name}/readings.yml", entries, lines)
            shared = set(project.readings)
            for index, entry in enumerate(entries if isinstance(entries, list) else []):
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    if entry["id"] in shared:
                        problems.append(
                            Problem(
                                f"{name}/readings.yml",
                                yamlfile.line_of(lines, (index, "id")),
                                f"the id `{entry['id']}` is already a reading of data/readings.yml — give the local reading its own id",
                            )
                        )
                    country.readings.append(cast(schemas.Reading, entry))
    notes = folder / "notes"
    for path in sorted(notes.glob("*.md")) if notes.is_dir() else []:
        parts = path.name.split(".")
        note_name = rel(path, project.root)
        if len(parts) != 3 or parts[1] not in languages:
            problems.append(
                Problem(
                    note_name,
                    0,
                    f"a note is named MODULE.LANG.md with a language of the edition ({', '.join(languages)}), like 04-formalisation.{languages[0] if languages else 'fr'}.md",
                )
            )
            continue
        if parts[0] not in project.modules:
            problems.append(
                Problem(
                    note_name,
                    0,
                    f"`{parts[0]}` is not a module — name the note after a module folder, like {next(iter(project.modules), '04-formalisation')}.{parts[1]}.md",
                )
            )
            continue
        text, found = yamlfile.read_text(path, note_name)
        problems += found
        if text is None:
            continue
        if text.count("\n") > MAX_NOTE_LINES:
            problems.append(
                Problem(
                    note_name,
                    MAX_NOTE_LINES,
                    f"the note is longer than {MAX_NOTE_LINES} lines — keep a local note short; put the rest in the country profile",
                )
            )
        country.notes.setdefault(parts[0], {})[parts[1]] = Page(path, note_name, parts[1], {}, text, 1)
    return country, problems


def check_countries(project: Project) -> list[Problem]:
    """Every country folder, and its pages hold nothing that loads, reads or runs anything: the
    content policy of the shared pages (terrain/policy.py), as the site and the print edition read them."""
    from .policy import check_plain, check_text

    problems = []
    for code in codes(project):
        country, found = load(project, code)
        problems += found
        if country is None:
            continue
        for page in country.pages():
            found = check_text(page.name, page.body, page.body_line, page.path.parent, project.root)
            for key in ("title", "summary"):
                found += check_plain(page.name, page.meta_lines.get((key,), 1), key, page.meta.get(key))
            problems += found
            if not found and re.search(
                r"<(script|iframe|object|embed|style|link|meta|form)\b|\son[a-z]+\s*=|javascript:", page.body, re.I
            ):
                problems.append(
                    Problem(page.name, 0, "the page holds HTML that can load or run something — write plain Markdown")
                )
    return problems


def pages(project: Project) -> list[Page]:
    """The profiles and local notes of every country folder that loads, as pages (for the
    glossary-term check; check_countries reports the folders that do not load)."""
    found: list[Page] = []
    for code in codes(project):
        country, _ = load(project, code)
        if country is not None:
            found += country.pages()
    return found


def page_paths(project: Project, lang: str) -> list[Path]:
    """The country profiles and local notes written in `lang`, of every country folder (for the
    typography and termbase checks and `terrain check --fix`)."""
    base = project.root / "countries"
    return [
        path
        for code in codes(project)
        for path in [base / code / f"profile.{lang}.md", *sorted((base / code / "notes").glob(f"*.{lang}.md"))]
        if path.is_file() and not path.is_symlink()
    ]


def current_code() -> str | None:
    """The code of the country edition being built (`terrain build/print/pack --country CC` set
    TERRAIN_COUNTRY after checking the folder), or None for the shared edition."""
    import os

    code = os.environ.get("TERRAIN_COUNTRY", "").strip()
    return code if COUNTRY_CODE.fullmatch(code) else None


def edition(project: Project) -> Country | None:
    """The country edition being built (`terrain build --country CC` sets TERRAIN_COUNTRY), or None."""
    code = current_code()
    if not code:
        return None
    country, problems = load(project, code)
    project.problems += problems
    return country


def note_block(country: Country, slug: str, lang: str, title: str) -> str:
    """A module's local note, as a callout at the top of its page in the country edition."""
    note = country.notes.get(slug, {}).get(lang)
    if note is None:
        return ""
    body = "\n".join(("    " + line) if line.strip() else "" for line in note.body.strip().split("\n"))
    # marked with its language: on a draft's page it sits in an article of the default language (issue 15)
    return f'<div lang="{lang}" markdown="1">\n\n!!! note "{title}"\n\n{body}\n\n</div>\n\n'


def print_note(country: Country, slug: str, lang: str, title: str) -> str:
    """A module's local note for the handbook: a MyST callout under the note's own title."""
    note = country.notes.get(slug, {}).get(lang)
    if note is None:
        return ""
    return f"::::{{note}} {title}\n{note.body.strip()}\n::::\n\n"


def readings_section(ctx, country: Country) -> str:
    """The local readings, as a section under the country profile (site and handbook)."""
    from .render import reading_line

    if not country.readings:
        return ""
    lines = "\n".join(reading_line(ctx, entry) for entry in country.readings)
    return f"\n\n## {ctx.t('country', 'local_readings')}\n\n{lines}\n"


def note_title(ctx, country: Country) -> str:
    """The title of a local note's box: « Note locale : Burkina Faso »."""
    return f"{ctx.t('country', 'local_note')}{ctx.colon} {country.name(ctx.lang)}"
