"""The geometry of every PDF the print edition writes: no text outside its cell.

Each page is measured with PyMuPDF: the words (from page.get_text("rawdict")) against the rules
drawn on the page (page.get_drawings()). A word must not cross a table rule, two words must
not print over each other, and nothing may come within 4 mm of the paper's edge (most
printers cannot print there). Run it by hand on any PDF:

    .venv/bin/python tests/test_print_geometry.py build/downloads/fr/worksheets/*.pdf
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

MM = 72 / 25.4
EDGE = 4 * MM  # the margin no word or line may enter
# A word's box is where its ink is, whatever the font's ascender and line gap say: from the
# height of a capital above the baseline to a descender below it.
CAP = 0.72
DESCENT = 0.2
SHRINK_X = 0.6  # points: letters may touch a rule, not cross it
THIN = 1.6  # a filled rectangle thinner than this (pt) is a rule, not a shaded ground


def rules(page) -> list[tuple[float, float, float, float]]:
    """Every straight rule on a page, as (x0, y0, x1, y1) with x0 == x1 or y0 == y1."""
    found = []
    for drawing in page.get_drawings():
        stroked = drawing.get("color") is not None and drawing.get("type") in ("s", "fs")
        for item in drawing["items"]:
            if item[0] == "l" and stroked:
                a, b = item[1], item[2]
                if abs(a.x - b.x) < 0.5 or abs(a.y - b.y) < 0.5:
                    found.append((min(a.x, b.x), min(a.y, b.y), max(a.x, b.x), max(a.y, b.y)))
            elif item[0] == "re":
                r = item[1]
                if stroked:
                    found += [
                        (r.x0, r.y0, r.x1, r.y0),
                        (r.x0, r.y1, r.x1, r.y1),
                        (r.x0, r.y0, r.x0, r.y1),
                        (r.x1, r.y0, r.x1, r.y1),
                    ]
                elif r.width < THIN and r.height > THIN:
                    found.append(((r.x0 + r.x1) / 2, r.y0, (r.x0 + r.x1) / 2, r.y1))
                elif r.height < THIN and r.width > THIN:
                    found.append((r.x0, (r.y0 + r.y1) / 2, r.x1, (r.y0 + r.y1) / 2))
    return found


def words(page) -> list[tuple[float, float, float, float, str]]:
    """Every word on a page with its ink box, as (x0, y0, x1, y1, text)."""
    found = []
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            current: list = []
            chars = [(char, span["size"]) for span in line["spans"] for char in span["chars"]]
            for char, size in chars + [({"c": " "}, 0)]:
                if not char["c"].isspace():
                    current.append((char, size))
                    continue
                if current:
                    x0 = min(c["bbox"][0] for c, _ in current)
                    x1 = max(c["bbox"][2] for c, _ in current)
                    y0 = min(c["origin"][1] - CAP * s for c, s in current)
                    y1 = max(c["origin"][1] + DESCENT * s for c, s in current)
                    found.append((x0, y0, x1, y1, "".join(c["c"] for c, _ in current)))
                current = []
    return found


def inner(word) -> tuple[float, float, float, float]:
    """The part of a word's box that may not touch a rule."""
    x0, y0, x1, y1 = word[:4]
    return x0 + SHRINK_X, y0, x1 - SHRINK_X, y1


def crosses(box, rule) -> bool:
    """Whether a rule runs through the inside of a box."""
    x0, y0, x1, y1 = box
    rx0, ry0, rx1, ry1 = rule
    if rx1 - rx0 < 0.5:  # vertical
        return x0 < rx0 < x1 and ry0 < y1 and ry1 > y0
    return y0 < ry0 < y1 and rx0 < x1 and rx1 > x0


def page_problems(page) -> list[str]:
    """What is wrong on one page, one line per word."""
    problems = []
    found_words = words(page)
    width, height = page.rect.width, page.rect.height
    lines = rules(page)
    for word in found_words:
        box = inner(word)
        text = word[4]
        for rule in lines:
            if crosses(box, rule):
                kind = "vertical" if rule[2] - rule[0] < 0.5 else "horizontal"
                problems.append(f"{text!r} crosses a {kind} table rule at ({word[0]:.0f}, {word[1]:.0f}) pt")
                break
        x0, y0, x1, y1 = word[:4]
        if x0 < EDGE or y0 < EDGE or x1 > width - EDGE or y1 > height - EDGE:
            problems.append(f"{text!r} is within 4 mm of the page edge at ({x0:.0f}, {y0:.0f}) pt")
    for rule in lines:
        if min(rule[0], rule[1]) < EDGE or rule[2] > width - EDGE or rule[3] > height - EDGE:
            problems.append(f"a rule at ({rule[0]:.0f}, {rule[1]:.0f}) pt is within 4 mm of the page edge")
    boxes = sorted((inner(w), w[4]) for w in found_words)
    for i, (a, text_a) in enumerate(boxes):  # sorted by x0: stop when the next starts after this ends
        for b, text_b in boxes[i + 1 :]:
            if b[0] >= a[2]:
                break
            if b[1] < a[3] and b[3] > a[1]:
                problems.append(f"{text_a!r} and {text_b!r} print over each other at ({a[0]:.0f}, {a[1]:.0f}) pt")
    return problems


def pdf_problems(path: Path) -> list[str]:
    """Every geometry problem of a PDF, as `file p.N: what`."""
    import pymupdf

    found = []
    with pymupdf.open(path) as document:
        for number, page in enumerate(document, 1):
            found += [f"{path} p.{number}: {problem}" for problem in page_problems(page)]
    return found


BODY_PT, HEAD_PT = 10, 11
FOOTER = 1.5 * 72 / 2.54  # the sheets' bottom margin, where the small footer line sits


