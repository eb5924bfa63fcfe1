"""What each roster row makes, where, and whether it must be made again.

A packet's digest covers everything its PDFs depend on: the lesson's validated
content, the kit's assets (helpline, styles, texts), the row's details, the kit's
version and the documents asked for. The manifest in OUT records the digest of
every packet written; a row whose digest and files are unchanged is not redone.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import __version__, paths
from ..session import plain_title
from ..session import Session
from ..errors import KitError, OutputError
from ..lessons import Library
from ..files import digest_folder
from ..output import inside, write_atomic
from ..messages import os_reason, say
from ..render import file_name
from ..schema import Lesson
from ..theme import Theme
from ..validation import did_you_mean
from .roster import RosterRow, normalise
from .slugs import Slugger

MANIFEST = ".kit-batch.jsonl"


@dataclass
class Packet:
    """One valid row's output: its folder (relative to OUT), its files and its digest."""

    row: RosterRow
    lesson: Lesson
    lesson_hash: str
    school_folder: str
    folder: str
    files: list[tuple[str, str, str]]  # (document, edition, path relative to OUT)
    skipped: list[str] = field(default_factory=list)
    digest: str = ""
    translations: tuple = ()  # the row's languages' texts; their documents are `<doc>@<lang>`

    @property
    def key(self) -> str:
        return f"{self.folder}/{self.lesson.id}"


@dataclass(frozen=True)
class Profile:
    """What a user adds to every packet: local contacts and a theme (`--contacts`, `--theme`);
    `own`: a lesson's own contacts by id (saved with it by `kit serve`'s editor), printed
    instead of `contacts` with that lesson."""

    contacts: tuple = ()
    theme: Theme | None = None
    own: dict = field(default_factory=dict, hash=False, compare=False)

    def contacts_for(self, lesson_id: str) -> tuple:
        return self.own.get(lesson_id, self.contacts)


def profile_digest(contacts=(), theme: Theme | None = None) -> str:
    """The contacts and every file of the theme folder: a changed profile remakes the packets."""
    digest = hashlib.sha256(json.dumps([c.model_dump(mode="json") for c in contacts],
                                       sort_keys=True).encode("utf-8"))
    if theme is not None:  # no link out of the theme, no device, no pipe is read
        digest_folder(digest, theme.folder)
    return digest.hexdigest()


# Roster columns printed on some documents only: (documents that print it, its header).
PRINTED_ON = {"room": (("guide",), "salle"),
              "time": (("guide", "family-letter", "family-letter-before"), "horaire")}


def unused_columns(rows: list[RosterRow], documents) -> list[str]:
    """A warning for each filled column no document asked for prints (salle, horaire)."""
    warnings = []
    for column, (printed_on, header) in PRINTED_ON.items():
        filled = any(row.cells.get(column) for row in rows)
        if filled and not set(printed_on) & set(documents):
            warnings.append(say("batch.unused_column", header=header, documents=", ".join(printed_on)))
    return warnings


def date_warning(session: Session) -> str | None:
    """A session date no school uses: a Sunday (the obvious case a typo makes)."""
    if session.date is not None and session.date.weekday() == 6:
        return say("batch.sunday", date=f"{session.date:%d/%m/%Y}")
    return None


def lesson_hash(lesson: Lesson) -> str:
    return hashlib.sha256(lesson.model_dump_json().encode("utf-8")).hexdigest()


def assets_digest() -> str:
    """Every file under assets/: a new helpline number or style redoes every packet."""
    digest = hashlib.sha256(__version__.encode())
    root = paths.assets()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class LessonFinder:
    """Finds a roster's lesson by id or by title, ignoring case, accents and punctuation."""

    def __init__(self, library: Library):
        self.library = library
        self.by_title = {normalise(plain_title(l)): l for l in library.lessons.values()}
        self.by_id = {normalise(i): l for i, l in library.lessons.items()}

    def find(self, text: str) -> Lesson | None:
        key = normalise(text)
        return self.library.lessons.get(text) or self.by_id.get(key) or self.by_title.get(key)

    def guess(self, text: str) -> str | None:
        """The lesson id a mistyped id or title was probably meant to be."""
        key = normalise(text)
        close = did_you_mean(key, self.by_id) or did_you_mean(key, self.by_title)
        if close is None:
            return None
        return (self.by_id.get(close) or self.by_title[close]).id

    def not_found(self, text: str) -> str:
        """Why a row's lesson cannot be had, with the id it was probably meant to be."""
        guess = self.guess(text)
        return say("batch.no_lesson_guess" if guess else "batch.no_lesson", text=text, guess=guess)


