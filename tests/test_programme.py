"""The workshop programme: it fits its days, `terrain check` names what breaks it (file and
line), and the facilitator guide shows the agenda in every configured language."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PROGRAMME = "data/programme.yml"


def check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(root), "check"], capture_output=True, text=True
    )


def line_of(path: Path, text: str) -> int:
    """1-based line of the first line of a file that contains a text."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_real_programme_fits(project):
    """Every day ends at least `slack` minutes before its end; every module comes once."""
    from terrain import programme

    plan = programme.load(project)
    assert plan is not None and not programme.check_programme(project)
    for day in plan.days:
        assert day.finish + plan.slack <= day.end, f"day {day.number} ends at {day.finish}"
        kinds = [e.kind for e in day.entries]
        assert kinds[0] in ("opening", "recap") and "lunch" in kinds and "energiser" in kinds and "break" in kinds
    assert sorted({e.module.slug for d in plan.days for e in d.entries if e.module}) == sorted(project.modules)
    for module in project.modules.values():  # whole, or in parts that add up to it
        assert sum(e.minutes for d in plan.days for e in d.entries if e.module is module) == module.facts["duration"]
    last = plan.days[-1]
    assert {"commitments", "evaluation"} <= {e.kind for e in last.entries}


def test_a_day_that_overruns_is_reported_at_its_line(project_copy):
    """Ending day 2 at 16:00 leaves no room: the problem names data/programme.yml and the day's line."""
    path = project_copy / PROGRAMME
    text = path.read_text(encoding="utf-8")
    day2 = text.index("- day: 2")
    path.write_text(text[:day2] + text[day2:].replace('end: "17:00"', 'end: "16:00"', 1), encoding="utf-8")
    line = line_of(path, "- day: 2")
    result = check(project_copy)
    assert result.returncode == 1
    assert re.search(rf"^{PROGRAMME}:{line}: day 2 overruns its hours: .* — cut \d+ minutes", result.stderr, re.M), (
        result.stderr
    )


def test_a_longer_module_makes_its_day_overrun(project_copy):
    """A module made longer in module.yml and its session plans pushes its day past the slack."""
    module = project_copy / "modules/13-engagement-plans"
    replace(module / "module.yml", "duration: 75", "duration: 135")
    for page in module.glob("index.*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"^\| 50 \|", "| 110 |", text, count=1, flags=re.M), encoding="utf-8")
    result = check(project_copy)
    line = line_of(project_copy / PROGRAMME, "- day: 3")
    assert f"{PROGRAMME}:{line}: day 3 overruns its hours" in result.stderr, result.stderr
    assert "session plan adds up" not in result.stderr


def test_an_activity_shorter_than_its_worksheet_is_reported(project_copy):
    """Activity 1 of module 3 gets less time than the gender roles map declares: named at its duration line."""
    replace(project_copy / "worksheets/gender-roles-map/worksheet.yml", "duration: 30", "duration: 60")
    page = project_copy / "modules/03-social-impacts-gender/index.en.md"
    text = page.read_text(encoding="utf-8")
    activity = text.index("### Activity 1")
    line = (
        text[:activity].count("\n")
        + 1
        + next(i for i, l in enumerate(text[activity:].splitlines()) if l.startswith("- **Duration:**"))
    )
    result = check(project_copy)
    assert result.returncode == 1
    expected = f"modules/03-social-impacts-gender/index.en.md:{line}: `Activity 1"
    assert expected in result.stderr and "gender-roles-map" in result.stderr and "duration: 60" in result.stderr, (
        result.stderr
    )


def test_a_plan_that_does_not_add_up_is_still_reported(project_copy):
    """The existing rule stays: session plan minutes must add up to module.yml's duration, in every language."""
    replace(project_copy / "modules/04-formalisation/module.yml", "duration: 60", "duration: 65")
    result = check(project_copy)
    for lang in ("en", "fr"):
        assert re.search(
            rf"^modules/04-formalisation/index\.{lang}\.md:\d+: the session plan adds up to 60 minutes",
            result.stderr,
            re.M,
        ), result.stderr


def test_a_module_on_the_wrong_day_and_an_unknown_slot(project_copy):
    path = project_copy / PROGRAMME
    replace(path, "recap, 04-formalisation,", "recap, warm-up, ")
    result = check(project_copy)
    line = line_of(path, "recap, warm-up,")
    assert f"{PROGRAMME}:{line}: `warm-up` is neither a module folder nor a slot" in result.stderr, result.stderr
    assert "the module `04-formalisation` is on no day — add it to the `sequence` of day " in result.stderr
    assert "day ?" not in result.stderr


def test_copies_is_required_and_validated(project_copy):
    """worksheet.yml must say who gets a copy; a wrong value is named at its line."""
    ws = project_copy / "worksheets/stakeholder-map/worksheet.yml"
    replace(ws, "copies: group", "copies: everyone")
    other = project_copy / "worksheets/emp-risk-matrix/worksheet.yml"
    replace(other, "copies: group\n", "")
    result = check(project_copy)
    line = line_of(ws, "copies:")
    assert f'worksheets/stakeholder-map/worksheet.yml:{line}: copies: "everyone" is not one of' in result.stderr, (
        result.stderr
    )
    assert "worksheets/emp-risk-matrix/worksheet.yml:1: the file lacks `copies`" in result.stderr


def test_materials_name_known_items(project_copy):
    path = project_copy / "modules/07-protected-areas-pace/module.yml"
    replace(path, "item: rope,", "item: lasso,")
    result = check(project_copy)
    line = line_of(path, "item: lasso")
    assert (
        f"modules/07-protected-areas-pace/module.yml:{line}: the item `lasso` is not in data/materials.yml"
        in result.stderr
    ), result.stderr


def test_agenda_in_every_language(project):
    """The guide's agenda: every day, every module under its title in that language, times as the language writes them."""
    from terrain import programme
    from terrain.render import Context, clock, expand_markers

    plan = programme.load(project)
    for lang in project.languages:
        page = project.docs["facilitator-guide.md"][lang]
        text = expand_markers(page.body, Context(project, lang, "facilitator-guide.md"))
        for day in plan.days:
            assert f"### {project.text(lang, 'labels', 'day')} {day.number} " in text, f"{lang}: day {day.number}"
        for module in project.modules.values():
            assert module.page(lang).title in text, f"{lang}: {module.slug}"
        for slot in plan.slots.values():
            assert programme.label(project, slot["label"], lang) in text
        start = clock(project, lang, plan.days[0].start)
        assert f"| {start} |" in text, f"{lang}: no row starting at {start}"
        assert project.text(lang, "programme", "optional_free") in text


def test_a_time_without_quotes_is_named_with_its_fix(project_copy):
    """YAML reads 8:30 as a number; the check says to quote it, at its line, and builds nothing."""
    path = project_copy / PROGRAMME
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('start: "08:30"', "start: 8:30", 1), encoding="utf-8")
    result = check(project_copy)
    line = line_of(path, "start: 8:30")
    assert result.returncode == 1
    assert re.search(rf"^{PROGRAMME}:{line}: days\.0\.start: .* — write the time in quotes", result.stderr, re.M), (
        result.stderr
    )


