"""`make bench`: the assistant against Rasa's own starter bot, same client, same machine, same run.

Simulated applicants (an aiohttp client on loopback) run whole conversations through the REST
channel, in English, Polish, Ukrainian and Russian, half by buttons and half by typing, at 1, 10
and 50 concurrent users; each level is bounded in time (BENCH_SECONDS) and in conversations
(BENCH_MAX_CONVERSATIONS). In the same run `rasa init --no-prompt` trains the starter bot into a
temporary folder and the same client drives it at the same levels, so each figure is also a ratio
to Rasa's own floor. Also measured: training time (ours and the starter's), start-up to first
answer, first turn after start against a warm turn, resident memory per process, turn 5 against
turn 50 of one long conversation, and one Rasa worker against two (SANIC_WORKERS=2, Redis lock
store, PostgreSQL tracker store) at BENCH_WORKER_USERS users.

Writes bench/results.json (contract section 6 plus the above) and bench/latency.png.
Knobs: BENCH_LEVELS (1,10,50), BENCH_SECONDS (20), BENCH_MAX_CONVERSATIONS (150),
BENCH_WORKER_USERS (16), BENCH_TRAIN (1: also time our own training), BENCH_WORKERS (1: run the
SANIC_WORKERS comparison), RASA_MODEL (another model than models/current.tar.gz).
Where the time of a turn goes: `python -m bench.profile` (bench/PROFILE.md).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional

import aiohttp

from tools.stack import BIN, MODEL, ROOT, Stack, free_port

LEVELS = [int(n) for n in os.environ.get("BENCH_LEVELS", "1,10,50").split(",")]
SECONDS = float(os.environ.get("BENCH_SECONDS", 20))
MAX_CONVERSATIONS = int(os.environ.get("BENCH_MAX_CONVERSATIONS", 150))
WORKER_USERS = int(os.environ.get("BENCH_WORKER_USERS", 16))
TIMEOUT = aiohttp.ClientTimeout(total=60)
OUT = ROOT / "bench"
LANGUAGES = ("en", "pl", "uk", "ru")

#: typed conversations: free text where a person types, buttons where the question offers a closed list
TYPED: Dict[str, List[str]] = {
    "en": [
        "Hello",
        "How do I apply for a residence permit?",
        '/inform{"procedure": "temporary_residence"}',
        "India",
        '/inform{"purpose": "work"}',
        "yes",
        "31.12.2026",
        "no",
        "yes",
        "yes",
    ],
    "pl": [
        "Dzień dobry",
        "Jak złożyć wniosek o pobyt czasowy?",
        '/inform{"procedure": "temporary_residence"}',
        "Indie",
        '/inform{"purpose": "work"}',
        "tak",
        "31.12.2026",
        "nie",
        "tak",
        "tak",
    ],
    "uk": [
        "Добрий день",
        "Як подати заяву на посвідку на проживання?",
        '/inform{"procedure": "cukr"}',
        "Україна",
        "так",
        "01.03.2022",
        "ні",
        "так",
        "так",
        "так",
    ],
    "ru": [
        "Здравствуйте",
        "Как подать заявление на вид на жительство?",
        '/inform{"procedure": "temporary_residence"}',
        "Беларусь",
        '/inform{"purpose": "work"}',
        "да",
        "31.12.2026",
        "нет",
        "да",
        "да",
    ],
}
#: Rasa's starter ("moodbot") conversation
STARTER = ["hello", "I am sad", "yes", "goodbye"]
MAX_BUTTON_TURNS = 15


@dataclass
class Tally:
    latencies: List[float] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    conversations: int = 0
    completed: int = 0


def _percentiles(values: List[float]) -> Dict[str, float]:
    if len(values) < 2:
        value = round(values[0], 1) if values else None
        return {"p50": value, "p95": value, "p99": value}
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(statistics.median(values), 1), "p95": round(q[94], 1), "p99": round(q[98], 1)}


@lru_cache(maxsize=1)
def _apologies() -> frozenset:
    from bot import i18n
    from bot.routing import text_constants

    return frozenset(i18n.t("chat.action_server_down", lang, **text_constants()) for lang in LANGUAGES)


def _is_apology(messages: List[Dict[str, Any]]) -> bool:
    return any(m.get("text") in _apologies() for m in messages)


async def _turn(
    session: aiohttp.ClientSession,
    url: str,
    sender: str,
    message: str,
    language: Optional[str],
    tally: Tally,
    check_apology: bool = True,
) -> List[Dict[str, Any]]:
    body: Dict[str, Any] = {"sender": sender, "message": message}
    if language:
        body["metadata"] = {"language": language}
    start = time.perf_counter()
    try:
        async with session.post(url, json=body) as answer:
            messages = await answer.json(content_type=None)
            if answer.status != 200 or not messages:
                tally.errors.append(f"{answer.status} for {message[:30]!r}")
                messages = []
            elif check_apology and _is_apology(messages):
                tally.errors.append(f"apology for {message[:30]!r}")
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        tally.errors.append(repr(error)[:100])
        messages = []
    tally.latencies.append((time.perf_counter() - start) * 1000)
    return messages


def _recommended(messages: List[Dict[str, Any]]) -> bool:
    return any("recommendation" in (m.get("custom") or {}) for m in messages)


async def _ours(session, url: str, n: int, tally: Tally) -> None:
    language = LANGUAGES[n % 4]
    sender = f"bench-{os.getpid()}-{n}"
    if (n // 4) % 2 == 0:  # by typing
        messages: List[Dict[str, Any]] = []
        for message in TYPED[language]:
            messages = await _turn(session, url, sender, message, language, tally)
            if _recommended(messages):
                break
    else:  # by buttons, first or last choice
        pick = 0 if (n // 8) % 2 == 0 else -1
        messages = await _turn(session, url, sender, TYPED[language][0], language, tally)
        messages = await _turn(session, url, sender, "/start_application", language, tally)
        for _ in range(MAX_BUTTON_TURNS):
            buttons = (messages[-1].get("buttons") if messages else None) or []
            if _recommended(messages) or not buttons:
                break
            messages = await _turn(session, url, sender, buttons[pick]["payload"], language, tally)
    tally.conversations += 1
    tally.completed += _recommended(messages)


async def _starter(session, url: str, n: int, tally: Tally) -> None:
    for message in STARTER:
        await _turn(session, url, f"starter-{os.getpid()}-{n}", message, None, tally, check_apology=False)
    tally.conversations += 1
    tally.completed += 1


#: a multiple of 16, so that base + n picks the same language and way of answering as n
SENDERS_PER_LEVEL = 10**6
_LEVEL_RUNS = itertools.count(1)


async def _load(
    url: str, users: int, conversation, seconds: float = SECONDS, max_conversations: int = MAX_CONVERSATIONS
) -> Dict[str, Any]:
    """`users` simulated users, each starting a new conversation when one ends, until the time or
    the conversation budget runs out (a conversation under way is finished)."""
    tally = Tally()
    # every conversation of every level gets a sender id of its own: a level reusing the previous
    # level's ids would continue those (finished) conversations instead of starting new ones
    base = next(_LEVEL_RUNS) * SENDERS_PER_LEVEL
    counter = iter(range(SENDERS_PER_LEVEL))
    connector = aiohttp.TCPConnector(limit=users)
    async with aiohttp.ClientSession(timeout=TIMEOUT, connector=connector) as session:
        await conversation(session, url, -1, Tally())  # warm-up, not counted
        start = time.perf_counter()
        deadline = start + seconds

        async def user() -> None:
            while time.perf_counter() < deadline:
                n = next(counter)
                if n >= max_conversations:
                    return
                await conversation(session, url, base + n, tally)

        await asyncio.gather(*(user() for _ in range(users)))
        elapsed = time.perf_counter() - start
    return {
        "turn_latency_ms": _percentiles(tally.latencies),
        "throughput_turns_per_s": round(len(tally.latencies) / elapsed, 2),
        "errors": len(tally.errors),
        "error_examples": tally.errors[:5],
        "conversations": tally.conversations,
        "completed": tally.completed,
        "turns": len(tally.latencies),
        "seconds": round(elapsed, 1),
        "users": users,
        # others share the machine: a level run while it was busy is read with this
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


# ------------------------------------------------------------------------------------------ processes
def _group_rss_mb(pid: int) -> float:
    """Resident memory of a process and every process in its group (Sanic workers, helpers)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            pgrp = int(stat[stat.rindex(")") + 2 :].split()[2])
            if int(entry.name) != pid and pgrp != pid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return round(total / 1024, 1)


