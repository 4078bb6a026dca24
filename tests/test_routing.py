"""Table-driven tests of the routing engine (bot/routing) against shared/domain/facts.md section 8
and the outside contract (shared/contract.md section 2).

Every table row is deterministic: it names its own `today`. The tables are:

* RULE_CASES       one complete Situation per reported rule of rules.yml, with the expected outcome
* boundary tables  MOS launch, CUKR window, UKR reference day, 365 days, end of stay, no refund
* FEE_CASES        stamp duty and card fee per procedure/purpose (facts 1.7, 2.3)
* MISSING_CASES    what is still asked for a partial Situation
* CONVERSATIONS    the questions asked, in order, when a person answers one question at a time
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any, Dict, List, Optional, Set, Tuple

import pytest
from pydantic import ValidationError

from bot.routing import QUESTION_ORDER, Recommendation, Situation, load_rules, recommend

D = datetime.date
TODAY = D(2026, 11, 23)
STAY_ENDS = D(2027, 6, 30)  # a legal stay that is still running on every `today` used below

MOS_LAUNCH = D(2026, 4, 27)
CUKR_OPENS = D(2026, 5, 4)
CUKR_CLOSES = D(2027, 3, 4)
UKR_REFERENCE_DAY = D(2025, 6, 4)
NO_REFUND_FROM = D(2026, 3, 5)

TP, QES, PERSONAL, HAND = "trusted_profile", "qualified_signature", "personal_signature", "handwritten"
UNCONFIRMED_PREFIX = "Not confirmed by an official source yet"
FAMILY_PURPOSES = [
    "family_reunification",
    "family_of_polish_citizen",
    "family_of_eu_citizen",
    "family_of_uk_citizen",
    "family_life_echr",
]


# --- building Situations ------------------------------------------------------------------

#: A non-Ukrainian adult in Poland with a PESEL and a Trusted Profile: every fact known.
ADULT_IN_POLAND: Dict[str, Any] = dict(
    citizenship="IN",
    in_poland=True,
    minor=False,
    has_pesel=True,
    has_trusted_profile=True,
    has_qualified_signature=False,
    permit_expires=STAY_ENDS,
)
#: A Ukrainian who held UKR status on 4 June 2025 and has held it for far more than 365 days.
UKRAINIAN: Dict[str, Any] = dict(citizenship="UA", ukr_status=True, ukr_status_since=D(2024, 3, 1))


def situation(procedure: str, purpose: Optional[str] = None, **overrides: Any) -> Situation:
    """A complete Situation for a non-Ukrainian adult in Poland; `overrides` change single facts."""
    return Situation(**{**ADULT_IN_POLAND, "procedure": procedure, "purpose": purpose, **overrides})


def ukrainian(procedure: str, purpose: Optional[str] = None, **overrides: Any) -> Situation:
    """A complete Situation for a Ukrainian adult in Poland who meets the CUKR conditions."""
    return situation(procedure, purpose, **{**UKRAINIAN, **overrides})


def partial(**fields: Any) -> Situation:
    """A Situation with only the given facts known."""
    return Situation(**fields)


def fired(rec: Recommendation) -> List[str]:
    return [rule.id for rule in rec.rules]


# --- expected outcomes --------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    channel: Optional[str]
    authority: Optional[str]
    signer: Optional[str]
    signature_options: Tuple[str, ...] = ()
    employer_action: Optional[str] = None
    cukr_eligible: bool = False


MOS = Expect("mos", "mos", "applicant", (TP, QES))
MOS_WORK = replace(MOS, employer_action="annex_1_link")
MOS_MINOR = replace(MOS, signer="legal_representative", signature_options=(TP, QES, PERSONAL))
ABROAD_VISA = Expect("other", "consulate", "applicant")  # 10.1: a national visa first
CUKR = replace(MOS, cukr_eligible=True)
PAPER = Expect("paper", "voivode", "applicant", (HAND,))  # paper at the voivode, signed by hand
PAPER_ELSEWHERE = Expect("paper", "voivode", "applicant")  # paper, not prepared by the assistant
CONSULATE = Expect("other", "consulate", "applicant")
PRACA = Expect("other", "praca.gov.pl", "employer", (), "employer_files")
BORDER_GUARD = Expect("other", "border_guard", "applicant")
UNCONFIRMED_CHANNEL = Expect(None, "voivode", "applicant")  # R-CH-11: channel not confirmed
HOST_ENTITY_PAPER = replace(PAPER, signer="host_entity", employer_action="host_entity_files")  # 10.2


def case(rule_id: str, label: str, sit: Situation, expect: Expect, today: datetime.date = TODAY):
    return pytest.param(rule_id, sit, today, expect, id=f"{rule_id} {label}")


# --- 1. one complete case per reported rule -----------------------------------------------

RULE_CASES = [
    # 8.2 CUKR eligibility
    case(
        "R-CU-5-FAMILY",
        "Belarusian family member with UKR status asks for CUKR",
        situation("cukr", citizenship="BY", ukr_status=True, ukr_status_since=D(2024, 3, 1)),
        CUKR,
    ),
    case("R-CU-1", "window closed after 2027-03-04", ukrainian("cukr", "work"), MOS_WORK, today=D(2027, 3, 5)),
    case(
        "R-CU-W",
        "window not open before 2026-05-04: CUKR in MOS from then",
        ukrainian("cukr", "studies"),
        MOS,
        today=D(2026, 4, 30),
    ),
    case("R-CU-2", "no UKR status now", ukrainian("cukr", "work", ukr_status=False), MOS_WORK),
    case(
        "R-CU-3",
        "current UKR status only from 2025-06-05, none on 4 June 2025",
        ukrainian("cukr", "work", ukr_status_since=D(2025, 6, 5), ukr_status_on_2025_06_04=False),
        MOS_WORK,
    ),
    case(
        "R-CU-4",
        "under 365 days of UKR status",
        ukrainian("cukr", "business", ukr_status_since=D(2025, 6, 1)),
        MOS,
        today=D(2026, 5, 20),
    ),
    case("R-CU-5", "all CUKR conditions met", ukrainian("cukr"), CUKR),
    case("R-CU-ROUTE", "ineligible, so temporary residence", ukrainian("cukr", "business", ukr_status=False), MOS),
    case("R-CU-REFUSAL", "eligible Ukrainian", ukrainian("cukr"), CUKR),
    case("R-CU-6", "eligible Ukrainian", ukrainian("cukr"), CUKR),
    case(
        "R-CU-ALT",
        "eligible Ukrainian applying for work residence",
        ukrainian("temporary_residence", "work"),
        replace(MOS_WORK, cukr_eligible=True),
    ),
    case("R-CU-COLLECT", "CUKR in MOS", ukrainian("cukr"), CUKR),
    case("R-CU-7", "CUKR for a child", ukrainian("cukr", minor=True), replace(MOS_MINOR, cukr_eligible=True)),
    # 8.1 channel
    case(
        "R-CH-0",
        "temporary residence before MOS launch",
        situation("temporary_residence", "work"),
        PAPER,
        today=D(2026, 4, 26),
    ),
    case("R-CH-1", "work permit at praca.gov.pl", situation("work_permit"), PRACA),
    case("R-CH-2a", "new visa at a consulate", situation("visa", in_poland=False), CONSULATE),
    case("R-CH-2b", "visa extension at the voivode", situation("visa_extension"), PAPER_ELSEWHERE),
    case("R-CH-3a", "citizenship in Poland", situation("citizenship"), PAPER_ELSEWHERE),
    case("R-CH-3b", "citizenship from abroad", situation("citizenship", in_poland=False), CONSULATE),
    case(
        "R-CH-4-EU",
        "German asks for temporary residence: registration instead",
        situation("temporary_residence", "work", citizenship="DE"),
        PAPER_ELSEWHERE,
    ),
    case(
        "R-CH-4-NONEU",
        "Indian asks for EU registration: the family member's card instead",
        situation("eu_citizen_registration"),
        PAPER_ELSEWHERE,
    ),
    case(
        "R-CH-4-NOTMOS", "EU family card: not in MOS is an inference", situation("eu_family_residence_card"), PAPER_ELSEWHERE
    ),
    case("R-CH-4c", "UK Withdrawal Agreement family card", situation("uk_withdrawal_agreement_card"), PAPER_ELSEWHERE),
    case("R-CH-4a", "EU citizen registration", situation("eu_citizen_registration", citizenship="DE"), PAPER_ELSEWHERE),
    case("R-CH-4b", "EU family residence card", situation("eu_family_residence_card"), PAPER_ELSEWHERE),
    case("R-CH-5", "international protection", situation("international_protection", citizenship="BY"), BORDER_GUARD),
    case("R-CH-6", "CUKR in MOS", ukrainian("cukr"), CUKR),
    case(
        "R-CH-7",
        "intra-corporate transfer on paper by the host entity",
        situation("temporary_residence", "ict"),
        HOST_ENTITY_PAPER,
    ),
    case(
        "R-CH-8",
        "ICT long-term mobility by the host entity",
        situation("temporary_residence", "ict_long_term_mobility"),
        HOST_ENTITY_PAPER,
    ),
    case("R-EM-5", "ICT: the host entity files", situation("temporary_residence", "ict"), HOST_ENTITY_PAPER),
    case(
        "R-EM-5",
        "mobility: the host entity files",
        situation("temporary_residence", "ict_long_term_mobility"),
        HOST_ENTITY_PAPER,
    ),
    case(
        "R-ICT-FIRST",
        "first ICT permit: outside the EU when filed",
        situation("temporary_residence", "ict"),
        HOST_ENTITY_PAPER,
    ),
    case(
        "R-CH-10a",
        "work from abroad: employer's work permit, then a national visa",
        situation("temporary_residence", "work", in_poland=False),
        replace(ABROAD_VISA, employer_action="employer_files"),
    ),
    case(
        "R-CH-10a",
        "studies from abroad: a national visa",
        situation("temporary_residence", "studies", in_poland=False),
        ABROAD_VISA,
    ),
    case(
        "R-CH-9",
        "family reunification from abroad",
        situation("temporary_residence", "family_reunification", in_poland=False),
        replace(PAPER, signer="sponsor"),
    ),
    case("R-CH-10", "temporary residence for work", situation("temporary_residence", "work"), MOS_WORK),
    case("R-CH-11", "change of permit", situation("permit_change", "work"), UNCONFIRMED_CHANNEL),
    case("R-PC-JOB-ENDED", "change of permit", situation("permit_change"), UNCONFIRMED_CHANNEL),
    case("R-PC-NEW-EMPLOYER", "change of permit", situation("permit_change"), UNCONFIRMED_CHANNEL),
    # 8.3 signature
    case("R-SG-1", "ICT paper signed by hand", situation("temporary_residence", "ict"), HOST_ENTITY_PAPER),
    case("R-SG-2", "adult with PESEL and Trusted Profile", situation("permanent_residence"), MOS),
    case(
        "R-SG-3",
        "minor in MOS",
        situation("temporary_residence", "studies", minor=True),
        replace(MOS_MINOR, employer_action="university_annex_link"),
    ),
    case(
        "R-SG-4",
        "no PESEL, has a qualified signature",
        situation(
            "temporary_residence", "business", has_pesel=False, has_trusted_profile=None, has_qualified_signature=True
        ),
        MOS,
    ),
    case("R-SG-5", "adult in MOS", situation("eu_long_term_resident"), MOS),
    # 8.4 employer
    case("R-EM-1", "Blue Card", situation("temporary_residence", "blue_card"), MOS_WORK),
    case("R-EM-1-WINDOW", "seasonal work", situation("temporary_residence", "seasonal_work"), MOS_WORK),
    case(
        "R-EM-2",
        "studies",
        situation("temporary_residence", "studies"),
        replace(MOS, employer_action="university_annex_link"),
    ),
    case(
        "R-EM-3",
        "internship: the organiser gets the link",
        situation("temporary_residence", "internship"),
        replace(MOS, employer_action="organiser_annex_link"),
    ),
    case("R-EM-4", "CUKR: no employer action", ukrainian("cukr", "work"), CUKR),
    # legal stay (Art. 108)
    case(
        "R-ST-1",
        "stay ended yesterday",
        situation("temporary_residence", "work", permit_expires=TODAY - datetime.timedelta(days=1)),
        MOS_WORK,
    ),
    case("R-ST-2", "stay still running", situation("temporary_residence", "work"), MOS_WORK),
    case(
        "R-CH-0-EARLY",
        "stay ends before MOS launch",
        situation("permanent_residence", permit_expires=D(2026, 4, 20)),
        PAPER,
        today=D(2026, 4, 1),
    ),
    # fees
    case("R-FEE-CUKR", "CUKR", ukrainian("cukr"), CUKR),
    case("R-FEE-PR", "permanent residence", situation("permanent_residence"), MOS),
    case("R-FEE-CHANGE", "change of permit", situation("permit_change"), UNCONFIRMED_CHANNEL),
    case("R-FEE-VISA-EXT", "visa extension", situation("visa_extension"), PAPER_ELSEWHERE),
    case("R-FEE-TR-WORK", "work", situation("temporary_residence", "work"), MOS_WORK),
    case("R-FEE-TR-SEASONAL", "seasonal work", situation("temporary_residence", "seasonal_work"), MOS_WORK),
    case("R-FEE-TR-OTHER", "business", situation("temporary_residence", "business"), MOS),
    case("R-FEE-LTR", "EU long-term resident", situation("eu_long_term_resident"), MOS),
    case("R-FEE-NOREFUND-CUKR", "CUKR refund not confirmed", ukrainian("cukr"), CUKR),
    case(
        "R-FEE-CARD-REDUCED",
        "student",
        situation("temporary_residence", "studies"),
        replace(MOS, employer_action="university_annex_link"),
    ),
    case("R-CU-6-DATE", "eligible Ukrainian after 31 August 2026", ukrainian("cukr"), CUKR),
    case("R-CU-6-DATE-AHEAD", "eligible Ukrainian before 31 August 2026", ukrainian("cukr"), CUKR, today=D(2026, 6, 1)),
    case(
        "R-CU-PARENT",
        "a parent asks CUKR for her child",
        ukrainian("cukr", minor=True),
        replace(MOS_MINOR, cukr_eligible=True),
    ),
    case("R-PC-WHEN", "change of permit", situation("permit_change", "work"), UNCONFIRMED_CHANNEL),
    case("R-PR-LTR-ALT", "permanent residence", situation("permanent_residence"), MOS),
    case("R-CH-4-ALT", "spouse of an EU citizen", situation("temporary_residence", "family_of_eu_citizen"), MOS),
    case("R-CU-PROCESSING", "CUKR in MOS", ukrainian("cukr"), CUKR),
    case("R-ST-PR-ABROAD", "permanent residence asked from abroad", situation("permanent_residence", in_poland=False), MOS),
    case("R-FEE-NOREFUND", "MOS filing after 2026-03-05", situation("temporary_residence", "other"), MOS),
    # next steps and notes
    case("R-NX-CUKR", "CUKR", ukrainian("cukr"), CUKR),
    case("R-NX-MOS", "MOS", situation("temporary_residence", "business"), MOS),
    case("R-NX-PAP", "paper before MOS", situation("temporary_residence", "work"), PAPER, today=D(2026, 4, 1)),
    case(
        "R-NX-PAP-LIST",
        "family abroad on paper",
        situation("temporary_residence", "family_life_echr", in_poland=False),
        replace(PAPER, signer="sponsor"),
    ),
    case("R-NX-HELP", "MOS", situation("temporary_residence", "business"), MOS),
    case("R-NX-HELP-MOS", "MOS", situation("temporary_residence", "business"), MOS),
    case("R-VISIT", "summons after MOS filing", situation("permanent_residence"), MOS),
    case(
        "R-CERT",
        "certificate instead of the stamp",
        situation("temporary_residence", "studies"),
        replace(MOS, employer_action="university_annex_link"),
    ),
]


@pytest.mark.parametrize("rule_id, sit, today, expect", RULE_CASES)
def test_rule_fires_with_expected_outcome(rule_id: str, sit: Situation, today: datetime.date, expect: Expect):
    rec = recommend(sit, today)
    assert rec.missing == []
    assert rule_id in fired(rec)
    assert rec.channel == expect.channel
    assert rec.authority == expect.authority
    assert rec.cukr_eligible is expect.cukr_eligible
    assert rec.signature_options == list(expect.signature_options)
    assert rec.signer == expect.signer
    assert rec.employer_action == expect.employer_action


def _reported_rule_ids() -> Set[str]:
    return {rule.id for rule in load_rules().all_rules() if not rule.silent}


def test_every_reported_rule_has_a_case_that_fires_it():
    table_ids = {p.values[0] for p in RULE_CASES}
    fired_ids: Set[str] = set()
    for param in RULE_CASES:
        _, sit, today, _ = param.values
        fired_ids.update(fired(recommend(sit, today)))
    assert sorted(_reported_rule_ids() - table_ids) == [], "rules without a row in RULE_CASES"
    assert sorted(_reported_rule_ids() - fired_ids) == [], "rules never fired by RULE_CASES"
    assert sorted(table_ids - _reported_rule_ids()) == [], "rows naming rules that do not exist"


# --- 2. date boundaries -------------------------------------------------------------------


@pytest.mark.parametrize(
    "today, channel, rule_id, absent",
    [
        pytest.param(D(2026, 4, 26), "paper", "R-CH-0", "R-CH-10", id="2026-04-26 last paper day"),
        pytest.param(D(2026, 4, 27), "mos", "R-CH-10", "R-CH-0", id="2026-04-27 MOS launch"),
    ],
)
def test_mos_launch(today, channel, rule_id, absent):
    rec = recommend(situation("temporary_residence", "business"), today)
    assert rec.missing == []
    assert rec.channel == channel
    assert rule_id in fired(rec) and absent not in fired(rec)
    received_by = [w for w in rec.warnings if "RECEIVES" in w]
    if channel == "paper":
        assert rec.signature_options == [HAND]
        assert len(received_by) == 1 and "April 26, 2026" in received_by[0]
    else:
        assert received_by == []


@pytest.mark.parametrize(
    "today, eligible, cukr_rule, channel_rule",
    [
        pytest.param(D(2026, 5, 3), False, "R-CU-W", "R-CH-6", id="2026-05-03 not open yet"),
        pytest.param(CUKR_OPENS, True, "R-CU-5", "R-CH-6", id="2026-05-04 opens"),
        pytest.param(CUKR_CLOSES, True, "R-CU-5", "R-CH-6", id="2027-03-04 last day"),
        pytest.param(D(2027, 3, 5), False, "R-CU-1", "R-CH-10", id="2027-03-05 closed"),
    ],
)
def test_cukr_window(today, eligible, cukr_rule, channel_rule):
    rec = recommend(ukrainian("cukr", "business"), today)
    assert rec.missing == []
    assert rec.cukr_eligible is eligible
    assert cukr_rule in fired(rec) and channel_rule in fired(rec)
    before_window = today < CUKR_OPENS
    # Before the window opens the person waits for CUKR; after it closes, another basis is needed.
    assert rec.procedure == ("cukr" if eligible or before_window else "temporary_residence")
    if not eligible and not before_window:
        assert "R-CU-ROUTE" in fired(rec) and "R-CH-6" not in fired(rec)
    if before_window:
        assert "R-CU-ROUTE" not in fired(rec) and rec.steps[0].startswith("CUKR applications open in MOS on")


@pytest.mark.parametrize(
    "since, eligible, rule_id",
    [
        pytest.param(D(2025, 6, 3), True, "R-CU-5", id="since 2025-06-03"),
        pytest.param(UKR_REFERENCE_DAY, True, "R-CU-5", id="since 2025-06-04 held on the day"),
        pytest.param(D(2025, 6, 5), False, "R-CU-3", id="since 2025-06-05 not held on the day"),
    ],
)
def test_ukr_status_on_reference_day(since, eligible, rule_id):
    rec = recommend(
        ukrainian("cukr", "work", ukr_status_since=since, ukr_status_on_2025_06_04=since <= UKR_REFERENCE_DAY), TODAY
    )
    assert rec.cukr_eligible is eligible
    assert rule_id in fired(rec)


@pytest.mark.parametrize(
    "today, eligible, rule_id",
    [
        pytest.param(UKR_REFERENCE_DAY + datetime.timedelta(days=364), False, "R-CU-4", id="364 days (2026-06-03)"),
        pytest.param(UKR_REFERENCE_DAY + datetime.timedelta(days=365), True, "R-CU-5", id="365 days (2026-06-04)"),
    ],
)
def test_365_days_of_ukr_status(today, eligible, rule_id):
    rec = recommend(ukrainian("cukr", "work", ukr_status_since=UKR_REFERENCE_DAY), today)
    assert rec.cukr_eligible is eligible
    assert rule_id in fired(rec)
    if not eligible:
        assert any("June 4, 2026" in step for step in rec.steps), "the re-check step names the day of 365 days"


@pytest.mark.parametrize(
    "expires, in_poland, present, absent",
    [
        pytest.param(TODAY - datetime.timedelta(days=1), True, {"R-ST-1"}, {"R-ST-2"}, id="expired yesterday"),
        pytest.param(TODAY, True, {"R-ST-2"}, {"R-ST-1"}, id="expires today"),
        pytest.param(TODAY + datetime.timedelta(days=1), True, {"R-ST-2"}, {"R-ST-1"}, id="expires tomorrow"),
        pytest.param(TODAY - datetime.timedelta(days=1), False, set(), {"R-ST-1", "R-ST-2"}, id="abroad: no stay warning"),
    ],
)
def test_end_of_legal_stay(expires, in_poland, present, absent):
    rec = recommend(situation("temporary_residence", "work", permit_expires=expires, in_poland=in_poland), TODAY)
    assert rec.missing == []
    assert present <= set(fired(rec))
    assert not absent & set(fired(rec))


@pytest.mark.parametrize(
    "today, expires, present, absent",
    [
        pytest.param(D(2026, 4, 1), D(2026, 4, 20), "R-CH-0-EARLY", {"R-ST-1", "R-ST-2"}, id="ends 04-20, before launch"),
        pytest.param(D(2026, 4, 1), D(2026, 4, 26), "R-CH-0-EARLY", {"R-ST-1", "R-ST-2"}, id="ends 04-26, before launch"),
        pytest.param(D(2026, 4, 1), MOS_LAUNCH, "R-ST-2", {"R-CH-0-EARLY", "R-ST-1"}, id="ends on launch day"),
        pytest.param(D(2026, 4, 1), D(2026, 3, 31), "R-ST-1", {"R-CH-0-EARLY", "R-ST-2"}, id="already ended"),
        pytest.param(MOS_LAUNCH, D(2026, 4, 26), "R-ST-1", {"R-CH-0-EARLY", "R-ST-2"}, id="today is launch day"),
    ],
)
def test_stay_ending_before_mos_launch(today, expires, present, absent):
    rec = recommend(situation("temporary_residence", "work", permit_expires=expires), today)
    assert rec.missing == []
    assert present in fired(rec)
    assert not absent & set(fired(rec))


@pytest.mark.parametrize(
    "procedure, today, refund_warning",
    [
        pytest.param("visa_extension", D(2026, 3, 4), False, id="visa extension 2026-03-04"),
        pytest.param("visa_extension", NO_REFUND_FROM, True, id="visa extension 2026-03-05"),
        pytest.param("permit_change", D(2026, 3, 4), False, id="change of permit 2026-03-04"),
        pytest.param("permit_change", NO_REFUND_FROM, True, id="change of permit 2026-03-05"),
    ],
)
def test_no_refund_from_5_march_2026(procedure, today, refund_warning):
    rec = recommend(situation(procedure), today)
    assert ("R-FEE-NOREFUND" in fired(rec)) is refund_warning
    assert any("not refunded" in w for w in rec.warnings) is refund_warning


# --- family purposes (R-CH-9 / R-CH-10 / R-EM-4) ---------------------------------------------


@pytest.mark.parametrize("purpose", FAMILY_PURPOSES)
@pytest.mark.parametrize(
    "in_poland, channel_rule, expect",
    [
        pytest.param(False, "R-CH-9", replace(PAPER, signer="sponsor"), id="abroad: paper by the sponsor"),
        pytest.param(True, "R-CH-10", MOS, id="in Poland: MOS"),
    ],
)
def test_family_purposes(purpose, in_poland, channel_rule, expect):
    rec = recommend(situation("temporary_residence", purpose, in_poland=in_poland), TODAY)
    assert rec.missing == []
    assert channel_rule in fired(rec)
    assert (rec.channel, rec.authority, rec.signer) == (expect.channel, expect.authority, expect.signer)
    assert rec.signature_options == list(expect.signature_options)
    assert rec.employer_action is None


# --- fees (facts 1.7 and 2.3) -------------------------------------------------------------

FEE_CASES = [
    pytest.param(ukrainian("cukr"), 340, 100, id="CUKR"),
    pytest.param(situation("permanent_residence"), 640, 100, id="permanent residence"),
    pytest.param(situation("eu_long_term_resident"), 640, 100, id="EU long-term resident"),
    pytest.param(situation("permit_change"), 220, None, id="change of permit"),
    pytest.param(situation("visa_extension"), 406, None, id="visa extension"),
    pytest.param(situation("temporary_residence", "work"), 440, 100, id="work"),
    pytest.param(situation("temporary_residence", "blue_card"), 440, 100, id="Blue Card"),
    pytest.param(situation("temporary_residence", "ict"), 440, 100, id="ICT"),
    pytest.param(situation("temporary_residence", "ict_long_term_mobility"), 440, 100, id="ICT mobility"),
    pytest.param(situation("temporary_residence", "seasonal_work"), 170, 100, id="seasonal work"),
    pytest.param(situation("temporary_residence", "studies"), 340, 100, id="studies"),
    pytest.param(situation("temporary_residence", "business"), 340, 100, id="business"),
    pytest.param(situation("temporary_residence", "family_reunification"), 340, 100, id="family"),
    pytest.param(situation("temporary_residence", "other"), 340, 100, id="other"),
    pytest.param(situation("temporary_residence", "research"), None, None, id="research: not in the fee tables read"),
    pytest.param(situation("temporary_residence", "internship"), None, None, id="internship: not in the fee tables read"),
    pytest.param(situation("work_permit"), None, None, id="work permit: not a residence fee"),
    pytest.param(situation("citizenship"), None, None, id="citizenship: not a residence fee"),
]


@pytest.mark.parametrize("sit, stamp_duty, card_fee", FEE_CASES)
def test_fees(sit, stamp_duty, card_fee):
    rec = recommend(sit, TODAY)
    assert rec.missing == []
    assert (rec.fees.stamp_duty_pln, rec.fees.card_fee_pln) == (stamp_duty, card_fee)


# --- 3. missing ---------------------------------------------------------------------------

CUKR_OK = dict(procedure="cukr", **UKRAINIAN)


def missing_case(sit: Situation, expected: List[str], label: str, today: datetime.date = TODAY):
    return pytest.param(sit, expected, today, id=label)


MISSING_CASES = [
    missing_case(partial(), ["procedure", "citizenship"], "empty"),
    missing_case(partial(citizenship="IN"), ["procedure"], "only citizenship"),
    missing_case(partial(procedure="temporary_residence"), ["citizenship"], "only procedure: EU citizen or not"),
    missing_case(partial(procedure="work_permit", citizenship="IN"), [], "work permit needs nothing more"),
    missing_case(partial(procedure="visa", citizenship="IN"), [], "visa needs nothing more"),
    missing_case(partial(procedure="permit_change", citizenship="IN"), [], "permit change needs nothing more"),
    missing_case(partial(procedure="citizenship", citizenship="IN"), ["in_poland"], "citizenship asks in_poland"),
    missing_case(partial(procedure="work_permit", citizenship="UA"), [], "work permit: no UKR questions"),
    missing_case(partial(procedure="permit_change", citizenship="UA"), [], "permit change: no UKR questions"),
    missing_case(partial(procedure="temporary_residence", citizenship="IN"), ["purpose"], "residence asks purpose"),
    missing_case(
        partial(procedure="temporary_residence", citizenship="IN", purpose="family_reunification"),
        ["in_poland"],
        "family purpose asks in_poland",
    ),
    missing_case(
        partial(procedure="temporary_residence", citizenship="IN", purpose="ict"), ["in_poland"], "ICT asks only in_poland"
    ),
    missing_case(
        partial(procedure="temporary_residence", citizenship="IN", purpose="ict_long_term_mobility"),
        [],
        "ICT mobility needs nothing more",
    ),
    missing_case(
        partial(procedure="temporary_residence", citizenship="IN", purpose="family_reunification", in_poland=False),
        [],
        "family abroad needs nothing more",
    ),
    missing_case(
        partial(procedure="temporary_residence", citizenship="IN", purpose="work", in_poland=True),
        ["permit_expires", "minor"],
        "MOS in Poland asks end of stay and minor",
    ),
    missing_case(
        partial(procedure="temporary_residence", citizenship="IN", purpose="work", in_poland=False),
        [],
        "from abroad: a national visa, nothing more",
    ),
    missing_case(
        partial(procedure="permanent_residence", citizenship="IN", in_poland=True, permit_expires=STAY_ENDS),
        ["minor"],
        "permanent residence asks no purpose",
    ),
    missing_case(
        partial(procedure="permanent_residence", citizenship="IN", in_poland=True, permit_expires=STAY_ENDS, minor=False),
        ["has_trusted_profile"],
        "adult MOS asks the Trusted Profile first",
    ),
    missing_case(
        partial(
            procedure="permanent_residence",
            citizenship="IN",
            in_poland=True,
            permit_expires=STAY_ENDS,
            minor=False,
            has_trusted_profile=False,
        ),
        ["has_pesel"],
        "no PZ asks PESEL",
    ),
    missing_case(
        partial(
            procedure="permanent_residence",
            citizenship="IN",
            in_poland=True,
            permit_expires=STAY_ENDS,
            minor=False,
            has_trusted_profile=False,
            has_pesel=False,
        ),
        ["has_qualified_signature"],
        "no PESEL asks QES",
    ),
    missing_case(
        partial(procedure="permanent_residence", citizenship="IN", in_poland=True, permit_expires=STAY_ENDS, minor=True),
        [],
        "minor is not asked about PESEL",
    ),
    missing_case(partial(procedure="cukr", citizenship="UA"), ["ukr_status"], "CUKR asks UKR status"),
    missing_case(partial(procedure="cukr", citizenship="UA", ukr_status=True), ["ukr_status_since"], "CUKR asks since when"),
    missing_case(
        partial(procedure="cukr", citizenship="UA", ukr_status=True, ukr_status_since=D(2025, 9, 1)),
        ["ukr_status_on_2025_06_04"],
        "current status began after 4 June 2025: asks about that day",
    ),
    missing_case(partial(**CUKR_OK), ["minor"], "eligible CUKR asks minor, no purpose, no end of stay"),
    missing_case(partial(**CUKR_OK, minor=False), ["has_trusted_profile"], "adult CUKR: PESEL UKR known, asks PZ"),
    missing_case(partial(**CUKR_OK, minor=True), [], "child CUKR complete"),
    missing_case(partial(procedure="cukr", citizenship="IN"), ["ukr_status"], "non-UA CUKR: family member with status?"),
    missing_case(
        partial(procedure="cukr", citizenship="UA"),
        ["purpose"],
        "UA after the window: purpose, not status",
        today=D(2027, 3, 5),
    ),
]


@pytest.mark.parametrize("sit, expected_missing, today", MISSING_CASES)
def test_missing(sit: Situation, expected_missing: List[str], today: datetime.date):
    """`ask_next` is what the next decision waits for; `missing` all that may still be needed, led by it."""
    rec = recommend(sit, today)
    assert rec.ask_next == expected_missing
    assert set(rec.ask_next) <= set(rec.missing)
    assert bool(rec.missing) == bool(rec.ask_next)
    if rec.missing:
        assert rec.missing.index(rec.ask_next[0]) == min(rec.missing.index(f) for f in rec.ask_next)


def test_missing_lists_every_fact_still_needed_not_only_the_next():
    # issue 12, contract section 2: the purpose is still needed beside the citizenship
    rec = recommend(partial(procedure="temporary_residence", in_poland=True), TODAY)
    assert rec.missing[0] == "citizenship"
    assert "purpose" in rec.missing
    assert rec.missing.index("citizenship") < rec.missing.index("purpose")
    assert "in_poland" not in rec.missing
    # once the answers lead elsewhere, what is no longer needed leaves the list
    eu = recommend(partial(procedure="temporary_residence", in_poland=True, citizenship="DE"), TODAY)
    assert "purpose" not in eu.missing and "ukr_status" not in eu.missing


def test_a_non_ukrainian_is_not_told_about_cukr():
    # issue 12: an Indian worker saw "CUKR: no" and R-CU-0 in the legal basis
    from bot.render import as_text

    rec = recommend(situation("temporary_residence", "work"), TODAY)
    assert rec.cukr_eligible is False
    assert "R-CU-0" not in fired(rec) and not any(r.startswith("R-CU") for r in fired(rec))
    assert "CUKR" not in as_text(rec)


@pytest.mark.parametrize("procedure", ["permanent_residence", "eu_long_term_resident"])
def test_a_ukrainian_without_ukr_status_is_not_cukr_eligible(procedure):
    # contract section 2: false for anyone whose CUKR conditions are not met, never null then
    rec = recommend(partial(procedure=procedure, citizenship="UA", ukr_status=False), TODAY)
    assert rec.cukr_eligible is False
    assert not any(r.startswith("R-CU") for r in fired(rec))


@pytest.mark.parametrize("sit, expected_missing, today", MISSING_CASES)
def test_missing_order_and_undecided_outcome(sit: Situation, expected_missing: List[str], today: datetime.date):
    rec = recommend(sit, today)
    assert rec.missing == sorted(set(rec.missing), key=QUESTION_ORDER.index), "unique, in QUESTION_ORDER"
    assert not set(rec.missing) & {name for name, value in sit.dict().items() if value is not None}
    if sit.citizenship is None:
        assert rec.cukr_eligible is None
    elif sit.citizenship != "UA" and sit.procedure != "cukr":
        assert rec.cukr_eligible is False


@pytest.mark.parametrize(
    "procedure",
    [
        "temporary_residence",
        "permanent_residence",
        "eu_long_term_resident",
        "work_permit",
        "visa",
        "visa_extension",
        "citizenship",
        "eu_citizen_registration",
        "eu_family_residence_card",
        "uk_withdrawal_agreement_card",
        "international_protection",
        "permit_change",
    ],
)
@pytest.mark.parametrize("today", [D(2026, 4, 1), TODAY, D(2027, 6, 1)], ids=str)
def test_non_ukrainians_are_never_asked_about_ukr_status(procedure, today):
    rec = recommend(partial(procedure=procedure, citizenship="BY"), today)
    assert not {"ukr_status", "ukr_status_since"} & set(rec.missing)
    assert rec.cukr_eligible is False


# A conversation: each turn answers only the first missing question. The questions asked, in order,
# are exactly the ones that can change the answer.
CONVERSATIONS = [
    pytest.param(
        dict(procedure="work_permit", citizenship="IN", purpose="work", in_poland=True, has_pesel=False),
        ["procedure", "citizenship"],
        id="work permit: no purpose, in_poland or PESEL",
    ),
    pytest.param(
        dict(
            procedure="temporary_residence",
            citizenship="IN",
            purpose="work",
            in_poland=True,
            permit_expires=STAY_ENDS,
            minor=False,
            has_pesel=True,
            has_trusted_profile=False,
        ),
        ["procedure", "citizenship", "purpose", "in_poland", "permit_expires", "minor", "has_trusted_profile", "has_pesel"],
        id="adult worker in Poland",
    ),
    pytest.param(
        dict(
            procedure="temporary_residence",
            citizenship="IN",
            purpose="work",
            in_poland=True,
            permit_expires=STAY_ENDS,
            minor=False,
            has_pesel=False,
            has_qualified_signature=False,
            has_trusted_profile=False,
        ),
        [
            "procedure",
            "citizenship",
            "purpose",
            "in_poland",
            "permit_expires",
            "minor",
            "has_trusted_profile",
            "has_pesel",
            "has_qualified_signature",
        ],
        id="no PZ, no PESEL: QES asked",
    ),
    pytest.param(
        dict(
            procedure="temporary_residence",
            citizenship="IN",
            purpose="work",
            in_poland=True,
            permit_expires=STAY_ENDS,
            minor=False,
            has_trusted_profile=True,
        ),
        ["procedure", "citizenship", "purpose", "in_poland", "permit_expires", "minor", "has_trusted_profile"],
        id="Trusted Profile: PESEL not asked",
    ),
    pytest.param(
        dict(
            procedure="temporary_residence",
            citizenship="IN",
            purpose="studies",
            in_poland=True,
            permit_expires=STAY_ENDS,
            minor=True,
            has_pesel=False,
        ),
        ["procedure", "citizenship", "purpose", "in_poland", "permit_expires", "minor"],
        id="minor: no PESEL question",
    ),
    pytest.param(
        dict(
            procedure="temporary_residence",
            citizenship="IN",
            purpose="family_of_eu_citizen",
            in_poland=False,
            minor=False,
            has_pesel=False,
        ),
        ["procedure", "citizenship", "purpose", "in_poland"],
        id="family abroad: paper, no signature questions",
    ),
    pytest.param(
        dict(
            procedure="cukr",
            citizenship="UA",
            ukr_status=True,
            ukr_status_since=D(2024, 3, 1),
            purpose="work",
            in_poland=True,
            minor=True,
        ),
        ["procedure", "citizenship", "ukr_status", "ukr_status_since", "minor"],
        id="CUKR for a child",
    ),
    pytest.param(
        dict(procedure="visa", citizenship="UA", ukr_status=False, in_poland=True),
        ["procedure", "citizenship"],
        id="Ukrainian asking for a visa: no UKR questions",
    ),
]


@pytest.mark.parametrize("answers, expected_questions", CONVERSATIONS)
def test_conversation_asks_only_what_changes_the_answer(answers: Dict[str, Any], expected_questions: List[str]):
    known: Dict[str, Any] = {}
    asked: List[str] = []
    for _ in range(len(QUESTION_ORDER) + 1):
        rec = recommend(Situation(**known), TODAY)
        if not rec.missing:
            break
        question = rec.missing[0]
        assert question not in asked, f"{question} asked twice"
        assert question in answers, f"{question} asked, but it cannot change this answer"
        asked.append(question)
        known[question] = answers[question]
    assert asked == expected_questions
    assert rec.missing == []


# --- 4. contract invariants over every complete case --------------------------------------


def _complete_cases() -> List[Tuple[str, Situation, datetime.date]]:
    cases = [(p.id, p.values[1], p.values[2]) for p in RULE_CASES]
    cases += [(f"fees {p.id}", p.values[0], TODAY) for p in FEE_CASES]
    for today in (
        D(2026, 3, 4),
        D(2026, 4, 26),
        MOS_LAUNCH,
        D(2026, 5, 3),
        CUKR_OPENS,
        D(2026, 6, 3),
        CUKR_CLOSES,
        D(2027, 3, 5),
    ):
        cases.append((f"CUKR child {today}", ukrainian("cukr", "studies", minor=True), today))
        cases.append((f"UA ICT {today}", ukrainian("temporary_residence", "ict", ukr_status_since=UKR_REFERENCE_DAY), today))
    return cases


COMPLETE_CASES = [pytest.param(sit, today, id=label) for label, sit, today in _complete_cases()]
RULE_BOOK = load_rules()


@pytest.mark.parametrize("sit, today", COMPLETE_CASES)
def test_contract_invariants(sit: Situation, today: datetime.date):
    rec = recommend(sit, today)
    assert rec.missing == []
    # cukr_eligible: False for anyone neither Ukrainian nor holding UKR status
    if sit.citizenship != "UA" and not sit.ukr_status:
        assert rec.cukr_eligible is False
    if sit.procedure in ("cukr", "temporary_residence") or sit.citizenship != "UA":
        assert isinstance(rec.cukr_eligible, bool)
    # the personal signature (Polish e-ID) is only for a legal representative of a minor
    if not sit.minor:
        assert PERSONAL not in rec.signature_options
    assert set(rec.signature_options) <= {TP, QES, PERSONAL, HAND}
    assert rec.channel in {"mos", "paper", "other", None}
    assert rec.signer in {"applicant", "legal_representative", "sponsor", "host_entity", "employer"}
    assert rec.employer_action in {
        "annex_1_link",
        "university_annex_link",
        "organiser_annex_link",
        "host_entity_files",
        "employer_files",
        None,
    }


@pytest.mark.parametrize(
    "sit, today", COMPLETE_CASES + [pytest.param(p.values[0], p.values[2], id=f"partial {p.id}") for p in MISSING_CASES]
)
def test_fired_rules_and_texts(sit: Situation, today: datetime.date):
    rec = recommend(sit, today)
    assert len(set(fired(rec))) == len(rec.rules), "a rule is reported once"
    for rule in rec.rules:
        assert rule.title and rule.legal_basis, rule.id
        assert rule.sources, f"{rule.id} has no sources"
        assert all(url.startswith(("http://", "https://")) for url in rule.sources), rule.id
        assert isinstance(rule.confirmed, bool)
        assert rule.confirmed == (RULE_BOOK.rule(rule.id).status in {"C-off", "C-sec"}), rule.id
        if not rule.confirmed:
            notes = [w for w in rec.warnings if w.startswith(UNCONFIRMED_PREFIX) and rule.title in w]
            assert len(notes) == 1, f"{rule.id} is unconfirmed but not flagged"
    flagged = [w for w in rec.warnings if w.startswith(UNCONFIRMED_PREFIX)]
    assert len(flagged) == sum(not r.confirmed for r in rec.rules)
    assert rec.unconfirmed == [r.id for r in rec.rules if not r.confirmed]
    for text in rec.steps + rec.warnings:
        assert isinstance(text, str) and text.strip()
        assert "{" not in text and "}" not in text, f"unfilled placeholder in {text!r}"
        assert "None" not in text, f"an unknown value printed in {text!r}"
    assert len(set(rec.steps)) == len(rec.steps) and len(set(rec.warnings)) == len(rec.warnings)
    for link in rec.links:
        assert link.label and link.url.startswith("https://")


@pytest.mark.parametrize("sit, today", COMPLETE_CASES[::5] + [pytest.param(partial(), TODAY, id="empty")])
def test_recommend_is_pure(sit: Situation, today: datetime.date):
    before = sit.copy(deep=True)
    first = recommend(sit, today)
    second = recommend(sit, today)
    assert first == second
    assert first.dict() == second.dict()
    assert sit == before, "the Situation is not changed"


def test_citizenship_unknown_leaves_cukr_undecided():
    rec = recommend(partial(procedure="temporary_residence", purpose="work"), TODAY)
    assert rec.cukr_eligible is None
    assert "citizenship" in rec.missing


# --- 5. validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param(dict(citizenship="ukr"), id="alpha-3 citizenship"),
        pytest.param(dict(citizenship="U"), id="one-letter citizenship"),
        pytest.param(dict(citizenship="U1"), id="digit in citizenship"),
        pytest.param(dict(citizenship="ZZ"), id="not an ISO 3166 code"),
        pytest.param(dict(nationality="UA"), id="unknown field"),
        pytest.param(dict(procedure="residence"), id="unknown procedure"),
        pytest.param(dict(purpose="tourism"), id="unknown purpose"),
        pytest.param(dict(permit_expires="soon"), id="not a date"),
    ],
)
def test_invalid_situation_is_rejected(fields):
    with pytest.raises(ValidationError):
        Situation(**fields)


@pytest.mark.parametrize("given", ["ua", "Ua", " ua ", "UA"])
def test_citizenship_is_upper_cased(given):
    assert Situation(citizenship=given).citizenship == "UA"


def test_situation_values_are_plain_strings_and_dates():
    sit = Situation(procedure="cukr", ukr_status_since="2025-06-04")
    assert sit.procedure == "cukr"
    assert sit.ukr_status_since == UKR_REFERENCE_DAY


# --- 6. corrections found while reviewing the rules against facts.md -----------------------


@pytest.mark.parametrize(
    "sit",
    [
        pytest.param(partial(procedure="cukr", citizenship="UA"), id="UKR status unknown"),
        pytest.param(partial(procedure="cukr", citizenship="UA", ukr_status=True), id="start of status unknown"),
    ],
)
def test_cukr_stays_null_only_while_its_own_facts_are_unknown(sit):
    """Contract (revised): a part is null only while its own facts are unknown, and `missing` asks them."""
    rec = recommend(sit, TODAY)
    assert rec.cukr_eligible is None
    assert rec.missing and rec.missing[0] in ("ukr_status", "ukr_status_since")


@pytest.mark.parametrize(
    "sit, today",
    [
        pytest.param(situation("temporary_residence", "ict"), TODAY, id="ICT on paper"),
        pytest.param(situation("temporary_residence", "ict_long_term_mobility"), TODAY, id="mobility on paper"),
        pytest.param(
            situation("temporary_residence", "family_reunification", in_poland=False), TODAY, id="family abroad on paper"
        ),
        pytest.param(situation("temporary_residence", "work"), D(2026, 4, 1), id="paper before MOS"),
    ],
)
def test_no_refund_warning_covers_paper_filings(sit, today):
    assert "R-FEE-NOREFUND" in fired(recommend(sit, today))


@pytest.mark.parametrize(
    "purpose, signer, employer_action, rule_id",
    [
        ("ict", "host_entity", "host_entity_files", "R-CH-7"),
        ("ict_long_term_mobility", "host_entity", "host_entity_files", "R-CH-8"),
    ],
)
def test_closed_list_rules_also_apply_before_mos(purpose, signer, employer_action, rule_id):
    rec = recommend(situation("temporary_residence", purpose), D(2026, 4, 1))
    assert (rec.channel, rec.signer, rec.employer_action) == ("paper", signer, employer_action)
    assert rule_id in fired(rec) and "R-CH-0" not in fired(rec)


def test_family_abroad_before_mos_is_filed_by_the_sponsor():
    rec = recommend(situation("temporary_residence", "family_reunification", in_poland=False), D(2026, 4, 1))
    assert (rec.channel, rec.signer) == ("paper", "sponsor") and "R-CH-9" in fired(rec)


# --- 7. issue 15, item 6: parts of a situation the recommendation left out -------------------

LANGUAGES = ["en", "pl", "uk", "ru"]
#: The situation of the report: an adult Ukrainian with UKR status since 2023 asks for CUKR.
CUKR_ADULT = partial(
    procedure="cukr",
    citizenship="UA",
    ukr_status=True,
    ukr_status_since=D(2023, 1, 1),
    minor=False,
    has_trusted_profile=True,
)


def test_a_parent_asking_cukr_for_her_child_is_told_to_check_her_own():
    """facts 2.2: the CUKR conditions hold for every Ukrainian citizen or family member with UKR status."""
    parent = recommend(ukrainian("cukr", minor=True), TODAY)
    own = [w for w in parent.warnings if "hold UKR status yourself" in w]
    assert "R-CU-PARENT" in fired(parent) and "R-CU-PARENT" not in parent.unconfirmed and len(own) == 1
    # facts.md does not say whether parent and child file one application or two: not claimed
    assert "separate" not in own[0]
    assert "R-CU-PARENT" not in fired(recommend(ukrainian("cukr", minor=False), TODAY)), "an adult asks for herself"
    assert "R-CU-PARENT" not in fired(recommend(ukrainian("cukr", minor=True), D(2027, 3, 5))), "the window closed"
    for lang in LANGUAGES:
        assert len(recommend(ukrainian("cukr", minor=True), TODAY, lang).warnings) == len(parent.warnings)


def test_a_change_of_permit_says_when_it_is_needed_and_the_15_days_only_for_a_lost_job():
    """facts 10.3 (S67, S68): a new employer needs a change; the 15 working days follow the loss of a job."""
    rec = recommend(situation("permit_change", "work"), TODAY)
    assert "R-PC-WHEN" in fired(rec) and "R-PC-WHEN" not in rec.unconfirmed
    when = [i for i, s in enumerate(rec.steps) if "employer changes" in s and "temping agency" in s]
    ended = [i for i, s in enumerate(rec.steps) if "job has ended" in s]
    assert len(when) == 1 and len(ended) == 1 and when[0] < ended[0]
    assert all("job has ended" in s for s in rec.steps if "15 working days" in s)


@pytest.mark.parametrize(
    "sit, shown",
    [
        pytest.param(situation("permanent_residence"), True, id="permanent residence"),
        pytest.param(situation("permanent_residence", in_poland=False), True, id="permanent residence from abroad"),
        pytest.param(situation("eu_long_term_resident"), False, id="already the EU long-term resident permit"),
        pytest.param(situation("temporary_residence", "work"), False, id="temporary residence"),
        pytest.param(situation("permanent_residence", citizenship="DE"), False, id="EU citizen registers instead"),
    ],
)
def test_permanent_residence_names_the_eu_long_term_resident_permit(sit, shown):
    """facts 1.4, 1.7: a separate permit with the same 640 PLN; facts.md gives none of its conditions."""
    rec = recommend(sit, TODAY)
    steps = [s for s in rec.steps if "EU long-term resident status is a separate permit" in s]
    assert ("R-PR-LTR-ALT" in fired(rec)) == shown and len(steps) == int(shown)
    if shown:
        assert "640 PLN" in steps[0] and "not covered here" in steps[0]


@pytest.mark.parametrize(
    "sit, shown",
    [
        pytest.param(situation("temporary_residence", "family_of_eu_citizen"), True, id="non-EU spouse of an EU citizen"),
        pytest.param(situation("temporary_residence", "family_of_eu_citizen", in_poland=False), True, id="from abroad"),
        pytest.param(situation("temporary_residence", "family_of_polish_citizen"), False, id="spouse of a Pole"),
        pytest.param(situation("temporary_residence", "family_of_eu_citizen", citizenship="FR"), False, id="EU citizen"),
    ],
)
def test_family_of_an_eu_citizen_hears_of_the_karta_pobytowa(sit, shown):
    """facts R-CH-4, 10.5: the non-EU family member's residence card is lodged in person, not in MOS."""
    rec = recommend(sit, TODAY)
    steps = [s for s in rec.steps if "karta pobytowa" in s and "not in MOS" in s]
    assert ("R-CH-4-ALT" in fired(rec)) == shown and len(steps) == int(shown)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "sit", [pytest.param(CUKR_ADULT, id="adult"), pytest.param(ukrainian("cukr", minor=True), id="child")]
)
def test_a_cukr_recommendation_says_each_unconfirmed_fact_once(sit, lang):
    """engine.py tells each unconfirmed rule as 'Not confirmed: <title>'; its own texts must not say it again."""
    rec = recommend(sit, TODAY, lang)
    assert {"R-CU-REFUSAL", "R-CU-PROCESSING", "R-CU-COLLECT", "R-CU-6-DATE"} <= set(rec.unconfirmed)
    for rule_id in rec.unconfirmed:
        assert not any(c.warnings for c in RULE_BOOK.rule(rule_id).cases), f"{rule_id} says its fact twice"
    texts = rec.steps + rec.warnings
    for needle in ("180", "SIS", " 60 ", "31"):
        assert len([t for t in texts if needle in t]) == 1, (needle, [t for t in texts if needle in t])
