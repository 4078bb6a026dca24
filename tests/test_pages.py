"""The web pages, in process: widget page, link page + QR + .ics, employer page, /staff, /rules."""

import datetime
import json
import re
import time

import pytest
from aiohttp.test_utils import TestClient, TestServer
from icalendar import Calendar

from bot import i18n, links
from answers import own_question
from bot.routing import Situation, load_rules, recommend
from bot.web.app import create_app

LANGUAGES = ("en", "pl", "uk", "ru")
WORKER = Situation(
    procedure="temporary_residence",
    citizenship="IN",
    purpose="work",
    in_poland=True,
    permit_expires="2026-12-31",
    minor=False,
    has_pesel=True,
    has_trusted_profile=True,
)
CUKR = Situation(
    procedure="cukr",
    citizenship="UA",
    ukr_status=True,
    ukr_status_since="2022-03-10",
    minor=False,
    has_pesel=True,
    has_trusted_profile=True,
)


@pytest.fixture
async def client(monkeypatch):
    monkeypatch.setenv("LINK_SECRET", "pages-secret")
    monkeypatch.setenv("PUBLIC_URL", "http://localhost:8080")
    app = create_app(rasa_url="http://127.0.0.1:9", actions_url="http://127.0.0.1:9")
    async with TestClient(TestServer(app)) as c:
        yield c


def token_for(situation: Situation, language: str, today: datetime.date, **kwargs) -> str:
    return links.make_token(situation, language, today, **kwargs)


def text(key: str, lang: str, **params) -> str:
    from bot.routing import text_constants

    return i18n.t(key, lang, **{**text_constants(), **params})


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_every_page_renders_in_every_language(client, today, lang):
    token = token_for(WORKER, lang, today)
    pages = {
        "/": "page.index_title",
        f"/l/{token}": "link_page.title",
        "/staff": "staff.title",
        "/rules": "rules_page.title",
        f"/l/{token}/employer": None,
    }
    for path, title_key in pages.items():
        answer = await client.get(path, params={"lang": lang})
        body = await answer.text()
        assert answer.status == 200, (path, body[:300])
        assert f'<html lang="{lang}">' in body and answer.headers["Content-Language"] == lang
        if title_key:
            assert f"<h1>{text(title_key, lang)}</h1>" in body or f">{text(title_key, lang)}</h1>" in body, path


async def test_the_widget_page_passes_its_language_and_rasas_address(client):
    answer = await client.get("/", headers={"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"})
    body = await answer.text()
    # the browser may reach this service and Rasa only: no CDN, no web font from elsewhere
    policy = answer.headers["Content-Security-Policy"]
    assert "connect-src 'self' http://127.0.0.1:9 ws://127.0.0.1:9;" in policy
    assert "default-src 'self'" in policy and "font-src 'self' data:" in policy and "script-src 'self';" in policy
    assert 'data-language="uk"' in body and 'data-socket-url="http://127.0.0.1:9"' in body
    assert '<script src="/static/vendor/webchat.js"></script>' in body
    script = await client.get("/static/vendor/webchat.js")
    assert script.status == 200 and b"customData" in await script.read()  # the widget itself, no CDN


async def test_the_link_page_is_the_checklist(client, today):
    token = token_for(WORKER, "en", today)
    answer = await client.get(f"/l/{token}")
    body = await answer.text()
    rec = recommend(WORKER, today, "en")
    for step in rec.steps:
        assert str(step).replace("'", "&#39;").replace('"', "&#34;") in body
    assert f'src="/l/{token}.svg"' in body and f'href="/l/{token}.ics"' in body
    assert f'href="/l/{token}/employer?lang=en"' in body
    assert '<time datetime="2026-12-31">' in body and '<time datetime="2026-12-23">' in body  # stay end, Annex 1
    assert all(r.id in body for r in rec.rules)
    # a personal page: not cached, not indexed, never sent on as a Referer
    assert answer.headers["Cache-Control"] == "no-store" and answer.headers["Referrer-Policy"] == "no-referrer"
    png = await client.get(f"/l/{token}.png")
    assert png.status == 200 and (await png.read())[:8] == b"\x89PNG\r\n\x1a\n"
    svg = await client.get(f"/l/{token}.svg")
    assert svg.status == 200 and svg.content_type == "image/svg+xml"


async def test_the_calendar_file_holds_the_deadlines(client, today):
    token = token_for(WORKER, "en", today)
    answer = await client.get(f"/l/{token}.ics")
    assert answer.status == 200 and answer.content_type == "text/calendar"
    assert "attachment" in answer.headers["Content-Disposition"]
    events = {e.decoded("dtstart"): str(e["summary"]) for e in Calendar.from_ical(await answer.read()).walk("VEVENT")}
    assert set(events) == {datetime.date(2026, 12, 31), datetime.date(2026, 12, 23)}
    assert "Annex 1" in events[datetime.date(2026, 12, 23)]
    cukr = Calendar.from_ical(await (await client.get(f"/l/{token_for(CUKR, 'en', today)}.ics")).read())
    assert [e.decoded("dtstart") for e in cukr.walk("VEVENT")] == [datetime.date(2027, 3, 4)]


