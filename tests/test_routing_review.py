"""Table tests for the legal review (issue 5, ../shared/domain/facts.md section 10, contract section 2 revised).

Each row is the situation a reviewer found wrong, with the answer it must give now. Kept apart from
tests/test_routing.py, whose tables cover every rule and boundary.
"""

from __future__ import annotations

import datetime
from typing import Any, Dict, List

import pytest

from bot.routing import Recommendation, Situation, load_rules, recommend
from bot.routing.models import QUESTION_ORDER

D = datetime.date
TODAY = D(2026, 11, 23)
STAY_ENDS = D(2027, 6, 30)
ADULT_IN_POLAND: Dict[str, Any] = dict(
    citizenship="IN", in_poland=True, minor=False, has_trusted_profile=True, permit_expires=STAY_ENDS
)
UKRAINIAN = dict(citizenship="UA", ukr_status=True, ukr_status_since=D(2024, 3, 1))
PARTS = ("channel", "authority", "signer", "signature_options", "employer_action", "cukr_eligible")
SIGNATURE_QUESTIONS = {"has_trusted_profile", "has_pesel", "has_qualified_signature"}


def rec_for(today: datetime.date = TODAY, **fields: Any) -> Recommendation:
    return recommend(Situation(**fields), today)


def fired(rec: Recommendation) -> List[str]:
    return [r.id for r in rec.rules]


def texts(rec: Recommendation) -> str:
    return "\n".join(rec.steps + rec.warnings)


def conversation(answers: Dict[str, Any], today: datetime.date = TODAY) -> List[Recommendation]:
    """The recommendation after each answer, answering only the first missing question."""
    known: Dict[str, Any] = {}
    recs = [recommend(Situation(), today)]
    while recs[-1].missing and len(recs) <= len(QUESTION_ORDER) + 1:
        field = recs[-1].ask_next[0]
        assert field in answers, f"asked {field}, which this person was not expected to be asked"
        known[field] = answers[field]
        recs.append(recommend(Situation(**known), today))
    return recs


# --- 1. each part decided on its own ---------------------------------------------------------

CONVERSATIONS = {
    "worker in Poland, no PESEL": dict(
        procedure="temporary_residence",
        citizenship="IN",
        purpose="work",
        in_poland=True,
        permit_expires=STAY_ENDS,
        minor=False,
        has_trusted_profile=False,
        has_pesel=False,
        has_qualified_signature=False,
    ),
    "student who is a minor": dict(
        procedure="temporary_residence",
        citizenship="VN",
        purpose="studies",
        in_poland=True,
        permit_expires=STAY_ENDS,
        minor=True,
    ),
    "Ukrainian CUKR": dict(procedure="cukr", **UKRAINIAN, minor=False, has_trusted_profile=False),
    "Ukrainian, status regained": dict(
        procedure="cukr",
        citizenship="UA",
        ukr_status=True,
        ukr_status_since=D(2025, 9, 1),
        ukr_status_on_2025_06_04=False,
        purpose="business",
        in_poland=True,
        permit_expires=STAY_ENDS,
        minor=False,
        has_trusted_profile=True,
    ),
    "family abroad": dict(
        procedure="temporary_residence", citizenship="EG", purpose="family_of_polish_citizen", in_poland=False
    ),
    "permanent residence": dict(
        procedure="permanent_residence",
        citizenship="GE",
        in_poland=True,
        permit_expires=STAY_ENDS,
        minor=False,
        has_trusted_profile=True,
    ),
    "ICT": dict(procedure="temporary_residence", citizenship="US", purpose="ict", in_poland=False),
    "permit change": dict(procedure="permit_change", citizenship="BY"),
}


@pytest.mark.parametrize("answers", CONVERSATIONS.values(), ids=CONVERSATIONS.keys())
def test_a_part_once_decided_never_changes_as_more_facts_come(answers):
    recs = conversation(answers)
    final = recs[-1]
    assert final.missing == []
    for rec in recs:
        for part in PARTS:
            value = getattr(rec, part)
            if value not in (None, []):
                assert value == getattr(final, part), f"{part} was {value} with missing={rec.missing}"


