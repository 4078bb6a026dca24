"""The paths issue 12 found broken, each in the four languages, through the real model and actions.

Messages are written here per language (not only the issue's own sentences); the in-process
assistant (tests/walk/inprocess.py) runs the trained model and the real actions without HTTP.
"""

from __future__ import annotations

import itertools
import json
from typing import Any, Dict, List

import pytest

import answers
from bot import i18n
from bot.routing import text_constants

pytestmark = pytest.mark.slow
_ids = itertools.count()

DONT_KNOW = {"en": "I don't know", "pl": "nie wiem", "uk": "не знаю", "ru": "не знаю"}
SINCE_SEPTEMBER_2025 = {
    "en": "since 1 September 2025",
    "pl": "od 1 września 2025",
    "uk": "з 1 вересня 2025",
    "ru": "с 1 сентября 2025",
}
LINK_REQUEST = {
    "en": "can I have the link to my checklist please",
    "pl": "Poproszę link do mojej listy kontrolnej",
    "uk": "дайте, будь ласка, посилання на мій перелік кроків",
    "ru": "дайте, пожалуйста, ссылку на мой список шагов",
}
FAMILY_ABROAD = {
    "pl": "Mój mąż jest Polakiem, mieszkamy razem w Kanadzie. Chcę się przeprowadzić do Polski, jak dostać kartę pobytu?",
    "en": "My wife is Polish and we live together in Canada. I want to move to Poland, how do I get a residence card?",
    "uk": "Мій чоловік поляк, ми живемо разом у Канаді. Хочу переїхати до Польщі, як отримати карту побиту?",
    "ru": "Мой муж поляк, мы живём вместе в Канаде. Хочу переехать в Польшу, как получить вид на жительство?",
}


def inform(**facts: Any) -> str:
    return "/inform" + json.dumps(facts)


class Talk:
    def __init__(self, assistant, language: str):
        self.assistant, self.language = assistant, language
        self.sender = f"issue12-{next(_ids)}"
        self.errors_before = len(assistant.errors)
        self.first = True

    def say(self, text: str) -> List[Dict[str, Any]]:
        answer = self.assistant.say(self.sender, text, self.language if self.first else None)
        self.first = False
        assert answer, f"no answer to {text!r}"
        assert len(self.assistant.errors) == self.errors_before, self.assistant.errors[-1]
        apology = i18n.t("chat.action_server_down", self.language, **text_constants())
        assert not any(apology[:30] in (m.get("text") or "") for m in answer)
        return answer

    def slots(self) -> Dict[str, Any]:
        return self.assistant.slots(self.sender)


def payloads(answer) -> List[str]:
    return [b["payload"] for m in answer for b in (m.get("buttons") or [])]


def ukrainian_since_september(talk: Talk) -> List[Dict[str, Any]]:
    for message in (
        "/start_application",
        inform(applicant="self"),
        inform(procedure="cukr"),
        inform(citizenship="UA"),
        inform(ukr_status=True),
    ):
        answer = talk.say(message)
    answer = talk.say(SINCE_SEPTEMBER_2025[talk.language])
    assert answers.asked(answer) == "ukr_status_on_2025_06_04"
    return answer


@pytest.mark.parametrize("language", i18n.SUPPORTED_LANGUAGES)
def test_dont_know_to_the_4_june_question_moves_on(assistant, language):
    talk = Talk(assistant, language)
    ukrainian_since_september(talk)
    again = talk.say(DONT_KNOW[language])
    assert answers.asked(again) == "ukr_status_on_2025_06_04"  # where to find it, then once more
    onwards = talk.say(DONT_KNOW[language])
    assert answers.asked(onwards) != "ukr_status_on_2025_06_04"
    # and the conversation goes on after it (the crash answered every later message with an apology)
    talk.say(inform(minor=False))


@pytest.mark.parametrize("language", i18n.SUPPORTED_LANGUAGES)
def test_a_family_move_to_poland_is_in_scope(assistant, language):
    talk = Talk(assistant, language)
    answer = talk.say(FAMILY_ABROAD[language])
    refusal = i18n.t("chat.out_of_scope", language, **text_constants())
    assert not any(refusal[:40] in (m.get("text") or "") for m in answer)
    assert talk.slots().get("requested_slot") is not None, "the questions begin"


