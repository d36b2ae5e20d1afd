"""The schema of each data file, shared by the MkDocs hooks and the `terrain` CLI.

Each `description` is the fix a writer reads when the value is wrong or missing.
"""
from __future__ import annotations

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MODULE_SLUG = r"^[0-9]{2}-[a-z0-9]+(-[a-z0-9]+)*$"

MODULE = {
    "type": "object",
    "required": ["order", "day", "duration", "worksheets", "readings"],
    "additionalProperties": False,
    "properties": {
        "order": {"type": "integer", "minimum": 1, "description": "write the module's position as a whole number, like `order: 3`"},
        "day": {"type": "integer", "minimum": 1, "maximum": 3, "description": "write the workshop day the module is taught, 1, 2 or 3, like `day: 2`"},
        "duration": {"type": "integer", "minimum": 15, "maximum": 480, "description": "write the module's length in minutes, a whole number like `duration: 90`"},
        "worksheets": {
            "type": "array", "uniqueItems": True,
            "items": {"type": "string", "pattern": SLUG, "description": "name a worksheet by its folder under worksheets/, like `stakeholder-map`"},
            "description": "list the worksheets by folder name, like `worksheets: [stakeholder-map]`, or write `worksheets: []`",
        },
        "readings": {
            "type": "array", "uniqueItems": True, "minItems": 1,
            "items": {"type": "string", "pattern": SLUG, "description": "name a reading by its id in data/readings.yml"},
            "description": "list at least one reading id from data/readings.yml, like `readings: [levin-2020-summary-guide]`",
        },
        "prerequisites": {
            "type": "array", "uniqueItems": True,
            "items": {"type": "string", "pattern": MODULE_SLUG, "description": "name an earlier module by its folder, like `01-understanding-asm`"},
            "description": "list earlier modules by folder name, or write `prerequisites: []`",
        },
    },
}

WORKSHEET = {
    "type": "object",
    "required": ["orientation", "pages", "duration"],
    "additionalProperties": False,
    "properties": {
        "orientation": {"enum": ["portrait", "landscape"], "description": "write `orientation: portrait` or `orientation: landscape`"},
        "paper": {"enum": ["A4"], "description": "Terrain prints on A4: write `paper: A4` or leave it out"},
        "pages": {"type": "integer", "minimum": 1, "maximum": 4, "description": "write how many A4 pages the participant sheet prints on, 1 to 4"},
        "duration": {"type": "integer", "minimum": 5, "maximum": 240, "description": "write the minutes a group needs, like `duration: 45`"},
    },
}

_TEXT_BY_LANGUAGE = {
    "type": "object",
    "patternProperties": {"^[a-z]{2,3}$": {"type": "string", "minLength": 1}},
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
            "id": {"type": "string", "pattern": SLUG, "description": "an id in lower case with hyphens, like `igf-2017-guidance-governments`"},
            "authors": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 2}, "description": "list the authors or organisations, like `authors: [World Bank]`"},
            "year": {"type": "integer", "minimum": 1900, "maximum": 2100, "description": "write a four-digit year like `year: 2019`, or leave the key out when the work has none"},
            "title": {"type": "string", "minLength": 3, "description": "write the work's title as it is published"},
            "publisher": {"type": "string", "minLength": 2, "description": "name the publishing organisation"},
            "url": {"type": "string", "pattern": r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", "description": "write a full web address starting with https://"},
            "http": {"type": "string", "minLength": 10, "description": "say why the address stays http://, like `http: the address the guide gives; no https:// address checked`"},
            "language": {"type": "string", "pattern": "^[a-z]{2}$", "description": "write the two-letter code of the work's language, like `language: en`"},
            "type": {"enum": ["report", "guide", "handbook", "manual", "toolkit", "article", "website", "database", "book", "case-studies"], "description": "use one of report, guide, handbook, manual, toolkit, article, website, database, book, case-studies"},
            "note": _TEXT_BY_LANGUAGE,
        },
    },
}

_GLOSSARY_LANG = {
    "type": "object",
    "required": ["term", "definition"],
    "additionalProperties": False,
    "properties": {
        "term": {"type": "string", "minLength": 1, "description": "write the term as it appears in this language's text"},
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
        "properties": {"id": {"type": "string", "pattern": SLUG, "description": "an id in lower case with hyphens, like `asm`"}},
        "patternProperties": {"^(?!id$)[a-z]{2,3}$": _GLOSSARY_LANG},
        "additionalProperties": False,
    },
}

PAGE_META = {
    "type": "object",
    "required": ["title", "summary"],
    "properties": {
        "title": {"type": "string", "minLength": 2, "description": "give the page a `title:` in its front matter"},
        "summary": {"type": "string", "minLength": 10, "description": "give the page a one-sentence `summary:` in its front matter"},
        "translation": {
            "type": "object",
            "required": ["status"],
            "additionalProperties": False,
            "properties": {
                "source_hash": {"type": "string", "pattern": "^[0-9a-f]{12}$", "description": "run `terrain i18n mark LANG PATH` to record it; do not type it"},
                "status": {"enum": ["draft", "current"], "description": "write `status: draft` while translating, `status: current` when done (or run `terrain i18n mark`)"},
                "translator": {"type": "string"},
            },
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
            "id": {"type": "string", "pattern": SLUG, "description": "name the decision in lower case with hyphens, like `cantonnement`"},
            "en": {"type": "string", "minLength": 1, "description": "write the English term the decision translates"},
            "preferred": {"type": "string", "minLength": 1, "description": "write the term to use, like `preferred: cantonnement`"},
            "forbidden": {
                "type": "array",
                "items": {"type": "string", "minLength": 2, "description": "write a word or phrase, or a regular expression between slashes, like `/tableaux? de papier/`"},
                "description": "list the variants never to write, like `forbidden: [confinement]`, or write `forbidden: []`",
            },
            "glossary": {"type": "string", "pattern": SLUG, "description": "name the data/glossary.yml entry whose term this is, by its id"},
            "why": {"type": "string", "minLength": 3, "description": "say in a sentence why this term was chosen"},
            "scope": {"type": "string", "minLength": 3, "description": "say where the decision applies and what stays allowed"},
        },
    },
}
