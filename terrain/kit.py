"""The materials and print plan: what to print and what to gather, with quantities, per day.

Quantities come from metadata only: a worksheet's `copies` (participant, group, facilitator),
the `materials` list of each module.yml (item, per, count; names in data/materials.yml), and
picture-card sets in modules/NN-slug/cards.yml when a module has one (one set per `per`).
A module's worksheet is printed for the first day that uses it (a later module reads the same
sheet again); a programme slot's worksheet is printed each time the slot comes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import schemas, yamlfile
from .problems import Problem
from .project import Project
from .render import ui_format
from .yamlfile import line_of

MATERIALS_FILE = "data/materials.yml"


@dataclass
class PrintLine:
    slug: str
    title: str
    copies: str  # participant, group or facilitator
    count: int
    pages: int
    per_page: int = 1  # copies on one A4 page, cut apart (worksheet.yml `per_page:`)

    @property
    def sheets(self) -> int:
        """A4 sheets to print for this line."""
        return -(-self.count // self.per_page) * self.pages


@dataclass
class DayKit:
    number: int
    prints: list[PrintLine] = field(default_factory=list)
    cards: list[tuple[dict, str, int, int, str]] = field(
        default_factory=list
    )  # (title by language, per, sets, cards per set, module slug)
    objects: dict[str, int] = field(default_factory=dict)  # item id → quantity


@dataclass
class Kit:
    participants: int
    groups: int
    days: list[DayKit]
    totals: dict[str, int]  # item id → what to gather for the whole workshop
    sheets: int  # A4 sheets of paper to print, all days


def catalogue(project: Project) -> tuple[dict[str, dict], list[Problem]]:
    """data/materials.yml by item id, and its problems; empty when the file is absent."""
    cached = project.__dict__.get("_materials")
    if cached is not None:
        return cached
    path = project.root / MATERIALS_FILE
    items: dict[str, dict] = {}
    problems: list[Problem] = []
    if path.exists():
        data, lines, problems = yamlfile.load(path, MATERIALS_FILE)
        if not problems:
            problems = yamlfile.validate(data, schemas.MATERIALS, MATERIALS_FILE, lines)
        if isinstance(data, list):
            for index, entry in enumerate(data):
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    entry["_line"] = line_of(lines, (index, "id"))
                    items[entry["id"]] = entry
    project.__dict__["_materials"] = (items, problems)
    return items, problems


def card_sets(project: Project, slug: str) -> tuple[list[dict], list[Problem]]:
    """The picture-card sets of a module's cards.yml (none when it has no such file); read once per loaded project."""
    cache = project.__dict__.setdefault("_card_sets", {})
    if slug not in cache:
        cache[slug] = _read_card_sets(project, slug)
    sets, problems = cache[slug]
    return list(sets), list(problems)


def _read_card_sets(project: Project, slug: str) -> tuple[list[dict], list[Problem]]:
    path = project.root / "modules" / slug / "cards.yml"
    if not path.exists():
        return [], []
    name = project.name_of(path)
    data, lines, problems = project.read_yaml(path, name)  # read by the project's loader (project.cards)
    if problems or not isinstance(data, dict) or not isinstance(data.get("sets"), list):
        return [], problems
    sets = []
    for index, entry in enumerate(data["sets"]):
        if isinstance(entry, dict) and entry.get("per") in ("participant", "group", "facilitator"):
            sets.append(entry)
        else:
            problems.append(
                Problem(
                    name,
                    line_of(lines, ("sets", index)),
                    "a card set needs `per: group`, `per: participant` or `per: facilitator` — add it so `terrain kit` can count the sets",
                )
            )
    return sets, problems


