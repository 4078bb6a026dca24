"""bot.conversation without Rasa: one call of turn(state, message, today) per row, in each language."""

from __future__ import annotations

import pytest

from bot import i18n
from bot.conversation import Link, Message, Outcome, Pass, Say, State, ToQuestions, turn
from bot.conversation.state import CONFIRM
from bot.routing import text_constants

LANGS = ["en", "pl", "uk", "ru"]
ME = {"applicant": "self"}
WORKER = {
    **ME,
    "procedure": "temporary_residence",
    "citizenship": "IN",
    "purpose": "work",
    "in_poland": True,
    "permit_expires": "2027-01-10",
    "minor": False,
    "has_pesel": True,
    "has_trusted_profile": True,
}
UKRAINE = {"en": "Ukraine", "pl": "Ukraina", "uk": "Україна", "ru": "Украина"}
YES = {"en": "yes", "pl": "tak", "uk": "так", "ru": "да"}
DONT_KNOW = {"en": "I don't know", "pl": "nie wiem", "uk": "не знаю", "ru": "не знаю"}


def texts(replies):
    return " | ".join(r.text for r in replies if isinstance(r, (Say, Outcome, Link)))


def say(state, text, intent="inform", step="form", **message):
    lang = state.language
    return Message(text=text, intent=intent, step=step, language=lang, previous_language=lang, **message)


@pytest.mark.parametrize("lang", LANGS)
def test_a_button_sets_its_value_and_the_engine_asks_next(lang, today):
    state = State(answers=ME, language=lang, requested="procedure", asking=True)
    message = say(state, '/inform{"procedure": "cukr"}', slots_set={"procedure": "cukr"}, slots_before={"procedure": None})
    after, replies = turn(state, message, today)
    assert after.answers["procedure"] == "cukr" and after.requested == "citizenship"
    assert after.memo["asked"]["citizenship"] == 1 and replies == []
    assert state.answers["procedure"] is None  # the state given is left as it was


@pytest.mark.parametrize("lang", LANGS)
def test_a_typed_country_answers_the_question_asked(lang, today):
    state = State(answers={**ME, "procedure": "temporary_residence"}, language=lang, requested="citizenship", asking=True)
    after, _ = turn(state, say(state, UKRAINE[lang]), today)
    assert after.answers["citizenship"] == "UA" and after.requested == "ukr_status"


@pytest.mark.parametrize("lang", LANGS)
def test_a_typed_yes_answers_a_yes_no_question(lang, today):
    known = {**ME, "procedure": "cukr", "citizenship": "UA"}
    state = State(answers=known, language=lang, requested="ukr_status", asking=True)
    after, _ = turn(state, say(state, YES[lang], "affirm"), today)
    assert after.answers["ukr_status"] is True


@pytest.mark.parametrize("lang", LANGS)
def test_i_dont_know_twice_goes_on_without_the_answer(lang, today):
    known = {k: v for k, v in WORKER.items() if k != "permit_expires"}
    state = State(
        answers=known, language=lang, requested="permit_expires", asking=True, memo={"asked": {"permit_expires": 1}}
    )
    after, _ = turn(state, say(state, DONT_KNOW[lang]), today)
    assert "permit_expires" in after.memo["unsure"] and after.requested == "permit_expires"
    again, replies = turn(after, say(after, DONT_KNOW[lang]), today)
    assert "permit_expires" in again.memo["unknown"] and again.requested != "permit_expires"
    assert texts(replies)


@pytest.mark.parametrize("lang", LANGS)
def test_facts_read_from_a_first_message_are_confirmed_first(lang, today):
    first = {
        "en": "I am from Georgia and I live in Warsaw",
        "pl": "Jestem z Gruzji i mieszkam w Warszawie",
        "uk": "Я з Грузії і живу у Варшаві",
        "ru": "Я из Грузии и живу в Варшаве",
    }
    state = State(language=lang)
    after, _ = turn(state, say(state, first[lang]), today)
    assert after.requested == CONFIRM and after.memo["pending"].get("citizenship") == "GE"
    assert after.answers["citizenship"] is None
    confirmed, _ = turn(after, say(after, YES[lang], "affirm"), today)
    assert confirmed.answers["citizenship"] == "GE" and confirmed.memo["pending"] == {}


