"""How the server was started: what `kit serve`'s options say, checked once."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class ServerConfig:
    """Everything the app needs; nothing in it comes from a request."""

    data: Path
    host: str = "127.0.0.1"
    port: int = 8018
    password: str | None = None
    allowed_hosts: tuple[str, ...] = ()
    lesson_dirs: tuple[Path, ...] = ()
    contacts: Path | None = None
    theme: Path | None = None
    workers: int = 2
    jobs: int = 1  # district batches running at once; each uses every rendering worker
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def local(self) -> bool:
        return self.host in LOCAL_HOSTS

    def host_names(self) -> list[str]:
        """The Host headers accepted: the local names, the address listened on, and the
        names given with --allow-host (a DNS-rebinding page gets none of them)."""
        names = {"127.0.0.1", "localhost", "[::1]", *self.allowed_hosts}
        if self.host not in ("0.0.0.0", "::"):
            names.add(f"[{self.host}]" if ":" in self.host else self.host)
        return sorted(names)

    @property
    def library_dirs(self) -> tuple[Path, ...]:
        """The user lessons folders: --lessons, else DATA/lecons, where the editor saves."""
        return self.lesson_dirs or (Path(self.data) / "lecons",)

    def worker_args(self) -> tuple:
        """What a rendering process needs to load the same lessons, contacts and theme."""
        return (tuple(str(p) for p in self.library_dirs),
                str(self.contacts) if self.contacts else None,
                str(self.theme) if self.theme else None,
                str(Path(self.data) / "contacts"))  # the editor's: see draft.contacts_folder
