"""Portable Markdown rewritten for paper and MyST: no clicks, no HTML, callouts in the page's language."""

from __future__ import annotations

import re

from ..markdown import WEB_AUTOLINK, replace_links
from ..project import Project
from .forms import BREAK_TAG, SCHEME

DETAILS = re.compile(r"<details[^>]*>\s*<summary>(.*?)</summary>(.*?)</details>", re.S | re.I)
ALERT = re.compile(r"^>[ \t]*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*\n((?:>.*(?:\n|$))*)", re.M)
COMMENT = re.compile(r"<!--.*?-->", re.S)
HTML_TAG = re.compile(r"</?(?:small|span|sup|sub|abbr|kbd|mark|em|strong|b|i|u|p|div|section)\b[^>]*>", re.I)


def raw_typst(code: str) -> str:
    """An inline MyST role whose text goes into the Typst output untouched."""
    return "{raw:typst}`" + code + "`"


def typst_string(text: str) -> str:
    """A Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def plain_links(text: str) -> str:
    """Relative links become their text; web addresses are printed, since paper has no click."""

    def link(label: str, target: str) -> str:
        if not SCHEME.match(target):
            return label
        url = target.removeprefix("mailto:")
        return label if label.strip("<>") == url else f"{label} ({raw_typst(f'#link({typst_string(target)})')})"

    text = replace_links(text, link)
    return WEB_AUTOLINK.sub(lambda m: raw_typst(f"#link({typst_string(m.group(1))})"), text)


def answers(text: str) -> str:
    """`<details>` question blocks become a bold question followed by its answer."""
    return DETAILS.sub(lambda m: f"**{m.group(1).strip()}**\n\n{m.group(2).strip()}\n", text)


def callouts(text: str, project: Project, lang: str) -> str:
    """GitHub alerts become MyST admonitions titled in the page's language."""

    def alert(match: re.Match) -> str:
        kind = match.group(1).lower()
        body = "\n".join(re.sub(r"^>[ \t]?", "", line) for line in match.group(2).rstrip("\n").splitlines())
        fence = ":" * max(3, max((len(m) for m in re.findall(r"^:{3,}", body, re.M)), default=0) + 1)
        return f"{fence}{{{kind}}} {project.text(lang, 'callouts', kind)}\n{body.strip()}\n{fence}\n"

    return ALERT.sub(alert, text)


def for_print(text: str, project: Project, lang: str) -> str:
    """Portable Markdown rewritten for paper: no clicks, no HTML, callouts in the right language."""
    text = COMMENT.sub("", text)
    text = answers(text)
    text = callouts(text, project, lang)
    text = text.replace("$", "\\$")  # a dollar sign is money here, never math
    text = plain_links(text)
    text = BREAK_TAG.sub(" ", text)
    return HTML_TAG.sub("", text)


MATERIAL_ADMONITION = re.compile(r'^!!! *([a-z]+)(?: +"([^"]*)")?\n((?:(?: {4}.*)?\n)*)', re.M)


def material_admonitions(text: str) -> str:
    """A docs page's `!!! tip "Title"` blocks as GitHub alerts, which the print edition turns into callouts."""

    def alert(match: re.Match) -> str:
        kind = (
            match.group(1).upper()
            if match.group(1).upper() in ("NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION")
            else "NOTE"
        )
        lines = [line[4:] for line in match.group(3).rstrip("\n").split("\n")]
        title = [f"**{match.group(2)}**", ""] if match.group(2) else []
        return f"> [!{kind}]\n" + "\n".join(f"> {line}".rstrip() for line in title + lines) + "\n"

    return MATERIAL_ADMONITION.sub(alert, text if text.endswith("\n") else text + "\n")
