"""The schema of each data file, shared by the MkDocs hooks and the `terrain` CLI.

Each `description` is the fix a writer reads when the value is wrong or missing. The typed
dicts at the end are the same data as Python sees it once loaded (terrain/project.py).
"""

from __future__ import annotations

from typing import Any, Required, TypedDict, cast

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MODULE_SLUG = r"^[0-9]{2}-[a-z0-9]+(-[a-z0-9]+)*$"
# control characters (NUL, NEL…), zero-width and direction marks: a web address pasted with one looks
# right and leads nowhere, and NUL reached the page's HTML; \s differs between Python and ECMA, these do not
_INVISIBLE = r"\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"

MODULE = {
    "type": "object",
    "required": ["order", "day", "duration", "worksheets", "readings"],
    "additionalProperties": False,
    "properties": {
        "order": {
            "type": "integer",
            "minimum": 1,
            "description": "write the module's position as a whole number, like `order: 3`",
        },
        "day": {
            "type": "integer",
            "minimum": 1,
            "maximum": 3,
            "description": "write the workshop day the module is taught, 1, 2 or 3, like `day: 2`",
        },
        "duration": {
            "type": "integer",
            "minimum": 15,
            "maximum": 480,
            "description": "write the module's length in minutes, a whole number like `duration: 90`",
        },
        "worksheets": {
            "type": "array",
            "uniqueItems": True,
            "items": {
                "type": "string",
                "pattern": SLUG,
                "description": "name a worksheet by its folder under worksheets/, like `stakeholder-map`",
            },
            "description": "list the worksheets by folder name, like `worksheets: [stakeholder-map]`, or write `worksheets: []`",
        },
        "readings": {
            "type": "array",
            "uniqueItems": True,
            "minItems": 1,
            "items": {
                "type": "string",
                "pattern": SLUG,
                "description": "name a reading by its id in data/readings.yml",
            },
            "description": "list at least one reading id from data/readings.yml, like `readings: [levin-2020-summary-guide]`",
        },
        "prerequisites": {
            "type": "array",
            "uniqueItems": True,
            "items": {
                "type": "string",
                "pattern": MODULE_SLUG,
                "description": "name an earlier module by its folder, like `01-understanding-asm`",
            },
            "description": "list earlier modules by folder name, or write `prerequisites: []`",
        },
        "materials": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["activity", "item", "per", "count"],
                "additionalProperties": False,
                "properties": {
                    "activity": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": 9,
                        "description": "the number of the activity that uses it, like `activity: 1`",
                    },
                    "item": {
                        "type": "string",
                        "pattern": SLUG,
                        "description": "an item id from data/materials.yml, like `rope`",
                    },
                    "per": {
                        "enum": ["participant", "group", "facilitator"],
                        "description": "write `per: participant`, `per: group` or `per: facilitator` (one for the whole room)",
                    },
                    "count": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": 500,
                        "description": "how many of the item each participant, group or facilitator needs, like `count: 2`",
                    },
                },
                "description": "write each object as `{activity: 1, item: rope, per: group, count: 1}`",
            },
            "description": "list the objects the activities need, like `materials: [{activity: 1, item: rope, per: group, count: 1}]`",
        },
    },
}

LANGUAGE_CODE = "^[a-z]{2,3}(-[A-Z]{2})?$"  # a key per language: `en`, `fr`, `pt-MZ`
_SLOT_TEXT = {  # a programme slot's text; English required, and it may be empty (lunch's `what:`)
    "type": "object",
    "required": ["en"],
    "patternProperties": {LANGUAGE_CODE: {"type": "string"}},
    "additionalProperties": False,
    "description": "give the text per language code, like `{en: Break, fr: Pause}`",
}

_CLOCK = {
    "type": "string",
    "pattern": r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$",
    "description": 'write the time in quotes, like `"08:30"`',
}

