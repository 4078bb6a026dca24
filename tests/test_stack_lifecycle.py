"""`make run` stops cleanly: SIGTERM or Ctrl-C to it (or its process group) ends all three processes
within 30 s, frees their ports, and leaves no stray file behind (the `${TRACKER_DB}` file once did)."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Dict, Set

import pytest

from tools.stack import MODEL, ROOT, free_port

pytestmark = pytest.mark.slow

STOP_LIMIT_S = 30


def _proc_table() -> Dict[int, int]:
    """pid -> parent pid, from /proc."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                table[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    return table


def _descendants(pid: int) -> Set[int]:
    table = _proc_table()
    found, frontier = set(), {pid}
    while frontier:
        children = {child for child, parent in table.items() if parent in frontier} - found
        found |= children
        frontier = children
    return found


def _alive(pid: int) -> bool:
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _untracked_top_level() -> Set[str]:
    out = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return {line[3:].split("/")[0] for line in out.splitlines() if line.startswith("??")}


@pytest.fixture(scope="module")
def untracked_before():
    before = _untracked_top_level()
    yield before
    new = {name for name in _untracked_top_level() - before if "/" not in name}
    assert not new, f"a run left new untracked files at the repository root: {sorted(new)}"


def _start_make_run(tmp_path) -> tuple:
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "WEB_PORT": free_port()}
    env = {**os.environ, **{k: str(v) for k, v in ports.items()}, "TRACKER_DB": str(tmp_path / "tracker.db")}
    # -o: never retrain or reinstall here (that is `make test`'s job); the recipe is exactly `make run`'s
    process = subprocess.Popen(
        ["make", "--no-print-directory", "-o", str(MODEL.relative_to(ROOT)), "-o", "node_modules/.installed", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        text=True,
    )
    return process, ports


def _wait_for_three(process, timeout: float) -> Set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        family = _descendants(process.pid)
        if len(family) >= 4:  # the supervisor and its three servers (plus their helpers)
            return family
        time.sleep(0.5)
    pytest.fail("make run did not start its three processes")


def _assert_all_stopped(process, family: Set[int], ports: Dict[str, int]) -> float:
    start = time.monotonic()
    while time.monotonic() - start < STOP_LIMIT_S:
        if process.poll() is not None and not any(_alive(pid) for pid in family):
            break
        time.sleep(0.2)
    took = time.monotonic() - start
    left = sorted(pid for pid in family if _alive(pid))
    if left:
        for pid in left:
            os.kill(pid, signal.SIGKILL)
    assert not left, f"processes left running {took:.0f} s after the signal: {left}"
    assert process.poll() is not None
    busy = [name for name, port in ports.items() if _listening(port)]
    assert not busy, f"ports still open: {busy}"
    return took


def test_sigterm_to_the_process_group_of_a_ready_stack_stops_everything(tmp_path, untracked_before):
    assert MODEL.exists(), "make test trains the model first"
    process, ports = _start_make_run(tmp_path)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{ports['WEB_PORT']}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            assert process.poll() is None, process.stdout.read()
            time.sleep(1)
        else:
            pytest.fail("the stack did not become ready")
        family = _descendants(process.pid)
        assert all(_listening(port) for port in ports.values())
        os.killpg(process.pid, signal.SIGTERM)  # what `kill -- -PGID`, systemd and CI do
        _assert_all_stopped(process, family, ports)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def test_ctrl_c_while_the_model_is_still_loading_stops_everything(tmp_path, untracked_before):
    process, ports = _start_make_run(tmp_path)
    try:
        family = _wait_for_three(process, timeout=60)
        time.sleep(3)  # Rasa is importing TensorFlow or loading the model now
        family |= _descendants(process.pid)
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in the terminal: the foreground group
        _assert_all_stopped(process, family, ports)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
