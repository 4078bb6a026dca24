"""The dated deadlines of a checklist, and the same as an iCalendar (.ics) file (RFC 5545).

Which dates: the end of the legal stay (the application must be in before it), the end of the
CUKR application window, and the employer's reported days to sign Annex 1 counted from the day
the checklist was made. Built with the `icalendar` package, not by hand.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import List

from icalendar import Calendar, Event

from bot import i18n
from bot.routing import Recommendation, Situation, text_constants


@dataclass(frozen=True)
class Deadline:
    key: str
    day: datetime.date
    text: str


def deadlines(rec: Recommendation, situation: Situation, language: str) -> List[Deadline]:
    constants = text_constants()
    today = rec.today
    found = []
    if situation.permit_expires and situation.permit_expires >= today:
        found.append(Deadline("permit_expires", situation.permit_expires, i18n.t("deadline.permit_expires", language)))
    cukr_closes = constants.get("cukr_closes")
    if (rec.cukr_eligible or situation.procedure == "cukr") and cukr_closes and cukr_closes >= today:
        found.append(Deadline("cukr_closes", cukr_closes, i18n.t("deadline.cukr_closes", language)))
    if rec.employer_action == "annex_1_link":
        days = int(constants["annex_days"])
        found.append(
            Deadline(
                "annex_window",
                today + datetime.timedelta(days=days),
                i18n.t("deadline.annex_window", language, today=today, annex_days=days),
            )
        )
    return sorted(found, key=lambda d: d.day)


def ics(found: List[Deadline], url: str, language: str, made_on: datetime.date) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//MOS assistant//checklist//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", i18n.t("deadline.calendar_name", language))
    note = i18n.t("deadline.event_note", language, url=url)
    for deadline in found:
        event = Event()
        # the same link gives the same UIDs, so importing twice updates instead of duplicating
        uid = hashlib.sha256(f"{url}|{deadline.key}".encode()).hexdigest()[:32]
        event.add("uid", f"{uid}@mos-assistant")
        event.add("dtstamp", datetime.datetime.combine(made_on, datetime.time(), tzinfo=datetime.timezone.utc))
        event.add("dtstart", deadline.day)
        event.add("dtend", deadline.day + datetime.timedelta(days=1))
        event.add("summary", deadline.text)
        event.add("description", note)
        calendar.add_component(event)
    return calendar.to_ical()
