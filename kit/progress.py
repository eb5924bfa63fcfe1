"""Work done, as a progress bar on a terminal (count, rate, time left), plain lines
elsewhere (a log, a CI job), or nothing: `kit build` counts documents, `kit batch` rows."""
from __future__ import annotations

import sys
import time

from .messages import say

MODES = ("auto", "bar", "log", "none")
LOG_EVERY = 5.0  # seconds between two plain lines


class Progress:
    def __init__(self, total: int, mode: str = "auto", unit: str = "ligne", done: int = 0,
                 label: str = ""):
        if mode == "auto":
            mode = "bar" if sys.stderr.isatty() else "log"
        self.mode, self.total, self.done, self.unit = mode, total, done, unit
        self.start = self._last = time.monotonic()
        self._bar = None
        if mode == "bar":
            from tqdm import tqdm
            tqdm.monitor_interval = 0  # no monitor thread: the worker processes are forked
            self._bar = tqdm(total=total, initial=done, unit=f" {unit}", desc=label or None,
                             file=sys.stderr, dynamic_ncols=True,
                             bar_format="{desc}{percentage:3.0f} % |{bar}| {n_fmt}/{total_fmt}"
                                        " [{elapsed} écoulé, reste {remaining}, {rate_fmt}]")

    def update(self, count: int = 1) -> None:
        self.done += count
        if self._bar is not None:
            self._bar.update(count)
        elif self.mode == "log":
            now = time.monotonic()
            if now - self._last >= LOG_EVERY or self.done == self.total:
                self._last = now
                rate = f"{self.done / max(now - self.start, 1e-6):.1f}".replace(".", ",")
                print(say("commands.progress", done=self.done, total=self.total, unit=self.unit,
                          rate=rate), file=sys.stderr)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
