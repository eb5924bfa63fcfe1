"""The real `kit serve` in a subprocess on a free port, for the web tests."""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 120  # seconds: three processes load the lessons on a busy 2-core machine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_server(data: Path, *options: str, env: dict | None = None):
    """Yield (base URL, process); stop it with Ctrl-C (SIGINT) as a user would."""
    port = free_port()
    command = [sys.executable, "-m", "kit.cli", "serve", "--port", str(port), "--data", str(data),
               *options]
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    process = subprocess.Popen(command, cwd=data.parent, env=environment, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, process)
        yield base, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"kit serve stopped: {process.stderr.read()}")
        try:
            if httpx.get(f"{base}/static/style.css", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.3)
    raise RuntimeError("kit serve did not start in time")


def stop(process: subprocess.Popen) -> tuple[int, str]:
    """Ctrl-C, then the exit code and what it printed on stderr."""
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    return process.returncode, err
