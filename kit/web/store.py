"""What survives a restart, in one SQLite file under `--data`: prepared sessions
(pack jobs), login sessions, and the tables the facilitator's and district's pages
will fill (lesson drafts, batch jobs).

A pack job keeps its order, not its PDF: the same order makes the same bytes, so a
download weeks later is made again rather than stored.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import sqlite3
import threading
from pathlib import Path

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- One row per job: kind 'pack' (a prepared session) or 'batch' (a district roster).
-- status: ready | queued | running | done | interrupted | failed.
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,              -- unguessable: the only way to reach a job's files
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    lesson TEXT,
    label TEXT NOT NULL DEFAULT '',   -- what the history page shows: « 5e B, Collège... »
    request TEXT NOT NULL,            -- the order, as JSON: enough to make it again
    result TEXT,                      -- summary and counts, as JSON
    error TEXT,
    progress_done INTEGER NOT NULL DEFAULT 0,
    progress_total INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_by_kind ON jobs (kind, created);
-- A lesson being edited in the browser; version stops two tabs overwriting each other.
CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY,
    base TEXT,                        -- the lesson id it extends
    lesson_id TEXT,
    body TEXT NOT NULL,               -- the extends: YAML as typed
    version INTEGER NOT NULL DEFAULT 1,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS logins (
    token_hash TEXT PRIMARY KEY,      -- the cookie's SHA-256: a stolen file opens nothing
    expires TEXT NOT NULL
);
"""
LOGIN_DAYS = 7


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Store:
    """The app's SQLite database; each call is short and takes the lock."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "kit-serve.sqlite3"
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(SCHEMA)
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                             (str(SCHEMA_VERSION),))

    def _run(self, sql: str, args=()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- prepared sessions (and, later, batch jobs) ---

    def add_job(self, kind: str, lesson: str, label: str, request: dict, result: dict,
                status: str = "ready") -> str:
        job_id = secrets.token_urlsafe(16)
        now = _now()
        self._run("INSERT INTO jobs (id, kind, status, lesson, label, request, result, created,"
                  " updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  (job_id, kind, status, lesson, label, json.dumps(request, ensure_ascii=False),
                   json.dumps(result, ensure_ascii=False), now, now))
        return job_id

    def job(self, job_id: str, kind: str) -> dict | None:
        rows = self._run("SELECT * FROM jobs WHERE id = ? AND kind = ?", (job_id, kind))
        return _job(rows[0]) if rows else None

    def jobs(self, kind: str, limit: int = 50) -> list[dict]:
        rows = self._run("SELECT * FROM jobs WHERE kind = ? ORDER BY created DESC, rowid DESC"
                         " LIMIT ?", (kind, limit))
        return [_job(r) for r in rows]

    def set_job(self, job_id: str, run: str | None = None, **fields) -> bool:
        """Update a job's columns (`result` as JSON); with `run`, only while that run owns
        it, so a run the server gave up on cannot overwrite a newer one."""
        if "result" in fields:
            fields["result"] = json.dumps(fields["result"], ensure_ascii=False)
        names = ", ".join(f"{name} = ?" for name in fields)
        sql = f"UPDATE jobs SET {names}, updated = ? WHERE id = ?"
        args = [*fields.values(), _now(), job_id]
        if run is not None:
            sql += " AND json_extract(result, '$.run') = ?"
            args.append(run)
        with self._lock:
            return self._db.execute(sql, args).rowcount > 0

    def delete_job(self, job_id: str) -> None:
        self._run("DELETE FROM jobs WHERE id = ?", (job_id,))

    def jobs_with(self, kind: str, status: str) -> list[dict]:
        """Oldest first: the queue's order."""
        rows = self._run("SELECT * FROM jobs WHERE kind = ? AND status = ? ORDER BY created, rowid",
                         (kind, status))
        return [_job(r) for r in rows]

    # --- lesson drafts ---

    def new_draft(self, base: str, body: dict) -> str:
        draft_id, now = secrets.token_urlsafe(16), _now()
        self._run("INSERT INTO drafts (id, base, lesson_id, body, version, created, updated)"
                  " VALUES (?, ?, ?, ?, 1, ?, ?)",
                  (draft_id, base, body.get("id"), json.dumps(body, ensure_ascii=False), now, now))
        return draft_id

    def draft(self, draft_id: str) -> dict | None:
        rows = self._run("SELECT * FROM drafts WHERE id = ?", (draft_id,))
        return dict(rows[0]) | {"body": json.loads(rows[0]["body"])} if rows else None

    def drafts(self, limit: int = 100) -> list[dict]:
        """The latest drafts first, for « Mes brouillons »."""
        rows = self._run("SELECT * FROM drafts ORDER BY updated DESC, rowid DESC LIMIT ?", (limit,))
        return [dict(r) | {"body": json.loads(r["body"])} for r in rows]

    def delete_draft(self, draft_id: str) -> None:
        self._run("DELETE FROM drafts WHERE id = ?", (draft_id,))

    def save_draft(self, draft_id: str, body: dict, version: int, base: str | None = None) -> bool:
        """Keep the draft if `version` is still the latest; False when another tab saved
        first. `base`: the lesson it now adapts (an uploaded full lesson made an adaptation)."""
        with self._lock:
            return self._db.execute(
                "UPDATE drafts SET body = ?, lesson_id = ?, version = version + 1, updated = ?,"
                " base = COALESCE(?, base) WHERE id = ? AND version = ?",
                (json.dumps(body, ensure_ascii=False), body.get("id"), _now(), base, draft_id,
                 version)).rowcount > 0

    # --- logins ---

    def new_login(self) -> str:
        token = secrets.token_urlsafe(32)
        expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=LOGIN_DAYS)
        self._run("DELETE FROM logins WHERE expires < ?", (_now(),))
        self._run("INSERT INTO logins VALUES (?, ?)",
                  (_hash(token), expires.isoformat(timespec="seconds")))
        return token

    def logged_in(self, token: str | None) -> bool:
        if not token:
            return False
        return bool(self._run("SELECT 1 FROM logins WHERE token_hash = ? AND expires > ?",
                              (_hash(token), _now())))

    def logout(self, token: str | None) -> None:
        if token:
            self._run("DELETE FROM logins WHERE token_hash = ?", (_hash(token),))


def _job(row: sqlite3.Row) -> dict:
    job = dict(row)
    job["request"] = json.loads(job["request"])
    job["result"] = json.loads(job["result"]) if job["result"] else None
    return job
