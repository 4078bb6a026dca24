"""Who the application is about (bot/understanding/subject.py): the subject named and the minor
fact from an age. Each row: message, language, field asked, known, expected subject and facts."""

import datetime

import pytest

from bot.understanding import understand

TODAY = datetime.date(2026, 11, 23)


def read(text, lang, asking=None, known=None):
    got = understand(text, lang, asking, TODAY, known)
    return got.subject, {k: f.value for k, f in got.facts.items()}


@pytest.mark.parametrize(
    "text, lang, asking, known, subject, expected",
    [
        ("for my son", "en", None, None, "child", {}),
        ("my son is 5", "en", None, None, "child", {"minor": True}),
        ("she is 19 years old", "en", "minor", {"subject": "child"}, None, {"minor": False}),
        ("born in 2015", "en", None, {"subject": "child"}, None, {"minor": True}),
        ("dla córki", "pl", None, None, "child", {}),
        ("для сина", "uk", None, None, "child", {}),
        ("для жены", "ru", None, None, "spouse", {}),
    ],
)
def test_subject_and_age(text, lang, asking, known, subject, expected):
    assert read(text, lang, asking, known) == (subject, expected)


# An age makes the minor fact (< 18 true, >= 18 false); a family member the message opens with,
# with their age, is who it is for.
@pytest.mark.parametrize(
    "text, lang, subject, expected",
    [
        ("сина (7 років)", "uk", "child", {"minor": True}),
        ("для сина (7 років)", "uk", "child", {"minor": True}),
        ("моя донька, їй 15 років", "uk", "child", {"minor": True}),
        ("syn, 7 lat", "pl", "child", {"minor": True}),
        ("córka, 20 lat", "pl", "child", {"minor": False}),
        ("my son, he is 7", "en", "child", {"minor": True}),
        ("my daughter, 19 years old", "en", "child", {"minor": False}),
        ("сын, 7 лет", "ru", "child", {"minor": True}),
        ("дочь, 18 лет", "ru", "child", {"minor": False}),
    ],
)
def test_a_person_and_an_age(text, lang, subject, expected):
    assert read(text, lang) == (subject, expected)


def test_a_known_applicant_is_not_renamed_by_an_age():
    assert read("córka ma 19 lat", "pl", "minor", {"subject": "child"}) == (None, {"minor": False})


# "no" answering, then a statement: the statement's own value, never the opposite.
@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("no he is an adult", "en", False),
        ("no, he is an adult", "en", False),
        ("no she is 19", "en", False),
        ("no, he is not an adult", "en", True),
        ("ні, він дорослий", "uk", False),
        ("ні він дорослий", "uk", False),
        ("nie, jest dorosły", "pl", False),
        ("nie jest dorosły", "pl", True),
        ("нет, он взрослый", "ru", False),
        ("нет он взрослый", "ru", False),
    ],
)
def test_no_then_a_statement_keeps_the_statement(text, lang, expected):
    assert read(text, lang, "minor", {"subject": "child"}) == (None, {"minor": expected})


def _role(text, lang):
    return understand(text, lang, None, TODAY).role


# The typing person's own role, negation respected; "my employer" is someone else.
@pytest.mark.parametrize(
    "text, lang, role",
    [
        ("я не работодатель, я работник", "ru", "employee"),
        ("я не работодатель", "ru", None),
        ("мой работодатель подаст", "ru", None),
        ("у меня рабочая виза", "ru", None),
        ("я не роботодавець, я працівник", "uk", "employee"),
        ("я роботодавець", "uk", "employer"),
        ("nie jestem pracodawcą, jestem pracownikiem", "pl", "employee"),
        ("nie jestem pracodawcą", "pl", None),
        ("jestem pracodawcą", "pl", "employer"),
        ("I'm not the employer, I'm the employee", "en", "employee"),
        ("I am the employer", "en", "employer"),
        ("my employer will file", "en", None),
        ("we want to hire a welder", "en", "employer"),
    ],
)
def test_role(text, lang, role):
    assert _role(text, lang) == role


def test_saying_one_is_the_employee_does_not_make_the_application_an_employees():
    assert understand("I'm not the employer, I'm the employee", "en", None, TODAY).subject is None
    assert understand("nie jestem pracodawcą, jestem pracownikiem", "pl", None, TODAY).subject is None


@pytest.mark.parametrize(
    "text, lang, subject",
    [
        ("it is not for my wife, for me", "en", "self"),
        ("no for my wife", "en", "spouse"),  # an opening "no" answers the question before
        ("не для жены, для меня", "ru", "self"),
        ("nie jestem pracodawcą", "pl", None),
        ("jestem pracodawcą", "pl", "employee"),
    ],
)
def test_a_negated_subject_is_not_the_subject(text, lang, subject):
    assert understand(text, lang, None, TODAY).subject == subject
