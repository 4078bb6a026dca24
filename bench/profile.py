"""Where a turn's time goes: py-spy on the Rasa server and the action server during one bench level.

Starts the stack on free ports, warms it, then runs `PROFILE_USERS` (10) simulated users for
`PROFILE_SECONDS` (25) while `py-spy record` samples both servers (Python frames only, idle
samples kept, per thread). Each sample of the server's event-loop thread is put in the bucket
of the outermost frame that names a known part (NLU, policies, tracker store ...), so the
shares add up to the wall time of that thread. Writes bench/profile-<label>.json with the
buckets and the top frames; `python -m bench.profile before` and `... after` feed bench/PROFILE.md.
py-spy needs ptrace rights (root, or CAP_SYS_PTRACE).
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Tuple

from tools.stack import BIN, ROOT, Stack

USERS = int(os.environ.get("PROFILE_USERS", 10))
SECONDS = float(os.environ.get("PROFILE_SECONDS", 25))
RATE = 100
#: where the raw samples stay, for `python -m bench.profile --summarise LABEL`
RAW_DIR = Path(os.environ.get("PROFILE_RAW_DIR", tempfile.gettempdir()))

#: (bucket, substrings of "function (file:line)"): a sample goes to the first bucket in this order
#: that names any frame of it, so the narrow parts come before the wide ones that call them.
BUCKETS: Dict[str, List[Tuple[str, Tuple[str, ...]]]] = {
    "rasa": [
        ("lock store", ("rasa/core/lock_store.py", "connectors/lock_store.py")),
        ("tracker load/save", ("tracker_store.py",)),
        (
            "action call (HTTP to the action server)",
            (
                "rasa/core/actions/action.py:",
                "rasa/core/actions/forms.py",
                "rasa/core/actions/loops.py",
                "rasa/utils/endpoints.py",
                # the only jsonschema use in a turn: checking the
                # action server's answer (its deep recursion can
                # cut the stack below the action's own frame)
                "jsonschema/",
                "connectors/action_results.py",
            ),
        ),
        ("NLU featurize", ("rasa/nlu/featurizers/", "rasa/nlu/tokenizers/", "rasa/nlu/extractors/")),
        ("NLU classify (DIET, fallback)", ("rasa/nlu/classifiers/", "rasa/utils/tensorflow/", "tensorflow/")),
        ("policies", ("rasa/core/policies/",)),
        ("rendering (responses)", ("rasa/core/nlg/",)),
        (
            "Rasa graph engine and processor (other)",
            ("rasa/engine/", "rasa/core/processor.py", "rasa/core/agent.py", "rasa/shared/core/"),
        ),
        ("REST channel (other)", ("connectors/rest.py", "rasa/core/channels/")),
        ("logging", ("logging/",)),
        ("HTTP server (Sanic)", ("sanic/",)),
    ],
    "actions": [
        ("understanding step", ("bot/understanding/",)),
        ("language detection", ("bot/language.py",)),
        ("engine (bot/routing)", ("bot/routing/",)),
        ("rendering (bot/render, i18n, questions)", ("bot/render.py", "bot/i18n", "bot/questions.py")),
        ("actions/ (other)", ("/actions/",)),
        ("rasa_sdk (tracker parsing, dispatch)", ("rasa_sdk/",)),
        ("logging", ("logging/",)),
        ("HTTP server (Sanic)", ("sanic/",)),
    ],
}
#: the event loop (uvloop under Sanic: no Python frame of its own) handing control to a callback;
#: the frames above the last of these are the work of that callback
LOOP = ("serve (sanic/server/runners.py", "_run (asyncio/events.py", "run_forever (asyncio/base_events.py")


def bucket_of(frames: List[str], server: str) -> str:
    """frames: outermost first, as py-spy writes them."""
    ran = max((i for i, f in enumerate(frames) if f.startswith(LOOP)), default=None)
    work = frames[ran + 1 :] if ran is not None else frames
    if not work or work[-1].startswith(("select (selectors.py", "poll ", "epoll")):
        return "idle (event loop waiting)"
    for name, patterns in BUCKETS[server]:
        if any(p in frame for frame in work for p in patterns):
            return name
    return "other"


def summarise(raw: Path, server: str, top: int = 15) -> Dict[str, object]:
    """Buckets and top frames of the main (event-loop) thread from py-spy's raw (collapsed) output."""
    buckets: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        parts = stack.split(";")
        # with --threads: "process ...;thread (0x..., MainThread);frames..."
        thread = next((p for p in parts[:2] if p.startswith("thread ")), "")
        if "MainThread" not in thread:
            continue
        frames = [p for p in parts if not p.startswith(("process ", "thread "))]
        n = int(count)
        total += n
        buckets[bucket_of(frames, server)] += n
        if frames:
            own[_short(frames[-1])] += n
    share = {k: round(100 * v / total, 1) for k, v in buckets.most_common()} if total else {}
    return {
        "samples": total,
        "seconds": round(total / RATE, 1),
        "share_percent": share,
        "top_own_frames_percent": {k: round(100 * v / total, 1) for k, v in own.most_common(top)},
    }


def _short(frame: str) -> str:
    return frame.replace(str(ROOT) + "/", "").replace("/.venv/lib/python3.10/site-packages/", "")


def _record(pid: int, out: Path, seconds: float) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BIN / "py-spy"),
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(int(seconds)),
            "--rate",
            str(RATE),
            "--format",
            "raw",
            "--threads",
            "--idle",
            "--nonblocking",
            "--output",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def profile(label: str) -> Dict[str, object]:
    from tools.bench import _first_answer, _group_rss_mb, _load, _ours

    folder = Path(tempfile.mkdtemp(prefix="mos-profile-"))
    stack = Stack.on_free_ports(folder / "run")
    stack.extra_env["TRACKER_DB"] = str(folder / "tracker.db")
    stack.start()
    try:
        stack.wait_ready(400)
        url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook"
        _first_answer(url, "en", time.perf_counter())
        asyncio.run(_load(url, 2, _ours, seconds=5))  # every code path once before sampling
        recorders = {name: _record(stack.process(name).pid, folder / f"{name}.raw", SECONDS) for name in ("rasa", "actions")}
        load = asyncio.run(_load(url, USERS, _ours, seconds=SECONDS))
        for recorder in recorders.values():
            _, error = recorder.communicate(timeout=SECONDS + 60)
            if recorder.returncode:
                raise RuntimeError(error.decode(errors="replace")[-500:])
        for name in recorders:
            shutil.copy(folder / f"{name}.raw", RAW_DIR / f"mos-profile-{label}-{name}.raw")
        result = {
            "label": label,
            "users": USERS,
            "load_average": list(os.getloadavg()),
            "bench": {k: load[k] for k in ("turn_latency_ms", "throughput_turns_per_s", "errors", "turns")},
            "rss_mb": {name: _group_rss_mb(stack.process(name).pid) for name in recorders},
            **{name: summarise(folder / f"{name}.raw", name) for name in recorders},
        }
    finally:
        stack.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return result


def main(argv: List[str]) -> None:
    if argv[:1] == ["--summarise"]:
        label = argv[1]
        old = json.loads((ROOT / "bench" / f"profile-{label}.json").read_text())
        result = {
            **old,
            **{name: summarise(RAW_DIR / f"mos-profile-{label}-{name}.raw", name) for name in ("rasa", "actions")},
        }
    else:
        label = argv[0] if argv else "now"
        result = profile(label)
    out = ROOT / "bench" / f"profile-{label}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"written to {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
