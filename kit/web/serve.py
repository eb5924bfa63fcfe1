"""`kit serve`: check the options, then run the app with uvicorn until Ctrl-C.

Secure by default: it listens on 127.0.0.1; any other address needs a password,
or the server refuses to start.
"""
from __future__ import annotations

import os
import socket
from pathlib import Path

import click

from ..errors import KitError
from ..files import FileRefused, read_limited
from ..messages import os_reason, say
from .config import ServerConfig

PASSWORD_MIN = 8
PASSWORD_FILE_MAX = 4096


class ServeError(KitError):
    """Raised when the server cannot start as asked (no password off this machine, port taken)."""

    exit_code = 2


def password_from(password_file: Path | None) -> str | None:
    """--password-file's first line, else KIT_PASSWORD; at least 8 characters."""
    if password_file:
        try:
            data = read_limited(Path(password_file), PASSWORD_FILE_MAX)  # never a pipe or device
            lines = data.decode("utf-8").splitlines()
        except (OSError, FileRefused, UnicodeDecodeError):
            raise ServeError(say("web.password_file", file=password_file)) from None
        password = lines[0].strip() if lines else ""
    else:
        password = os.environ.get("KIT_PASSWORD", "").strip()
        if not password:
            return None
    if len(password) < PASSWORD_MIN:
        raise ServeError(say("web.password_short", count=PASSWORD_MIN))
    return password


def data_folder(data: Path | None) -> Path:
    if data:
        return Path(data)
    import platformdirs
    return platformdirs.user_data_path("kit3018", appauthor=False)


def make_config(host="127.0.0.1", port=8018, data=None, password_file=None, allowed_hosts=(),
                workers=None, jobs=None, lesson_dirs=(), contacts=None, theme=None) -> ServerConfig:
    config = ServerConfig(data=data_folder(data), host=host, port=port,
                          password=password_from(password_file),
                          allowed_hosts=tuple(allowed_hosts), lesson_dirs=tuple(lesson_dirs),
                          contacts=contacts, theme=theme, workers=workers or 2, jobs=jobs or 1)
    if not config.local and config.password is None:
        raise ServeError(say("web.host_needs_password", host=host))
    return config


def _port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise ServeError(say("web.port_taken", host=host, port=port,
                                 why=os_reason(error))) from None


def serve(**options) -> None:
    config = make_config(**options)
    _port_free(config.host, config.port)
    import uvicorn
    from .app import create_app
    shown = "127.0.0.1" if config.host in ("0.0.0.0", "::") else config.host
    click.echo(say("web.started", address=f"http://{shown}:{config.port}/"), err=True)
    uvicorn.run(create_app(config), host=config.host, port=config.port, log_level="warning",
                server_header=False, date_header=True, proxy_headers=False,
                timeout_graceful_shutdown=5)
    click.echo(say("web.stopped"), err=True)