def _first_answer(url: str, language: Optional[str], started: float, timeout: float = 400) -> float:
    """Seconds from `started` until the REST channel gives a real answer."""
    import urllib.error
    import urllib.request

    body = {"sender": f"first-{time.time()}", "message": "hello"}
    if language:
        body["metadata"] = {"language": language}
    while time.perf_counter() - started < timeout:
        try:
            request = urllib.request.Request(
                url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=30) as answer:
                messages = json.loads(answer.read())
                if answer.status == 200 and messages and not (language and _is_apology(messages)):
                    return round(time.perf_counter() - started, 1)
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"no answer from {url} in {timeout:.0f} s")


def _first_vs_warm(url: str, language: Optional[str]) -> Dict[str, float]:
    """The first turn of a new conversation right after start-up against the same turn when warm."""

    async def run() -> Dict[str, float]:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            first = Tally()
            await _turn(session, url, f"cold-{time.time()}", "hello", language, first, check_apology=False)
            warm = Tally()
            for i in range(10):
                await _turn(session, url, f"warm-{time.time()}-{i}", "hello", language, warm, check_apology=False)
        warm_p50 = statistics.median(warm.latencies)
        return {
            "first_turn_ms": round(first.latencies[0], 1),
            "warm_turn_p50_ms": round(warm_p50, 1),
            "ratio": round(first.latencies[0] / warm_p50, 2),
        }

    return asyncio.run(run())