PROGRAMME = {
    "type": "object",
    "required": ["slots", "days"],
    "additionalProperties": False,
    "properties": {
        "slack": {
            "type": "integer",
            "minimum": 0,
            "maximum": 120,
            "description": "the minutes each day keeps free before its end, like `slack: 15`",
        },
        "slots": {
            "type": "object",
            "propertyNames": {"pattern": SLUG},
            "additionalProperties": {
                "type": "object",
                "required": ["kind", "minutes", "label"],
                "additionalProperties": False,
                "properties": {
                    "kind": {
                        "enum": [
                            "opening",
                            "recap",
                            "check",
                            "break",
                            "lunch",
                            "energiser",
                            "close",
                            "commitments",
                            "evaluation",
                        ],
                        "description": "one of opening, recap, check, break, lunch, energiser, close, commitments, evaluation",
                    },
                    "minutes": {
                        "type": "integer",
                        "minimum": 5,
                        "maximum": 180,
                        "description": "the slot's length in whole minutes, like `minutes: 15`",
                    },
                    "worksheets": {
                        "type": "array",
                        "items": {"type": "string", "pattern": SLUG},
                        "description": "worksheets the slot prints, by folder name, like `worksheets: [daily-feedback]`",
                    },
                    "materials": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["item", "per", "count"],
                            "additionalProperties": False,
                            "properties": {
                                "item": {
                                    "type": "string",
                                    "pattern": SLUG,
                                    "description": "an item id from data/materials.yml, like `blank-card`",
                                },
                                "per": {
                                    "enum": ["participant", "group", "facilitator"],
                                    "description": "write `per: participant`, `per: group` or `per: facilitator`",
                                },
                                "count": {
                                    "type": "integer",
                                    "minimum": 1,
                                    "maximum": 500,
                                    "description": "how many each participant, group or facilitator needs",
                                },
                            },
                        },
                        "description": "objects the slot needs, like `materials: [{item: blank-card, per: participant, count: 2}]`",
                    },
                    "label": {  # shown as the agenda's row: never empty
                        **_SLOT_TEXT,
                        "patternProperties": {LANGUAGE_CODE: {"type": "string", "minLength": 1}},
                    },
                    "what": _SLOT_TEXT,
                },
            },
            "description": "define each slot that is not a module under its id, with kind, minutes and label",
        },
        "days": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["day", "start", "end", "sequence"],
                "additionalProperties": False,
                "properties": {
                    "day": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": 9,
                        "description": "the day's number, like `day: 1`",
                    },
                    "start": _CLOCK,
                    "end": _CLOCK,
                    "sequence": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "string",
                            "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*(:[0-9]{1,2}-[0-9]{1,2})?$",
                            "description": "name a module by its folder, a part of it by its session plan steps (`01-understanding-asm:1-3`), or a slot by its id",
                        },
                        "description": "list the day's modules (folder names) and slot ids, in order",
                    },
                },
            },
            "description": "list the days, each with `day`, `start`, `end` and `sequence`",
        },
    },
}

MATERIALS = {
    "type": "array",
    "description": "data/materials.yml is a list of objects, each starting with `- id: …`",
    "items": {
        "type": "object",
        "required": ["id", "use", "en"],
        "properties": {
            "id": {"type": "string", "pattern": SLUG, "description": "an id in lower case with hyphens, like `rope`"},
            "use": {
                "enum": ["consumable", "reusable"],
                "description": "`use: consumable` when an activity uses it up (paper, cards), `use: reusable` when the next activity can use it again (beans, bowls, rope)",
            },
        },
        "patternProperties": {
            "^(?!id$)[a-z]{2,3}(-[A-Z]{2})?$": {
                "type": "string",
                "minLength": 2,
                "description": "the object's name in this language",
            }
        },
        "additionalProperties": False,
    },
}