def plan(rows: list[RosterRow], library: Library, documents, editions,
         environment: Callable[[Lesson], str], check: Callable[[Lesson], str | None],
         translate=None) -> list[Packet]:
    """A packet per valid row; a row that cannot be made gets the reason in `row.errors`.
    `environment(lesson)`: the digest of what its packets depend on besides their row.
    `translate(lesson, language, document)`: a row's « langues » texts (KitError if none)."""
    finder, slugger, packets, used = LessonFinder(library), Slugger(), [], set()
    hashes: dict[str, str] = {}
    for row in rows:
        lesson = finder.find(row.lesson) if row.lesson else None
        if row.lesson and lesson is None:
            row.errors.append(finder.not_found(row.lesson))
        elif lesson is not None and (problem := check(lesson)):
            row.errors.append(say("batch.cannot_print", id=lesson.id, why=problem))
        if row.errors:
            continue
        school = slugger.get((), row.session.school)
        folder_slug = slugger.get((school,), row.session.class_name)
        while (school, folder_slug, lesson.id) in used:  # the same class and lesson twice
            folder_slug = slugger.fresh((school,), row.session.class_name)
        used.add((school, folder_slug, lesson.id))
        if lesson.id not in hashes:  # once per lesson: dumping it takes a few ms
            hashes[lesson.id] = lesson_hash(lesson)
        packet = Packet(row, lesson, hashes[lesson.id], school, f"{school}/{folder_slug}", [])
        _choose_files(packet, documents, editions)
        if row.languages and not _add_languages(packet, documents, editions, translate):
            continue
        if warning := date_warning(row.session):
            packet.skipped.append(warning)
        packet.digest = _digest(packet, environment(lesson))
        packets.append(packet)
    return packets


def _choose_files(packet: Packet, documents, editions) -> None:
    for document in documents:
        if not packet.lesson.makes(document):
            packet.skipped.append(say("batch.document_not_offered", document=document))
        else:
            for edition in editions:
                name = file_name(packet.lesson.id, document, edition)
                packet.files.append((document, edition, f"{packet.folder}/{name}"))


def _add_languages(packet: Packet, documents, editions, translate) -> bool:
    """The family letters (those asked for, the letter itself always) in each of the row's
    languages, after the others; False, with the reason in the row's errors, when a
    language has no translation of this lesson."""
    wanted = [d for d in ("family-letter", "family-letter-before")
              if d in packet.lesson.offered_documents and (d == "family-letter" or d in documents)]
    translations = []
    for language in packet.row.languages:
        for document in wanted:
            try:
                translation = translate(packet.lesson, language, document)
            except KitError as error:
                packet.row.errors.append(error.format_message())
                return False
            if translation not in translations:
                translations.append(translation)
            for edition in editions:
                name = file_name(packet.lesson.id, document, edition, language)
                packet.files.append((f"{document}@{language}", edition, f"{packet.folder}/{name}"))
    packet.translations = tuple(translations)
    return True


def _digest(packet: Packet, env_digest: str) -> str:
    content = {"env": env_digest, "lesson": packet.lesson_hash, "files": packet.files,
               "session": session_record(packet.row.session)}
    if packet.translations:  # a row without languages keeps the digest it had before
        content["translations"] = [t.model_dump(mode="json") for t in packet.translations]
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode("utf-8")).hexdigest()


def session_record(session: Session) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in vars(session).items()}


class Manifest:
    """The digest and files of every packet written, appended one line per packet as it
    lands (a line is one write, so a killed run keeps every packet it finished)."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.path = inside(self.out, MANIFEST)
        self.entries: dict[str, dict] = {}
        self._handle = None
        if self.path.is_file() and not self.path.is_symlink():  # a link is never read nor followed
            for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # the last line of a run killed while writing it
                if _well_formed(entry):  # a hand-edited line only makes its packet redone
                    self.entries[entry["key"]] = entry

    def unchanged(self, packet: Packet) -> bool:
        entry = self.entries.get(packet.key)
        if not entry or entry["digest"] != packet.digest:
            return False
        sizes = entry["sizes"]
        return all(_size(self.out / path) == sizes.get(path) for _, _, path in packet.files)

    def pages(self, packet: Packet) -> int:
        return self.entries.get(packet.key, {}).get("pages", 0)

    def record(self, packet: Packet, sizes: dict[str, int], pages: int) -> None:
        entry = {"key": packet.key, "digest": packet.digest, "sizes": sizes, "pages": pages}
        self.entries[packet.key] = entry
        try:
            if self._handle is None:
                if self.path.is_symlink():  # written as a file of its own by compact()
                    self.path.unlink()
                self._handle = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT
                                       | os.O_NOFOLLOW, 0o644)
            os.write(self._handle, (json.dumps(entry, sort_keys=True) + "\n").encode("utf-8"))
        except OSError as error:
            raise OutputError(say("output.cannot_write", file=self.path,
                                  why=os_reason(error))) from None

    def compact(self) -> None:
        """One line per packet, replaced atomically: the journal does not grow run after run."""
        self.close()
        lines = "".join(json.dumps(e, sort_keys=True) + "\n" for e in self.entries.values())
        write_atomic(self.path, lines.encode("utf-8"), force=True)

    def close(self) -> None:
        if self._handle is not None:
            os.close(self._handle)
            self._handle = None


def _well_formed(entry) -> bool:
    """A line as `record` writes it: the types later code relies on."""
    return (isinstance(entry, dict) and isinstance(entry.get("key"), str)
            and isinstance(entry.get("digest"), str) and isinstance(entry.get("sizes"), dict)
            and type(entry.get("pages")) is int)


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None
