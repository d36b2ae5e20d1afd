"""The print edition: participant sheets (PDF and DOCX), the worksheet pack and the handbook.

For each language the Markdown is staged for print in build/print/LANG/, one Jupyter Book
project turns all of it into Typst at once (its `typst` exports, with the templates in
print/templates/), and the `typst` package compiles the PDFs. The DOCX sheets are written
with python-docx from the same form Markdown, so that Word opens a real, editable table.
Everything lands in build/downloads/LANG/.

The package, seam by seam (each module depends only on those above it):

- `forms`: a worksheet's form as blocks; which rows are written in.
- `markup`: Markdown rewritten for paper and MyST.
- `fonts`: the print fonts, the Typst compiler that sees only them, glyph coverage.
- `edition`: a language's print run (`Edition`) and its sheets (`Sheet`).
- `myst`: staging in build/print/LANG/, myst.yml, the Jupyter Book export to Typst.
- `pdf`: compiling sheets (the shrink loop), the handbook and the worksheet pack.
- `docx`: the sheets as Word documents.
- `build`: the orchestration: `print_edition` returns what was written and every problem
  (`Printed`); `build_print` raises them instead, for callers that only want the files.
"""

from __future__ import annotations

from ..upstream import disguise, undisguise
from .build import Printed, build_print, print_edition
from .edition import Edition, Sheet, curriculum_order
from .fonts import compiler
from .forms import Block, blocks_markdown, form_blocks, form_header, is_write_row, with_page_breaks, write_rows
from .markup import answers, callouts, for_print, plain_links
from .pdf import COPIES, WORKSHOP

__all__ = [
    "COPIES",
    "WORKSHOP",
    "Block",
    "Edition",
    "Printed",
    "Sheet",
    "answers",
    "blocks_markdown",
    "build_print",
    "callouts",
    "compiler",
    "curriculum_order",
    "disguise",
    "for_print",
    "form_blocks",
    "form_header",
    "is_write_row",
    "plain_links",
    "print_edition",
    "undisguise",
    "with_page_breaks",
    "write_rows",
]
