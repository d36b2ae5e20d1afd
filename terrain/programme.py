"""The workshop programme: data/programme.yml (days, hours, slots that are not modules) and the
modules' module.yml, turned into a timetable; and the checks that the programme fits.

A day is a sequence of module folder names and slot ids; its times are added up from the
start. `check_programme` reports a day that overruns its hours (or keeps less than `slack`
minutes free), a module that is missing or on the wrong day, and a day without its opening,
breaks, lunch, energiser or close. `check_worksheet_time` reports a worksheet that no activity
gives the minutes its worksheet.yml declares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import markdown as md
from . import schemas, yamlfile
from .problems import Problem
from .project import Project, Unit
from .yamlfile import line_of

PROGRAMME_FILE = "data/programme.yml"
WORKSHEET_LINK = re.compile(r"worksheets/([a-z0-9]+(?:-[a-z0-9]+)*)/index\.md")
DURATION_LINE = re.compile(r"^\s*[-*]\s*\*\*[^*]+\*\*\s*:?\s*(\d{1,3})\s*min", re.I)
# what every day needs, and what the last day adds (kinds of slot in data/programme.yml)
EVERY_DAY = ("break", "lunch", "energiser", "close")
LAST_DAY = ("commitments", "evaluation")


@dataclass
class Entry:
    """One line of the timetable: a module or a slot, with its start and end in minutes after midnight."""

    start: int
    end: int
    kind: str  # "module", or the slot's kind (opening, break, lunch…)
    slot_id: str = ""
    module: Unit | None = None
    slot: dict = field(default_factory=dict)
    steps: tuple[int, int] | None = None  # a part of a module: its session plan steps, first and last
    line: int = 0  # of the entry in data/programme.yml

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass
class Day:
    number: int
    start: int
    end: int
    entries: list[Entry]
    line: int  # of `- day:` in data/programme.yml

    @property
    def finish(self) -> int:
        return self.entries[-1].end if self.entries else self.start

    def worksheets(self, project: Project) -> list[tuple[str, str]]:
        """(worksheet slug, where) of every worksheet the day's modules and slots print, in order."""
        out = []
        for entry in self.entries:
            if entry.module:
                out += [(w, entry.module.slug) for w in entry.module.worksheet_slugs]
            out += [(w, entry.slot_id) for w in entry.slot.get("worksheets") or []]
        return out


@dataclass
class Programme:
    slack: int
    slots: dict[str, dict]
    days: list[Day]
    lines: dict
    problems: list[Problem]


def clock_minutes(text: str) -> int:
    """`"08:30"` as minutes after midnight."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def clock(minutes: int) -> str:
    """A time in a check's message (English, like the messages): 8:30. Pages use render.clock."""
    h, m = divmod(minutes, 60)
    return f"{h}:{m:02d}"


def label(project: Project, texts: dict | None, lang: str) -> str:
    """A text of data/programme.yml in a language, falling back to the default language."""
    texts = texts or {}
    return str(texts.get(lang) or texts.get(project.default_language) or "")


def load(project: Project) -> Programme | None:
    """data/programme.yml with its times added up; None when the project has no programme file."""
    cached = project.__dict__.get("_programme")
    if cached is not None or "_programme" in project.__dict__:
        return cached
    path = project.root / PROGRAMME_FILE
    programme = None
    if path.exists():
        data, lines, problems = yamlfile.load(path, PROGRAMME_FILE)
        if not problems:
            problems = yamlfile.validate(data, schemas.PROGRAMME, PROGRAMME_FILE, lines)
        if problems or not isinstance(data, dict):
            programme = Programme(
                15,
                {},
                [],
                lines,
                problems
                or [Problem(PROGRAMME_FILE, 1, "the file must hold `slots:` and `days:` — see the comment at its top")],
            )
        else:
            programme = _build(project, data, lines)
    project.__dict__["_programme"] = programme
    return programme


