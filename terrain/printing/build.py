"""The whole print edition: stage every language, export, compile, write; one build at a time."""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ..cards import build_cards
from ..problems import Problem, ProblemsFound
from ..project import Project
from .docx import write_docx
from .edition import Edition
from .fonts import compiler
from .myst import expected_typ, finish_export, jupyter_book, stage, typst_shim
from .pdf import build_pack, compile_handbook, compile_sheet


def remove_stale(edition: Edition) -> None:
    """Drop sheets of worksheets that no longer print in this language."""
    keep = {f"{s.slug}.{suffix}" for s in edition.sheets for suffix in ("pdf", "docx")}
    folder = edition.downloads / "worksheets"
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file() and path.name not in keep:
                path.unlink()


def progress_bar(total: int, enabled: bool) -> tqdm:
    """One bar for the whole edition; silent when disabled (tests, CI)."""
    return tqdm(total=total, desc="print edition", unit="file", disable=not enabled, leave=False)


@contextmanager
def one_build_at_a_time(project: Project):
    """Hold build/print/.lock: two builds of one checkout would wipe each other's stage folders."""
    folder = project.root / "build" / "print"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@dataclass
class Printed:
    """What a print run wrote and every problem it met, errors and warnings, to be reported once."""

    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    checked: bool = True  # False: the sources' checks found problems and nothing was staged

    @property
    def ok(self) -> bool:
        """The run went through and no problem is an error: the edition may be published."""
        return self.checked and not any(p.severity == "error" for p in self.problems)


def print_edition(project: Project, langs: list[str] | None = None, progress: bool = True) -> Printed:
    """Build every participant sheet (PDF, DOCX), the worksheet pack and the handbook of each
    language; every problem comes back in the result, none is raised or logged."""
    from ..checks import check_all

    problems = check_all(project)  # the content policy first (issue 13): nothing is staged or written otherwise
    if problems:
        return Printed(problems=problems, checked=False)
    with one_build_at_a_time(project):
        editions = build_editions(
            project, [l for l in (langs or project.languages) if l in project.languages], progress
        )
    return Printed([p for e in editions for p in e.written], [p for e in editions for p in e.problems])


def build_print(project: Project, langs: list[str] | None = None, progress: bool = True) -> list[Path]:
    """`print_edition` for callers that want the files or an exception: raises ProblemsFound
    (with every problem) unless the edition may be published; warnings are not reported."""
    printed = print_edition(project, langs, progress)
    if not printed.ok:
        raise ProblemsFound(printed.problems)
    return printed.written


def build_editions(project: Project, langs: list[str], progress: bool) -> list[Edition]:
    """Stage, export and compile the given languages (the caller holds the build lock); each
    edition holds what it wrote and its problems."""
    editions = [stage(project, lang) for lang in langs]
    steps = sum(1 + 2 * len(e.sheets) + 2 for e in editions)
    with progress_bar(steps, progress) as bar:
        shim = typst_shim(project)
        # One Jupyter Book run per language, all at once: each is mostly Node start-up.
        runs = {e.lang: jupyter_book(e, shim) for e in editions if expected_typ(e)}
        try:
            typ_compiler = compiler()
            for edition in editions:
                # Compiling this language overlaps with the next language's Jupyter Book run.
                bar.set_description(f"print {edition.lang}: jupyter-book")
                if edition.lang in runs:
                    exported = finish_export(project, edition, runs[edition.lang])
                    edition.problems += exported
                    if any(p.severity == "error" for p in exported):
                        bar.update(1 + 2 * len(edition.sheets) + 2)
                        continue  # no Typst to compile for this language
                bar.update(1)
                bar.set_description(f"print {edition.lang}: typst, docx")
                build_language(project, edition, typ_compiler, bar)
        finally:
            for process in runs.values():  # a failed language must not leave the others running
                if process.poll() is None:
                    process.kill()
                    process.communicate()
    return editions


def build_language(project: Project, edition: Edition, typ_compiler, bar) -> None:
    """Compile one language's sheets and handbook, write its DOCX sheets and its pack; what is
    written and what went wrong go into the edition."""
    for sheet in edition.sheets:
        pdf, problems = compile_sheet(project, edition, sheet, typ_compiler)
        edition.problems += problems
        bar.update(1)
        if pdf:
            edition.written.append(pdf)
            edition.written.append(write_docx(project, sheet, edition.downloads / "worksheets" / f"{sheet.slug}.docx"))
        bar.update(1)
    remove_stale(edition)
    pack, problems = build_pack(project, edition, typ_compiler)
    edition.problems += problems
    bar.update(1)
    handbook, problems = compile_handbook(project, edition, typ_compiler)
    edition.problems += problems
    bar.update(1)
    edition.written += [p for p in (pack, handbook) if p]
    cards: list[Problem] = []  # terrain/cards.py still fills a list it is given
    edition.written += build_cards(project, edition.lang, typ_compiler, cards)  # picture cards
    edition.problems += cards
