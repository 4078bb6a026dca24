"""aiohttp application: /healthz, POST /api/recommend (contract sections 1 and 2), and the pages
(widget, personal links, staff script, rules: bot/web/pages.py and staff.py)."""

from __future__ import annotations

import datetime
import json
import os
from typing import Any, Dict, List, Optional

import aiohttp
from aiohttp import web
from pydantic import BaseModel, Extra, ValidationError, root_validator, validator

from bot import i18n
from bot.routing import Situation, recommend
from bot.web import pages, staff

HEALTH_TIMEOUT = aiohttp.ClientTimeout(total=3)
RASA_URL = web.AppKey("rasa_url", str)
ACTIONS_URL = web.AppKey("actions_url", str)


class RecommendRequest(BaseModel):
    situation: Situation = Situation()
    today: Optional[datetime.date] = None
    language: str = i18n.DEFAULT_LANGUAGE

    class Config:
        extra = Extra.forbid

    @validator("language")
    def _supported(cls, value: str) -> str:
        if value not in i18n.SUPPORTED_LANGUAGES:
            raise ValueError(f"must be one of {', '.join(i18n.SUPPORTED_LANGUAGES)}")
        return value

    @validator("today", pre=True)
    def _iso_today(cls, value: Any) -> Any:
        return Situation.parse_iso_date(value)

    @validator("today", always=True)
    def _default_today(cls, value: Optional[datetime.date]) -> datetime.date:
        return value or datetime.date.today()

    @root_validator(skip_on_failure=True)
    def _status_not_in_the_future(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        problem = values["situation"].problem_on(values["today"])
        if problem:
            raise ValueError(problem)
        return values


def _field_errors(error: ValidationError) -> List[Dict[str, Any]]:
    return [{"field": ".".join(str(p) for p in e["loc"]), "reason": e["msg"]} for e in error.errors()]


async def api_recommend(request: web.Request) -> web.Response:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return web.json_response([{"field": "body", "reason": "not valid JSON"}], status=400)
    if not isinstance(body, dict):
        return web.json_response([{"field": "body", "reason": "must be a JSON object"}], status=422)
    try:
        parsed = RecommendRequest(**body)
    except ValidationError as error:
        return web.json_response(_field_errors(error), status=422)
    today = parsed.today or datetime.date.today()
    rec = recommend(parsed.situation, today, parsed.language)
    return web.Response(text=rec.json(), content_type="application/json")


async def _up(session: aiohttp.ClientSession, url: str) -> bool:
    try:
        async with session.get(url) as answer:
            return answer.status == 200
    except (aiohttp.ClientError, OSError, TimeoutError):
        return False


async def healthz(request: web.Request) -> web.Response:
    rasa_url = request.app[RASA_URL]
    actions_url = request.app[ACTIONS_URL]
    async with aiohttp.ClientSession(timeout=HEALTH_TIMEOUT) as session:
        status = {
            "web": True,
            "rasa": await _up(session, f"{rasa_url}/webhooks/rest/"),
            "actions": await _up(session, f"{actions_url}/health"),
        }
    return web.json_response(status, status=200 if all(status.values()) else 503)


@web.middleware
async def json_errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """Whatever goes wrong, the client gets a JSON reason, never an HTML 500 page."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status >= 400 and request.path.startswith("/api/"):
            return web.json_response([{"field": "request", "reason": error.reason}], status=error.status)
        raise


def create_app(rasa_url: Optional[str] = None, actions_url: Optional[str] = None) -> web.Application:
    app = web.Application(middlewares=[json_errors, pages.page_headers], client_max_size=64 * 1024)
    app[RASA_URL] = rasa_url or os.environ.get("RASA_URL", "http://127.0.0.1:5005")
    app[ACTIONS_URL] = actions_url or os.environ.get("ACTIONS_URL", "http://127.0.0.1:5055")
    app.router.add_get("/healthz", healthz)
    app.router.add_post("/api/recommend", api_recommend)
    # the widget talks to Rasa from the browser: RASA_PUBLIC_URL where that differs from RASA_URL
    pages.setup(app, os.environ.get("RASA_PUBLIC_URL") or app[RASA_URL])
    staff.setup(app)
    return app


def serve(port: int, host: str = "127.0.0.1") -> None:
    web.run_app(create_app(), host=host, port=port, access_log=None, print=None)