@pytest.mark.parametrize("lang", LANGS)
def test_a_side_question_during_the_questions_is_left_to_the_rules(lang, today):
    state = State(answers={**ME, "procedure": "cukr"}, language=lang, requested="citizenship", asking=True)
    after, replies = turn(state, say(state, "how much does it cost?", "ask_fees"), today)
    assert replies == [Pass()] and after == state


@pytest.mark.parametrize("lang", LANGS)
def test_the_side_answer_comes_from_the_catalog(lang, today):
    state = State(language=lang)
    after, replies = turn(state, say(state, "/ask_fees", "ask_fees", step="reply"), today)
    assert replies[0].text.startswith(i18n.t("faq.ask_fees", lang, **text_constants()))
    assert after.answers == state.answers


@pytest.mark.parametrize("lang", LANGS)
def test_facts_stated_with_an_out_of_scope_intent_go_to_the_questions(lang, today):
    state = State(language=lang)
    _, replies = turn(state, say(state, UKRAINE[lang] + ", Warszawa", "out_of_scope", step="fallback"), today)
    assert replies == [ToQuestions()]


@pytest.mark.parametrize("lang", LANGS)
def test_back_start_over_and_stop(lang, today):
    state = State(
        answers=WORKER,
        language=lang,
        requested="has_qualified_signature",
        asking=True,
        recent=["has_trusted_profile", "has_pesel"],
    )
    back, replies = turn(state, say(state, "/go_back", "go_back", step="back"), today)
    assert back.answers["has_trusted_profile"] is None and back.memo["back_from"] == {"has_trusted_profile": True}
    assert texts(replies) == i18n.t("chat.go_back", lang)
    fresh, _ = turn(state, say(state, "/start_over", "start_over", step="start_over"), today)
    assert fresh.cleared and fresh.answers["procedure"] is None and fresh.language == lang
    stopped, _ = turn(state, say(state, "/stop", "stop", step="stop"), today)
    assert stopped.stopped and not stopped.asking and stopped.answers == state.answers


@pytest.mark.parametrize("lang", LANGS)
def test_the_outcome_once_then_the_link(lang, today):
    state = State(answers={**WORKER, "has_qualified_signature": False}, language=lang)
    after, replies = turn(state, say(state, "", step="outcome"), today)
    assert isinstance(replies[0], Outcome) and replies[0].recommendation["channel"]
    again, replies = turn(after, say(after, "", step="outcome"), today)
    assert not any(isinstance(r, Outcome) for r in replies)
    _, replies = turn(after, say(after, "/get_link", "get_link", step="handoff", channel="rest"), today)
    assert isinstance(replies[0], Link) and replies[0].link["url"] in replies[0].text