WORKSHEET = {
    "type": "object",
    "required": ["orientation", "pages", "duration", "copies"],
    "additionalProperties": False,
    "properties": {
        "orientation": {
            "enum": ["portrait", "landscape"],
            "description": "write `orientation: portrait` or `orientation: landscape`",
        },
        "paper": {"enum": ["A4"], "description": "Terrain prints on A4: write `paper: A4` or leave it out"},
        "pages": {
            "type": "integer",
            "minimum": 1,
            "maximum": 4,
            "description": "write how many A4 pages the participant sheet prints on, 1 to 4",
        },
        "duration": {
            "type": "integer",
            "minimum": 5,
            "maximum": 240,
            "description": "write the minutes a group needs, like `duration: 45`",
        },
        "per_page": {
            "type": "integer",
            "minimum": 1,
            "maximum": 4,
            "description": "write how many copies of the sheet fit on one A4 page, to cut apart, like `per_page: 3` (leave it out for one)",
        },
        "copies": {
            "enum": ["participant", "group", "facilitator"],
            "description": "say who gets a printed copy: `copies: participant` (one each), `copies: group` (one per group) or `copies: facilitator` (one for the team)",
        },
    },
}

_TEXT_BY_LANGUAGE = {
    "type": "object",
    "patternProperties": {"^[a-z]{2,3}(-[A-Z]{2})?$": {"type": "string", "minLength": 1}},
    "additionalProperties": False,
    "description": "give one sentence per language code, like `en: …` and `fr: …`",
}

READINGS = {
    "type": "array",
    "description": "data/readings.yml is a list of readings, each starting with `- id: …`",
    "items": {
        "type": "object",
        "required": ["id", "authors", "title", "language", "type"],
        "additionalProperties": False,
        "properties": {
            "id": {
                "type": "string",
                "pattern": SLUG,
                "description": "an id in lower case with hyphens, like `igf-2017-guidance-governments`",
            },
            "authors": {
                "type": "array",
                "minItems": 1,
                "items": {"type": "string", "minLength": 2},
                "description": "list the authors or organisations, like `authors: [World Bank]`",
            },
            "year": {
                "type": "integer",
                "minimum": 1900,
                "maximum": 2100,
                "description": "write a four-digit year like `year: 2019`, or leave the key out when the work has none",
            },
            "title": {"type": "string", "minLength": 3, "description": "write the work's title as it is published"},
            "publisher": {"type": "string", "minLength": 2, "description": "name the publishing organisation"},
            "url": {
                "type": "string",
                "pattern": rf"^https?://[^\s/$.?#{_INVISIBLE}][^\s{_INVISIBLE}]*\.[^\s{_INVISIBLE}]+$",
                "description": "write a full web address starting with https://",
            },
            "http": {
                "type": "string",
                "minLength": 10,
                "description": "say why the address stays http://, like `http: the address the guide gives; no https:// address checked`",
            },
            "language": {
                "type": "string",
                "pattern": "^[a-z]{2}$",
                "description": "write the two-letter code of the work's language, like `language: en`",
            },
            "type": {
                "enum": [
                    "report",
                    "guide",
                    "handbook",
                    "manual",
                    "toolkit",
                    "article",
                    "website",
                    "database",
                    "book",
                    "case-studies",
                ],
                "description": "use one of report, guide, handbook, manual, toolkit, article, website, database, book, case-studies",
            },
            "note": _TEXT_BY_LANGUAGE,
        },
    },
}

_GLOSSARY_LANG = {
    "type": "object",
    "required": ["term", "definition"],
    "additionalProperties": False,
    "properties": {
        "term": {
            "type": "string",
            "minLength": 1,
            "description": "write the term as it appears in this language's text",
        },
        "expansion": {"type": "string", "minLength": 2, "description": "spell out the acronym in this language"},
        "definition": {"type": "string", "minLength": 10, "description": "define the term in one or two sentences"},
    },
    "description": "give the term, and its definition, in this language",
}