@pytest.mark.parametrize("answers", CONVERSATIONS.values(), ids=CONVERSATIONS.keys())
def test_the_channel_is_known_before_any_signature_question(answers):
    for rec in conversation(answers):
        if rec.ask_next and rec.ask_next[0] in SIGNATURE_QUESTIONS | {"minor"}:
            assert rec.channel == "mos" and rec.authority == "mos", rec.missing


def test_staff_can_say_mos_while_signature_questions_are_open():
    rec = rec_for(procedure="temporary_residence", citizenship="IN", purpose="work", in_poland=True)
    assert rec.ask_next == ["permit_expires", "minor"]
    assert (rec.channel, rec.authority, rec.employer_action) == ("mos", "mos", "annex_1_link")
    assert rec.cukr_eligible is False and rec.signer is None and rec.signature_options == []


def test_signature_tools_are_what_the_law_allows_while_the_steps_follow_what_the_person_has():
    base = dict(procedure="permanent_residence", citizenship="IN", in_poland=True, permit_expires=STAY_ENDS, minor=False)
    open_question = rec_for(**base)
    assert open_question.ask_next == ["has_trusted_profile"]
    assert (open_question.signer, open_question.signature_options) == (
        "applicant",
        ["trusted_profile", "qualified_signature"],
    )
    no_pesel = rec_for(**base, has_trusted_profile=False, has_pesel=False, has_qualified_signature=False)
    assert no_pesel.signature_options == ["trusted_profile", "qualified_signature"]
    steps = no_pesel.steps
    pesel, pz, qes = (
        next(i for i, s in enumerate(steps) if key in s)
        for key in ("Get a PESEL number first", "Then set up a free Trusted Profile", "qualified electronic")
    )
    assert pesel < pz < qes, steps
    has_qes = rec_for(**base, has_trusted_profile=False, has_pesel=False, has_qualified_signature=True)
    assert any("own qualified electronic signature" in s for s in has_qes.steps)
    assert not any("PESEL number first" in s for s in has_qes.steps)


# --- 2. ask only what changes the answer -------------------------------------------------------


@pytest.mark.parametrize(
    "procedure",
    [
        "work_permit",
        "visa",
        "visa_extension",
        "citizenship",
        "international_protection",
        "eu_citizen_registration",
        "permit_change",
        "permanent_residence",
        "eu_long_term_resident",
    ],
)
def test_ukrainians_are_not_asked_about_ukr_status_where_cukr_is_no_alternative(procedure):
    answers = dict(
        procedure=procedure,
        citizenship="UA",
        purpose="work",
        in_poland=True,
        permit_expires=STAY_ENDS,
        minor=False,
        has_trusted_profile=True,
    )
    asked = [rec.ask_next[0] for rec in conversation(answers)[:-1]]
    assert not {"ukr_status", "ukr_status_since", "ukr_status_on_2025_06_04"} & set(asked)


@pytest.mark.parametrize("procedure", ["temporary_residence", "cukr"])
def test_cukr_is_offered_where_it_is_an_alternative(procedure):
    rec = rec_for(procedure=procedure, citizenship="UA")
    assert rec.ask_next[0] == "ukr_status"


@pytest.mark.parametrize(
    "known",
    [dict(ukr_status=True), dict(has_trusted_profile=True)],
    ids=["UKR status brings PESEL UKR", "a Trusted Profile needs a PESEL"],
)
def test_pesel_is_not_asked_when_it_follows(known):
    answers = dict(
        procedure="temporary_residence",
        citizenship="UA",
        ukr_status=False,
        purpose="work",
        in_poland=True,
        permit_expires=STAY_ENDS,
        minor=False,
        has_trusted_profile=False,
        has_qualified_signature=False,
        ukr_status_since=D(2024, 3, 1),
    )
    answers.update(known)
    asked = [rec.ask_next[0] for rec in conversation(answers)[:-1]]
    assert "has_pesel" not in asked


# --- 3. facts.md section 10 ------------------------------------------------------------------