@pytest.mark.parametrize("lang", LANGS)
def test_no_link_before_the_questions_are_done(lang, today):
    state = State(answers={**ME, "procedure": "cukr"}, language=lang)
    _, replies = turn(state, say(state, "/get_link", "get_link", step="handoff"), today)
    assert texts(replies) == i18n.t("handoff.not_ready", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_a_language_button_switches_the_language(lang, today):
    other = "pl" if lang != "pl" else "uk"
    state = State(language=lang)
    message = say(
        state,
        f'/change_language{{"language": "{other}"}}',
        "change_language",
        step="reply",
        entities=[{"entity": "language", "value": other}],
    )
    after, replies = turn(state, message, today)
    assert after.language == other and texts(replies) == i18n.t("chat.change_language", other)


@pytest.mark.parametrize("lang", LANGS)
def test_each_question_is_asked_in_the_language(lang, today):
    state = State(answers={**ME, "procedure": "cukr"}, language=lang, requested="citizenship")
    _, replies = turn(state, say(state, "", step="ask"), today)
    assert len(replies) == 1 and replies[0].buttons


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("procedure, expected", [("cukr", "ask_cukr_employer"), ("temporary_residence", "ask_employer")])
def test_the_employer_question_is_answered_for_the_procedure(lang, procedure, expected, today):
    """ "does my employer have to sign anything?" while applying for CUKR: nothing (not Annex 1)."""
    state = State(answers={**ME, "procedure": procedure, "citizenship": "UA"}, language=lang)
    _, replies = turn(state, say(state, "/ask_employer", "ask_employer", step="reply"), today)
    assert replies[0].text.startswith(i18n.t(f"faq.{expected}", lang, **text_constants()))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("person", ["employee", "wife", "husband", "parent", "relative", "self", "child"])
def test_the_steps_say_whose_they_are(lang, person, today):
    answers = {**WORKER, "applicant": person, "has_qualified_signature": False}
    state = State(answers=answers, language=lang)
    _, replies = turn(state, say(state, "", step="outcome"), today)
    steps = [r.text for r in replies if isinstance(r, Say) and i18n.t("render.steps", lang) in r.text]
    assert len(steps) == 1
    key = f"conversation.steps_for.{person}"
    assert i18n.has(key, lang) == (person not in ("self", "child"))
    if i18n.has(key, lang):
        assert steps[0].startswith(i18n.t(key, lang))
    else:
        assert steps[0].startswith(i18n.t("render.steps", lang))


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("yes correct. and to be clear im not the worker, im HR at the company", "en", True),
        ("так. батько не тут, він у Харкові", "uk", True),
        ("да, верно. жена не в Польше", "ru", True),
        ("tak, zgadza sie. zona nie jest w Polsce", "pl", True),
        ("no, I am not", "en", False),
        ("ні, не так", "uk", False),
        ("yes, but the date is not right", "en", False),
    ],
)
def test_the_answer_to_right_opens_the_message(text, lang, expected):
    """A yes said first answers "Right?"; a negation in the news after it is not a no (unless "but")."""
    from bot.conversation.parsing import parse_bool

    assert parse_bool(text, lang) is expected


def _forget_words():
    return [(lang, word) for lang in LANGS for word in i18n.raw("answers.forget", lang)]