GLOSSARY = {
    "type": "array",
    "description": "data/glossary.yml is a list of terms, each starting with `- id: …`",
    "items": {
        "type": "object",
        "required": ["id", "en"],
        "properties": {
            "id": {"type": "string", "pattern": SLUG, "description": "an id in lower case with hyphens, like `asm`"}
        },
        "patternProperties": {"^(?!id$)[a-z]{2,3}(-[A-Z]{2})?$": _GLOSSARY_LANG},
        "additionalProperties": False,
    },
}

PAGE_META = {
    "type": "object",
    "required": ["title", "summary"],
    # no other key: MkDocs and Material read some (`template:` loads a file of the theme, `hide: 5`,
    # `search: 5`, `icon: ../x` crashed the build), and the curriculum needs none
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": 2, "description": "give the page a `title:` in its front matter"},
        "summary": {
            "type": "string",
            "minLength": 10,
            "description": "give the page a one-sentence `summary:` in its front matter",
        },
        "translation": {
            "type": "object",
            "required": ["status"],
            "additionalProperties": False,
            "properties": {
                "source_hash": {
                    "type": "string",
                    "pattern": "^[0-9a-f]{12}$",
                    "description": "run `terrain i18n mark LANG PATH` to record it; do not type it",
                },
                "status": {
                    "enum": ["draft", "current"],
                    "description": "write `status: draft` while translating, `status: current` when done (or run `terrain i18n mark`)",
                },
                "translator": {"type": "string"},
            },
        },
    },
}

_LABEL_BY_LANGUAGE = {
    "type": "object",
    "minProperties": 1,
    "patternProperties": {LANGUAGE_CODE: {"type": "string", "minLength": 1}},
    "additionalProperties": False,
    "description": "give the text per language code, like `{en: Mercury, fr: Mercure}`",
}
PICTOGRAM = r"^([a-z0-9]+(-[a-z0-9]+)*:[a-z0-9]+(-[a-z0-9]+)*|[A-Za-z0-9_][A-Za-z0-9_./-]*\.(svg|png|SVG|PNG))$"

CARDS = {
    "type": "object",
    "required": ["sets"],
    "additionalProperties": False,
    "description": "cards.yml starts with `sets:`, a list of card sets",
    "properties": {
        "sets": {
            "type": "array",
            "minItems": 1,
            "description": "list the card sets, each starting with `- id: …`",
            "items": {
                "type": "object",
                "required": ["id", "activity", "per", "title", "cards"],
                "additionalProperties": False,
                "properties": {
                    "id": {
                        "type": "string",
                        "pattern": SLUG,
                        "description": "an id in lower case with hyphens, like `impacts`",
                    },
                    "activity": {
                        "type": "integer",
                        "minimum": 1,
                        "description": "write the number N of the `### Activity N —` that uses the set, like `activity: 1`",
                    },
                    "per": {
                        "enum": ["group", "participant", "facilitator"],
                        "description": "write how many sets to print: `per: group`, `per: participant` or `per: facilitator`",
                    },
                    "title": _LABEL_BY_LANGUAGE,
                    "cards": {
                        "type": "array",
                        "minItems": 1,
                        "description": "list the cards, each starting with `- id: …`",
                        "items": {
                            "type": "object",
                            "required": ["id", "pictogram", "label"],
                            "additionalProperties": False,
                            "properties": {
                                "id": {
                                    "type": "string",
                                    "pattern": SLUG,
                                    "description": "an id in lower case with hyphens, like `mercury`",
                                },
                                "pictogram": {
                                    "type": "string",
                                    "pattern": PICTOGRAM,
                                    "description": "name an icon as `set:name`, like `healthicons:woman`, or a picture next to the module, like `pictures/woman.svg`",
                                },
                                "label": _LABEL_BY_LANGUAGE,
                                "story": _LABEL_BY_LANGUAGE,
                            },
                        },
                    },
                },
            },
        },
    },
}

