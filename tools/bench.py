"""`make bench`: a bounded load test of the whole stack on loopback; writes bench/results.json.

Runs CONVERSATIONS scripted conversations (hello -> recommendation), CONCURRENCY at a time,
against a freshly started stack, and reports turn latency percentiles, throughput, errors and
the Rasa server's resident memory.
"""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
from pathlib import Path
from typing import Dict, List

import aiohttp

from tools.stack import ROOT, Stack

CONVERSATIONS = int(os.environ.get("BENCH_CONVERSATIONS", 40))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", 4))
SCRIPT = ["hello", "/start_application", '/inform{"procedure": "temporary_residence"}', "India",
          '/inform{"purpose": "work"}', "yes", "31.12.2026", "no", '/inform{"has_pesel": true}',
          '/inform{"has_trusted_profile": true}']


def _rss_mb(pid: int) -> float:
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().split()
            if int(entry.name) != pid and int(stat[4]) != pid:  # the process or its group
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return round(total / 1024, 1)


async def _conversation(session: aiohttp.ClientSession, url: str, n: int, latencies: List[float],
                        errors: List[str]) -> bool:
    got_recommendation = False
    for message in SCRIPT:
        start = time.perf_counter()
        try:
            async with session.post(url, json={"sender": f"bench-{n}", "message": message,
                                               "metadata": {"language": "en"}}) as answer:
                body = await answer.json()
                if answer.status != 200 or not body:
                    errors.append(f"{answer.status} for {message!r}")
                got_recommendation = any("recommendation" in (m.get("custom") or {}) for m in body)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            errors.append(repr(error))
        latencies.append((time.perf_counter() - start) * 1000)
    return got_recommendation


async def _load(url: str) -> Dict[str, object]:
    latencies: List[float] = []
    errors: List[str] = []
    semaphore = asyncio.Semaphore(CONCURRENCY)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async def one(n: int) -> bool:
            async with semaphore:
                return await _conversation(session, url, n, latencies, errors)

        await _conversation(session, url, -1, [], [])  # warm-up, not counted
        start = time.perf_counter()
        outcomes = await asyncio.gather(*(one(n) for n in range(CONVERSATIONS)))
        elapsed = time.perf_counter() - start
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "turn_latency_ms": {"p50": round(statistics.median(latencies), 1), "p95": round(quantiles[94], 1),
                            "p99": round(quantiles[98], 1)},
        "throughput_turns_per_s": round(len(latencies) / elapsed, 2),
        "errors": len(errors) + outcomes.count(False),
        "conversations": CONVERSATIONS,
        "concurrency": CONCURRENCY,
        "turns": len(latencies),
        "seconds": round(elapsed, 1),
    }


def main() -> None:
    stack = Stack.on_free_ports(ROOT / "run" / "bench")
    tracker_db = stack.run_dir / "tracker.db"
    if tracker_db.exists():
        tracker_db.unlink()
    stack.start()
    try:
        stack.wait_ready(timeout=300)
        results = asyncio.run(_load(f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook"))
        results["rasa_rss_mb"] = _rss_mb(stack.processes[1].pid)
        results["actions_rss_mb"] = _rss_mb(stack.processes[0].pid)
    finally:
        stack.stop()
    out = ROOT / "bench" / "results.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
