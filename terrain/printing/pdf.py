"""PDF: the sheets compiled with the tallest writing rows that fit (the shrink loop), the
handbook, and the worksheet pack with its cover, contents and copy counts."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from ..pack import source_epoch, write_whole
from ..problems import Problem, rel
from ..project import Project
from .edition import LICENCE, ROW_HEIGHTS, Edition, Sheet, incomplete_sheets
from .fonts import compiler


def page_count(pdf: bytes) -> int:
    """The pages of a PDF held in memory."""
    return len(PdfReader(BytesIO(pdf)).pages)


def typst_problem(project: Project, source: Path, error: Exception) -> Problem:
    """A Typst error as a problem of the .typ file, with Typst's own diagnostic."""
    detail = getattr(error, "diagnostic", "") or str(error)
    return Problem(
        rel(source, project.root), 0, f"Typst could not compile the print edition: {detail}", rule="typst-error"
    )


def compile_sheet(project: Project, edition: Edition, sheet: Sheet, typ_compiler) -> tuple[Path | None, list[Problem]]:
    """Compile a sheet with the tallest writing rows that keep it within its pages; no PDF when it
    does not compile or does not fit."""
    typ = edition.out / f"ws-{sheet.slug}.typ"
    pdf = b""
    for height in ROW_HEIGHTS[sheet.orientation]:
        try:
            pdf = typ_compiler.compile(
                input=str(typ),
                format="pdf",
                root=str(edition.out),
                sys_inputs={"form-row": str(height)},
                timestamp=source_epoch(),
            )
        except RuntimeError as error:  # typst.TypstError is one, and carries the diagnostic
            return None, [typst_problem(project, typ, error)]
        sheet.row_cm = height
        if page_count(pdf) <= sheet.pages:
            break
    else:  # too long: never published; kept aside so the writer can see where it overflows
        dest = edition.downloads / "worksheets" / f"{sheet.slug}.pdf"
        dest.unlink(missing_ok=True)
        aside = edition.out / "too-long" / f"{sheet.slug}.pdf"
        aside.parent.mkdir(parents=True, exist_ok=True)
        aside.write_bytes(pdf)
        return None, [
            Problem(
                sheet.page.name,
                0,
                f"the form needs {page_count(pdf)} A4 pages even with {height} cm rows, but worksheet.yml allows {sheet.pages} — shorten the form or raise `pages` (see {rel(aside, project.root)})",
                rule="form-too-long",
            )
        ]
    dest = edition.downloads / "worksheets" / f"{sheet.slug}.pdf"
    dest.parent.mkdir(parents=True, exist_ok=True)
    write_whole(dest, pdf)
    sheet.pdf = dest
    return dest, []


def compile_handbook(project: Project, edition: Edition, typ_compiler) -> tuple[Path | None, list[Problem]]:
    """The facilitator handbook of a language; no PDF when it has no module yet."""
    dest = edition.downloads / "books" / "handbook.pdf"
    if not edition.modules:
        dest.unlink(missing_ok=True)
        return None, []
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        pdf = typ_compiler.compile(
            input=str(edition.out / "handbook.typ"),
            format="pdf",
            root=str(edition.out),
            sys_inputs={},
            timestamp=source_epoch(),
        )
    except RuntimeError as error:
        return None, [typst_problem(project, edition.out / "handbook.typ", error)]
    write_whole(dest, pdf)
    return dest, []


# The workshop the pack's copy counts are for (README: a three-day workshop).
WORKSHOP = {"participants": 20, "groups": 4}
# worksheet.yml `copies:` says who gets a copy; facilitator sheets stay out of the pack.
COPIES = {"participant": WORKSHOP["participants"], "group": WORKSHOP["groups"]}


def copies_for(sheet: Sheet) -> str:
    """Who gets a copy of a sheet: participant, group (the default) or facilitator."""
    return sheet.unit.copies


