"""The print fonts (print/fonts/): the only ones Typst sees, and the characters they can show."""

from __future__ import annotations

import struct
from functools import cache
from pathlib import Path

import typst

from ..problems import Problem

# The print fonts live in the repository (print/fonts/README.md) and are the only ones Typst
# sees, so a PDF comes out the same on every machine.
FONTS = Path(__file__).resolve().parents[2] / "print" / "fonts"
FONT_NAMES = "Andika, DejaVu Sans"
DRAWN = {"⌛"}  # terrain.typ draws these itself


def cmap_chars(font: bytes) -> set[int]:
    """The code points a TrueType font maps to glyphs (cmap formats 4 and 12)."""
    chars: set[int] = set()
    tables = struct.unpack(">H", font[4:6])[0]
    offsets = {
        font[12 + 16 * i : 16 + 16 * i]: struct.unpack(">I", font[20 + 16 * i : 24 + 16 * i])[0] for i in range(tables)
    }
    cmap = offsets.get(b"cmap")
    if cmap is None:
        return chars
    for j in range(struct.unpack(">H", font[cmap + 2 : cmap + 4])[0]):
        start = cmap + struct.unpack(">I", font[cmap + 8 + 8 * j : cmap + 12 + 8 * j])[0]
        kind = struct.unpack(">H", font[start : start + 2])[0]
        if kind == 4:
            count = struct.unpack(">H", font[start + 6 : start + 8])[0] // 2
            ends = struct.unpack(f">{count}H", font[start + 14 : start + 14 + 2 * count])
            firsts = struct.unpack(f">{count}H", font[start + 16 + 2 * count : start + 16 + 4 * count])
            for first, end in zip(firsts, ends):
                chars.update(range(first, end + 1))
        elif kind == 12:
            for g in range(struct.unpack(">I", font[start + 12 : start + 16])[0]):
                first, end = struct.unpack(">II", font[start + 16 + 12 * g : start + 24 + 12 * g])
                chars.update(range(first, end + 1))
    return chars


@cache
def font_coverage() -> frozenset[int]:
    """Every code point the print fonts can show."""
    chars: set[int] = set()
    for path in sorted(FONTS.glob("*.ttf")):
        try:
            chars |= cmap_chars(path.read_bytes())
        except (struct.error, OSError):
            continue  # a font we cannot read simply does not count
    return frozenset(chars)


def missing_glyphs(text: str, where: str) -> list[Problem]:
    """The characters that would print as empty boxes, as a warning for the writer."""
    covered = font_coverage()
    if not covered:
        return []
    missing = sorted(
        {c for c in text if ord(c) > 0x7F and not c.isspace() and ord(c) not in covered and c not in DRAWN}
    )
    if not missing:
        return []
    return [
        Problem(
            where,
            0,
            f"{' '.join(missing)} has no glyph in the print fonts ({FONT_NAMES}) and prints as an empty box — use another symbol",
            rule="missing-glyph",
            severity="warning",
        )
    ]


def compiler():
    """A Typst compiler that sees print/fonts/ and none of the machine's fonts."""
    return typst.Compiler(font_paths=[str(FONTS)], ignore_system_fonts=True)
