"""What the fifth user trial found in reading, each in four languages (variants written here)."""

from __future__ import annotations

import datetime

import pytest

from bot.understanding import understand

TODAY = datetime.date(2026, 12, 3)

# a status lost and got again: the date after "again" is the one held continuously now, though a
# comma stands between ("потом снова оформила, с 6 октября 2025")
GOT_AGAIN = [
    ("ru", "ну сначала с марта 2022, но летом 2025 я ездила домой и статус слетел. потом снова оформила, с 6 октября 2025"),
    ("uk", "спочатку з березня 2022, влітку 2025 статус злетів. потім знову оформила, з 6 жовтня 2025"),
    ("pl", "od marca 2022, latem 2025 stracilam status. potem znowu wyrobilam, od 6 pazdziernika 2025"),
    ("en", "from march 2022, lost it in summer 2025. then i got it again, from 6 october 2025"),
    ("ru", "snachala s marta 2022, potom status sletel. snova oformila, s 6 oktjabrja 2025"),
]


@pytest.mark.parametrize("lang,text", GOT_AGAIN)
def test_a_status_got_again_after_a_comma_is_the_current_one(lang, text):
    facts = understand(text, lang, "ukr_status_since", TODAY).facts
    assert facts["ukr_status_since"].value == datetime.date(2025, 10, 6)
    assert facts["ukr_status"].value is True


# a company's legal form names the employer, not one's own business, beside an employment contract
EMPLOYER_COMPANY = [
    ("uk", "robota. polska firma sp. z o.o. chocze mene vzjaty na umowe o prace"),
    ("ru", "работа. польская фирма sp. z o.o. хочет взять меня на umowa o prace"),
    ("pl", "praca. polska firma sp. z o.o. chce mnie zatrudnic na umowe o prace"),
    ("en", "work. a polish company sp. z o.o. wants to hire me on umowa o prace"),
]


@pytest.mark.parametrize("lang,text", EMPLOYER_COMPANY)
def test_the_employers_company_form_is_not_a_business_purpose(lang, text):
    facts = understand(text, lang, "purpose", TODAY).facts
    assert facts["purpose"].value == "work"
