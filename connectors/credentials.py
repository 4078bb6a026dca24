"""The credentials file Rasa actually reads: credentials.yml without the channels that are off.

A channel section is on when every ${VARIABLE} it names is set (non-empty) in the environment.
Values are copied unchanged, so secrets stay ${VARIABLE} references that Rasa expands itself.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Mapping

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "credentials.yml"
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def variables(section: Any) -> List[str]:
    if isinstance(section, dict):
        return [name for value in section.values() for name in variables(value)]
    if isinstance(section, str):
        return VARIABLE.findall(section)
    return []


def effective(env: Mapping[str, str], source: Path = SOURCE) -> Dict[str, Any]:
    channels = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    return {
        name: section
        for name, section in channels.items()
        if all((env.get(variable) or "").strip() for variable in variables(section))
    }


def write(env: Mapping[str, str], target: Path, source: Path = SOURCE) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(effective(env, source), sort_keys=False), encoding="utf-8")
    return target
