"""`terrain kit`: what a facilitator reads when planning what to print and gather."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import LANGUAGES, ROOT, printed_whole


def kit(*args: str, root: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `terrain kit` as a facilitator would."""
    return subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(root), "kit", *args], capture_output=True, text=True
    )


def copies(output: str, title: str) -> list[int]:
    """The copies of one sheet, day by day, in the text `terrain kit` prints."""
    return [int(m.group(1)) for m in re.finditer(r"^\s+(\d+) × " + re.escape(title) + r" \(", output, re.M)]


def quantity(output: str, name: str) -> int:
    """What the whole-workshop total says of one object (the last list of the output)."""
    total = output.split("==")[-1]
    found = re.search(r"^\s+(\d+) × " + re.escape(name) + r"$", total, re.M)
    assert found, f"{name!r} not in the totals:\n{total}"
    return int(found.group(1))


def test_quantities_follow_participants_and_groups(project):
    """A participant sheet scales with N, a group sheet with G, a team sheet stays one; objects too."""
    small, large = kit("--participants", "12", "--groups", "3"), kit("--participants", "30", "--groups", "6")
    assert small.returncode == 0 and large.returncode == 0, small.stderr + large.stderr
    for output, n, g in ((small.stdout, 12, 3), (large.stdout, 30, 6)):
        expected = {"participant": n, "group": g, "facilitator": 1}
        seen = set()
        for ws in project.worksheets.values():
            found = copies(output, ws.page(project.default_language).title)
            if found:
                seen.add(ws.facts["copies"])
                assert set(found) == {expected[ws.facts["copies"]]}, f"{ws.slug}: {found}"
        assert seen == set(expected), f"the plan prints no sheet for {set(expected) - seen}"
    sheets = [int(re.search(r"A4 sheets to print, all days: (\d+)", o).group(1)) for o in (small.stdout, large.stdout)]
    assert sheets[1] > sheets[0]


def test_objects_come_from_module_materials(project, tmp_path):
    """Doubling the groups doubles an object needed per group (rope, in module 7)."""
    four, eight = kit("--participants", "24", "--groups", "4"), kit("--participants", "24", "--groups", "8")
    assert quantity(eight.stdout, "rope, about 5 m") == 2 * quantity(four.stdout, "rope, about 5 m")


def test_picture_card_sets_are_counted(project_copy):
    """A module with cards.yml gets one set per group (or per participant) on its day."""
    (project_copy / "modules/07-protected-areas-pace/cards.yml").write_text(
        "sets:\n  - id: forces\n    activity: 1\n    per: group\n    title: {en: Forces at work, fr: Forces en jeu}\n    cards: [push, gate, magnet]\n",
        encoding="utf-8",
    )
    result = kit("--participants", "20", "--groups", "5", root=project_copy)
    assert result.returncode == 0, result.stderr
    day2 = result.stdout.split("== Day 2 ==")[1].split("==")[0]
    assert re.search(r"^\s+5 × Forces at work \(each group\)$", day2, re.M), day2


def test_picture_card_sets_take_the_plan_language(project_copy):
    """--lang fr names each picture-card set by its French title, not the English one."""
    (project_copy / "modules/07-protected-areas-pace/cards.yml").write_text(
        "sets:\n  - id: forces\n    activity: 1\n    per: group\n    title: {en: Forces at work, fr: Forces en jeu}\n    cards: [push, gate, magnet]\n",
        encoding="utf-8",
    )
    result = kit("--participants", "20", "--groups", "5", "--lang", "fr", root=project_copy)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^\s+5 × Forces en jeu \(chaque groupe\)$", result.stdout, re.M), result.stdout
    assert "Forces at work" not in result.stdout


def test_french_plan(project):
    """--lang fr: French headings, day names, sheet titles and object names."""
    result = kit("--participants", "20", "--groups", "4", "--lang", "fr")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Jour 1" in out and "Imprimer\u00a0:" in out and "Rassembler\u00a0:" in out
    fr_titles = [w.page("fr").title for w in project.worksheets.values() if "fr" in w.pages]
    assert any(t in out for t in fr_titles)
    assert "graines" in out and "beans" not in out
    assert "Print:" not in out
    # picture card sets by their own language's titles, in every configured language
    import yaml

    for lang in project.languages:
        shown = kit("--participants", "20", "--groups", "4", "--lang", lang).stdout
        for path in sorted((ROOT / "modules").glob("*/cards.yml")):
            for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["sets"]:
                if isinstance(entry.get("title"), dict) and entry["title"].get(lang):
                    assert entry["title"][lang] in shown, (lang, path, entry["title"])