def check_materials(project: Project) -> list[Problem]:
    """Every material of a module.yml or a programme slot names an item of data/materials.yml; a module's, one of its activities.

    A language without a name for an item (a new translation) shows the default language's name.
    """
    from .programme import activities

    items, problems = catalogue(project)
    problems = list(problems)
    if not items and not (project.root / MATERIALS_FILE).exists():
        return problems
    for module in project.modules.values():
        name = f"modules/{module.slug}/module.yml"
        numbers = {a.number for a in activities(project, module)}
        for index, entry in enumerate(module.facts.get("materials") or []):
            if not isinstance(entry, dict):
                continue
            line = line_of(module.facts_lines, ("materials", index))
            if isinstance(entry.get("item"), str) and entry["item"] not in items:
                problems.append(
                    Problem(
                        name,
                        line,
                        f"the item `{entry['item']}` is not in {MATERIALS_FILE} — add it there with its name in every language, or use one of its ids",
                    )
                )
            if numbers and isinstance(entry.get("activity"), int) and entry["activity"] not in numbers:
                problems.append(
                    Problem(
                        name,
                        line,
                        f"activity {entry['activity']} does not exist in this module (it has {', '.join(map(str, sorted(numbers)))}) — name the activity's number",
                    )
                )
        problems += card_sets(project, module.slug)[1]
    from .programme import PROGRAMME_FILE, load

    programme = load(project)
    programme_lines = programme.lines if programme else {}
    for slot_id, slot in (programme.slots if programme else {}).items():
        for index, entry in enumerate(slot.get("materials") or []):
            if entry.get("item") not in items:
                problems.append(
                    Problem(
                        PROGRAMME_FILE,
                        line_of(programme_lines, ("slots", slot_id, "materials", index)),
                        f"the item `{entry.get('item')}` is not in {MATERIALS_FILE} — add it there with its name in every language, or use one of its ids",
                    )
                )
    return problems


def how_many(per: str | None, participants: int, groups: int) -> int:
    """How many of a thing `per` participant, group or (anything else) the whole workshop."""
    return {"participant": participants, "group": groups}.get(per or "", 1)


def plan(project: Project, participants: int = 20, groups: int = 4) -> Kit:
    """Everything to print and gather for a workshop of `participants` people in `groups` groups."""
    from .programme import load

    items, _ = catalogue(project)
    programme = load(project)
    if programme and programme.days:
        schedule = [
            (
                d.number,
                list({e.module.slug: e.module for e in d.entries if e.module}.values()),
                d.worksheets(project),
                [e.slot for e in d.entries if e.slot],
            )
            for d in programme.days
        ]
    else:  # no programme file: the days of module.yml
        by_day: dict[int, list] = {}
        for module in project.modules.values():
            by_day.setdefault(module.day or 1, []).append(module)
        schedule = [
            (n, mods, [(w, m.slug) for m in mods for w in m.worksheet_slugs], []) for n, mods in sorted(by_day.items())
        ]
    printed: set[str] = set()
    days, sheets = [], 0
    for number, modules, worksheets, slots in schedule:
        day = DayKit(number)
        counted: dict[str, PrintLine] = {}
        for slug, where in worksheets:
            unit = project.worksheets.get(slug)
            if unit is None:
                continue
            from_module = where in project.modules
            if from_module and slug in printed:
                continue  # the sheet filled on an earlier day is used again
            if from_module:
                printed.add(slug)
            copies = unit.copies
            count = how_many(copies, participants, groups)
            pages = unit.sheet_pages
            per_page = unit.facts.get("per_page", 1) if isinstance(unit.facts.get("per_page"), int) else 1
            if slug in counted:
                counted[slug].count += count
            else:
                page = unit.page(project.default_language)
                counted[slug] = PrintLine(slug, page.title if page else slug, copies, count, pages, per_page)
        day.prints = list(counted.values())
        sheets += sum(p.sheets for p in day.prints)
        for module in modules:
            for entry in card_sets(project, module.slug)[0]:
                day.cards.append(
                    (
                        {l: _title(entry, l, module.slug) for l in project.languages},
                        entry["per"],
                        how_many(entry["per"], participants, groups),
                        len(entry.get("cards") or []),
                        module.slug,
                    )
                )
        # what each activity (or slot) needs at once; then add up paper, take the largest of the rest
        uses = [
            (f"{m.slug}:{e.get('activity', 0)}", e)
            for m in modules
            for e in m.facts.get("materials") or []
            if isinstance(e, dict)
        ]
        uses += [(f"slot:{index}", e) for index, slot in enumerate(slots) for e in slot.get("materials") or []]
        at_once: dict[tuple[str, str], int] = {}
        for where, entry in uses:
            if entry.get("item") in items:
                key = (where, entry["item"])
                at_once[key] = at_once.get(key, 0) + int(entry.get("count", 1)) * how_many(
                    entry.get("per"), participants, groups
                )
        for (_, item), qty in at_once.items():
            if items[item]["use"] == "consumable":
                day.objects[item] = day.objects.get(item, 0) + qty
            else:
                day.objects[item] = max(day.objects.get(item, 0), qty)
        days.append(day)
    totals: dict[str, int] = {}
    for day in days:
        for item, qty in day.objects.items():
            totals[item] = (
                totals.get(item, 0) + qty if items[item]["use"] == "consumable" else max(totals.get(item, 0), qty)
            )
    return Kit(participants, groups, days, totals, sheets)