@pytest.mark.parametrize("purpose", ["work", "seasonal_work"])
def test_10_1_work_from_abroad_is_a_work_permit_then_a_national_visa(purpose):
    rec = rec_for(procedure="temporary_residence", purpose=purpose, **{**ADULT_IN_POLAND, "in_poland": False})
    assert (rec.channel, rec.authority, rec.employer_action) == ("other", "consulate", "employer_files")
    assert "R-CH-10a" in fired(rec) and "R-CH-10" not in fired(rec)
    assert "praca.gov.pl" in rec.steps[0] and "national (D) visa" in rec.steps[1]


@pytest.mark.parametrize("purpose", ["studies", "business", "research", "internship", "blue_card", "other"])
def test_10_1_other_purposes_from_abroad_need_a_national_visa_not_mos(purpose):
    rec = rec_for(procedure="temporary_residence", purpose=purpose, **{**ADULT_IN_POLAND, "in_poland": False})
    assert (rec.channel, rec.authority) == ("other", "consulate")
    assert "mos" not in (rec.channel, rec.authority)


@pytest.mark.parametrize(
    "purpose, channel, signer",
    [
        ("family_reunification", "paper", "sponsor"),
        ("family_of_eu_citizen", "paper", "sponsor"),
        ("ict", "paper", "host_entity"),
    ],
)
def test_10_1_the_family_cases_and_ict_are_the_exceptions_from_abroad(purpose, channel, signer):
    rec = rec_for(procedure="temporary_residence", purpose=purpose, **{**ADULT_IN_POLAND, "in_poland": False})
    assert (rec.channel, rec.signer) == (channel, signer)


def test_10_1_the_legal_stay_warning_says_no_later_than_without_defects_until_final():
    rec = rec_for(procedure="temporary_residence", purpose="work", **ADULT_IN_POLAND)
    warning = next(w for w in rec.warnings if "legal stay" in w)
    for phrase in ("no later than", "without formal defects", "until the decision becomes final", "June 30, 2027"):
        assert phrase in warning


@pytest.mark.parametrize("procedure", ["permanent_residence", "eu_long_term_resident"])
def test_10_1_permanent_and_long_term_are_filed_from_inside_poland(procedure):
    rec = rec_for(procedure=procedure, **{**ADULT_IN_POLAND, "in_poland": False})
    assert "R-ST-PR-ABROAD" in fired(rec)
    assert any("filed from inside Poland" in w for w in rec.warnings)


def test_10_2_ict_the_host_entity_files_signs_and_is_the_party():
    rec = rec_for(procedure="temporary_residence", purpose="ict", **{**ADULT_IN_POLAND, "in_poland": False})
    assert (rec.channel, rec.signer, rec.employer_action) == ("paper", "host_entity", "host_entity_files")
    assert any("party to the case" in s for s in rec.steps)
    assert any("outside the EU" in w for w in rec.warnings)


def test_10_3_permit_change_notice_within_15_working_days_and_no_new_job_before_the_change():
    rec = rec_for(procedure="permit_change", citizenship="BY")
    assert rec.channel is None and rec.missing == []
    all_text = texts(rec)
    assert "15 working days" in all_text and "tell the voivode" in all_text
    assert "only after your permit has been changed" in all_text
    assert "report a change of employer" not in all_text.lower()
    assert any(w.startswith("Not confirmed") and "MOS" in w for w in rec.warnings), "the unsettled channel is said"


@pytest.mark.parametrize(
    "since, on_reference_day, today, eligible, rule",
    [
        (D(2025, 9, 1), None, TODAY, None, None),  # asked first
        (D(2025, 9, 1), False, TODAY, False, "R-CU-3"),
        (D(2025, 9, 1), True, TODAY, True, "R-CU-5"),  # status regained; 365 days by 2026-09-01
        (D(2025, 9, 1), True, D(2026, 8, 31), False, "R-CU-4"),  # held on the day, but 364 days of current status
        (D(2024, 3, 1), None, TODAY, True, "R-CU-5"),  # before the day: never asked about it
    ],
)
def test_10_4_two_separate_ukr_conditions(since, on_reference_day, today, eligible, rule):
    fields = dict(procedure="cukr", **{**UKRAINIAN, "ukr_status_since": since}, minor=True)
    if on_reference_day is not None:
        fields["ukr_status_on_2025_06_04"] = on_reference_day
    rec = rec_for(today, **fields)
    assert rec.cukr_eligible is eligible
    if rule is None:
        assert rec.ask_next == ["ukr_status_on_2025_06_04"]
    else:
        assert rule in fired(rec) and "ukr_status_on_2025_06_04" not in rec.missing


