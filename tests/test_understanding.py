"""The understanding step (bot.understanding) on tables of real-looking messages, four languages.

tests/understanding/train_<lang>.yml: every reproduction from issue 6 and 7 and many more; each case
lists every fact the message states, so a missing fact and a wrong extra fact both fail.
tests/understanding/held_out_<lang>.yml: written first and never tuned on; gated on field-level
precision >= 0.95 and recall >= 0.85 (tools/eval_understanding.py computes them).
"""

from __future__ import annotations

import dataclasses
import datetime
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import eval_understanding as ev  # noqa: E402
from bot.understanding import Fact, Understood, understand  # noqa: E402
from bot.understanding.vocab import LANGUAGES, raw  # noqa: E402
from bot.routing.models import Procedure, Purpose, SITUATION_FIELDS  # noqa: E402

TODAY = ev.TODAY
#: values contract section 2 adds beside the engine's enums
CONTRACT_ADDITIONS = {"procedure": {"uk_withdrawal_agreement_card"}, "purpose": {"internship"}}
CONTRACT_FIELDS = set(SITUATION_FIELDS) | {"ukr_status_on_2025_06_04"}


def _cases(split):
    for lang in LANGUAGES:
        path = ev.TABLES / f"{split}_{lang}.yml"
        if path.exists():
            for number, case in enumerate(ev.load(lang, split)):
                yield pytest.param(lang, case, id=f"{lang}-{number}-{case['text'][:40]}")


@pytest.mark.parametrize("lang,case", list(_cases("train")))
def test_train_table(lang, case):
    got = ev.run_case(case, lang)
    result = ev.compare(case, got)
    assert not result["wrong"], f"wrong facts {result['wrong']} ({got.facts})"
    assert not result["missed"], f"missed facts {result['missed']} ({got.facts})"
    assert not result["flag_errors"], f"flags (got, expected): {result['flag_errors']}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_held_out_precision_and_recall(lang):
    cases = ev.load(lang, "held_out")
    assert len(cases) >= 40
    report = ev.evaluate(lang, "held_out", cases)
    # only the figures: the held-out failures are not for tuning on
    figures = {k: v for k, v in report.items() if k != "errors"}
    assert report["precision"] >= 0.95, figures
    assert report["recall"] >= 0.85, figures


def test_fast_enough():
    cases = ev.load("en", "train")
    ev.evaluate("en", "train", cases[:5])  # loads dateparser and the analysers
    started = time.perf_counter()
    for case in cases:
        ev.run_case(case, "en")
    per_message = (time.perf_counter() - started) / len(cases)
    # the aim is < 20 ms; the bound leaves room for a machine shared by other jobs
    assert per_message < 0.05


def test_interface_shapes():
    got = understand("I'm from Vietnam and want to study", "en", asking="citizenship", today=TODAY)
    assert isinstance(got, Understood)
    fact = got.facts["citizenship"]
    assert fact == Fact("citizenship", "VN", fact.how, False)
    assert "Vietnam" in fact.how
    assert got.facts["purpose"].inferred is True  # read from free text about something else
    with pytest.raises(dataclasses.FrozenInstanceError):
        fact.value = "UA"


def test_button_values_are_exact_answers():
    assert understand("temporary_residence", "uk", asking="procedure").facts["procedure"].value == "temporary_residence"
    assert understand("UA", "ru", asking="citizenship").facts["citizenship"] == Fact("citizenship", "UA", "value: UA", False)
    assert understand("2027-03-14", "pl", asking="permit_expires").facts["permit_expires"].value == datetime.date(
        2027, 3, 14
    )


def test_dates_are_dates_and_relative_to_today():
    got = understand("in 3 months", "en", asking="permit_expires", today=datetime.date(2027, 1, 10))
    assert got.facts["permit_expires"].value == datetime.date(2027, 4, 10)


def test_default_today_follows_bot_today(monkeypatch):
    monkeypatch.setenv("BOT_TODAY", "2030-01-31")
    assert understand("in 1 month", "en", asking="permit_expires").facts["permit_expires"].value == datetime.date(
        2030, 2, 28
    )


def test_empty_and_odd_messages_give_nothing():
    for text in ("", "   ", "???", "/inform", "😀", "1234567890" * 50):
        got = understand(text, "en", asking="permit_expires")
        assert got.facts == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_vocabulary_values_are_the_contracts(lang):
    data = raw(lang)
    allowed = {
        "procedure": {p.value for p in Procedure} | CONTRACT_ADDITIONS["procedure"],
        "purpose": {p.value for p in Purpose} | CONTRACT_ADDITIONS["purpose"],
    }
    for section in ("procedure", "purpose"):
        for value in data.get(section) or {}:
            assert value == "ignore" or value in allowed[section], (lang, section, value)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tables_use_contract_fields(lang):
    for split in ("train", "held_out"):
        for case in ev.load(lang, split):
            assert set(case.get("facts") or {}) <= CONTRACT_FIELDS, case
            if case.get("asking"):
                assert case["asking"] in CONTRACT_FIELDS, case