def _title(entry: dict, lang: str, fallback: str) -> str:
    title = entry.get("title")
    if isinstance(title, dict):
        return str(title.get(lang) or next(iter(title.values()), None) or fallback)
    return str(title or fallback)


# ---- output -------------------------------------------------------------------------------


def _item_name(project: Project, item: str, lang: str) -> str:
    items, _ = catalogue(project)
    entry = items.get(item, {})
    return str(entry.get(lang) or entry.get(project.default_language) or item)


def _ws_title(project: Project, slug: str, lang: str, fallback: str, web: bool = False) -> str:
    """A worksheet's title as lists name it: a draft under the default language's title (`web`: with its `lang`)."""
    from .render import listed

    unit = project.worksheets.get(slug)
    page, shown = listed(project, unit, lang) if unit else (None, lang)
    if page is None:
        return fallback
    return f'<span lang="{shown}">{page.title}</span>' if web and shown != lang else page.title


def _intro(project: Project, kit: Kit, lang: str) -> str:
    t = lambda key: project.text(lang, "kit", key)  # noqa: E731
    return t("for_workshop").format(
        participants=project.count_text(lang, "kit", "participant_count", kit.participants),
        groups=project.count_text(lang, "kit", "group_count", kit.groups),
    )


def render_markdown(project: Project, kit: Kit, lang: str, heading: str = "###", web: bool = True) -> str:
    """The plan as Markdown tables, one block per day, then the totals (`web`: with inline HTML, not in print)."""
    t = lambda key: project.text(lang, "kit", key)  # noqa: E731
    colon = ui_format(project, lang, "colon")
    out = []  # the page that holds the marker says for how many people the plan is
    for day in kit.days:
        out.append(f"{heading} {project.text(lang, 'labels', 'day')} {day.number}\n")
        if day.prints:
            out += [f"| {t('print')} | {t('who')} | {t('copies')} |", "|---|---|--:|"]
            for line in day.prints:
                out.append(
                    f"| {_ws_title(project, line.slug, lang, line.title, web)}{_per_page(project, line, lang)} | {t('per_' + line.copies)} | {line.count} |"
                )
            out.append("")
        if day.cards:
            out += [f"| {t('cards')} | {t('who')} | {t('sets')} |", "|---|---|--:|"]
            out += [
                f"| {_card_title(project, titles, slug, lang, True, web)} | {t('per_' + per)} | {sets} |"
                for titles, per, sets, _, slug in day.cards
            ]
            out.append("")
        if day.objects:
            out += [f"| {t('gather')} | {t('quantity')} |", "|---|--:|"]
            out += [
                f"| {_item_name(project, item, lang)} | {qty} |"
                for item, qty in sorted(day.objects.items(), key=lambda kv: _item_name(project, kv[0], lang).lower())
            ]
            out.append("")
    out.append(f"{heading} {t('whole_workshop')}\n")
    out.append(f"**{t('sheets')}{colon}** {kit.sheets}\n")
    out += [f"| {t('gather')} | {t('quantity')} |", "|---|--:|"]
    out += [
        f"| {_item_name(project, item, lang)} | {qty} |"
        for item, qty in sorted(kit.totals.items(), key=lambda kv: _item_name(project, kv[0], lang).lower())
    ]
    out.append(f"\n{t('note')}")
    return "\n".join(out)


