"""What a language's print run is made of: its sheets, its staged chapters, what it wrote."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..countries import Country
from ..problems import Problem
from ..project import Page, Project, Unit
from .forms import Block

LICENCE = {
    "en": "Terrain is published under the Creative Commons Attribution 4.0 International licence (CC BY 4.0).",
    "fr": "Terrain est publié sous la licence Creative Commons Attribution 4.0 International (CC BY 4.0).",
}
# Row heights (cm) tried for the empty rows of a form, tallest first, until it fits its pages.
# Below 1.2 cm a row no longer holds a line of large handwriting: the sheet needs more pages.
ROW_HEIGHTS = {
    "landscape": [3.0, 2.8, 2.6, 2.4, 2.2, 2.0, 1.8, 1.6, 1.4, 1.2],
    "portrait": [3.2, 3.0, 2.8, 2.6, 2.4, 2.2, 2.0, 1.8, 1.6, 1.4, 1.2],
}


@dataclass
class Sheet:
    """One worksheet's participant sheet in one language."""

    unit: Unit
    lang: str
    page: Page
    blocks: list[Block]  # the form
    orientation: str
    pages: int
    row_cm: float = 0.0
    pdf: Path | None = None

    @property
    def slug(self) -> str:
        return self.unit.slug

    @property
    def title(self) -> str:
        return self.page.title or self.unit.slug


@dataclass
class Edition:
    """What one language's print run stages, exports and writes."""

    lang: str
    stage: Path
    out: Path
    downloads: Path
    sheets: list[Sheet] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)  # staged files, in curriculum order
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # every problem of this language's run, errors and warnings
    country: Country | None = None  # a country edition (`terrain print --country CC`): its profile and notes


def curriculum_order(project: Project, unit: Unit) -> tuple:
    """Worksheets sort by the first module that uses them, then by name."""
    orders = [m.order for m in project.modules_using(unit.slug)]
    return (min(orders) if orders else 999, unit.slug)


def untranslated(project: Project, page: Page) -> bool:
    """A draft translation: never printed as translated; the print edition leaves it out and says so."""
    return page.lang != project.default_language and page.translation.get("status") == "draft"


def incomplete_sheets(project: Project, lang: str) -> str:
    """On the worksheet pack's cover: how many sheets are left out as not yet translated."""
    left = sum(
        1 for w in project.worksheets.values() if w.pages.get(lang) is not None and untranslated(project, w.pages[lang])
    )
    return (" · " + project.count_text(lang, "handbook", "incomplete", left)) if left else ""


def drafts_left(project: Project, lang: str) -> int:
    """How many of a language's pages are drafts (left out of its print edition)."""
    pages = [u.pages.get(lang) for u in project.units()] + [p.get(lang) for p in project.docs.values()]
    return sum(1 for p in pages if p is not None and untranslated(project, p))
