"""/staff: the helpline script. Pure web service + engine: works while Rasa is down.

Server-rendered forms (no JavaScript): every answer so far travels in hidden form fields of a
POST, never in the URL. After each answer the engine is asked again; its `missing` gives the
next question, and each part it has decided already is shown at once.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple

from aiohttp import web
from pydantic import ValidationError

from bot import i18n, links, questions
from bot.conversation import Message, Say, State, turn
from bot.render import decided_lines, sections
from bot.routing import SITUATION_FIELDS, Situation, recommend
from bot.web.pages import base_context, page_language, render, today

ANSWER_PREFIX = "a."


def _caller_language(form: Any, request: web.Request) -> str:
    return i18n.normalise_language(form.get("caller") or request.query.get("caller") or page_language(request))


def _answers(form: Any) -> Tuple[Dict[str, Any], List[Tuple[str, str, str]]]:
    """The answers carried in the form, plus the one just given; and what was wrong with it."""
    answers: Dict[str, Any] = {}
    for key, value in form.items():
        if key.startswith(ANSWER_PREFIX) and key[len(ANSWER_PREFIX) :] in SITUATION_FIELDS:
            try:
                answers[key[len(ANSWER_PREFIX) :]] = json.loads(value)
            except (TypeError, ValueError):
                continue
    given = form.get("set")
    if given:
        try:
            update = json.loads(given[len("/inform") :] if given.startswith("/inform") else given)
        except ValueError:
            update = {}
        if isinstance(update, dict):
            answers.update({k: v for k, v in update.items() if k in SITUATION_FIELDS})
    field, typed = form.get("field"), (form.get("value") or "").strip()
    if field in SITUATION_FIELDS and typed:
        answers[field] = typed
    return _valid(answers)


def _valid(answers: Dict[str, Any]) -> Tuple[Dict[str, Any], List[Tuple[str, str, str]]]:
    try:
        Situation(**answers)
        return answers, []
    except ValidationError as error:
        bad = {str(e["loc"][0]): e["msg"] for e in error.errors()}
        kept = {k: v for k, v in answers.items() if k not in bad}
        return kept, [(field, str(answers.get(field)), reason) for field, reason in bad.items()]


def _shown(field: str, value: Any, lang: str) -> str:
    """An answer as the staff member reads it: the button's title when there is one."""
    if isinstance(value, bool):
        return i18n.raw("options.bool", lang)["true" if value else "false"]
    options = i18n.raw(f"options.{field}", lang) if i18n.has(f"options.{field}", lang) else {}
    if isinstance(options, dict) and str(value) in options:
        return options[str(value)]
    return str(value)


def _label(field: str, lang: str) -> str:
    return i18n.t(f"staff.field.{field}", lang) if i18n.has(f"staff.field.{field}", lang) else field


async def staff_page(request: web.Request) -> web.Response:
    form = await request.post() if request.method == "POST" else {}
    return _script(request, form, make_link=False)


async def staff_link(request: web.Request) -> web.Response:
    return _script(request, await request.post(), make_link=True)


def _script(request: web.Request, form: Any, make_link: bool) -> web.Response:
    lang = page_language(request)
    caller = _caller_language(form, request)
    if form.get("restart"):
        answers, problems = {}, []
    else:
        answers, problems = _answers(form)
    situation = Situation(**answers)
    day = today()
    rec = recommend(situation, day, lang)
    caller_rec = recommend(situation, day, caller)
    context = base_context(request, lang)
    context.update(
        caller_lang=caller,
        answers=answers,
        hidden={f"{ANSWER_PREFIX}{k}": json.dumps(v, ensure_ascii=False) for k, v in answers.items()},
        shown=[(_label(k, lang), _shown(k, v, lang)) for k, v in answers.items()],
        problems=[
            i18n.t("staff.invalid", lang, field=_label(field, lang), value=value, reason=reason)
            for field, value, reason in problems
        ],
        decided=decided_lines(rec),
        rec=rec,
        number=len(answers) + 1,
        question=_question(rec.ask_next[0], caller, lang, situation, answers) if rec.ask_next else None,
        recommendation=sections(caller_rec, with_sources=False) if not rec.missing else [],
        link=links.link_for(situation, caller, day) if make_link and not rec.missing else None,
    )
    return render("staff.html", request, context)


def _asked(answers: Dict[str, Any], field: str, language: str) -> Say:
    """The question as the chat asks it (the same bot.conversation turn), in `language`."""
    state = State(answers=answers, language=language, requested=field)
    _, replies = turn(state, Message(step="ask", language=language), today())
    return replies[0]


def _question(field: str, caller: str, lang: str, situation: Situation, answers: Dict[str, Any]) -> Dict[str, Any]:
    day = today()
    asked = _asked(answers, field, caller)
    in_polish = _asked(answers, field, "pl").text
    staff_buttons = questions.buttons(field, lang, day, situation)
    # typed answers only where buttons cannot cover every value: dates and countries
    kind = "date" if field in questions.DATE_FIELDS else "country" if field == "citizenship" else "choice"
    return {
        "field": field,
        "label": _label(field, lang),
        "read_aloud": asked.text,
        "polish": in_polish,
        "caller_buttons": [b["title"] for b in asked.buttons],
        "buttons": staff_buttons,
        "kind": kind,
        "suggestions": _countries(lang) if field == "citizenship" else [],
    }


def _countries(lang: str) -> List[Tuple[str, str]]:
    options = i18n.raw("options.citizenship", lang) if i18n.has("options.citizenship", lang) else {}
    return list(options.items()) if isinstance(options, dict) else []


def setup(app: web.Application) -> None:
    app.router.add_get("/staff", staff_page)
    app.router.add_post("/staff", staff_page)
    app.router.add_post("/staff/link", staff_link)
