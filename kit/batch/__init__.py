"""The district batch: one personalised session packet per roster row.

`run(roster, out, ...)` is the library call behind `kit batch`; see run.py.
"""
from .roster import Roster, RosterRow, read_roster
from .run import (
           DEFAULT_DOCUMENTS,
           DEFAULT_OUT,
           InlineExecutor,
           RowsFailed,
           Summary,
           run,
)

__all__ = ["run", "Summary", "InlineExecutor", "RowsFailed", "read_roster", "Roster", "RosterRow",
           "DEFAULT_DOCUMENTS", "DEFAULT_OUT"]
