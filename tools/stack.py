"""Start the whole assistant on localhost: action server, Rasa server and web service.

`make run` calls `python -m tools.stack`; the end-to-end tests start the same stack on free
ports. Ports come from RASA_PORT, ACTIONS_PORT and WEB_PORT (contract section 1).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

from bot.links import ensure_secret_file
from connectors import credentials

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
#: RASA_MODEL points the stack, the tests and the benchmark at a model trained elsewhere
#: (an experiment in /tmp) without replacing the one `make train` keeps.
MODEL = Path(os.environ.get("RASA_MODEL") or ROOT / "models" / "current.tar.gz")
#: seconds a process group gets to stop after SIGTERM; all groups share it, so the stack stops
#: within this plus a second, well inside the 30 s `make run` promises.
STOP_GRACE_S = 15.0


def free_port() -> int:
    """A port nobody listens on right now, for stacks started by tests and the benchmark."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Stack:
    rasa_port: int = 5005
    actions_port: int = 5055
    web_port: int = 8080
    #: localhost unless BIND_HOST says otherwise (a deployment behind a proxy)
    host: str = field(default_factory=lambda: os.environ.get("BIND_HOST", "127.0.0.1"))
    run_dir: Path = ROOT / "run"
    extra_env: Dict[str, str] = field(default_factory=dict)
    #: e.g. ["--debug"] to see every action-server call (bench/round_trips.py counts them)
    extra_actions_args: List[str] = field(default_factory=list)
    endpoints: str = field(default_factory=lambda: os.environ.get("RASA_ENDPOINTS", "endpoints.yml"))
    model: Path = MODEL
    processes: List[subprocess.Popen] = field(default_factory=list)
    commands: Dict[str, Tuple[subprocess.Popen, List[str]]] = field(default_factory=dict)

    @classmethod
    def on_free_ports(cls, run_dir: Path) -> "Stack":
        return cls(rasa_port=free_port(), actions_port=free_port(), web_port=free_port(), run_dir=run_dir)

    @classmethod
    @contextmanager
    def running(cls, run_dir: Path, extra_env: Optional[Dict[str, str]] = None, timeout: float = 300.0) -> Iterator["Stack"]:
        """A stack on free ports, started and ready, stopped on leaving (one per slow test module)."""
        if not MODEL.exists():
            raise RuntimeError(f"no trained model at {MODEL}: make test trains it first")
        stack = cls.on_free_ports(run_dir)
        stack.extra_env.update(extra_env or {})
        stack.start()
        try:
            stack.wait_ready(timeout=timeout)
            yield stack
        finally:
            stack.stop()

    @classmethod
    def from_env(cls) -> "Stack":
        return cls(
            rasa_port=int(os.environ.get("RASA_PORT", 5005)),
            actions_port=int(os.environ.get("ACTIONS_PORT", 5055)),
            web_port=int(os.environ.get("WEB_PORT", 8080)),
        )

    def env(self) -> Dict[str, str]:
        env = dict(os.environ)
        env.setdefault("ACTION_ENDPOINT_URL", f"http://127.0.0.1:{self.actions_port}/webhook")
        env.setdefault("TRACKER_DB", str(self.run_dir / "tracker.db"))
        env.setdefault("RASA_URL", f"http://127.0.0.1:{self.rasa_port}")
        env.setdefault("ACTIONS_URL", f"http://127.0.0.1:{self.actions_port}")
        env.setdefault("RASA_TELEMETRY_ENABLED", "false")
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        env.setdefault("SANIC_HOST", self.host)  # the action server's only way to choose its interface
        # personal links: the action server makes them, the web service opens them, with one secret
        env.setdefault("PUBLIC_URL", f"http://localhost:{self.web_port}")
        if not env.get("LINK_SECRET", "").strip():
            env["LINK_SECRET"] = ensure_secret_file(self.run_dir / "link_secret")
        env.update(self.extra_env)
        return env

    def _start(self, name: str, args: List[str]) -> None:
        log = open(self.run_dir / f"{name}.log", "ab")
        # Own session: Ctrl-C in the terminal reaches only this supervisor, which then stops each
        # process group in order. The parent-death signal covers a supervisor killed with SIGKILL.
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        log.close()
        self.processes.append(process)
        self.commands[name] = (process, args)

    def process(self, name: str) -> subprocess.Popen:
        return self.commands[name][0]

    def restart(self, name: str, timeout: float = 240.0) -> None:
        """Stop one process and start it again with the same command (a deploy, a crash)."""
        process, args = self.commands[name]
        _terminate(process)
        self.processes.remove(process)
        self._start(name, args)
        self.wait_ready(timeout)

    def rasa_command(self, port: int) -> List[str]:
        rasa_args = [
            str(BIN / "rasa"),
            "run",
            "--model",
            str(self.model),
            "--enable-api",
            "--cors",
            "*",
            "--interface",
            self.host,
            "--port",
            str(port),
            "--credentials",
            str(credentials.write(self.env(), self.run_dir / "credentials.yml")),
            "--endpoints",
            self.endpoints,
        ]
        if os.environ.get("RASA_AUTH_TOKEN"):
            rasa_args += ["--auth-token", os.environ["RASA_AUTH_TOKEN"]]
        return rasa_args

    def add_rasa(self, name: str, port: int) -> None:
        """Another Rasa server on the same stores (endpoints.scaled.yml): a second replica."""
        self._start(name, self.rasa_command(port))

    def start(self) -> None:
        if not self.model.exists():
            raise SystemExit(f"No trained model at {self.model}: run `make train` first.")
        self.run_dir.mkdir(parents=True, exist_ok=True)
        rasa = str(BIN / "rasa")
        self._start(
            "actions",
            [rasa, "run", "actions", "--actions", "actions", "--port", str(self.actions_port), *self.extra_actions_args],
        )
        self._start("rasa", self.rasa_command(self.rasa_port))
        self._start("web", [sys.executable, "-m", "bot", "serve", "--host", self.host, "--port", str(self.web_port)])

    def wait_ready(self, timeout: float = 240.0) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.web_port}/healthz"
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"a process exited early ({process.args[:3]}); see {self.run_dir}/*.log")
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(1)
        raise TimeoutError(f"not ready after {timeout:.0f} s; see {self.run_dir}/*.log")

    def stop(self, grace: float = STOP_GRACE_S) -> None:
        """SIGTERM to every process group at once, SIGKILL to what is left after `grace` seconds."""
        _terminate_all(self.processes, grace)
        self.processes.clear()


