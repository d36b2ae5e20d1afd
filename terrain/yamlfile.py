"""Read YAML with the line of every key, and validate it against a schema with usable messages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml

from .problems import Problem

Lines = dict[tuple, int]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml's parser when present: 10× faster
    """A safe loader that tolerates the `!!python/name:` tags MkDocs configs may carry."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: f"!!python/{suffix}")
# a local tag keeps the text after it: `title: !Attention au mercure` was the title `!Attention`
_Loader.add_multi_constructor("!", lambda loader, suffix, node: f"!{suffix} {node.value}".rstrip())


MAX_ALIASES = 50  # `*name` uses in one file; YAML anchors can multiply a few bytes into gigabytes
MAX_NODES = 200_000
_TOO_MANY = "remove what was pasted or repeated: Terrain's largest file holds a few thousand values"
MAX_DEPTH = 50  # values inside values; Terrain's deepest file nests 6, and each level is a Python call


class _TooBig(Exception):
    def __init__(self, node: yaml.Node, what: str, rule: str = "yaml-aliases", fix: str = ""):
        self.node, self.what, self.rule = node, what, rule
        self.fix = fix or "write the values out; Terrain's files need no anchors (`&name`) or aliases (`*name`)"


_STR = "tag:yaml.org,2002:str"  # most values and nearly every key: a plain string
_NOT_JSON = {"tag:yaml.org,2002:timestamp": "a date", "tag:yaml.org,2002:binary": "binary data"}  # no type in JSON


