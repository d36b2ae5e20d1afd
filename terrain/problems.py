"""Problems found in the sources, reported as `path:line: what is wrong — how to fix it`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

RULE_IN_MESSAGE = re.compile(r" \[([a-z0-9-]+)\](?= — |$)")  # `what [rule-id] — fix`, as the policy writes it


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file; `line` is 1-based, or 0 when the whole file is meant.

    `rule` is a stable id (`broken-anchor`, `ui-key-missing`) that tests and tools match on,
    never the wording; `severity` is "error" (stops the build) or "warning" (is only shown).
    A message written `what [rule-id] — fix` gives its rule id to `rule`, so there is one field.
    """

    path: str
    line: int
    message: str
    rule: str = ""
    severity: str = "error"

    def __post_init__(self) -> None:
        found = RULE_IN_MESSAGE.search(self.message)
        if found:
            object.__setattr__(self, "message", self.message[: found.start()] + self.message[found.end() :])
            if not self.rule:
                object.__setattr__(self, "rule", found.group(1))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        message = self.message
        if self.rule:
            what, dash, fix = message.partition(" — ")
            message = f"{what} [{self.rule}]{dash}{fix}"
        return f"{where}: {message}"


class ProblemsFound(Exception):
    """Raised when a build must stop; carries every problem, not the first alone."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(report(self.problems))


def rel(path: Path | str, root: Path) -> str:
    """A path as the writer sees it: where it sits, relative to the project root when it can be.
    A symlink is named, not what it leads to; its folder is resolved (a root reached through a
    symlink, a path given another way)."""
    path = Path(path)
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return str(path)


def report(problems: list[Problem]) -> str:
    """Every problem on its own line, grouped by file, then one summary line."""
    problems = sorted(set(problems))
    files = len({p.path for p in problems})
    lines = [str(p) for p in problems]
    noun = "problem" if len(problems) == 1 else "problems"
    where = "file" if files == 1 else "files"
    lines.append(f"terrain: {len(problems)} {noun} in {files} {where}")
    return "\n".join(lines)