def _long_conversation(url: str) -> Dict[str, Any]:
    """One conversation of 60 turns (questions, answers, going back): turn 50 against turn 5."""
    cycle = [
        "what is the CUKR card?",
        "/start_application",
        '/inform{"procedure": "temporary_residence"}',
        "India",
        "/go_back",
        "how much does it cost?",
    ]

    async def run() -> List[float]:
        tally = Tally()
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            for i in range(60):
                await _turn(session, url, "bench-long", cycle[i % len(cycle)], "en", tally)
        return tally.latencies

    latencies = asyncio.run(run())
    early, late = statistics.median(latencies[2:8]), statistics.median(latencies[47:53])
    return {
        "turns_3_to_8_median_ms": round(early, 1),
        "turns_48_to_53_median_ms": round(late, 1),
        "ratio": round(late / early, 2),
    }


def _train_ours(folder: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "rasa"), "train", "--out", str(folder), "--fixed-model-name", "bench", "--quiet"],
        cwd=ROOT,
        check=True,  # an empty cache: trained from scratch, as on a fresh clone
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "RASA_CACHE_DIRECTORY": str(folder / "cache")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return round(time.perf_counter() - start, 1)


def _starter_bot(folder: Path) -> Dict[str, Any]:
    """`rasa init --no-prompt` (which trains), then `rasa run` on a free port; returns its figures."""
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(folder)],
        cwd=folder,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    training_s = round(time.perf_counter() - start, 1)
    port = free_port()
    log = open(folder / "rasa.log", "ab")
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(BIN / "rasa"), "run", "--enable-api", "--port", str(port), "--interface", "127.0.0.1", "--model", "models"],
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    return {
        "process": process,
        "url": url,
        "training_s": training_s,
        "startup_to_first_answer_s": _first_answer(url, None, started),
    }


def _stop(process: subprocess.Popen) -> None:
    from tools.stack import _terminate

    _terminate(process)


def _our_stack(run_dir: Path, extra_env: Dict[str, str], endpoints: Optional[str] = None) -> Stack:
    stack = Stack.on_free_ports(run_dir)
    stack.extra_env.update(extra_env)
    if endpoints:
        stack.endpoints = endpoints
    return stack