def test_10_4_a_family_member_of_another_citizenship_with_ukr_status_can_qualify():
    rec = rec_for(
        procedure="cukr",
        citizenship="BY",
        ukr_status=True,
        ukr_status_since=D(2023, 1, 10),
        minor=False,
        has_trusted_profile=True,
    )
    assert rec.cukr_eligible is True and rec.channel == "mos"
    assert any("Family members of another citizenship" in w for w in rec.warnings)


@pytest.mark.parametrize(
    "fields",
    [
        dict(
            procedure="cukr",
            citizenship="BY",
            ukr_status=True,
            ukr_status_since=D(2025, 9, 1),
            ukr_status_on_2025_06_04=False,
        ),
        dict(procedure="cukr", citizenship="MD", ukr_status=True, ukr_status_since=D(2023, 1, 1)),
        dict(procedure="temporary_residence", citizenship="RU", ukr_status=True, ukr_status_since=D(2023, 1, 1)),
    ],
)
def test_10_4_never_only_for_ukrainian_citizens_to_a_ukr_status_holder(fields):
    rec = rec_for(**fields)
    all_text = texts(rec) + " ".join(r.title for r in rec.rules)
    assert "only for Ukrainian citizens" not in all_text


@pytest.mark.parametrize("since, on_day", [(D(2024, 3, 1), None), (D(2025, 9, 1), False), (D(2026, 10, 1), True)])
def test_10_4_a_child_gets_the_child_warning_whatever_the_status_dates(since, on_day):
    fields = dict(
        procedure="cukr",
        citizenship="UA",
        ukr_status=True,
        ukr_status_since=since,
        minor=True,
        purpose="studies",
        in_poland=True,
        permit_expires=STAY_ENDS,
    )
    if on_day is not None:
        fields["ukr_status_on_2025_06_04"] = on_day
    rec = rec_for(**fields)
    assert "R-CU-7" in fired(rec)
    assert any("born in Poland after 23 February 2022" in w for w in rec.warnings)


@pytest.mark.parametrize(
    "procedure", ["temporary_residence", "permanent_residence", "eu_long_term_resident", "eu_citizen_registration"]
)
@pytest.mark.parametrize("citizenship", ["DE", "FR", "NO", "CH"])
def test_10_5_eu_eea_swiss_citizens_are_never_sent_to_mos(procedure, citizenship):
    rec = rec_for(procedure=procedure, purpose="work", **{**ADULT_IN_POLAND, "citizenship": citizenship})
    assert rec.channel == "paper" and rec.authority == "voivode"
    assert "R-CH-4a" in fired(rec) and "R-CH-10" not in fired(rec)
    assert rec.cukr_eligible is False


def test_10_5_a_non_eu_citizen_asking_for_eu_registration_gets_the_family_card():
    rec = rec_for(procedure="eu_citizen_registration", citizenship="IN")
    assert "R-CH-4-NONEU" in fired(rec) and "R-CH-4b" in fired(rec)
    assert any("karta pobytowa" in s for s in rec.steps)


# --- 4. new values ------------------------------------------------------------------------------


def test_internship_organiser_gets_the_link():
    rec = rec_for(procedure="temporary_residence", purpose="internship", **ADULT_IN_POLAND)
    assert (rec.channel, rec.employer_action) == ("mos", "organiser_annex_link") and "R-EM-3" in fired(rec)


def test_research_has_no_host_institution_action_facts_md_does_not_support_one():
    rec = rec_for(procedure="temporary_residence", purpose="research", **ADULT_IN_POLAND)
    assert rec.channel == "mos" and rec.employer_action is None
    assert rec.fees.stamp_duty_pln is None and any("fee table" in s for s in rec.steps)


