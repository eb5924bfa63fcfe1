"""Rows done, as a progress bar on a terminal, log lines elsewhere, or nothing."""
from __future__ import annotations

import sys
import time

MODES = ("auto", "bar", "log", "none")
LOG_EVERY = 5.0  # seconds between two log lines


class Progress:
    def __init__(self, total: int, mode: str = "auto"):
        if mode == "auto":
            mode = "bar" if sys.stderr.isatty() else "log"
        self.mode, self.total, self.done = mode, total, 0
        self.start = self._last = time.monotonic()
        self._bar = None
        if mode == "bar":
            from tqdm import tqdm
            tqdm.monitor_interval = 0  # no monitor thread: the worker processes are forked
            self._bar = tqdm(total=total, unit="row", file=sys.stderr, dynamic_ncols=True)

    def update(self, count: int = 1) -> None:
        self.done += count
        if self._bar is not None:
            self._bar.update(count)
        elif self.mode == "log":
            now = time.monotonic()
            if now - self._last >= LOG_EVERY or self.done == self.total:
                self._last = now
                rate = self.done / max(now - self.start, 1e-6)
                print(f"{self.done}/{self.total} rows, {rate:.1f} rows/s", file=sys.stderr)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
