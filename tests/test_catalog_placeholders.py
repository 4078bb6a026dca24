"""Every catalog text can be formatted with what its callers pass, in every language.

The callers are found in the code itself (Python calls of i18n.t / say and the templates' t(...)),
so a text or a caller added later is checked without editing this test. A text that names a
placeholder some caller does not give fails: that was the "I don't know" crash of issue 12
(conversation.dont_know.<field> formatted without {ukr_reference_day}).
"""

from __future__ import annotations

import ast
import datetime
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Optional, Set, Tuple

import pytest
import yaml

from bot import i18n
from bot.routing import Situation, text_constants
from bot.routing.engine import _text_params, load_rules

ROOT = Path(__file__).resolve().parents[1]
CODE_DIRS = ("bot", "actions", "connectors")
#: calls that add the rules' constants themselves (bot/conversation/text.say, the pages' translator)
SAYERS = {"say"}
ANY = "*"


@dataclass(frozen=True)
class Caller:
    where: str
    pattern: "re.Pattern[str]"
    gives: frozenset  # placeholder names the call passes; ANY when it passes a mapping we cannot see


def _key_pattern(node: ast.AST) -> Optional[str]:
    """The key as a regular expression: a literal, an f-string or literal + expression."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.escape(node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(
            re.escape(part.value) if isinstance(part, ast.Constant) else r"[^.]+(?:\.[^.]+)?" for part in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _key_pattern(node.left), _key_pattern(node.right)
        return (left or ".+") + (right or ".+") if (left or right) else None
    return None


def _gives(call: ast.Call, adds_constants: bool) -> frozenset:
    names: Set[str] = set(text_constants()) if adds_constants else set()
    for keyword in call.keywords:
        if keyword.arg is not None:
            names.add(keyword.arg)
            continue
        value = keyword.value
        if isinstance(value, ast.Call) and getattr(value.func, "id", getattr(value.func, "attr", "")) == "text_constants":
            names |= set(text_constants())
        elif isinstance(value, ast.Dict):
            for key, inner in zip(value.keys, value.values):
                if (
                    key is None
                    and isinstance(inner, ast.Call)
                    and getattr(inner.func, "id", getattr(inner.func, "attr", "")) == "text_constants"
                ):
                    names |= set(text_constants())
                elif isinstance(key, ast.Constant):
                    names.add(key.value)
                else:
                    return frozenset({ANY})
        else:
            return frozenset({ANY})
    return frozenset(names)


def python_callers() -> Iterator[Caller]:
    for folder in CODE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "attr", getattr(node.func, "id", None))
                if name not in ("t", "say"):
                    continue
                pattern = _key_pattern(node.args[0])
                if pattern is None:
                    continue
                yield Caller(
                    f"{path.relative_to(ROOT)}:{node.lineno}",
                    re.compile(pattern),
                    _gives(node, adds_constants=name in SAYERS),
                )


TEMPLATE_CALL = re.compile(r"""\bt\(\s*['"]([^'"]+)['"]\s*((?:,\s*\w+\s*=[^,)]+)*)\s*\)""")


def template_callers() -> Iterator[Caller]:
    for path in sorted((ROOT / "bot").rglob("*.html")):
        for match in TEMPLATE_CALL.finditer(path.read_text(encoding="utf-8")):
            given = set(re.findall(r"(\w+)\s*=", match.group(2))) | set(text_constants())
            yield Caller(f"{path.relative_to(ROOT)}", re.compile(re.escape(match.group(1))), frozenset(given))


def engine_callers() -> Iterator[Caller]:
    """Steps and warnings named in rules.yml get the engine's text parameters; link labels none."""
    params = frozenset(_text_params(Situation(), {}, datetime.date(2026, 11, 23), load_rules()))
    book = load_rules()
    keys: Set[str] = set()
    for block in book.blocks:
        for rule in block.rules:
            for case in rule.cases:
                keys |= set(case.steps) | set(case.warnings)
    for key in sorted(keys):
        yield Caller("bot/routing/rules.yml", re.compile(re.escape(key)), params)
    yield Caller("bot/routing/engine.py (warning.unconfirmed)", re.compile(r"warning\.unconfirmed"), frozenset({"title"}))


CALLERS: List[Caller] = list(python_callers()) + list(template_callers()) + list(engine_callers())


def texts(language: str) -> Iterator[Tuple[str, str]]:
    """(key, text) of every string in a catalog."""

    def walk(node, prefix: str):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, f"{prefix}.{key}" if prefix else str(key))
        elif isinstance(node, str):
            yield prefix, node

    path = i18n.CATALOG_DIR / f"{language}.yml"
    yield from walk(yaml.safe_load(path.read_text(encoding="utf-8")), "")


def placeholders(text: str) -> Set[str]:
    names = set()
    for _, field, _, _ in string.Formatter().parse(text):
        if field is not None:
            names.add(re.split(r"[.\[]", field)[0])
    return names


def test_the_callers_are_found():
    # guards against a parser that silently finds nothing and so checks nothing
    assert len([c for c in CALLERS if c.where.endswith(".py") or ".py:" in c.where]) > 80
    assert any(c.pattern.fullmatch("conversation.dont_know.ukr_status_on_2025_06_04") for c in CALLERS)


@pytest.mark.parametrize("language", i18n.SUPPORTED_LANGUAGES)
def test_every_text_formats_with_what_every_caller_gives(language):
    failures = []
    checked = 0
    for key, text in texts(language):
        needed = placeholders(text)
        for caller in CALLERS:
            if not caller.pattern.fullmatch(key) or ANY in caller.gives:
                continue
            checked += 1
            lacking = needed - caller.gives
            if lacking:
                failures.append(f"{language}:{key} needs {sorted(lacking)}, {caller.where} gives none of them")
                continue
            # and it really formats (no stray brace, no positional field)
            values = {name: datetime.date(2026, 6, 4) if "day" in name or "date" in name else "x" for name in caller.gives}
            try:
                i18n.t(key, language, **values)
            except (KeyError, IndexError, ValueError) as error:
                failures.append(f"{language}:{key} does not format: {error!r}")
    assert checked > 200
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("language", [lang for lang in i18n.SUPPORTED_LANGUAGES if lang != "en"])
def test_a_translation_asks_for_no_placeholder_the_english_text_lacks(language):
    english = dict(texts("en"))
    extra = [
        f"{key}: {sorted(placeholders(text) - placeholders(english[key]))}"
        for key, text in texts(language)
        if key in english and placeholders(text) - placeholders(english[key])
    ]
    assert not extra, "\n".join(extra)