class _Walk:
    """Build Python data from a node graph, noting lines, with a budget and duplicate keys."""

    def __init__(self, loader: yaml.Loader, lines: Lines, name: str, first_line: int, source: list[str]):
        self.loader, self.lines, self.name, self.first_line = loader, lines, name, first_line
        self.source = source  # the text's lines, for what YAML drops (a comment glued to its word)
        self.seen: set[int] = set()
        self.aliases = 0
        self.nodes = 0
        self.problems: list[Problem] = []

    def __call__(self, node: yaml.Node, path: tuple):
        self.nodes += 1
        if id(node) in self.seen and not isinstance(node, yaml.ScalarNode):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _TooBig(node, f"more than {MAX_ALIASES} uses of YAML aliases (`*name`)")
        self.seen.add(id(node))
        if self.nodes > MAX_NODES:
            raise _TooBig(node, f"more than {MAX_NODES:,} values", fix=_TOO_MANY)
        if len(path) > MAX_DEPTH:
            raise _TooBig(
                node,
                f"values nested more than {MAX_DEPTH} levels deep",
                "yaml-depth",
                "check the indentation and the `-` of this line: Terrain's files nest a few levels",
            )
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out = {}
            first: dict = {}
            for key_node, value_node in node.value:
                # a key is the text written, as in JSON: `no:` (Norwegian) is not False, `2:` not 2
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node.start_mark.line)
                line = key_node.start_mark.line + 1
                if key in first:
                    self.problems.append(
                        Problem(
                            self.name,
                            line + self.first_line - 1,
                            f"the key `{key}` appears twice (first on line {first[key] + self.first_line - 1}) [yaml-duplicate-key] — keep one; YAML would silently use the last",
                        )
                    )
                first.setdefault(key, line)
                if value_node.tag == _STR and isinstance(value_node, yaml.ScalarNode):
                    # a plain string, as self(value_node) would give it, without the call: nothing
                    # but a mapping or a sequence can be an alias that counts
                    self.nodes += 1
                    if self.nodes > MAX_NODES:
                        raise _TooBig(value_node, f"more than {MAX_NODES:,} values", fix=_TOO_MANY)
                    out[key] = self._text(value_node)
                else:
                    out[key] = self(value_node, path + (key,))
                self.lines[path + (key,)] = line  # the key's line, not its value's
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self(item, path + (i,)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
            return self._text(node)  # what the loader's constructor returns for it, without its dispatch
        return self._scalar(node)

    def _text(self, node: yaml.ScalarNode) -> str:
        """A plain string; `title: Fiche #3` is the title `Fiche` and a comment, which is a problem."""
        if not node.style and "#" in self.source[node.end_mark.line]:  # plain: None, or "" from libyaml
            rest = self.source[node.end_mark.line][node.end_mark.column :]
            if re.match(r"\s+#[^\s#]", rest):
                self.problems.append(
                    Problem(
                        self.name,
                        node.end_mark.line + self.first_line,
                        f"the text after `{node.value}` is a YAML comment, dropped (a `#` after a space starts one) [yaml-syntax] — put the whole value in double quotes, or write `n°` for a number",
                    )
                )
        return node.value

    def _scalar(self, node: yaml.Node) -> Any:
        """A scalar that is not a plain string, as JSON has it; else its text, with a problem."""
        line = node.start_mark.line + self.first_line
        if node.tag not in _NOT_JSON:
            try:
                value = self.loader.construct_object(node, deep=True)
                # `duration: 75.0` is the whole number 75, as JSON Schema reads it, so that what
                # the schema accepts as an integer is one for Terrain's readers too
                return int(value) if isinstance(value, float) and value.is_integer() else value
            except (ValueError, KeyError, AttributeError):  # what PyYAML raises for `!!int abc`, `0x_`
                tag = "!!" + node.tag.rsplit(":", 1)[-1]
                self.problems.append(
                    Problem(
                        self.name,
                        line,
                        f'the YAML cannot be read (`{node.value}` is not a {tag}) [yaml-syntax] — put it in quotes, without a `!!` tag before it: "{node.value}"',
                    )
                )
                return node.value
        # an unquoted date (2020-01-01) or !!binary: no file of Terrain wants one; not constructed,
        # since a date that is not one (2020-02-30) would raise
        self.problems.append(
            Problem(
                self.name,
                line,
                f'`{node.value}` is read as {_NOT_JSON[node.tag]}, which no file of Terrain takes [yaml-date] — if it is a text, put it in quotes: "{node.value}"; else write what the key asks for',
            )
        )
        return node.value


_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # where YAML starts a new line: its marks count these


def _source_lines(text: str) -> list[str]:
    """A YAML text's lines as YAML numbers them (a lone CR or a NEL ends a line too)."""
    return _BREAK.split(text)


def _quote_hint(lines: list[str], at: int | None) -> tuple[int, str] | None:
    """A value in double quotes holding another, unescaped `"` (a translator's quotation): the
    line and the fix, on the line the error was found or the two before it."""
    if at is None:
        return None
    for index in range(at, max(at - 3, -1), -1):
        line = lines[index] if index < len(lines) else ""
        match = re.match(r'^\s*(?:-\s+)?[\w-]+:\s+"(.*)"\s*(#.*)?$', line) or re.match(
            r'^\s*(?:-\s+)?[\w-]+:\s+"(.*)$', line
        )
        if match and re.search(r'(?<!\\)"', match.group(1)):
            return (
                index,
                'a `"` inside a value written in double quotes ends the value too early — write it as `\\"`, or use the language\'s own quotation marks (« » or “ ”)',
            )
    return None


def _unquoted_hint(line: str) -> str | None:
    """The fix for a text YAML cannot read unquoted (`title: Titre : sous-titre`, `@partenaires`,
    `*Urgent*`, `[Brouillon] Titre`): put it in double quotes, written out."""
    match = re.match(r"^(\s*(?:-\s+)?[\w-]+):\s+(.*?)\s*$", line)
    if not match:
        return None
    key, value = match.groups()
    if re.match(r"[@`%*&!?|>-]|[\[{].*[\]}]\s*[^\s#,\]}]", value):
        why = f"a text starting with '{value[0]}'"
    elif re.search(r":\s", value) and value[0] not in "[{":  # not a flow mapping `{en: …}`: its keys are right
        why = "a text holding ': '"
    else:
        return None
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{why} is read as YAML: put it in double quotes, `{key.strip()}: "{quoted}"`'


def parse(text: str, name: str, first_line: int = 1) -> tuple[Any, Lines, list[Problem]]:
    """Parse YAML text; a syntax error becomes a Problem at its line instead of an exception.

    Aliases and sizes are bounded, so a few hundred hostile bytes cannot take minutes; a key
    given twice is a problem, not a silent overwrite.
    """
    loader = _Loader(text)
    source = _source_lines(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, []
        lines: Lines = {}
        walk = _Walk(loader, lines, name, first_line, source)
        data = walk(node, ())
        if first_line != 1:
            lines = {k: v + first_line - 1 for k, v in lines.items()}
        return data, lines, walk.problems
    except _TooBig as error:
        line = error.node.start_mark.line + first_line
        return (
            None,
            {},
            [
                Problem(
                    name,
                    line,
                    f"the YAML holds {error.what} [{error.rule}] — {error.fix}",
                )
            ],
        )
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = (mark.line + first_line) if mark else first_line
        what = getattr(error, "problem", None) or str(error).splitlines()[0]
        at = source[mark.line] if mark and mark.line < len(source) else ""
        tab = " (a tab character: indent with spaces)" if "\t" in at[: mark.column + 1 if mark else 0] else ""
        quote = _quote_hint(source, mark.line if mark else None)
        if quote and mark:
            return None, {}, [Problem(name, line - (mark.line - quote[0]), quote[1])]
        fix = _unquoted_hint(at) or "check the indentation and the colons on this line and the one before"
        return None, {}, [Problem(name, line, f"the YAML cannot be read ({what}){tab} [yaml-syntax] — {fix}")]
    finally:
        loader.dispose()


def read_text(path: Path, name: str) -> tuple[str | None, list[Problem]]:
    """A source file's text, or a problem naming the file and the line that is not UTF-8, or
    saying that it cannot be read (a shortcut to a file that is not there, a folder)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        what = "a shortcut (symlink) to a file that is not there" if path.is_symlink() else error.strerror or "error"
        return None, [
            Problem(
                name,
                0,
                f"the file cannot be read ({what.lower()}) [unreadable] — put the real file here (`git checkout -- {name}` restores it)",
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [
            Problem(
                name,
                line,
                f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} at byte {error.start}) [encoding] — save it as UTF-8 in your editor",
            )
        ]
    return text.removeprefix("\ufeff"), []


def load(path: Path, name: str) -> tuple[Any, Lines, list[Problem]]:
    """Read and parse a YAML file."""
    text, problems = read_text(path, name)
    if text is None:
        return None, {}, problems
    return parse(text, name)


def line_of(lines: Lines, path: tuple) -> int:
    """The line of a path, or of its nearest parent that has one."""
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def validate(data: Any, schema: dict, name: str, lines: Lines) -> list[Problem]:
    """Every schema violation as a Problem naming the key path, the rule and the fix.

    jsonschema-rs validates (Draft 2020-12): it lists every violation, with the key path of the
    value and the schema path of the rule; a rule's `description` is the fix."""
    problems = []
    validator = _validator(schema)
    for error in validator.iter_errors(data):  # every key is a text (the walk keeps keys as written)
        path = tuple(error.instance_path)
        where = ".".join(str(p) for p in path) or "the file"
        rule = _schema_at(schema, error.schema_path[:-1])  # the schema holding the failed keyword
        hint = rule.get("description", "")
        kind = error.kind
        if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
            missing = kind.property
            prop = rule.get("properties", {}).get(missing, {})
            message = f"{where} lacks `{missing}`"
            hint = prop.get("description", "")
        elif isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
            extra = list(kind.unexpected)
            path = (*path, extra[0])  # the line of the unknown key itself
            message = f"{where + ': ' if error.instance_path else ''}unknown key `{_visible(extra[0])}`" + (
                f" (and {', '.join(map(_visible, extra[1:]))})" if extra[1:] else ""
            )
            hint = (
                "remove it or correct its spelling; the allowed keys are " + ", ".join(sorted(rule["properties"]))
                if rule.get("properties")
                else f"remove it or correct its spelling; {rule.get('description', 'see CONTRIBUTING.md')}"
            )
        elif not path and error.instance is None:  # nothing but comments, or nothing at all
            message = "the file is empty"
            hint = (hint + "; " if hint else "") + f"restore it from git (`git checkout -- {name}`) if it was emptied"
        else:
            message = f"{where}: {error.message}"
            if isinstance(error.instance, bool):  # `languages: [no]`: "false is not of type string"
                message += ' (YAML reads yes, no, on and off as true or false: put a text in quotes, like "no")'
        fix = f" — {hint}" if hint else ""
        problems.append(Problem(name, line_of(lines, path), message + fix, "schema"))
    return problems


_VALIDATORS: dict[int, tuple[dict, Any]] = {}  # id of a schema -> the schema and its compiled validator


def _validator(schema: dict) -> Any:
    """The compiled validator of a schema, compiled once: most schemas validate many files (one per page)."""
    known = _VALIDATORS.get(id(schema))
    if known is None or known[0] is not schema:  # the schema itself is kept, so its id is not reused
        known = _VALIDATORS[id(schema)] = (schema, jsonschema_rs.Draft202012Validator(schema))
    return known[1]


def _visible(text: str) -> str:
    """A key with its invisible characters written out: `da\\u200by`, not a `day` the schema says it lacks."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def _schema_at(schema: dict, path: list) -> dict:
    """The part of a schema at a schema path (`["properties", "sets", "items"]`)."""
    for key in path:
        schema = schema[key]
    return schema
