"""The engine's input and output, exactly as ../shared/contract.md section 2 names them."""
from __future__ import annotations

import datetime
from enum import Enum
from typing import List, Optional

import pycountry
from pydantic import BaseModel, Extra, validator


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
    in_poland: Optional[bool] = None
    citizenship: Optional[str] = None
    ukr_status: Optional[bool] = None
    ukr_status_since: Optional[datetime.date] = None
    minor: Optional[bool] = None
    has_pesel: Optional[bool] = None
    has_trusted_profile: Optional[bool] = None
    has_qualified_signature: Optional[bool] = None
    permit_expires: Optional[datetime.date] = None

    class Config:
        extra = Extra.forbid
        use_enum_values = True

    @validator("citizenship")
    def _iso_alpha2(cls, value: Optional[str]) -> Optional[str]:
        if value is None:
            return None
        code = value.strip().upper()
        if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
            raise ValueError("citizenship must be an ISO 3166-1 alpha-2 code such as UA")
        return code


#: The order in which a person would be asked; `missing` follows it.
QUESTION_ORDER: List[str] = [
    "procedure",
    "citizenship",
    "ukr_status",
    "ukr_status_since",
    "purpose",
    "in_poland",
    "permit_expires",
    "minor",
    "has_pesel",
    "has_trusted_profile",
    "has_qualified_signature",
]

SITUATION_FIELDS: List[str] = list(Situation.__fields__)


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