def _workers_comparison(folder: Path) -> Dict[str, Any]:
    """One Rasa worker against SANIC_WORKERS=2 on the Redis lock store (and PostgreSQL), same load."""
    from tools.local_services import Services, ensure_installed

    ensure_installed()
    services = Services()
    results: Dict[str, Any] = {"users": WORKER_USERS}
    try:
        services.start_postgres()
        services.start_redis()
        for workers in (1, 2):
            stack = _our_stack(
                folder / f"workers-{workers}", {**services.env(), "SANIC_WORKERS": str(workers)}, "endpoints.scaled.yml"
            )
            stack.start()
            try:
                stack.wait_ready(400)
                url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook"
                _first_answer(url, "en", time.perf_counter())
                load = asyncio.run(_load(url, WORKER_USERS, _ours))
                load["rasa_rss_mb"] = _group_rss_mb(stack.process("rasa").pid)
                results[f"{workers}_worker" + ("s" if workers > 1 else "")] = load
            finally:
                stack.stop()
    finally:
        services.stop()
    one, two = results.get("1_worker"), results.get("2_workers")
    if one and two and one["throughput_turns_per_s"]:
        results["ratio_throughput"] = round(two["throughput_turns_per_s"] / one["throughput_turns_per_s"], 2)
    return results


