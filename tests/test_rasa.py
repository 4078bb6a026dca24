"""Rasa itself: the training data validates, and the test stories predict without error."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RASA = str(Path(sys.executable).parent / "rasa")
MODEL = ROOT / "models" / "current.tar.gz"

pytestmark = pytest.mark.slow


def _rasa(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([RASA, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def test_training_data_validates():
    result = _rasa("data", "validate", "--max-history", "5", "--fail-on-warnings")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_stories_predict_without_errors(tmp_path):
    assert MODEL.exists(), "make test trains the model first"
    result = _rasa(
        "test",
        "core",
        "--model",
        str(MODEL),
        "--stories",
        "tests/stories",
        "--fail-on-prediction-errors",
        "--out",
        str(tmp_path),
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, details[-6000:] + result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(scope="module")
def held_out_report(tmp_path_factory):
    """The shipped model on tests/nlu/held_out_<lang>.yml, parsed once for every language."""
    import json

    out = tmp_path_factory.mktemp("eval") / "intents.json"
    result = subprocess.run(
        [sys.executable, "-m", "tools.eval", "--shipped-only", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(out.read_text())


@pytest.mark.parametrize("lang", ["en", "pl", "uk", "ru"])
def test_held_out_intents_are_recognised(held_out_report, lang):
    """NLU quality gate on examples never trained on: intent accuracy at least 0.95 per language."""
    scores = held_out_report["languages"][lang]["shipped"]
    assert scores["no_fallback"]["n"] >= 40
    assert scores["no_fallback"]["accuracy"] >= 0.95, scores["misrecognised"]


def test_held_out_examples_are_never_trained_on():
    # the old held-out sets and the independent ones (issue 12): a message in both is no test of anything
    from tools.eval import LANGUAGES, TRAINING_DATA, held_out, independent_sets, load_examples

    trained = {text.lower() for text, _ in load_examples(TRAINING_DATA)}
    independent = independent_sets()
    assert set(independent) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert not [text for text, _ in held_out(lang) if text.lower() in trained], lang
        assert len(independent[lang]) >= 150
        assert not [text for text, _ in independent[lang] if text.lower() in trained], f"independent {lang}"