def test_a_module_split_around_a_break_must_cover_every_step(project_copy):
    """Parts of a module name its session plan steps; a gap is reported at the first part's line."""
    path = project_copy / PROGRAMME
    replace(path, '"01-understanding-asm:4-7"', '"01-understanding-asm:5-7"')
    result = check(project_copy)
    line = line_of(path, '"01-understanding-asm:1-3"')
    assert f"{PROGRAMME}:{line}: the parts of `01-understanding-asm` cover steps 1, 2, 3, 5, 6, 7" in result.stderr, (
        result.stderr
    )
    replace(path, '"01-understanding-asm:5-7"', '"01-understanding-asm:4-9"')
    result = check(project_copy)
    assert "names steps 4 to 9, but the session plan of `01-understanding-asm` has 7 steps" in result.stderr, (
        result.stderr
    )


def test_worksheet_steps_must_add_up_to_its_duration(project_copy):
    """The step minutes of a worksheet's facilitator instructions add up to worksheet.yml's
    `duration` in every configured language; a mismatch is named at the first step's line."""
    from terrain.project import Project

    languages = Project.load(project_copy).languages
    replace(project_copy / "worksheets/stakeholder-map/worksheet.yml", "duration: 25", "duration: 35")
    result = check(project_copy)
    assert result.returncode == 1
    for lang in languages:
        page = project_copy / f"worksheets/stakeholder-map/index.{lang}.md"
        first = next(
            n
            for n, l in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1)
            if re.match(r"1\. \*\*.*\(\d+\s*min\)", l)
        )
        assert re.search(
            rf"^worksheets/stakeholder-map/index\.{lang}\.md:{first}: the steps of the facilitator instructions add up to 25 minutes .* says `duration: 35` — shorten the steps",
            result.stderr,
            re.M,
        ), result.stderr
    # one language's step changed alone: only that page is named
    if len(languages) < 2:
        return
    replace(project_copy / "worksheets/stakeholder-map/worksheet.yml", "duration: 35", "duration: 25")
    page = project_copy / f"worksheets/stakeholder-map/index.{languages[-1]}.md"
    text = page.read_text(encoding="utf-8")
    step = re.search(r"^1\. \*\*[^*]*\((\d+)\s*min\)", text, re.M)
    page.write_text(text[: step.start(1)] + str(int(step.group(1)) + 10) + text[step.end(1) :], encoding="utf-8")
    result = check(project_copy)
    assert (
        f"worksheets/stakeholder-map/index.{languages[-1]}.md:" in result.stderr
        and "add up to 35 minutes" in result.stderr
    ), result.stderr
    assert f"worksheets/stakeholder-map/index.{languages[0]}.md:" not in result.stderr, result.stderr