def _build(project: Project, data: dict, lines: dict) -> Programme:
    """Add up each day's times; note unknown names in the sequences."""
    slots, problems, days = data["slots"], [], []
    for index, spec in enumerate(data["days"]):
        start = clock_minutes(spec["start"])
        now, entries = start, []
        for position, item in enumerate(spec["sequence"]):
            where = line_of(lines, ("days", index, "sequence", position))
            name, _, part = item.partition(":")
            if name in project.modules:
                module = project.modules[name]
                duration = module.duration or 0
                steps = None
                if part:
                    first, last = (int(x) for x in part.split("-"))
                    minutes = plan_minutes(project, module)
                    if not 1 <= first <= last <= len(minutes):
                        problems.append(
                            Problem(
                                PROGRAMME_FILE,
                                where,
                                f"`{item}` names steps {first} to {last}, but the session plan of `{name}` has {len(minutes)} steps — name steps between 1 and {len(minutes)}, like `{name}:1-3`",
                            )
                        )
                        continue
                    steps, duration = (first, last), sum(minutes[first - 1 : last])
                entries.append(Entry(now, now + duration, "module", module=module, steps=steps, line=where))
                now += duration
            elif name in slots:
                slot = slots[name]
                entries.append(Entry(now, now + slot["minutes"], slot["kind"], slot_id=name, slot=slot))
                now += slot["minutes"]
            else:
                known = ", ".join(sorted(slots))
                problems.append(
                    Problem(
                        PROGRAMME_FILE,
                        where,
                        f"`{name}` is neither a module folder nor a slot — name a folder under modules/ or one of the slots: {known}",
                    )
                )
        days.append(Day(spec["day"], start, clock_minutes(spec["end"]), entries, line_of(lines, ("days", index))))
    return Programme(data.get("slack", 15), slots, days, lines, problems)


# ---- checks -------------------------------------------------------------------------------


def check_programme(project: Project) -> list[Problem]:
    """The programme fits: every day within its hours with slack, every module once on its day,
    every day with its opening, breaks, lunch, energiser and close, the last with commitments
    and evaluation, and every worksheet a slot prints exists."""
    programme = load(project)
    if programme is None:
        return []
    problems = list(programme.problems)
    if not programme.days:  # the file itself is malformed: nothing more to add up
        return problems
    problems += _check_days(project, programme)
    problems += _check_modules(project, programme)
    for slot_id, slot in programme.slots.items():
        for index, slug in enumerate(slot.get("worksheets") or []):
            if slug not in project.worksheets:
                problems.append(
                    Problem(
                        PROGRAMME_FILE,
                        line_of(programme.lines, ("slots", slot_id, "worksheets", index)),
                        f"the slot `{slot_id}` prints the worksheet `{slug}`, which does not exist — create worksheets/{slug}/ or correct the name",
                    )
                )
    return problems


def _check_days(project: Project, programme: Programme) -> list[Problem]:
    problems = []
    last = max((d.number for d in programme.days), default=0)
    for day in programme.days:
        finish, hours = day.finish, day.end - day.start
        if finish + programme.slack > day.end:
            content = sum(e.minutes for e in day.entries)
            over = finish + programme.slack - day.end
            problems.append(
                Problem(
                    PROGRAMME_FILE,
                    day.line,
                    f"day {day.number} overruns its hours: its sequence takes {content} minutes and ends at {clock(finish)}, but the day ends at {clock(day.end)} and keeps {programme.slack} minutes free ({hours} minutes in all) — cut {over} minutes: shorten a module (its session plan and `duration`), move one to another day, or end the day later",
                )
            )
        kinds = [e.kind for e in day.entries]
        first = day.entries[0].kind if day.entries else ""
        wanted = "opening" if day.number == 1 else "recap"
        if first != wanted and not (day.number == 1 and first == "opening"):
            problems.append(
                Problem(
                    PROGRAMME_FILE,
                    day.line,
                    f"day {day.number} does not start with {'an opening' if wanted == 'opening' else 'a recap'} — put a slot of kind `{wanted}` first in its sequence",
                )
            )
        needs = EVERY_DAY + (LAST_DAY if day.number == last else ())
        for kind in needs:
            if kind not in kinds:
                problems.append(
                    Problem(
                        PROGRAMME_FILE,
                        day.line,
                        f"day {day.number} has no `{kind}` slot — add one to its sequence (slots of kind {kind} are defined under `slots:`)",
                    )
                )
    return problems


