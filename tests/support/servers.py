"""Real servers for tests: a mosquitto broker per test and a PostgreSQL database per test.

Under CI=true a missing broker or database server is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


def mosquitto_binary() -> str | None:
    return shutil.which("mosquitto") or next(
        (p for p in ("/usr/sbin/mosquitto", "/usr/bin/mosquitto") if Path(p).exists()), None
    )


@dataclass
class Broker:
    host: str
    port: int
    process: subprocess.Popen
    config: Path
    log: Path

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def start_again(self) -> None:
        self.process = subprocess.Popen(
            [mosquitto_binary() or "mosquitto", "-c", str(self.config)],
            stdout=subprocess.DEVNULL, stderr=open(self.log, "ab"),  # noqa: SIM115
        )
        wait_for_port(self.port)


@contextmanager
def run_mosquitto(workdir: Path, extra_config: str = "", port: int | None = None) -> Iterator[Broker]:
    """Start a private mosquitto on a free loopback port; extra_config adds listeners, auth, TLS."""
    binary = mosquitto_binary()
    if binary is None:
        unavailable("mosquitto is not installed (apt-get install mosquitto)")
    port = port or free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "mosquitto.conf"
    log = workdir / "mosquitto.log"
    # `user root`: CI runs as root in 0700 temp folders; mosquitto would otherwise drop to the
    # mosquitto user and fail to read its own files (REFERENCE.md).
    config.write_text(
        "\n".join(
            [
                "user root" if os.geteuid() == 0 else "",
                "persistence true",
                f"persistence_location {workdir}/",
                "max_queued_messages 200000",
                "max_inflight_messages 0",
                f"listener {port} 127.0.0.1",
                "allow_anonymous true" if "allow_anonymous" not in extra_config else "",
                extra_config,
            ]
        )
        + "\n"
    )
    process = subprocess.Popen([binary, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=open(log, "ab"))  # noqa: SIM115
    broker = Broker("127.0.0.1", port, process, config, log)
    try:
        wait_for_port(port)
        yield broker
    finally:
        broker.stop()


def postgres_admin_url() -> str | None:
    return os.environ.get("SLIM_TEST_POSTGRES_URL") or None


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty database on the test PostgreSQL server; dropped afterwards."""
    admin = postgres_admin_url()
    if admin is None:
        unavailable("no PostgreSQL server for tests (set SLIM_TEST_POSTGRES_URL; .ci/run starts one)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"slim_test_{uuid.uuid4().hex[:12]}"
    admin_url = make_url(admin).set(drivername="postgresql+psycopg")
    admin_engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin_engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - a configured but unreachable server is a failure to report clearly
        admin_engine.dispose()
        unavailable(f"PostgreSQL at {admin_url.render_as_string()} is not reachable: {exc}")
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()