def test_uk_withdrawal_agreement_card_in_person_at_the_voivode():
    rec = rec_for(procedure="uk_withdrawal_agreement_card", citizenship="IN")
    assert (rec.channel, rec.authority) == ("paper", "voivode")
    assert {"R-CH-4c", "R-CH-4-NOTMOS"} <= set(fired(rec))


# --- 5. dates before the launch -------------------------------------------------------------------


def test_a_stay_ending_before_26_april_sets_that_day_as_the_deadline():
    rec = rec_for(
        D(2026, 4, 1),
        procedure="temporary_residence",
        purpose="work",
        **{**ADULT_IN_POLAND, "permit_expires": D(2026, 4, 20)},
    )
    early = next(w for w in rec.warnings if "RECEIVE your paper application" in w)
    assert "April 20, 2026" in early and "April 26" not in early


@pytest.mark.parametrize("today", [D(2026, 3, 1), D(2026, 4, 20), D(2026, 4, 24)])
def test_no_post_advice_before_the_launch(today):
    rec = rec_for(today, procedure="temporary_residence", purpose="work", **ADULT_IN_POLAND)
    assert rec.channel == "paper"
    assert not any("post" in s.lower() and "postmark" not in s.lower() for s in rec.steps)
    assert any("reception desk" in s for s in rec.steps)


def test_cukr_conditions_are_checked_before_the_window_opens():
    no_status = rec_for(D(2026, 4, 1), procedure="cukr", citizenship="UA", ukr_status=False)
    assert "R-CU-2" in fired(no_status) and "R-CU-W" not in fired(no_status)
    met = rec_for(D(2026, 4, 1), procedure="cukr", **UKRAINIAN, minor=True)
    assert met.cukr_eligible is False and "R-CU-W" in fired(met)
    assert any("apply from May 4, 2026" in s for s in met.steps)


def test_tenses_follow_today():
    before = rec_for(D(2026, 4, 1), procedure="temporary_residence", purpose="business", **ADULT_IN_POLAND)
    assert any("counts only if the voivodeship office RECEIVES it" in w for w in before.warnings)


# --- 6. wording -----------------------------------------------------------------------------------


def test_annex_1_says_qualified_signature_plainly_and_the_trusted_profile_part_is_unconfirmed():
    rec = rec_for(procedure="temporary_residence", purpose="work", **ADULT_IN_POLAND)
    assert any("signs it with a qualified electronic signature" in s for s in rec.steps)
    assert any("Trusted Profile" in w and "not confirmed" in w for w in rec.warnings if "Annex 1" in w)


def test_help_lines_with_their_scope_and_mos_help_only_on_mos_answers():
    mos = rec_for(procedure="temporary_residence", purpose="work", **ADULT_IN_POLAND)
    paper = rec_for(
        procedure="temporary_residence", purpose="family_reunification", **{**ADULT_IN_POLAND, "in_poland": False}
    )
    assert any("must help you set up your MOS account" in s for s in mos.steps)
    assert not any("MOS account" in s for s in paper.steps)
    help_step = next(s for s in paper.steps if "47 721 76 75" in s)
    assert "voivodeship office" in help_step and "Ukrainian citizens" in help_step and "appeals" in help_step


def test_a_past_deadline_is_said_to_be_past():
    after = rec_for(TODAY, procedure="cukr", **UKRAINIAN, minor=True)
    assert any("that date has passed" in w for w in after.warnings)
    before = rec_for(D(2026, 6, 1), procedure="cukr", **UKRAINIAN, minor=True)
    assert not any("has passed" in w for w in before.warnings)


def test_single_source_facts_are_read_as_reported():
    rec = rec_for(procedure="cukr", **UKRAINIAN, minor=False, has_trusted_profile=True)
    all_text = texts(rec)
    assert "reportedly takes up to 180 days" in all_text
    assert "can lead to losing the permit" in all_text


