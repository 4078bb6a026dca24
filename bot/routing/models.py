"""The engine's input and output, exactly as ../shared/contract.md section 2 names them."""

from __future__ import annotations

import datetime
from enum import Enum
import re
from typing import Any, List, Optional

import pycountry
from pydantic import BaseModel, Extra, StrictBool, validator


#: Codes in use but outside ISO 3166-1 (Kosovo: passports and the EU use XK).
USER_ASSIGNED_CODES = {"XK"}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Temporary protection for people fleeing Ukraine starts with the invasion (specustawa, Art. 1).
UKR_STATUS_FIRST_DAY = datetime.date(2022, 2, 24)


class Procedure(str, Enum):
    temporary_residence = "temporary_residence"
    permanent_residence = "permanent_residence"
    eu_long_term_resident = "eu_long_term_resident"
    cukr = "cukr"
    work_permit = "work_permit"
    visa = "visa"
    visa_extension = "visa_extension"
    citizenship = "citizenship"
    eu_citizen_registration = "eu_citizen_registration"
    eu_family_residence_card = "eu_family_residence_card"
    uk_withdrawal_agreement_card = "uk_withdrawal_agreement_card"
    international_protection = "international_protection"
    permit_change = "permit_change"


class Purpose(str, Enum):
    work = "work"
    blue_card = "blue_card"
    seasonal_work = "seasonal_work"
    ict = "ict"
    ict_long_term_mobility = "ict_long_term_mobility"
    studies = "studies"
    research = "research"
    internship = "internship"
    business = "business"
    family_reunification = "family_reunification"
    family_of_polish_citizen = "family_of_polish_citizen"
    family_of_eu_citizen = "family_of_eu_citizen"
    family_of_uk_citizen = "family_of_uk_citizen"
    family_life_echr = "family_life_echr"
    other = "other"


class Situation(BaseModel):
    """What is known about the foreigner; every field optional, unknown is None."""

    procedure: Optional[Procedure] = None
    purpose: Optional[Purpose] = None
    in_poland: Optional[StrictBool] = None
    citizenship: Optional[str] = None
    ukr_status: Optional[StrictBool] = None
    ukr_status_since: Optional[datetime.date] = None
    ukr_status_on_2025_06_04: Optional[StrictBool] = None
    minor: Optional[StrictBool] = None
    has_pesel: Optional[StrictBool] = None
    has_trusted_profile: Optional[StrictBool] = None
    has_qualified_signature: Optional[StrictBool] = None
    permit_expires: Optional[datetime.date] = None

    class Config:
        extra = Extra.forbid
        use_enum_values = True

    @validator("citizenship")
    def _iso_alpha2(cls, value: Optional[str]) -> Optional[str]:
        if value is None:
            return None
        code = value.strip().upper()
        if len(code) != 2 or (pycountry.countries.get(alpha_2=code) is None and code not in USER_ASSIGNED_CODES):
            raise ValueError("citizenship must be an ISO 3166-1 alpha-2 code such as UA")
        return code

    @staticmethod
    def parse_iso_date(value: Any) -> Any:
        """Only a real date or 'YYYY-MM-DD': a number or '12/03/2026' is refused, not guessed."""
        if value is None or isinstance(value, datetime.date):
            return value
        if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                raise ValueError("not a calendar date")
        raise ValueError("must be a date in YYYY-MM-DD form")

    @validator("ukr_status_since", "permit_expires", pre=True)
    def _iso_date(cls, value: Any) -> Any:
        return cls.parse_iso_date(value)

    def problem_on(self, today: datetime.date) -> Optional[str]:
        """What cannot be true on `today` (checked where `today` is known: the API and the CLI)."""
        if self.ukr_status_since is not None and self.ukr_status_since > today:
            return f"situation.ukr_status_since: after today ({today.isoformat()})"
        return None

    @validator("ukr_status_since")
    def _after_invasion(cls, value: Optional[datetime.date]) -> Optional[datetime.date]:
        if value is not None and value < UKR_STATUS_FIRST_DAY:
            raise ValueError(f"UKR status exists only since {UKR_STATUS_FIRST_DAY.isoformat()}")
        return value


#: The order in which a person would be asked; `missing` follows it.
QUESTION_ORDER: List[str] = [
    "procedure",
    "citizenship",
    "ukr_status",
    "ukr_status_since",
    "ukr_status_on_2025_06_04",
    "purpose",
    "in_poland",
    "permit_expires",
    "minor",
    # a Trusted Profile implies a PESEL, so asking it first saves a question
    "has_trusted_profile",
    "has_pesel",
    "has_qualified_signature",
]

SITUATION_FIELDS: List[str] = list(Situation.__fields__)
BOOL_FIELDS: List[str] = [n for n, f in Situation.__fields__.items() if f.outer_type_ in (bool, StrictBool)]
DATE_FIELDS: List[str] = [n for n, f in Situation.__fields__.items() if f.outer_type_ is datetime.date]


class FiredRule(BaseModel):
    id: str
    title: str
    legal_basis: str
    sources: List[str]
    confirmed: bool


class Link(BaseModel):
    label: str
    url: str


class Fees(BaseModel):
    stamp_duty_pln: Optional[int] = None
    card_fee_pln: Optional[int] = None


class Recommendation(BaseModel):
    channel: Optional[str] = None
    authority: Optional[str] = None
    cukr_eligible: Optional[bool] = None
    signature_options: List[str] = []
    signer: Optional[str] = None
    employer_action: Optional[str] = None
    #: every fact that may still be needed to decide the rest, in the order to ask it
    missing: List[str] = []
    rules: List[FiredRule] = []
    steps: List[str] = []
    warnings: List[str] = []
    links: List[Link] = []
    # Beside the contract's fields:
    language: str = "en"
    today: datetime.date
    procedure: Optional[str] = None
    fees: Fees = Fees()
    unconfirmed: List[str] = []
    #: the facts the next decision waits for, in the order to ask (the head of `missing` that matters now);
    #: the conversation asks only these, so nobody is asked what a later answer may make moot
    ask_next: List[str] = []
    #: whether the CUKR answer is told to the person: they asked about CUKR or a CUKR rule decided
    #: something for them (an Indian worker is not told "CUKR: no")
    cukr_shown: bool = False
