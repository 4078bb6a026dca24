"""PostgreSQL, Redis and nginx from Debian's packages, started on loopback ports with their data in a
temporary folder: the production setup of deploy/ without Docker (tests/test_scaled.py, tools/bench.py).

Installs the packages with apt-get when a binary is missing and we run as root (CI, this machine).
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from tools.stack import ROOT, free_port

NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "default.conf.template"
PACKAGES = {"postgres": "postgresql", "redis-server": "redis-server", "nginx": "nginx-light"}


def _postgres_bin() -> Optional[Path]:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def ensure_installed() -> None:
    """apt-get install what is missing; a clear error where that is impossible."""
    missing = [
        package
        for binary, package in PACKAGES.items()
        if (binary == "postgres" and _postgres_bin() is None) or (binary != "postgres" and not _which(binary))
    ]
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise RuntimeError(f"missing {missing}: install them (Debian: apt-get install {' '.join(missing)})")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for attempt in range(30):  # another apt-get may hold the lock for a while
        run = subprocess.run(
            ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing], env=env, capture_output=True, text=True
        )
        if run.returncode == 0:
            return
        if "lock" not in run.stderr:
            subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
        time.sleep(10)
    raise RuntimeError(f"apt-get install {missing} failed: {run.stderr[-2000:]}")


def _which(binary: str) -> Optional[str]:
    return shutil.which(binary) or next(
        (p for p in (f"/usr/sbin/{binary}", f"/usr/bin/{binary}") if os.access(p, os.X_OK)), None
    )


def _wait(check, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise TimeoutError(f"{what} did not start in {timeout:.0f} s")


@dataclass
class Services:
    """Owns a temporary folder and the processes it started; stop() removes both."""

    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="mos-services-")))
    pg_port: int = field(default_factory=free_port)
    redis_port: int = field(default_factory=free_port)
    nginx_port: int = field(default_factory=free_port)
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)

    # ---------------------------------------------------------------- PostgreSQL
    @property
    def _as_postgres(self) -> List[str]:
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _init_postgres(self, data: Path) -> bool:
        """A new database folder (initdb) unless there is one; True when it was made."""
        if data.exists():
            return False
        os.chmod(self.folder, 0o755)
        data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(data, "postgres", "postgres")
        subprocess.run(
            [
                *self._as_postgres,
                str(_postgres_bin() / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "rasa",
                "--no-sync",
                "-E",
                "UTF8",
            ],
            check=True,
            capture_output=True,
        )
        return True

    def start_postgres(self) -> None:
        data = self.folder / "pg"
        fresh = self._init_postgres(data)
        log = open(self.folder / "postgres.log", "ab")
        self.processes["postgres"] = subprocess.Popen(
            [
                *self._as_postgres,
                str(_postgres_bin() / "postgres"),
                "-D",
                str(data),
                "-p",
                str(self.pg_port),
                "-k",
                str(data),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "shared_buffers=32MB",
                "-c",
                "max_connections=60",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait(
            lambda: subprocess.run(
                [str(_postgres_bin() / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.pg_port)], capture_output=True
            ).returncode
            == 0,
            "PostgreSQL",
        )
        if fresh:
            subprocess.run(
                [str(_postgres_bin() / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "rasa", "rasa"],
                check=True,
                capture_output=True,
            )

    def stop_postgres(self) -> None:
        """A fast shutdown, as a database failover or a restart for an upgrade does."""
        process = self.processes.pop("postgres")
        subprocess.run(
            [
                *self._as_postgres,
                str(_postgres_bin() / "pg_ctl"),
                "stop",
                "-D",
                str(self.folder / "pg"),
                "-m",
                "fast",
                "-w",
                "-t",
                "60",
            ],
            check=True,
            capture_output=True,
        )  # sessions are cut
        process.wait(timeout=10)

    def psql(self, sql: str) -> str:
        return subprocess.run(
            [
                str(_postgres_bin() / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.pg_port),
                "-U",
                "rasa",
                "-d",
                "rasa",
                "-tAc",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    # ---------------------------------------------------------------- Redis
    def start_redis(self) -> None:
        log = open(self.folder / "redis.log", "ab")
        self.processes["redis"] = subprocess.Popen(
            [
                _which("redis-server"),
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait(lambda: b"PONG" in _redis_ping(self.redis_port), "Redis")

    # ---------------------------------------------------------------- nginx
    def start_nginx(
        self, rasa_ports: List[int], web_port: int, rate_per_second: int = 10, burst: int = 20, max_body: str = "64k"
    ) -> None:
        values = {
            "NGINX_PORT": str(self.nginx_port),
            "RASA_SERVERS": " ".join(f"server 127.0.0.1:{p};" for p in rasa_ports),
            "WEB_SERVERS": f"server 127.0.0.1:{web_port};",
            "MAX_BODY": max_body,
            "RATE_PER_SECOND": str(rate_per_second),
            "RATE_BURST": str(burst),
            "ACCESS_LOG": str(self.folder / "nginx-access.log"),
        }
        site = self.folder / "site.conf"
        site.write_text(render_template(NGINX_TEMPLATE.read_text(), values))
        temp = self.folder / "nginx-temp"
        temp.mkdir(exist_ok=True)
        main = self.folder / "nginx.conf"
        main.write_text(f"""daemon off; worker_processes 1; pid {self.folder}/nginx.pid;