def test_personal_signature_only_for_a_parent_with_a_polish_id_card():
    adult = rec_for(procedure="temporary_residence", purpose="work", **ADULT_IN_POLAND)
    assert "personal_signature" not in adult.signature_options
    assert "personal signature" not in texts(adult)
    child = rec_for(procedure="temporary_residence", purpose="studies", **{**ADULT_IN_POLAND, "minor": True})
    assert "personal_signature" in child.signature_options
    assert any("Polish ID card" in s for s in child.steps)


def test_the_pesel_step_says_the_office_needs_a_legal_basis():
    rec = rec_for(
        procedure="permanent_residence",
        **{**ADULT_IN_POLAND, "has_trusted_profile": False},
        has_pesel=False,
        has_qualified_signature=False,
    )
    assert any("legal basis" in s for s in rec.steps if "PESEL" in s)


@pytest.mark.parametrize(
    "procedure, card_fee", [("visa_extension", None), ("permit_change", None), ("permanent_residence", 100)]
)
def test_the_card_fee_only_where_documented(procedure, card_fee):
    assert rec_for(procedure=procedure, purpose="work", **ADULT_IN_POLAND).fees.card_fee_pln == card_fee


def test_the_reduced_card_fee_is_unconfirmed_and_the_exemption_only_for_permanent_residence():
    student = rec_for(procedure="temporary_residence", purpose="studies", **ADULT_IN_POLAND)
    assert "R-FEE-CARD-REDUCED" in student.unconfirmed
    long_term = rec_for(procedure="eu_long_term_resident", **ADULT_IN_POLAND)
    permanent = rec_for(procedure="permanent_residence", **ADULT_IN_POLAND)
    assert not any("Karta Polaka" in w for w in long_term.warnings)
    assert any("Karta Polaka" in w for w in permanent.warnings)


@pytest.mark.parametrize("answers", CONVERSATIONS.values(), ids=CONVERSATIONS.keys())
def test_no_step_is_said_twice(answers):
    rec = conversation(answers)[-1]
    assert len(rec.steps) == len(set(rec.steps))
    signing = [s for s in rec.steps if s.startswith(("Sign ", "Submit "))]
    assert len([s for s in signing if s.startswith("Sign ")]) <= 1, signing


# --- 7. status tags ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule_id, status",
    [
        ("R-CH-4a", "C-off"),
        ("R-CH-4b", "C-off"),
        ("R-CH-4c", "C-off"),
        ("R-CH-4-NOTMOS", "U"),
        ("R-CU-6", "C-sec"),
        ("R-CU-6-DATE", "C-1"),
        ("R-EM-4", "C-off"),
        ("R-FEE-NOREFUND-CUKR", "U"),
        ("R-FEE-NOREFUND", "C-off"),
        ("R-CH-11", "U"),
        ("R-PC-JOB-ENDED", "C-off"),
        ("R-PC-NEW-EMPLOYER", "C-1"),
        ("R-CU-6-DATE-AHEAD", "C-1"),
        ("R-CU-PARENT", "C-sec"),
        ("R-PC-WHEN", "C-off"),
        ("R-PR-LTR-ALT", "C-sec"),
        ("R-CH-4-ALT", "C-off"),
    ],
)
def test_status_tags_as_facts_md_gives_them(rule_id, status):
    assert load_rules().rule(rule_id).status == status


@pytest.mark.parametrize("rule_id", ["R-CH-7", "R-CH-8", "R-CH-9", "R-CU-COLLECT"])
def test_article_numbers_marked_uncertain_are_not_shown_as_firm(rule_id):
    assert "not confirmed" in load_rules().rule(rule_id).legal_basis


def test_r_ch_6_cites_s4():
    assert "S4" in load_rules().rule("R-CH-6").sources
    rec = rec_for(procedure="cukr", **UKRAINIAN, minor=True)
    urls = next(r.sources for r in rec.rules if r.id == "R-CH-6")
    assert any("welcome.uw.edu.pl/new-cukr" in u for u in urls)


def test_every_cited_source_comes_from_facts_md_including_the_review_sources():
    book = load_rules()
    assert {"S67", "S68", "S69", "S70", "S71", "S72"} <= set(book.sources)
    cited = {s for rule in book.all_rules() for s in rule.sources}
    assert {"S67", "S68", "S69", "S71", "S72"} <= cited
