"""Read YAML with the line of every key, and validate it against a schema with usable messages."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import sys

import yaml

# jsonschema imports rfc3987-syntax when it is installed (jupyter-book brings it), which
# compiles 39 grammars: 2.4 s on every build. Terrain's schemas use no `format`, so hide it.
sys.modules.setdefault("rfc3987_syntax", None)
import jsonschema  # noqa: E402

from .problems import Problem

Lines = dict[tuple, int]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when present: 10× faster
    """A safe loader that tolerates the `!!python/name:` tags MkDocs configs may carry."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: f"!!python/{suffix}")
_Loader.add_multi_constructor("!", lambda loader, suffix, node: f"!{suffix}")


def _walk(node: yaml.Node, loader: yaml.Loader, path: tuple, lines: Lines) -> Any:
    """Build Python data from a node, noting the 1-based line of each path."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _walk(value_node, loader, path + (key,), lines)
            lines[path + (key,)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, loader, path + (i,), lines) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def parse(text: str, name: str, first_line: int = 1) -> tuple[Any, Lines, list[Problem]]:
    """Parse YAML text; a syntax error becomes a Problem at its line instead of an exception."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, []
        lines: Lines = {}
        data = _walk(node, loader, (), lines)
        if first_line != 1:
            lines = {k: v + first_line - 1 for k, v in lines.items()}
        return data, lines, []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = (mark.line + first_line) if mark else first_line
        what = getattr(error, "problem", None) or str(error).splitlines()[0]
        return None, {}, [Problem(name, line, f"the YAML cannot be read ({what}) — check the indentation and the colons on this line and the one before")]
    finally:
        loader.dispose()


def load(path: Path, name: str) -> tuple[Any, Lines, list[Problem]]:
    """Read and parse a YAML file."""
    return parse(path.read_text(encoding="utf-8"), name)


def line_of(lines: Lines, path: tuple) -> int:
    """The line of a path, or of its nearest parent that has one."""
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def validate(data: Any, schema: dict, name: str, lines: Lines) -> list[Problem]:
    """Every schema violation as a Problem naming the key path, the rule and the fix."""
    problems = []
    validator = jsonschema.Draft202012Validator(schema)
    for error in validator.iter_errors(data):
        path = tuple(error.absolute_path)
        where = ".".join(str(p) for p in path) or "the file"
        hint = error.schema.get("description", "")
        if error.validator == "required":
            missing = error.message.split("'")[1]
            prop = error.schema.get("properties", {}).get(missing, {})
            message = f"{where} lacks `{missing}`"
            hint = prop.get("description", "")
        elif error.validator == "additionalProperties":
            message = f"{where}: {error.message}"
            hint = "remove it or correct its spelling; the allowed keys are " + ", ".join(sorted(error.schema.get("properties", {})))
        else:
            message = f"{where}: {error.message}"
        fix = f" — {hint}" if hint else ""
        problems.append(Problem(name, line_of(lines, path), message + fix))
    return problems