@pytest.mark.parametrize("lang,word", _forget_words())
def test_a_typed_request_naming_deletion_deletes(lang, word, today):
    state = State(answers=WORKER, language=lang, requested="has_pesel", asking=True)
    after, replies = turn(state, say(state, f"{word}!", "forget_me", step="forget"), today)
    assert after.cleared and texts(replies) == i18n.t("forget.done", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_forget_me_read_into_a_message_that_names_no_deletion_keeps_every_answer(lang, today):
    """ "как не удалось?" was once read as "forget me" and deleted the conversation."""
    state = State(answers=WORKER, language=lang, requested="has_pesel", asking=True)
    text = {
        "en": "what do you mean it failed?",
        "pl": "jak to sie nie udalo?",
        "uk": "як це не вдалося?",
        "ru": "как не удалось?",
    }
    after, replies = turn(state, say(state, text[lang], "forget_me", step="forget"), today)
    assert not after.cleared and after.answers == state.answers
    assert texts(replies) == i18n.t("forget.kept", lang)
    payloads = [b["payload"] for r in replies for b in r.buttons]
    assert payloads == ["/start_application", "/forget_me"]
    again, replies = turn(after, say(after, "/forget_me", "forget_me", step="forget"), today)
    assert again.cleared and texts(replies) == i18n.t("forget.done", lang)
    # after the answer, "start" would begin again: only the delete button is offered
    answered = State(answers=WORKER, language=lang, asking=False)
    kept, replies = turn(answered, say(answered, text[lang], "forget_me", step="forget"), today)
    assert kept.answers == answered.answers and [b["payload"] for r in replies for b in r.buttons] == ["/forget_me"]


def test_every_forget_me_training_example_names_deletion():
    """A typed "forget me" deletes only when it names deleting: each way the model learnt to ask must."""
    import glob

    import yaml

    from bot.conversation.navigation import asks_to_delete

    examples = [
        line.strip()[2:].strip()
        for path in sorted(glob.glob("data/nlu/*.yml"))
        for block in (yaml.safe_load(open(path, encoding="utf-8")) or {}).get("nlu", [])
        if block.get("intent") == "forget_me"
        for line in block["examples"].splitlines()
        if line.strip()
    ]
    assert len(examples) > 20
    assert [e for e in examples if not asks_to_delete(e)] == []


CORRECTED_PURPOSE = {
    "en": "no, im 29. and actually its work, not business",
    "pl": "nie, mam 29 lat. i tak naprawde praca, nie biznes",
    "uk": "ні, мені 29 років. і насправді робота, не бізнес",
    "ru": "нет, мне 29 лет. и на самом деле работа, не бизнес",
}
CORRECTED_PURPOSE_LATIN = {
    "uk": "ni, meni 29 rokiv. i naspravdi robota, ne biznes",
    "ru": "net, mne 29 let. i na samom dele rabota, ne biznes",
}


@pytest.mark.parametrize(
    "lang,text", list(CORRECTED_PURPOSE.items()) + [(lang, text) for lang, text in CORRECTED_PURPOSE_LATIN.items()]
)
def test_actually_corrects_an_earlier_answer_inside_the_answer_to_another_question(lang, text, today):
    """A trial user's three corrections of the purpose were kept unchanged ("Залишаю без змін")."""
    known = {**ME, "procedure": "temporary_residence", "citizenship": "UA", "in_poland": True, "purpose": "business"}
    state = State(answers=known, language=lang, requested="minor", asking=True)
    after, replies = turn(state, say(state, text), today)
    assert after.answers["purpose"] == "work" and after.answers["minor"] is False
    assert i18n.t("options.purpose.work", lang) in texts(replies)


FOR_MY_WIFE = {
    "en": "no, its for my wife, she is 33",
    "pl": "nie, to dla mojej zony, ona ma 33 lata",
    "uk": "ні, це для моєї дружини, їй 33 роки",
    "ru": "нет, это для моей жены, ей 33 года",
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_typers_own_facts_go_when_the_application_turns_out_to_be_someone_elses(lang, today):
    """ "me i dey lodz yes", then "na for my wife": she is in Lagos, yet was told to use MOS."""
    known = {"procedure": "temporary_residence", "citizenship": "NG", "in_poland": True, "has_pesel": True}
    state = State(answers=known, language=lang, requested="permit_expires", asking=True)
    after, _ = turn(state, say(state, FOR_MY_WIFE[lang]), today)
    assert after.answers["applicant"] == "wife"
    assert after.answers["in_poland"] is None and after.answers["has_pesel"] is None
    assert after.answers["procedure"] == "temporary_residence"


@pytest.mark.parametrize("lang", LANGS)
def test_an_aim_title_typed_at_the_procedure_question_sets_the_procedure(lang, today):
    """ "жить с семьёй, с мужем. я уже писала" at "what do you want to apply for?" was refused."""
    known = {**ME, "purpose": "family_of_polish_citizen", "citizenship": "RU"}
    state = State(answers=known, language=lang, requested="procedure", asking=True)
    title = i18n.t("conversation.goals.family", lang)
    after, _ = turn(state, say(state, f"{title}, {FOR_MY_WIFE[lang].split(',')[0]}"), today)
    assert after.answers["procedure"] == "temporary_residence"
    assert after.answers["purpose"] == "family_of_polish_citizen"


@pytest.mark.parametrize("lang", LANGS)
def test_questions_asked_of_the_typer_count_afresh_for_the_applicant(lang, today):
    known = {"procedure": "temporary_residence", "purpose": "family_reunification"}
    state = State(answers=known, language=lang, requested="citizenship", asking=True)
    state.memo["asked"]["citizenship"] = 1
    after, replies = turn(state, say(state, ",".join(FOR_MY_WIFE[lang].split(",")[:2])), today)
    assert after.answers["applicant"] == "wife"
    assert after.requested == "citizenship" and after.memo["asked"]["citizenship"] == 1  # asked once, of her


@pytest.mark.parametrize("lang", LANGS)
def test_the_minor_question_after_for_me_asks_about_the_person(lang, today):
    """ "Is the application for a child under 18?" after "for me" (five trial users)."""
    state = State(answers={**ME, "procedure": "temporary_residence", "citizenship": "IN"}, language=lang)
    from bot.conversation.asks import ask

    assert ask(state, "minor", lang, today).text == i18n.t("conversation.questions_for.self.minor", lang)
    child = State(answers={**state.answers, "applicant": "child"}, language=lang)
    assert ask(child, "minor", lang, today).text == i18n.t("conversation.questions_for.child.minor", lang)
