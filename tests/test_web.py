"""The JSON API and health check of the web service (contract sections 1 and 2)."""

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.web.app import create_app


@pytest.fixture
async def client():
    app = create_app(rasa_url="http://127.0.0.1:9", actions_url="http://127.0.0.1:9")
    async with TestClient(TestServer(app)) as c:
        yield c


async def test_recommend_returns_the_recommendation(client):
    body = {
        "situation": {
            "procedure": "cukr",
            "citizenship": "UA",
            "ukr_status": True,
            "ukr_status_since": "2022-03-10",
            "minor": False,
            "has_pesel": True,
            "has_trusted_profile": True,
        },
        "today": "2026-11-23",
        "language": "en",
    }
    answer = await client.post("/api/recommend", json=body)
    assert answer.status == 200
    rec = await answer.json()
    assert (rec["channel"], rec["authority"], rec["cukr_eligible"], rec["missing"]) == ("mos", "mos", True, [])
    assert all(r["sources"] and isinstance(r["confirmed"], bool) for r in rec["rules"])


async def test_today_changes_the_answer(client):
    body = {"situation": {"procedure": "permanent_residence", "citizenship": "IN", "in_poland": False}}
    before = await (await client.post("/api/recommend", json={**body, "today": "2026-04-26"})).json()
    after = await (await client.post("/api/recommend", json={**body, "today": "2026-04-27"})).json()
    assert before["channel"] == "paper" and after["channel"] in ("mos", None)


async def test_missing_fields_are_listed(client):
    rec = await (await client.post("/api/recommend", json={"situation": {}, "today": "2026-11-23"})).json()
    assert rec["ask_next"] == ["procedure", "citizenship"] and rec["channel"] is None
    assert rec["missing"][:2] == ["procedure", "citizenship"] and "purpose" in rec["missing"]


@pytest.mark.parametrize(
    "body,field",
    [
        ({"situation": {"procedure": "holiday"}}, "situation.procedure"),
        ({"situation": {"citizenship": "Ukraine"}}, "situation.citizenship"),
        ({"situation": {"minor": "perhaps"}}, "situation.minor"),
        ({"situation": {"permit_expires": "31/12/2026"}}, "situation.permit_expires"),
        ({"situation": {}, "today": "tomorrow"}, "today"),
        ({"situation": {}, "language": "de"}, "language"),
        ({"situation": {}, "colour": "blue"}, "colour"),
        ({"situation": {"shoe_size": 42}}, "situation.shoe_size"),
        # strict input (issue 5): JSON booleans only, ISO dates only, UKR status within its possible range
        ({"situation": {"in_poland": "true"}}, "situation.in_poland"),
        ({"situation": {"minor": 1}}, "situation.minor"),
        ({"situation": {"has_pesel": "yes"}}, "situation.has_pesel"),
        ({"situation": {"permit_expires": 20261231}}, "situation.permit_expires"),
        ({"situation": {"permit_expires": "2026-02-30"}}, "situation.permit_expires"),
        ({"situation": {"ukr_status_since": "2021-12-31"}}, "situation.ukr_status_since"),
        ({"situation": {}, "today": 20261123}, "today"),
        ({"situation": {}, "today": "23.11.2026"}, "today"),
    ],
)
async def test_invalid_bodies_get_422_with_the_fields_at_fault(client, body, field):
    answer = await client.post("/api/recommend", json=body)
    assert answer.status == 422
    problems = await answer.json()
    assert field in [p["field"] for p in problems]


async def test_ukr_status_since_after_today_is_refused(client):
    body = {"situation": {"ukr_status_since": "2026-11-24"}, "today": "2026-11-23"}
    answer = await client.post("/api/recommend", json=body)
    assert answer.status == 422
    problems = await answer.json()
    assert any("ukr_status_since" in p["reason"] for p in problems)
    same_day = await client.post("/api/recommend", json={**body, "today": "2026-11-24"})
    assert same_day.status == 200


async def test_kosovo_is_accepted(client):
    answer = await client.post("/api/recommend", json={"situation": {"citizenship": "XK"}, "today": "2026-11-23"})
    assert answer.status == 200
    assert (await answer.json())["ask_next"] == ["procedure"]


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"'])
async def test_malformed_json_is_a_4xx_not_a_500(client, raw):
    answer = await client.post("/api/recommend", data=raw, headers={"Content-Type": "application/json"})
    assert 400 <= answer.status < 500
    assert isinstance(await answer.json(), list)


async def test_healthz_is_503_while_rasa_and_actions_are_down(client):
    answer = await client.get("/healthz")
    assert answer.status == 503
    assert (await answer.json()) == {"web": True, "rasa": False, "actions": False}


async def test_healthz_is_200_when_all_are_up():
    fake = web.Application()

    async def rasa_root(_):
        return web.Response(text="Hello from Rasa")

    async def action_health(_):
        return web.json_response({"status": "ok"})

    fake.router.add_get("/webhooks/rest/", rasa_root)  # the REST channel says ready once the model is warm
    fake.router.add_get("/health", action_health)
    async with TestServer(fake) as upstream:
        url = str(upstream.make_url("")).rstrip("/")
        async with TestClient(TestServer(create_app(url, url))) as c:
            answer = await c.get("/healthz")
            assert answer.status == 200
