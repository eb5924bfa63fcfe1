"""Rows done: the kit's one progress display (kit/progress.py), counting roster rows."""
from ..progress import LOG_EVERY, MODES, Progress  # noqa: F401
