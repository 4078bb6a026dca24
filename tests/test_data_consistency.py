"""The domain, the rules and the catalogs name the same things (they are kept in separate files)."""

from pathlib import Path

import pytest
import yaml

from bot.conversation.side import REPLIES
from bot import i18n
from bot.questions import BOOL_FIELDS, DATE_FIELDS
from bot.routing import QUESTION_ORDER, SITUATION_FIELDS, load_rules

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
CONTRACT_INTENTS = [
    "greet",
    "goodbye",
    "affirm",
    "deny",
    "thank",
    "start_application",
    "inform",
    "ask_cukr",
    "ask_signature",
    "ask_paper",
    "ask_mos",
    "ask_fees",
    "ask_fingerprints",
    "ask_confirmation",
    "ask_employer",
    "ask_pesel",
    "ask_human",
    "change_language",
    "out_of_scope",
]


def test_domain_slots_and_entities_are_the_situation_fields():
    assert set(SITUATION_FIELDS) | {"language"} <= set(DOMAIN["slots"])
    # the Situation fields, and the conversation's own button entities (who it is for, which answer to change)
    assert set(SITUATION_FIELDS) | {"applicant", "change"} <= set(DOMAIN["entities"])
    assert DOMAIN["forms"]["situation_form"]["required_slots"] == QUESTION_ORDER
    for field in SITUATION_FIELDS:
        assert f"action_ask_{field}" not in DOMAIN["actions"]  # the validation asks (actions/form_asks.py)
        expected = "bool" if field in BOOL_FIELDS else "text"
        assert DOMAIN["slots"][field]["type"] == expected


def test_contract_intents_exist():
    assert set(CONTRACT_INTENTS) <= set(DOMAIN["intents"])


def test_every_reply_intent_has_a_text():
    for key in REPLIES.values():
        assert i18n.t(key, "en", **load_rules().constants)


def _catalog_keys_in_rules():
    book = load_rules()
    for block in book.blocks:
        for rule in block.rules:
            for case in rule.cases:
                yield from ((rule.id, k) for k in case.steps + case.warnings + case.links)


@pytest.mark.parametrize("rule_id, key", sorted(set(_catalog_keys_in_rules())))
def test_rule_texts_exist_and_fill(rule_id, key):
    text = i18n.raw(key, "en")
    assert isinstance(text, str) and text


def test_every_step_has_a_place_in_the_order():
    book = load_rules()
    steps = {k for _, k in _catalog_keys_in_rules() if k.startswith("step.")}
    assert steps <= set(book.step_order)
    assert set(book.links) == {k for _, k in _catalog_keys_in_rules() if k.startswith("link.")}


@pytest.mark.parametrize("field", SITUATION_FIELDS)
def test_every_field_has_a_question_an_explanation_and_options(field):
    assert i18n.t(f"questions.{field}", "en", **load_rules().constants)
    assert i18n.t(f"explain.{field}", "en")
    if field not in BOOL_FIELDS and field not in DATE_FIELDS:
        assert i18n.raw(f"options.{field}", "en")
