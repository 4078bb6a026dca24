"""Proof that the production setup scales and survives: two Rasa servers on PostgreSQL (tracker store)
and Redis (lock store) behind nginx rendered from deploy/nginx/default.conf.template.

One conversation goes alternately through both servers; a server is killed mid-form and the other
finishes it; PostgreSQL restarts mid-conversation (the user gets an apology, then goes on with
nothing lost); every answered turn is in the tracker store. Installs the engines with apt-get when
they are missing (tools/local_services.py)."""

import json
import os
import signal
import threading
import urllib.error
import urllib.request
from typing import Any, Dict, List, Tuple

import pytest

from bot import i18n
from bot.routing import text_constants
import answers
from tools.local_services import Services, ensure_installed, render_template
from tools.stack import MODEL, Stack, free_port

pytestmark = pytest.mark.slow

#: user messages that got a real answer, per sender: the tracker store must hold exactly these
ANSWERED: Dict[str, List[str]] = {}


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    assert MODEL.exists(), "make test trains the model first"
    ensure_installed()
    services = Services()
    stack = None
    try:
        services.start_postgres()
        services.start_redis()
        stack = Stack.on_free_ports(tmp_path_factory.mktemp("run"))
        stack.endpoints = "endpoints.scaled.yml"
        stack.extra_env.update(services.env())
        stack.start()
        second_port = free_port()
        stack.add_rasa("rasa-b", second_port)
        services.start_nginx([stack.rasa_port, second_port], stack.web_port, rate_per_second=20, burst=30)
        stack.wait_ready(timeout=300)
        _wait_rasa(second_port, stack)
        yield stack, services, {"a": stack.rasa_port, "b": second_port, "nginx": services.nginx_port}
    finally:
        if stack is not None:
            stack.stop()
        services.stop()


def _wait_rasa(port: int, stack: Stack, timeout: float = 300) -> None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/webhooks/rest/", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        assert stack.process("rasa-b").poll() is None, "the second Rasa server exited; see rasa-b.log"
        time.sleep(1)
    raise TimeoutError("the second Rasa server is not ready")


def post(port: int, body: Any, raw: bytes = b"") -> Tuple[int, Any]:
    data = raw or json.dumps(body).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=data, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def say(port: int, sender: str, message: str) -> List[Dict[str, Any]]:
    status, answer = post(port, {"sender": sender, "message": message, "metadata": {"language": "en"}})
    assert status == 200 and answer, (message, status, answer)
    if answer[0].get("text") != APOLOGY:
        ANSWERED.setdefault(sender, []).append(message)
    return answer


def asked(answer: List[Dict[str, Any]]) -> str:
    """As answers.asked, with the typed end-of-stay question named by its field."""
    field = answers.asked(answer)
    return "permit_expires" if "legal stay" in field else field


def outcome(answer: List[Dict[str, Any]]) -> Dict[str, Any]:
    return answers.outcome(answer) or {}


APOLOGY = i18n.t("chat.action_server_down", "en", **text_constants())
#: what this applicant answers to each question: an Indian worker in Poland, typed and by buttons
ANSWERS = {
    "applicant": '/inform{"applicant": "self"}',
    "procedure": '/inform{"procedure": "temporary_residence"}',
    "citizenship": "India",
    "purpose": '/inform{"purpose": "work"}',
    "in_poland": '/inform{"in_poland": true}',
    "permit_expires": "31.12.2026",
    "minor": '/inform{"minor": false}',
    "has_pesel": '/inform{"has_pesel": true}',
    "has_trusted_profile": '/inform{"has_trusted_profile": true}',
    "has_qualified_signature": '/inform{"has_qualified_signature": false}',
    "confirm_facts": "/affirm",
}
MAX_TURNS = 16


def reply_to(answer: List[Dict[str, Any]]) -> str:
    field = asked(answer)
    assert field in ANSWERS, f"unexpected question {field!r}: {answer}"
    return ANSWERS[field]


def converse(sender: str, servers: List[int], turns: int = MAX_TURNS, answer=None) -> Tuple[List[Dict[str, Any]], int]:
    """Answers the questions, turn i on servers[i % len(servers)], for `turns` turns or to the outcome."""
    answer = answer or say(servers[0], sender, "/start_application")
    n = 1
    while n < turns and not outcome(answer):
        answer = say(servers[n % len(servers)], sender, reply_to(answer))
        n += 1
    return answer, n