async def test_an_altered_token_is_404_and_an_expired_one_410_with_a_page(client, today):
    token = token_for(WORKER, "pl", today)
    altered = token[:40] + ("x" if token[40] != "x" else "y") + token[41:]
    for path in (f"/l/{altered}", f"/l/{altered}.png", f"/l/{altered}.ics", "/l/nothing", f"/l/{token}.exe"):
        answer = await client.get(path)
        assert answer.status == 404, path
    body = await (await client.get(f"/l/{altered}")).text()
    assert text("link_page.not_found_title", "en") in body
    old = token_for(WORKER, "pl", today, now=time.time() - 31 * 86400)
    answer = await client.get(f"/l/{old}", params={"lang": "pl"})
    assert answer.status == 410
    assert text("link_page.expired_title", "pl") in await answer.text()
    assert (await client.get(f"/l/{old}.png")).status == 410


async def test_the_employer_page_is_in_polish_and_english(client, today):
    body = await (await client.get(f"/l/{token_for(WORKER, 'uk', today)}/employer")).text()
    assert '<section lang="pl"' in body and '<section lang="en"' in body
    for lang in ("pl", "en"):
        for key in ("employer.who", "employer.signature", "employer.email"):
            assert text(key, lang) in body.replace("&#39;", "'")
    assert text("employer.window", "en", annex_days=30) in body.replace("&#39;", "'")


async def test_rules_lists_every_rule_with_its_basis_and_status(client):
    body = await (await client.get("/rules")).text()
    for rule in load_rules().all_rules():
        if not rule.silent:
            assert f'<tr id="{rule.id}">' in body
    assert text("rules_page.unconfirmed", "en") in body and text("rules_page.confirmed", "en") in body


def hidden_answers(body: str) -> dict:
    hidden = r'<input type="hidden" name="(a\.[a-z0-9_]+)" value="([^"]*)"'
    return {m.group(1): m.group(2) for m in re.finditer(hidden, body)}


async def test_staff_script_follows_missing_shows_parts_early_and_makes_the_link(client, today):
    form = {"caller": "uk"}
    body = await (await client.post("/staff", data=form)).text()
    answers = dict(WORKER.dict(exclude_none=True), permit_expires="2026-12-31")
    seen_channel_early, given = False, {}
    for _ in range(len(answers) + 2):
        field = re.search(r'data-field="([a-z0-9_]+)"', body)
        if not field:
            break
        field = field.group(1)
        situation = Situation(**{k[2:]: json.loads(v.replace("&#34;", '"')) for k, v in hidden_answers(body).items()})
        rec = recommend(situation, today, "en")
        assert field == rec.ask_next[0]  # the engine's order
        # the sentence to read aloud, in the caller's language with the Polish beside it
        assert own_question(field, "uk") in body.replace("&#39;", "'")
        assert '<div lang="pl">' in body
        if rec.channel and rec.missing:
            seen_channel_early = True
            assert i18n.t("render.channel.mos", "en") in body  # decided before the last questions
        value = given[field] = answers[field]
        if field in ("permit_expires", "citizenship"):
            data = {**hidden_as_form(body), "field": field, "value": value}
        else:
            data = {**hidden_as_form(body), "set": "/inform" + json.dumps({field: value})}
        body = await (await client.post("/staff", data={**data, "caller": "uk"})).text()
    assert seen_channel_early
    assert text("staff.recommendation", "en") in body
    for rule in recommend(WORKER, today, "en").rules:
        assert rule.legal_basis.replace("'", "&#39;") in body
    made = await (await client.post("/staff/link", data={**hidden_as_form(body), "caller": "uk"})).text()
    url = re.search(r'id="caller-link" href="([^"]+)"', made).group(1)
    data = links.read_token(url.rsplit("/", 1)[1])
    assert data.language == "uk" and data.situation == Situation(**given)


def hidden_as_form(body: str) -> dict:
    return {k: v.replace("&#34;", '"') for k, v in hidden_answers(body).items()}


async def test_staff_never_renders_typed_text_unescaped(client):
    evil = '<script>alert("x")</script>'
    body = await (
        await client.post(
            "/staff", data={"set": '/inform{"procedure": "temporary_residence"}', "field": "citizenship", "value": evil}
        )
    ).text()
    assert "<script>alert" not in body and "&lt;script&gt;" in body
    assert 'role="alert"' in body  # the staff member is told the answer was not valid
    forged = await client.post("/staff", data={"a.procedure": "not json", "a.<b>": "1", "set": "{oops"})
    assert forged.status == 200


async def test_staff_works_without_rasa(client):
    # the app's Rasa address (port 9) answers nothing, yet the script goes on
    answer = await client.post("/staff", data={"set": '/inform{"procedure": "cukr"}', "caller": "ru"})
    assert answer.status == 200 and 'data-field="citizenship"' in await answer.text()
