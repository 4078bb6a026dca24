"""Message catalogs: every text a user sees, one YAML file per language.

Catalogs are flat-ish YAML (`section: {key: text}`), looked up as "section.key". Texts use
str.format fields; dates are formatted for the language by Babel. A key missing in one language
falls back to English, so a new language can be added a file at a time.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List

import yaml
from babel.dates import format_date

CATALOG_DIR = Path(__file__).parent
DEFAULT_LANGUAGE = "en"
SUPPORTED_LANGUAGES = ("en", "pl", "uk", "ru")


@lru_cache(maxsize=None)
def catalog(language: str) -> Dict[str, Any]:
    path = CATALOG_DIR / f"{language}.yml"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def available_languages() -> List[str]:
    return [lang for lang in SUPPORTED_LANGUAGES if (CATALOG_DIR / f"{lang}.yml").exists()]


def normalise_language(language: Any) -> str:
    """A supported language code; its texts may still fall back to English key by key."""
    code = str(language or "").strip().lower()[:2]
    return code if code in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def _lookup(language: str, key: str) -> Any:
    node: Any = catalog(language)
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def has(key: str, language: str = DEFAULT_LANGUAGE) -> bool:
    return _lookup(normalise_language(language), key) is not None or _lookup(DEFAULT_LANGUAGE, key) is not None


def _entry(key: str, language: str) -> tuple:
    """(entry, the language it is written in), falling back to English."""
    language = normalise_language(language)
    value = _lookup(language, key)
    if value is not None:
        return value, language
    value = _lookup(DEFAULT_LANGUAGE, key)
    if value is None:
        raise KeyError(f"no text for {key!r}")
    return value, DEFAULT_LANGUAGE


def raw(key: str, language: str = DEFAULT_LANGUAGE) -> Any:
    """The catalog entry (a string, list or mapping), falling back to English."""
    return _entry(key, language)[0]


def format_value(value: Any, language: str) -> Any:
    if isinstance(value, datetime.date):
        return _long_date(value, normalise_language(language))
    return value


@lru_cache(maxsize=4096)
def _long_date(value: datetime.date, language: str) -> str:
    # Babel parses the locale again on every call: 6 % of the action server's time (bench/PROFILE.md)
    return format_date(value, format="long", locale=language)


def t(key: str, language: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The text for `key` in `language`, with {fields} filled in."""
    text, written_in = _entry(key, language)
    if not isinstance(text, str):
        raise KeyError(f"{key!r} is not a text")
    # dates follow the sentence's language, also when the sentence fell back to English
    formatted = {name: format_value(value, written_in) for name, value in params.items()}
    return text.format(**formatted)
