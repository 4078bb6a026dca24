"""The shape of the code (issue 13): a Rasa-free conversation core, thin actions, short functions."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("bot", "actions", "connectors", "tools")
MAX_FUNCTION_LINES = 60
MAX_ACTIONS_LINES = 400


def _modules(folder: str):
    return sorted((ROOT / folder).rglob("*.py"))


def _functions():
    for folder in SCANNED:
        for path in _modules(folder):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield f"{path.relative_to(ROOT)}:{node.lineno} {node.name}", node.end_lineno - node.lineno + 1


def _imported(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_no_function_is_over_60_lines():
    long = {where: lines for where, lines in _functions() if lines > MAX_FUNCTION_LINES}
    assert long == {}


def test_the_actions_are_under_400_lines():
    lines = sum(len(path.read_text(encoding="utf-8").splitlines()) for path in _modules("actions"))
    assert lines < MAX_ACTIONS_LINES


@pytest.mark.parametrize("path", _modules("bot/conversation"), ids=lambda p: p.name)
def test_the_conversation_core_imports_neither_rasa_nor_rasa_sdk(path):
    rasa = [name for name in _imported(path) if name.split(".")[0] in ("rasa", "rasa_sdk")]
    assert rasa == []


def test_the_core_is_used_by_the_actions_through_one_call_of_turn():
    calls = [
        path.name
        for path in _modules("actions")
        if "turn(" in path.read_text(encoding="utf-8")
        and any(
            isinstance(n, ast.Call) and getattr(n.func, "id", "") == "turn"
            for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        )
    ]
    assert calls == ["conversation.py"]


def test_importing_the_conversation_core_loads_no_rasa():
    code = (
        "import sys, bot.conversation\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'rasa', 'rasa_sdk', 'sanic', 'tensorflow'})\n"
        "print(','.join(loaded))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