def _check_modules(project: Project, programme: Programme) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}  # module -> its day
    parts: dict[str, list[tuple[tuple[int, int], int]]] = {}  # module -> (first step, last step), line
    for index, day in enumerate(programme.days):
        for entry in day.entries:
            if entry.module is None:
                continue
            slug = entry.module.slug
            where = entry.line or line_of(programme.lines, ("days", index, "sequence"))
            if entry.steps:  # parts of a module: checked together below
                parts.setdefault(slug, []).append((entry.steps, where))
            elif slug in seen or slug in parts:
                problems.append(
                    Problem(
                        PROGRAMME_FILE,
                        where,
                        f"the module `{slug}` comes twice (day {seen.get(slug, day.number)} and day {day.number}) — keep it once, or split it by steps like `{slug}:1-3` and `{slug}:4-7`",
                    )
                )
            seen[slug] = day.number
            planned = entry.module.day
            if planned is not None and planned != day.number:
                problems.append(
                    Problem(
                        PROGRAMME_FILE,
                        where,
                        f"the module `{slug}` is on day {day.number} here but its module.yml says `day: {planned}` — move it, or change `day:` in modules/{slug}/module.yml",
                    )
                )
    for slug, found in parts.items():
        count = len(plan_minutes(project, project.modules[slug]))
        covered = [step for (first, last), _ in found for step in range(first, last + 1)]
        if covered != list(range(1, count + 1)):
            problems.append(
                Problem(
                    PROGRAMME_FILE,
                    found[0][1],
                    f"the parts of `{slug}` cover steps {', '.join(map(str, covered))}, but its session plan has steps 1 to {count} — name every step once, in order, like `{slug}:1-3` then `{slug}:4-{count}`",
                )
            )
    for slug in project.modules:
        if slug not in seen:
            problems.append(
                Problem(
                    PROGRAMME_FILE,
                    1,
                    f"the module `{slug}` is on no day — add it to the `sequence` of "
                    + (f"day {project.modules[slug].day}" if project.modules[slug].day else "one of the days"),
                )
            )
    return problems


def plan_minutes(project: Project, module: Unit) -> list[int]:
    """The minutes of each step of a module's session plan, in the default language."""
    page = module.pages.get(project.default_language)
    found = md.section(page.body, project.text(page.lang, "sections", "plan")) if page else None
    if not found:
        return []
    return [int(cells[0]) for _, cells in md.table_rows(found[0]) if cells and cells[0].isdigit()]


@dataclass
class Activity:
    """An activity block of a module page, as the check of worksheet time reads it."""

    module: Unit
    number: int
    title: str
    minutes: int | None
    minutes_line: int
    worksheets: list[str]


def activities(project: Project, module: Unit, lang: str | None = None) -> list[Activity]:
    """The `###` blocks of a module page's Activities section: number, minutes and linked worksheets."""
    page = module.pages.get(lang or project.default_language)
    if page is None:
        return []
    found = md.section(page.body, project.text(page.lang, "sections", "activities"))
    if not found:
        return []
    text, first = found
    out: list[Activity] = []
    for offset, line in enumerate(text.splitlines()):
        number = page.body_line + first - 1 + offset
        heading = md.HEADING.match(line)
        if heading and len(heading.group(1)) == 3:
            digits = re.search(r"\d+", heading.group(2))
            out.append(
                Activity(module, int(digits.group(0)) if digits else len(out) + 1, heading.group(2), None, number, [])
            )
            continue
        if not out:
            continue
        duration = DURATION_LINE.match(line)
        if duration and out[-1].minutes is None:
            out[-1].minutes, out[-1].minutes_line = int(duration.group(1)), number
        out[-1].worksheets += [w for w in WORKSHEET_LINK.findall(line) if w not in out[-1].worksheets]
    return out


def check_worksheet_time(project: Project) -> list[Problem]:
    """Every worksheet gets, in the activity that gives it most time, the minutes worksheet.yml declares.

    A worksheet filled in one activity may be looked at again in a shorter one (module 7 reads
    the environmental profile of module 2), so only the longest use must cover the duration.
    """
    uses: dict[str, list[Activity]] = {}
    for module in project.modules.values():
        for activity in activities(project, module):
            for slug in activity.worksheets:
                uses.setdefault(slug, []).append(activity)
    problems = []
    for slug, found in uses.items():
        worksheet = project.worksheets.get(slug)
        declared = worksheet.duration if worksheet else None
        timed = [(a.minutes, a) for a in found if a.minutes is not None]
        if declared is None or not timed:
            continue
        minutes, longest = max(timed, key=lambda pair: pair[0])
        if minutes < declared:
            page = longest.module.pages[project.default_language]
            problems.append(
                Problem(
                    page.name,
                    longest.minutes_line,
                    f"`{longest.title}` uses the worksheet `{slug}` for {minutes} minutes, but worksheets/{slug}/worksheet.yml says `duration: {declared}` — give the activity {declared} minutes (its duration, its steps and the session plan row, in every language) or lower the worksheet's `duration` to what a group really needs",
                )
            )
    return problems