def small_text(path: Path) -> list[str]:
    """Text on a participant sheet set below 10 pt, or below 11 pt in a grey table header."""
    import pymupdf

    found = []
    with pymupdf.open(path) as document:
        for number, page in enumerate(document, 1):
            heads = [
                d["rect"]
                for d in page.get_drawings()
                if d.get("fill") and d["fill"] != (1.0, 1.0, 1.0) and d["rect"].height > THIN
            ]
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        box = pymupdf.Rect(span["bbox"])
                        if not span["text"].strip() or box.y0 > page.rect.height - FOOTER:
                            continue
                        least = HEAD_PT if any(h.contains(box.tl + (1, 1)) for h in heads) else BODY_PT
                        if span["size"] < least - 0.05:
                            found.append(
                                f"{path} p.{number}: {span['text'].strip()!r} is set in {span['size']:.1f} pt, below {least} pt"
                            )
    return found


def printed_pdfs(root: Path) -> list[Path]:
    """Every PDF the print edition wrote: sheets, pack, handbook, picture cards."""
    return sorted((root / "build" / "downloads").glob("*/**/*.pdf"))


@pytest.mark.slow
def test_no_text_leaves_its_cell_or_the_printable_page(project, print_edition):
    pdfs = printed_pdfs(project.root)
    languages = {p.relative_to(project.root / "build" / "downloads").parts[0] for p in pdfs}
    from conftest import finished_languages  # a language in progress may print nothing but its picture cards

    assert languages >= set(finished_languages(project)), f"no PDF for {set(finished_languages(project)) - languages}"
    problems = [problem for pdf in pdfs for problem in pdf_problems(pdf)]
    assert not problems, f"{len(problems)} geometry problems:\n" + "\n".join(problems[:80])


@pytest.mark.slow
def test_participant_sheets_are_set_in_large_print(project, print_edition):
    sheets = sorted((project.root / "build" / "downloads").glob("*/worksheets/*.pdf"))
    assert sheets, "no participant sheet was printed"
    problems = [problem for pdf in sheets for problem in small_text(pdf)]
    assert not problems, f"{len(problems)} runs of small print:\n" + "\n".join(problems[:80])


LONG_CELLS = """#import "terrain.typ": *
#show: worksheet.with(title: "Long words", summary: "Cells that must wrap.", lang: "fr")
#tablex(columns: 6, header-rows: 1,
  [⚑ Élément], [✎ Ce que nous savons], [→ Ce que nous ferons], [☺ Qui], [◷ Quand], [✓ Comment nous le saurons],
  [*1 Contexte* : voir #link("https://www.example.org/un/tres/long/chemin/vers/une/ressource-documentaire-2020.pdf")], [], [], [], [], [],
  [*2 Parties prenantes* : anticonstitutionnellement, intergouvernementalisation, débiteurs d’obligations, titulaires de droits, carte des parties prenantes, environnementales], [], [], [], [], [],
)
"""


def test_long_words_and_addresses_wrap_inside_their_cells(tmp_path):
    """The form template itself: a web address and long French words in a six-column form stay in their cells."""
    from terrain import printing

    shutil.copyfile(
        Path(printing.__file__).parents[2] / "print" / "templates" / "terrain.typ", tmp_path / "terrain.typ"
    )
    (tmp_path / "sheet.typ").write_text(LONG_CELLS, encoding="utf-8")
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(printing.compiler().compile(input=str(tmp_path / "sheet.typ"), format="pdf", root=str(tmp_path)))
    assert pdf_problems(pdf) == []
    assert small_text(pdf) == []


def test_the_measure_sees_a_word_across_a_rule(tmp_path):
    """The measure itself: a word set across a table rule, and two words printed over each other."""
    import pymupdf

    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.draw_line((200, 100), (200, 140))
    page.insert_text((180, 125), "overflowing", fontsize=11)
    page.insert_text((100, 300), "first", fontsize=11)
    page.insert_text((105, 300), "second", fontsize=11)
    page.insert_text((4, 500), "edge", fontsize=11)
    page.insert_text((100, 600), "fine", fontsize=11)
    pdf = tmp_path / "made.pdf"
    document.save(pdf)
    problems = pdf_problems(pdf)
    assert any("'overflowing' crosses a vertical table rule" in p for p in problems), problems
    assert any("'first' and 'second' print over each other" in p for p in problems), problems
    assert any("'edge' is within 4 mm" in p for p in problems), problems
    assert not any("fine" in p for p in problems), problems
    assert all(p.startswith(f"{pdf} p.1: ") for p in problems)
    small = small_text(pdf)
    assert small == [] or all("fine" not in p for p in small)
    page = document.new_page(width=595, height=842)
    page.insert_text((100, 100), "tiny", fontsize=8)
    page.draw_rect((90, 190, 300, 215), fill=(0.88, 0.88, 0.88), color=None)
    page.insert_text((100, 205), "header", fontsize=10)
    page.insert_text((100, 400), "large", fontsize=11)
    document.save(pdf)
    small = [p for p in small_text(pdf) if " p.2: " in p]
    assert (
        len(small) == 2
        and "'tiny' is set in 8.0 pt, below 10 pt" in small[0]
        and "'header' is set in 10.0 pt, below 11 pt" in small[1]
    ), small


if __name__ == "__main__":
    total = 0
    verbose = "-v" in sys.argv
    for arg in [a for a in sys.argv[1:] if a != "-v"]:
        found = pdf_problems(Path(arg))
        total += len(found)
        print(f"{len(found):4d}  {arg}")
        for problem in found if verbose else []:
            print("      " + problem)
    sys.exit(1 if total else 0)