def pack_contents(project: Project, edition: Edition, sheets: list[Sheet], first_page: int) -> dict:
    """What the pack's cover and contents say, every word from data/ui/LANG.yml."""
    from ..pack import build_date, version

    def t(key: str) -> str:
        return (
            project.text(edition.lang, "print_pack", key)
            .replace("{participants}", str(WORKSHOP["participants"]))
            .replace("{groups}", str(WORKSHOP["groups"]))
        )

    from ..kit import plan

    # copies for the whole workshop, as the kit plan counts them (a sheet used on two days
    # twice; several to a page, the pages to print)
    needed: dict[str, tuple[int, int]] = {}
    for day in plan(project, WORKSHOP["participants"], WORKSHOP["groups"]).days:
        for line in day.prints:
            copies_, per_page = needed.get(line.slug, (0, line.per_page))
            needed[line.slug] = (copies_ + line.count, per_page)
    rows, page, total_pages = [], first_page, 0
    for sheet in sheets:
        count = len(PdfReader(str(sheet.pdf)).pages)
        wanted, per_page = needed.get(sheet.unit.slug, (COPIES[copies_for(sheet)], 1))
        copies = -(-wanted // per_page)
        who = t(f"per_{copies_for(sheet)}") + (
            " (" + project.count_text(edition.lang, "print_pack", "per_page", per_page) + ")" if per_page > 1 else ""
        )
        rows.append(
            {
                "page": str(page),
                "title": sheet.title,
                "paper": f"{count} × {project.text(edition.lang, 'labels', sheet.orientation)}",
                "for": who,
                "copies": str(copies),
            }
        )
        page += count
        total_pages += count * copies
    left_out = [s.title for s in edition.sheets if s.pdf and copies_for(s) not in COPIES]
    licence = project.text(edition.lang, "labels", "licence")
    return {
        "lang": edition.lang.split("-")[0],
        "title": project.text(edition.lang, "labels", "pack_title"),
        "note": t("note") + incomplete_sheets(project, edition.lang),
        "version_label": t("version"),
        "version": version(project.root),
        "date_label": t("date"),
        "date": build_date().isoformat(),
        "licence": licence if licence != "licence" else LICENCE.get(edition.lang, LICENCE["en"]),
        "contents": project.text(edition.lang, "labels", "contents"),
        "workshop": t("workshop"),
        "heads": [t("page"), t("sheet"), t("paper"), t("for"), t("copies")],
        "rows": rows,
        "total_label": t("total"),
        "total": str(total_pages),
        "left_out": f"{t('left_out')} {', '.join(left_out)}" if left_out else "",
    }


def compile_pack_cover(
    project: Project, edition: Edition, sheets: list[Sheet], typ_compiler
) -> tuple[bytes | None, list[Problem]]:
    """The cover and contents pages, numbered for the sheets that follow them."""
    typ = edition.out / "pack-cover.typ"
    typ.write_text(
        '// Written by terrain/printing/pdf.py: the worksheet pack\'s cover and contents.\n#import "terrain.typ": *\n#pack-cover(json("pack.json"))\n',
        encoding="utf-8",
    )
    first_page = 3  # cover, contents; a longer contents moves the sheets on
    for _ in range(3):
        (edition.out / "pack.json").write_text(
            json.dumps(pack_contents(project, edition, sheets, first_page), ensure_ascii=False), encoding="utf-8"
        )
        try:
            pdf = typ_compiler.compile(
                input=str(typ), format="pdf", root=str(edition.out), sys_inputs={}, timestamp=source_epoch()
            )
        except RuntimeError as error:
            return None, [typst_problem(project, typ, error)]
        if page_count(pdf) + 1 == first_page:
            break
        first_page = page_count(pdf) + 1
    return pdf, []


def build_pack(project: Project, edition: Edition, typ_compiler=None) -> tuple[Path | None, list[Problem]]:
    """The participant sheets of a language in one PDF for the print shop: cover, contents with
    the copies to make, then each sheet in curriculum order, with bookmarks."""
    dest = edition.downloads / "books" / "worksheet-pack.pdf"
    sheets = [s for s in edition.sheets if s.pdf and copies_for(s) in COPIES]
    if not sheets:
        dest.unlink(missing_ok=True)
        return None, []
    writer = PdfWriter()
    cover, problems = compile_pack_cover(project, edition, sheets, typ_compiler or compiler())
    if cover is None:
        return None, problems
    writer.append(BytesIO(cover), outline_item=project.text(edition.lang, "labels", "contents"))
    for sheet in sheets:
        writer.append(str(sheet.pdf), outline_item=sheet.title)
    dated = PdfReader(BytesIO(cover)).metadata  # Typst's: SOURCE_DATE_EPOCH when set, else now
    dates = {key: dated[key] for key in ("/CreationDate", "/ModDate") if dated is not None and key in dated}
    writer.add_metadata({"/Title": f"{project.text(edition.lang, 'labels', 'pack_title')} — Terrain", **dates})
    dest.parent.mkdir(parents=True, exist_ok=True)
    whole = BytesIO()
    writer.write(whole)
    write_whole(dest, whole.getvalue())
    return dest, []