@pytest.mark.parametrize("language", i18n.SUPPORTED_LANGUAGES)
def test_the_link_comes_with_the_answer_in_every_language(assistant, language):
    talk = Talk(assistant, language)
    talk.say("/start_application")
    talk.say(inform(applicant="self"))
    asked = talk.say(inform(procedure="temporary_residence"))
    during = talk.say(LINK_REQUEST[language])
    assert not any("link" in (m.get("custom") or {}) for m in during), "no link before the answer"
    assert not any(p.startswith(("/start_application", "/start_over")) for p in payloads(during))
    assert answers.asked(during) == answers.asked(asked), "the question comes again"
    assert talk.slots()["procedure"] == "temporary_residence"
    for facts in (
        {"citizenship": "IN"},
        {"purpose": "work"},
        {"in_poland": True},
        {"permit_expires": "2027-02-01"},
        {"minor": False},
        {"has_trusted_profile": True},
    ):
        answer = talk.say(inform(**facts))
    assert answers.outcome(answer) is not None
    after = talk.say(LINK_REQUEST[language])
    assert any("link" in (m.get("custom") or {}) for m in after), "the link after the answer"


@pytest.mark.parametrize("language", i18n.SUPPORTED_LANGUAGES)
def test_the_checklist_after_an_unread_date_keeps_every_answer(assistant, language):
    talk = Talk(assistant, language)
    for message in (
        "/start_application",
        inform(applicant="self"),
        inform(procedure="temporary_residence"),
        inform(citizenship="IN"),
        inform(purpose="work"),
        inform(in_poland=True),
    ):
        answer = talk.say(message)
    assert answers.asked(answer) == "permit_expires"
    talk.say("zzz qqq")
    answer = talk.say("zzz qqq")
    for facts in ({"minor": False}, {"has_trusted_profile": True}):
        if answers.outcome(answer) is None:
            answer = talk.say(inform(**facts))
    assert answers.outcome(answer) is not None
    known = {k: v for k, v in talk.slots().items() if v is not None}
    link = talk.say("/get_link")
    assert any("link" in (m.get("custom") or {}) for m in link), "the checklist with what is known"
    assert not any(p.startswith(("/start_application", "/start_over")) for p in payloads(link))
    assert {k: v for k, v in talk.slots().items() if v is not None and k in known} == {k: v for k, v in known.items()}


@pytest.mark.parametrize("language", i18n.SUPPORTED_LANGUAGES)
def test_nonsense_after_the_outcome_offers_the_checklist_not_a_restart(assistant, language):
    talk = Talk(assistant, language)
    for message in (
        "/start_application",
        inform(applicant="self"),
        inform(procedure="permanent_residence"),
        inform(citizenship="IN"),
        inform(in_poland=False),
        inform(minor=False),
        inform(has_trusted_profile=True),
    ):
        answer = talk.say(message)
    assert answers.outcome(answer) is not None
    reply = talk.say("qwrtzp xkcdv")
    assert "/start_application" not in payloads(reply)
    assert talk.slots()["procedure"] == "permanent_residence"


@pytest.mark.parametrize("language", i18n.SUPPORTED_LANGUAGES)
def test_an_indian_worker_is_not_told_about_cukr(assistant, language):
    talk = Talk(assistant, language)
    for message in (
        "/start_application",
        inform(applicant="self"),
        inform(procedure="temporary_residence"),
        inform(citizenship="IN"),
        inform(purpose="work"),
        inform(in_poland=True),
        inform(permit_expires="2027-02-01"),
        inform(minor=False),
    ):
        answer = talk.say(message)
    answer = talk.say(inform(has_trusted_profile=True))
    rec = answers.outcome(answer)
    assert rec is not None and rec["cukr_eligible"] is False
    assert not any(r["id"].startswith("R-CU") for r in rec["rules"])
    assert not any("CUKR" in (m.get("text") or "") for m in answer)


@pytest.mark.parametrize(
    "first,then,switched",
    [
        ("pl", "send me my checklist link please", "en"),
        ("en", "poproszę link do mojej listy kroków", "pl"),
        ("uk", "пришлите мне ссылку на мой список шагов", "ru"),
        ("ru", "надішліть мені посилання на мій перелік кроків", "uk"),
    ],
)
def test_a_whole_sentence_in_another_language_switches_the_reply(assistant, first, then, switched):
    talk = Talk(assistant, first)
    talk.say("/start_application")
    talk.say(inform(applicant="self"))
    talk.say(inform(procedure="temporary_residence"))
    answer = talk.say(then)
    assert talk.slots()["language"] == switched
    expected = i18n.t("handoff.not_ready", switched, **text_constants())
    assert any(expected in (m.get("text") or "") for m in answer)
    # single words and button payloads do not switch back
    talk.say(inform(citizenship="IN"))
    talk.say("ok")
    assert talk.slots()["language"] == switched