_PICTOGRAM_ENTRY = {
    "type": "object",
    "required": ["icon", "label"],
    "additionalProperties": False,
    "properties": {
        "icon": {
            "type": "string",
            "pattern": PICTOGRAM,
            "description": "name an icon as `set:name`, like `healthicons:woman`",
        },
        "label": _LABEL_BY_LANGUAGE,
    },
}

PICTOGRAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "symbols": {
            "type": "object",
            "additionalProperties": _PICTOGRAM_ENTRY,
            "description": "map each form symbol to `{icon: …, label: {en: …}}`",
        },
        "worksheets": {
            "type": "object",
            "additionalProperties": {"type": "object", "additionalProperties": _PICTOGRAM_ENTRY},
            "description": "under a worksheet's folder name, map a symbol that means something else on that form",
        },
    },
}

TERMBASE = {
    "type": "array",
    "description": "data/terms/LANG.yml is a list of decisions, each starting with `- id: …` (write `[]` for none yet)",
    "items": {
        "type": "object",
        "required": ["id", "preferred", "forbidden"],
        "additionalProperties": False,
        "properties": {
            "id": {
                "type": "string",
                "pattern": SLUG,
                "description": "name the decision in lower case with hyphens, like `cantonnement`",
            },
            "en": {"type": "string", "minLength": 1, "description": "write the English term the decision translates"},
            "preferred": {
                "type": "string",
                "minLength": 1,
                "description": "write the term to use, like `preferred: cantonnement`",
            },
            "forbidden": {
                "type": "array",
                "items": {
                    "type": "string",
                    "minLength": 2,
                    "description": "write a word or phrase, or a regular expression between slashes, like `/tableaux? de papier/`",
                },
                "description": "list the variants never to write, like `forbidden: [confinement]`, or write `forbidden: []`",
            },
            "glossary": {
                "type": "string",
                "pattern": SLUG,
                "description": "name the data/glossary.yml entry whose term this is, by its id",
            },
            "why": {"type": "string", "minLength": 3, "description": "say in a sentence why this term was chosen"},
            "scope": {
                "type": "string",
                "minLength": 3,
                "description": "say where the decision applies and what stays allowed",
            },
        },
    },
}


# ---- the loaded data, typed as the schemas above validate it ----------------------------------
# Project.load keeps an entry whose id is readable even when another of its values is wrong (the
# problem is reported and stops every build), so the checks still read values defensively.


class Translation(TypedDict, total=False):
    """The `translation:` block of a translated page's front matter (PAGE_META); empty on a page
    that has none (the schema requires `status` only in a block that is there)."""

    status: str  # "draft" or "current"
    source_hash: str  # body_hash of the default-language page it was made from
    translator: str


class Reading(TypedDict, total=False):
    """An entry of data/readings.yml (READINGS), or of a country's readings.yml."""

    id: Required[str]
    authors: Required[list[str]]
    title: Required[str]
    language: Required[str]  # the work's language, a two-letter code
    type: Required[str]
    year: int
    publisher: str
    url: str
    http: str  # why the address stays http://
    note: dict[str, str]  # one sentence per language code
    _line: int  # the line of its `id:`, added by the loader


class GlossaryTerm(TypedDict, total=False):
    """One language's block of a glossary entry (_GLOSSARY_LANG)."""

    term: Required[str]
    definition: Required[str]
    expansion: str


# An entry of data/glossary.yml (GLOSSARY): `id`, `_line` (the line of its `id:`, added by the
# loader) and a GlossaryTerm under each language code. Its keys are language codes, which a
# TypedDict cannot name: read a language's block with `glossary_term`.
GlossaryEntry = dict[str, Any]


def glossary_term(entry: GlossaryEntry, lang: str) -> GlossaryTerm | None:
    """The block of `lang` of a glossary entry, or None when it has none."""
    block = entry.get(lang)
    return cast(GlossaryTerm, block) if isinstance(block, dict) else None