def _card_title(project: Project, titles: dict, slug: str, lang: str, markdown: bool, web: bool = False) -> str:
    """A card set's title; for a module whose cards are not translated into `lang` (terrain/cards.py
    cards_language), the default language's title, its PDF and the notice that it is not yet translated."""
    from .cards import cards_language

    other = cards_language(project, slug, lang)
    title = str(titles.get(other) or titles[project.default_language])
    if other == lang or not markdown:
        return title
    return (f'<span lang="{other}">{title}</span>' if web else title) + _card_note(project, slug, lang, True)


def _card_note(project: Project, slug: str, lang: str, markdown: bool = False) -> str:
    """` — downloads/en/cards-NN-slug.pdf (en) — Not yet translated.` after a set not translated into `lang`."""
    from .cards import cards_language, cards_pdf_name

    other = cards_language(project, slug, lang)
    if other == lang:
        return ""
    pdf = f"downloads/{other}/{cards_pdf_name(project.modules[slug])}.pdf"
    missing = project.text(lang, "notices", "missing")
    return f" — `{pdf}` ({other}) — *{missing}*" if markdown else f" — {pdf} ({other}) — {missing}"


def _per_page(project: Project, line: PrintLine, lang: str) -> str:
    """` — 3 on one A4 page, cut apart: 7 sheets` after a sheet printed several to a page."""
    if line.per_page < 2:
        return ""
    return " — " + project.count_text(
        lang, "kit", "per_page", line.per_page, sheets=project.count_text(lang, "kit", "sheet_count", line.sheets)
    )


def _pages(project: Project, line: PrintLine, lang: str) -> str:
    """`, 2 pages` after a sheet that prints on more than one A4 page."""
    return ", " + project.count_text(lang, "labels", "page_count", line.pages) if line.pages > 1 else ""


def render_text(project: Project, kit: Kit, lang: str) -> str:
    """The plan as plain text for the terminal."""
    t = lambda key: project.text(lang, "kit", key)  # noqa: E731
    colon = ui_format(project, lang, "colon")
    out = [_intro(project, kit, lang), ""]
    for day in kit.days:
        out.append(f"== {project.text(lang, 'labels', 'day')} {day.number} ==")
        if day.prints:
            out.append(f"  {t('print')}{colon}")
            out += [
                f"    {line.count:>4} × {_ws_title(project, line.slug, lang, line.title)} ({t('per_' + line.copies)}{_pages(project, line, lang)}){_per_page(project, line, lang)}"
                for line in day.prints
            ]
        if day.cards:
            out.append(f"  {t('cards')}{colon}")
            out += [
                f"    {sets:>4} × {_card_title(project, titles, slug, lang, False)} ({t('per_' + per)}){_card_note(project, slug, lang)}"
                for titles, per, sets, _, slug in day.cards
            ]
        if day.objects:
            out.append(f"  {t('gather')}{colon}")
            out += [
                f"    {qty:>4} × {_item_name(project, item, lang)}"
                for item, qty in sorted(day.objects.items(), key=lambda kv: _item_name(project, kv[0], lang).lower())
            ]
        out.append("")
    out.append(f"== {t('whole_workshop')} ==")
    out.append(f"  {t('sheets')}{colon} {kit.sheets}")
    out += [
        f"    {qty:>4} × {_item_name(project, item, lang)}"
        for item, qty in sorted(kit.totals.items(), key=lambda kv: _item_name(project, kv[0], lang).lower())
    ]
    out.append("")
    out.append(t("note"))
    return "\n".join(out)