def _die_with_parent() -> None:
    """Linux prctl(PR_SET_PDEATHSIG, SIGTERM): the child hears SIGTERM when this supervisor dies."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except OSError:  # not Linux: the supervisor's own stop() still covers Ctrl-C and SIGTERM
        pass


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _terminate_all(processes: List[subprocess.Popen], grace: float) -> None:
    for process in processes:
        _signal_group(process, signal.SIGTERM)  # the group: Sanic workers, TensorFlow helpers
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    for process in processes:
        _signal_group(process, signal.SIGKILL)  # a leftover worker whose leader already exited
        if process.poll() is None:
            process.wait()


def _terminate(process: subprocess.Popen) -> None:
    _terminate_all([process], STOP_GRACE_S)


def _stop_on_signal(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _ignore_further_signals() -> None:
    """A second Ctrl-C or SIGTERM while stopping must not abandon the processes not yet stopped."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)


def main(argv: Optional[List[str]] = None) -> None:
    for signum in (signal.SIGTERM, signal.SIGHUP):  # `kill`, CI and a closed terminal stop it like Ctrl-C
        signal.signal(signum, _stop_on_signal)
    stack = Stack.from_env()
    try:
        stack.start()
        print(f"Starting (model load takes about a minute; logs in {stack.run_dir}/)...", flush=True)
        stack.wait_ready()
        print(
            f"Ready: Rasa http://localhost:{stack.rasa_port}/webhooks/rest/webhook | "
            f"web http://localhost:{stack.web_port}/ | actions http://localhost:{stack.actions_port}. "
            "Ctrl-C stops.",
            flush=True,
        )
        while all(p.poll() is None for p in stack.processes):
            time.sleep(1)
        print("A process stopped; shutting down. See the logs in run/.", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        _ignore_further_signals()
        stack.stop()
        print("Stopped.", flush=True)


if __name__ == "__main__":
    main()