error_log {self.folder}/nginx-error.log warn;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 512; }}
http {{
  client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy; fastcgi_temp_path {temp}/fastcgi;
  uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;
  include {site};
}}
""")
        nginx = _which("nginx")
        check = subprocess.run([nginx, "-t", "-p", str(self.folder), "-c", str(main)], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t: {check.stderr}")
        log = open(self.folder / "nginx.log", "ab")
        self.processes["nginx"] = subprocess.Popen(
            [nginx, "-p", str(self.folder), "-c", str(main)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        import socket

        def listening() -> bool:
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", self.nginx_port)) == 0

        _wait(listening, "nginx")

    # ---------------------------------------------------------------- all
    def env(self) -> Dict[str, str]:
        """What endpoints.scaled.yml reads."""
        return {
            "RASA_ENDPOINTS": "endpoints.scaled.yml",
            "TRACKER_DB_HOST": "127.0.0.1",
            "TRACKER_DB_PORT": str(self.pg_port),
            "TRACKER_DB": "rasa",
            "TRACKER_DB_USER": "rasa",
            "TRACKER_DB_PASSWORD": "",
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(self.redis_port),
            "REDIS_PASSWORD": "",
        }

    def stop(self) -> None:
        if "postgres" in self.processes and self.processes["postgres"].poll() is None:
            subprocess.run(
                [
                    *self._as_postgres,
                    str(_postgres_bin() / "pg_ctl"),
                    "stop",
                    "-D",
                    str(self.folder / "pg"),
                    "-m",
                    "immediate",
                    "-w",
                    "-t",
                    "20",
                ],
                capture_output=True,
            )
        for name, process in list(self.processes.items()):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=20)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    os.killpg(process.pid, signal.SIGKILL)
            self.processes.pop(name, None)
        shutil.rmtree(self.folder, ignore_errors=True)


def render_template(text: str, values: Dict[str, str]) -> str:
    """envsubst as the nginx image runs it: ${NAME} for the names given; a name left out is an error."""
    names = set(re.findall(r"\$\{([A-Z_]+)\}", text))
    missing = names - set(values)
    if missing:
        raise KeyError(f"no value for {sorted(missing)}")
    return re.sub(r"\$\{([A-Z_]+)\}", lambda m: values[m.group(1)], text)


def _redis_ping(port: int) -> bytes:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(64)
    except OSError:
        return b""
