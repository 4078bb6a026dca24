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
    result = _rasa("test", "core", "--model", str(MODEL), "--stories", "tests/stories",
                   "--fail-on-prediction-errors", "--out", str(tmp_path))
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, details[-6000:] + result.stdout[-3000:] + result.stderr[-3000:]


def test_held_out_intents_are_recognised(tmp_path):
    """NLU quality gate on examples never trained on: intent accuracy at least 0.85 (seeded DIET)."""
    import json

    result = _rasa("test", "nlu", "--model", str(MODEL), "--nlu", "tests/nlu/held_out_en.yml",
                   "--out", str(tmp_path), "--no-plot", "--no-errors")
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "intent_report.json").read_text())
    assert report["accuracy"] >= 0.85, {k: v for k, v in report.items() if isinstance(v, dict) and v.get("f1-score", 1) < 1}