# ------------------------------------------------------------------------------------------ report
def _chart(results: Dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    levels = sorted(results["by_concurrency"], key=int)
    users = [int(level) for level in levels]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for who, key, style in (("MOS assistant", None, "o-"), ("Rasa starter bot", "starter", "s--")):
        rows = [results["by_concurrency"][lv] if key is None else results["by_concurrency"][lv][key] for lv in levels]
        left.plot(users, [r["turn_latency_ms"]["p50"] for r in rows], style, label=f"{who} p50")
        left.plot(users, [r["turn_latency_ms"]["p95"] for r in rows], style, alpha=0.5, label=f"{who} p95")
        right.plot(users, [r["throughput_turns_per_s"] for r in rows], style, label=who)
    left.set(xscale="log", yscale="log", xlabel="concurrent users", ylabel="turn latency (ms)", title="Turn latency")
    right.set(xscale="log", xlabel="concurrent users", ylabel="turns per second", title="Throughput")
    for axis in (left, right):
        axis.set_xticks(users)
        axis.set_xticklabels([str(u) for u in users])
        axis.grid(True, alpha=0.3)
        axis.legend(fontsize=8)
    fig.suptitle(f"make bench, {results['machine']['cores']} cores, {results['generated']}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _table(results: Dict[str, Any]) -> str:
    lines = [
        "| users | p50 ms | p95 ms | turns/s | errors | starter p95 ms | starter turns/s | ratio p95 | ratio turns/s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for level, row in sorted(results["by_concurrency"].items(), key=lambda kv: int(kv[0])):
        s = row["starter"]
        lines.append(
            f"| {level} | {row['turn_latency_ms']['p50']} | {row['turn_latency_ms']['p95']} | "
            f"{row['throughput_turns_per_s']} | {row['errors']} | {s['turn_latency_ms']['p95']} | "
            f"{s['throughput_turns_per_s']} | {row['ratio_p95']} | {row['ratio_throughput']} |"
        )
    return "\n".join(lines)


def _bench_starter(folder: Path, results: Dict[str, Any]) -> Dict[int, Dict[str, Any]]:
    """Rasa's starter bot: train, start, drive; its figures per level."""
    starter = _starter_bot(folder / "starter")
    starter_levels: Dict[int, Dict[str, Any]] = {}
    try:
        results["starter"] = {
            "training_s": starter["training_s"],
            "startup_to_first_answer_s": starter["startup_to_first_answer_s"],
            "first_turn": _first_vs_warm(starter["url"], None),
        }
        for users in LEVELS:
            starter_levels[users] = asyncio.run(_load(starter["url"], users, _starter))
            print(f"starter {users:>3} users: {starter_levels[users]['turn_latency_ms']}", flush=True)
        results["starter"]["rasa_rss_mb"] = _group_rss_mb(starter["process"].pid)
    finally:
        _stop(starter["process"])
    return starter_levels


def _bench_ours(folder: Path, results: Dict[str, Any], starter_levels: Dict[int, Dict[str, Any]]) -> Dict[str, Any]:
    """Ours, as `make run` starts it (SQLite); its figures per level, next to the starter's."""
    stack = _our_stack(folder / "ours", {"TRACKER_DB": str(folder / "ours-tracker.db")})
    started = time.perf_counter()
    stack.start()
    try:
        url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook"
        stack.wait_ready(400)
        results["startup_to_first_answer_s"] = _first_answer(url, "en", started)
        results["first_turn"] = _first_vs_warm(url, "en")
        by_level: Dict[str, Any] = {}
        for users in LEVELS:
            ours = asyncio.run(_load(url, users, _ours))
            s = starter_levels[users]
            ours["starter"] = {
                "turn_latency_ms": s["turn_latency_ms"],
                "throughput_turns_per_s": s["throughput_turns_per_s"],
                "errors": s["errors"],
            }
            ours["ratio_p95"] = round(ours["turn_latency_ms"]["p95"] / s["turn_latency_ms"]["p95"], 2)
            ours["ratio_throughput"] = round(ours["throughput_turns_per_s"] / s["throughput_turns_per_s"], 2)
            by_level[str(users)] = ours
            print(f"ours    {users:>3} users: {ours['turn_latency_ms']} errors {ours['errors']}", flush=True)
        results["by_concurrency"] = by_level
        results["long_conversation"] = _long_conversation(url)
        results["rss_mb"] = {name: _group_rss_mb(stack.process(name).pid) for name in ("rasa", "actions", "web")}
    finally:
        stack.stop()
    return by_level


def _headline(results: Dict[str, Any], by_level: Dict[str, Any]) -> None:
    headline = by_level[str(10 if 10 in LEVELS else LEVELS[-1])]
    results.update(
        {
            "turn_latency_ms": headline["turn_latency_ms"],
            "throughput_turns_per_s": headline["throughput_turns_per_s"],
            "errors": sum(level["errors"] for level in by_level.values()),
            "conversations": sum(level["conversations"] for level in by_level.values()),
            "rasa_rss_mb": results["rss_mb"]["rasa"],
            "headline_users": 10 if 10 in LEVELS else LEVELS[-1],
        }
    )


def _extras(folder: Path, results: Dict[str, Any]) -> None:
    if os.environ.get("BENCH_TRAIN", "1") == "1":
        results["training_s"] = _train_ours(folder / "model")
    if os.environ.get("BENCH_WORKERS", "1") == "1":
        try:
            results["sanic_workers"] = _workers_comparison(folder)
        except (RuntimeError, TimeoutError, OSError, subprocess.CalledProcessError) as error:
            results["sanic_workers"] = {"error": str(error)}  # the figures above still count


def _write(results: Dict[str, Any]) -> None:
    rt = OUT / "round_trips.json"
    if rt.exists():
        results["action_calls_per_form_turn"] = json.loads(rt.read_text())["calls_per_form_turn"]
    results["machine"]["load_average_at_end"] = list(os.getloadavg())
    (OUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    _chart(results, OUT / "latency.png")
    print(_table(results))
    print(json.dumps({k: v for k, v in results.items() if k != "by_concurrency"}, indent=2, ensure_ascii=False))
    print(f"written to {OUT / 'results.json'} and {OUT / 'latency.png'}")


def main() -> None:
    if not MODEL.exists():
        raise SystemExit(f"No trained model at {MODEL}: run `make train` first.")
    OUT.mkdir(exist_ok=True)
    results: Dict[str, Any] = {
        "generated": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_at_start": list(os.getloadavg()),
            "note": "client, servers and any other work share these cores",
        },
        "settings": {"levels": LEVELS, "seconds_per_level": SECONDS, "max_conversations_per_level": MAX_CONVERSATIONS},
    }
    folder = Path(tempfile.mkdtemp(prefix="mos-bench-"))
    try:
        starter_levels = _bench_starter(folder, results)
        by_level = _bench_ours(folder, results, starter_levels)
        _headline(results, by_level)
        _extras(folder, results)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    _write(results)


if __name__ == "__main__":
    sys.exit(main())