def test_one_conversation_alternately_through_both_servers(scaled):
    stack, _, ports = scaled
    answer, turns = converse("scaled-alternate", [ports["a"], ports["b"]])
    rec = outcome(answer)
    assert turns >= 6 and rec and rec["channel"] == "mos" and rec["missing"] == [], answer


def test_the_lock_store_keeps_simultaneous_turns_of_one_conversation_in_order(scaled):
    _, services, ports = scaled
    say(ports["a"], "scaled-race", "/start_application")
    answers: Dict[str, Any] = {}

    def send(server: str, message: str) -> None:
        answers[server] = say(ports[server], "scaled-race", message)

    threads = [
        threading.Thread(target=send, args=("a", '/inform{"procedure": "cukr"}')),
        threading.Thread(target=send, args=("b", '/inform{"citizenship": "UA"}')),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert set(answers) == {"a", "b"}
    # the lock store made one wait for the other: both turns are stored, one after the other
    user_turns = [
        line
        for line in services.psql(
            "SELECT data FROM events WHERE sender_id = 'scaled-race' AND type_name = 'user' ORDER BY id"
        ).splitlines()
        if line.strip()
    ]
    assert sorted(json.loads(line)["text"] for line in user_turns) == sorted(
        ["/start_application", '/inform{"procedure": "cukr"}', '/inform{"citizenship": "UA"}']
    )
    listens = services.psql(
        "SELECT count(*) FROM events WHERE sender_id = 'scaled-race' " "AND action_name = 'action_listen'"
    )
    assert int(listens) == 4  # session start, and one per turn: no turn was written over another


def test_a_server_killed_mid_form_and_nginx_sends_the_rest_to_the_other(scaled):
    stack, _, ports = scaled
    sender = "scaled-failover"
    answer, _ = converse(sender, [ports["nginx"]], turns=4)
    assert not outcome(answer)
    killed = stack.process("rasa")
    os.killpg(killed.pid, signal.SIGKILL)  # a crash: no goodbye, no flushing
    killed.wait(timeout=30)
    answer, _ = converse(sender, [ports["nginx"]], answer=say(ports["nginx"], sender, reply_to(answer)))
    rec = outcome(answer)
    assert rec and (rec["channel"], rec["signer"]) == ("mos", "applicant")


def test_a_postgresql_restart_mid_conversation_gets_an_apology_then_nothing_is_lost(scaled):
    _, services, ports = scaled
    sender = "scaled-pg-restart"
    answer, _ = converse(sender, [ports["b"]], turns=3)
    message = reply_to(answer)
    services.stop_postgres()
    try:
        assert say(ports["nginx"], sender, message)[0]["text"] == APOLOGY
    finally:
        services.start_postgres()
    # the user sends the unanswered message again and goes on where they were
    answer = say(ports["nginx"], sender, message)
    assert answer[0]["text"] != APOLOGY
    answer, _ = converse(sender, [ports["nginx"]], answer=answer)
    rec = outcome(answer)
    assert rec and rec["missing"] == [] and rec["authority"] == "mos"


def test_every_answered_turn_is_in_the_tracker_store(scaled):
    _, services, _ = scaled
    assert ANSWERED, "runs after the conversations above"
    for sender, messages in ANSWERED.items():
        rows = services.psql(f"SELECT data FROM events WHERE sender_id = '{sender}' AND type_name = 'user' ORDER BY id")
        stored = [json.loads(line)["text"] for line in rows.splitlines() if line.strip()]
        if sender == "scaled-race":  # the two simultaneous turns may be stored in either order
            assert sorted(stored) == sorted(messages), sender
        else:
            assert stored == messages, sender


def test_nginx_caps_the_request_size_and_rate_per_client(scaled):
    _, _, ports = scaled
    status, _ = post(ports["nginx"], None, raw=json.dumps({"sender": "big", "message": "a" * 100_000}).encode())
    assert status == 413
    statuses = []
    for _ in range(60):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{ports['nginx']}/webhooks/rest/", timeout=5) as answer:
                statuses.append(answer.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    assert 429 in statuses and 200 in statuses, statuses
    assert set(statuses) <= {200, 429}


def test_nginx_routes_socketio_and_keeps_rasas_http_api_inside(scaled):
    _, _, ports = scaled
    import time

    time.sleep(2)  # the rate limit above refills
    url = f"http://127.0.0.1:{ports['nginx']}/socket.io/?EIO=4&transport=polling"
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.status == 200 and b"sid" in answer.read()
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{ports['nginx']}/conversations/scaled-alternate/tracker", timeout=10)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 404  # the web service behind "/" has no such page; Rasa's API is not proxied


def test_the_nginx_template_names_every_value_it_needs():
    from tools.local_services import NGINX_TEMPLATE

    with pytest.raises(KeyError, match="RATE_BURST"):
        render_template(NGINX_TEMPLATE.read_text(), {"NGINX_PORT": "80"})


def test_deploy_files_are_valid_yaml_and_agree_with_the_endpoints():
    import yaml

    from tools.stack import ROOT

    compose = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())
    assert {"postgres", "redis", "actions", "rasa1", "rasa2", "web", "nginx"} <= set(compose["services"])
    assert "endpoints.scaled.yml" in compose["services"]["rasa1"]["command"]
    scaled_endpoints = yaml.safe_load((ROOT / "endpoints.scaled.yml").read_text())
    env = compose["services"]["rasa1"]["environment"]
    variables = {
        value.strip("${}")
        for section in scaled_endpoints.values()
        for value in section.values()
        if isinstance(value, str) and value.startswith("${")
    }
    assert variables <= set(env), variables - set(env)
    values = yaml.safe_load((ROOT / "deploy" / "helm" / "values.yml").read_text())
    assert values["replicaCount"] >= 2 and values["rasa-action-server"]["install"] is True
    assert values["applicationSettings"]["endpoints"]["trackerStore"]["type"] == scaled_endpoints["tracker_store"]["type"]


@pytest.mark.parametrize(
    "language,text",
    [
        ("en", "please forget everything about me"),
        ("pl", "usuń wszystkie moje dane"),
        ("uk", "видаліть усі мої дані"),
        ("ru", "удалите все мои данные"),
    ],
)
def test_forget_me_is_understood_in_every_language(scaled, language, text):
    _, _, ports = scaled
    request = urllib.request.Request(
        f"http://127.0.0.1:{ports['b']}/model/parse",
        data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        assert json.loads(answer.read())["intent"]["name"] == "forget_me"


def test_forget_me_deletes_the_conversation_from_the_shared_store(scaled):
    _, services, ports = scaled
    sender = "scaled-forget"
    converse(sender, [ports["b"]], turns=3)
    assert int(services.psql(f"SELECT count(*) FROM events WHERE sender_id = '{sender}'")) > 0
    status, answer = post(ports["nginx"], {"sender": sender, "message": "/forget_me", "metadata": {"language": "pl"}})
    assert status == 200 and answer[0]["text"] == i18n.t("forget.done", "pl")
    assert int(services.psql(f"SELECT count(*) FROM events WHERE sender_id = '{sender}'")) == 0
    with urllib.request.urlopen(f"http://127.0.0.1:{ports['b']}/conversations/{sender}/tracker") as reply:
        slots = json.loads(reply.read())["slots"]
    assert slots["procedure"] is None and slots["citizenship"] is None
    ANSWERED.pop(sender, None)


def test_two_servers_asking_for_tickets_at_once_never_get_the_same_one(scaled):
    """The race behind a lost turn: Rasa's RedisLockStore reads, adds and writes a ticket non-atomically."""
    from connectors.lock_store import AtomicRedisLockStore

    _, services, _ = scaled
    servers = [AtomicRedisLockStore(host="127.0.0.1", port=services.redis_port, db=2) for _ in range(2)]
    tickets: List[int] = []
    barrier = threading.Barrier(8)

    def ask(store) -> None:
        barrier.wait()
        for _ in range(10):
            tickets.append(store.issue_ticket("ticket-race", lock_lifetime=60))

    threads = [threading.Thread(target=ask, args=(servers[i % 2],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(tickets) == 80 and len(set(tickets)) == 80
