"""Reading the UN SDG framework from the YAML files shipped in ssn4psi/data/sdg/ (pure: no ORM).

The files key titles as "16-title" (goal), "16-6-title" (target) and "16-6-1-title" (indicator); codes
are returned with dots ("16.6.1"), as the catalogue format writes them.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data" / "sdg"
#: Languages whose titles are loaded into the database (English first: it is the fallback).
LANGUAGES = ("en", "fr", "es", "ar", "ru", "sw", "zh-Hans")
CODE = re.compile(r"^(?P<goal>[1-9]|1[0-7])(?:\.(?P<target>[0-9]{1,2}|[a-z]))?$")


@dataclass
class Entry:
    """A goal, target or indicator: its dotted code and its titles by language."""

    code: str
    titles: dict = field(default_factory=dict)
    short_titles: dict = field(default_factory=dict)


def sort_key(code):
    """Order codes as the UN does: 1.1 < 1.2 < 1.10 < 1.a < 2.1."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.split("."))


def parse_code(text):
    """Return (goal number, target code or None) for "16" or "16.6"; raise ValueError otherwise."""
    match = CODE.match(str(text).strip())
    if not match:
        raise ValueError(f'{text!r} is not an SDG goal ("16") or target ("16.6")')
    goal = int(match["goal"])
    return goal, (f"{goal}.{match['target']}" if match["target"] else None)


def read_framework(data_dir=DATA_DIR, languages=LANGUAGES):
    """Return {"goals": [...], "targets": [...], "indicators": [...]} as lists of Entry, sorted."""
    levels = {"goals": {}, "targets": {}, "indicators": {}}
    for language in languages:
        for level, entries in levels.items():
            path = Path(data_dir) / language / f"global_{level}.yml"
            if not path.exists():
                continue
            for key, text in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
                code, _sep, kind = key.rpartition("-")
                code = code.replace("-", ".")
                entry = entries.setdefault(code, Entry(code))
                # Some files write accents as combining characters: store the composed (NFC) form.
                text = unicodedata.normalize("NFC", " ".join(str(text).split()))
                if kind == "title":
                    entry.titles[language] = text
                elif kind == "short":
                    entry.short_titles[language] = text
    return {level: sorted(entries.values(), key=lambda e: sort_key(e.code)) for level, entries in levels.items()}
