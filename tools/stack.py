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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "current.tar.gz"


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
    processes: List[subprocess.Popen] = field(default_factory=list)
    commands: Dict[str, Tuple[subprocess.Popen, List[str]]] = field(default_factory=dict)

    @classmethod
    def on_free_ports(cls, run_dir: Path) -> "Stack":
        return cls(rasa_port=free_port(), actions_port=free_port(), web_port=free_port(), run_dir=run_dir)

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
        env.update(self.extra_env)
        return env

    def _start(self, name: str, args: List[str]) -> None:
        log = open(self.run_dir / f"{name}.log", "ab")
        process = subprocess.Popen(args, cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
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

    def start(self) -> None:
        if not MODEL.exists():
            raise SystemExit(f"No trained model at {MODEL}: run `make train` first.")
        self.run_dir.mkdir(parents=True, exist_ok=True)
        rasa = str(BIN / "rasa")
        self._start("actions", [rasa, "run", "actions", "--actions", "actions", "--port", str(self.actions_port)])
        rasa_args = [rasa, "run", "--model", str(MODEL), "--enable-api", "--cors", "*",
                     "--interface", self.host, "--port", str(self.rasa_port), "--credentials", "credentials.yml",
                     "--endpoints", os.environ.get("RASA_ENDPOINTS", "endpoints.yml")]
        if os.environ.get("RASA_AUTH_TOKEN"):
            rasa_args += ["--auth-token", os.environ["RASA_AUTH_TOKEN"]]
        self._start("rasa", rasa_args)
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

    def stop(self) -> None:
        for process in self.processes:
            _terminate(process)
        self.processes.clear()


def _terminate(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Optional[List[str]] = None) -> None:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)  # `kill` and CI stop it like Ctrl-C
    stack = Stack.from_env()
    stack.start()
    try:
        print(f"Starting (model load takes about a minute; logs in {stack.run_dir}/)...", flush=True)
        stack.wait_ready()
        print(f"Ready: Rasa http://localhost:{stack.rasa_port}/webhooks/rest/webhook | "
              f"web http://localhost:{stack.web_port}/ | actions http://localhost:{stack.actions_port}. "
              "Ctrl-C stops.", flush=True)
        while all(p.poll() is None for p in stack.processes):
            time.sleep(1)
        print("A process stopped; shutting down. See the logs in run/.", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