@pytest.mark.parametrize(
    "args, words",
    [
        (["--participants", "0", "--groups", "4"], "--participants 0"),
        (["--participants", "10", "--groups", "12"], "more than --participants"),
        (["--lang", "xx"], "--lang xx"),
        (["--participants", "twenty"], "not a whole number"),
    ],
)
def test_bad_arguments_get_a_message_and_exit_2(args, words):
    result = kit(*args)
    assert result.returncode == 2
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_guide_shows_the_default_plan_in_every_language(project):
    """The facilitator guide's marker renders the plan for 20 participants in 4 groups, in each language."""
    from terrain.render import Context, expand_markers

    for lang in project.languages:
        page = project.docs["facilitator-guide.md"][lang]
        assert "<!-- terrain:kit -->" in page.body
        text = expand_markers(page.body, Context(project, lang, "facilitator-guide.md"))
        assert "20" in text and project.text(lang, "kit", "gather") in text
        group_sheet = next(
            w for w in project.worksheets.values() if w.facts["copies"] == "group" and project.modules_using(w.slug)
        )
        title = group_sheet.page(lang).title
        title = re.escape(title)  # a draft is listed under the default language's title, marked with its lang
        assert re.search(rf"\| (<span lang=\"[^\"]+\">)?{title}(</span>)? \| [^|]+ \| 4 \|", text), (
            f"{lang}: {title} not printed 4 times"
        )


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_handbook_is_the_whole_kit(project, print_edition, lang):
    """Cover with version and date; the guide, programme and plan before the modules; glossary and every form after.
    A language in progress leaves its drafts out (test_print.py::test_drafts_are_never_printed)."""
    import importlib.metadata

    from test_print import downloads, pdf_pages

    printed_whole(project, lang)
    version = importlib.metadata.version("terrain")
    pages = pdf_pages(downloads(project, lang) / "books" / "handbook.pdf")
    cover = pages[0]
    assert version in cover and re.search(r"\d{4}-\d{2}-\d{2}", cover), cover
    flat = lambda text: " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2060", "").split())  # noqa: E731
    contents = flat(pages[1])
    guide = project.docs["facilitator-guide.md"][lang]
    sections = [
        h.text for h in __import__("terrain.markdown", fromlist=["headings"]).headings(guide.body) if h.level == 2
    ]
    first_module = f"1. {next(iter(project.modules.values())).pages[lang].title}"
    wanted = [
        *sections,
        first_module,
        project.docs["glossary.md"][lang].title,
        project.text(lang, "handbook", "annex"),
    ]
    order = [contents.find(flat(title)) for title in wanted]
    assert -1 not in order and order == sorted(order), f"{lang}: contents out of order or incomplete:\n{contents}"
    intro = flat(project.text(lang, "handbook", "annex_intro"))[:30]
    annex = flat("\n".join(pages[next(i for i, p in enumerate(pages) if intro in flat(p)) :]))
    for ws in project.worksheets.values():
        assert flat(ws.pages[lang].title) in annex, f"{lang}: {ws.slug} missing from the annex"
    assert flat(project.text(lang, "programme", "optional_free")) in flat("\n".join(pages))


def test_a_sheet_printed_several_to_a_page_counts_its_sheets(project_copy):
    """`per_page: 3` in worksheet.yml: the copies stay one per participant, the A4 sheets are a third."""
    (project_copy / "worksheets/knowledge-check/worksheet.yml").write_text(
        (project_copy / "worksheets/knowledge-check/worksheet.yml").read_text(encoding="utf-8") + "per_page: 3\n",
        encoding="utf-8",
    )
    before = kit("--participants", "20", "--groups", "4", "--lang", "en")
    after = kit("--participants", "20", "--groups", "4", "--lang", "en", root=project_copy)
    assert after.returncode == 0, after.stderr
    assert re.search(
        r"^\s+20 × Knowledge check \(each participant\) — 3 on one A4 page, cut apart: 7 sheets$", after.stdout, re.M
    ), after.stdout
    total = lambda out: int(re.search(r"A4 sheets to print, all days: (\d+)", out).group(1))  # noqa: E731
    assert total(before.stdout) - total(after.stdout) == 2 * (20 - 7), (before.stdout, after.stdout)
