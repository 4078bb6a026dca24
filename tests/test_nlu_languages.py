"""The NLU training data covers every intent in every language, and the held-out sets are usable."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NLU = ROOT / "data" / "nlu"
LANGUAGES = ("en", "pl", "uk", "ru")
MIN_EXAMPLES = 5


def _examples(files):
    found = {}
    for path in files:
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" in block:
                lines = [line for line in block["examples"].splitlines() if line.strip().startswith("- ")]
                found.setdefault(block["intent"], []).extend(lines)
    return found


def _files(lang):
    # English lives at the top of data/nlu, every other language in its own folder.
    return sorted(NLU.glob("*.yml")) if lang == "en" else sorted((NLU / lang).glob("*.yml"))


def _domain_intents():
    return [
        i if isinstance(i, str) else next(iter(i))
        for i in yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"]
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_intent_has_examples_in_every_language(lang):
    examples = _examples(_files(lang))
    thin = {
        intent: len(examples.get(intent, [])) for intent in _domain_intents() if len(examples.get(intent, [])) < MIN_EXAMPLES
    }
    assert not thin, f"{lang}: intents with fewer than {MIN_EXAMPLES} examples: {thin}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_held_out_set_has_at_least_40_examples_and_out_of_scope(lang):
    examples = _examples([ROOT / "tests" / "nlu" / f"held_out_{lang}.yml"])
    assert sum(map(len, examples.values())) >= 40
    assert examples.get("out_of_scope"), "the fallback threshold is chosen on out-of-scope examples"
