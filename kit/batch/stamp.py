"""Per-row documents without laying the lesson out again for every row.

A lesson's document is laid out once per (lesson, document, edition, which details
the rows give) with each session detail printed as a run of underscores of its own
length (the "marker"); the row's details are then written on those lines by a
one-page overlay. Measured: stamping takes ~20 ms where rendering takes 85-150 ms.

A template is used only when it is safe: the lesson text has no `{{ session.* }}`
(the text around a value would flow differently), every marker is found whole on one
line, and no fixed line in the document has a marker's length. Otherwise `None`,
and the caller renders the document in full for each row.
"""
from __future__ import annotations

import ctypes
import io
import re
from collections import Counter
from dataclasses import dataclass, fields

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader, PdfWriter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..context import Session, make_context
from ..errors import KitError
from ..render import render_document
from ..schema import Lesson
from ..text import TextError, french_typography

FIELDS = tuple(f.name for f in fields(Session))
MARKER_BASE = 23                   # markers are 23..31 underscores; the kit's blanks are 14 or 20
PROBE_SHIFT = len(FIELDS)          # the second probe's markers: 32..40, to spot fixed lines
SHRINK_LIMIT = 0.6                 # a long value is set down to 60% of the size to fit its line
_SESSION_PLACEHOLDER = re.compile(r"\{[{%][^}]*\bsession\b")


class NoRoom(Exception):
    """Raised when a row's detail is too long for its line even set smaller: that row's
    document is laid out in full instead, where the form wraps it."""


@dataclass(frozen=True)
class Spot:
    """Where one session detail goes: its page, the start of its line, size and length."""

    page: int
    x: float
    y: float
    size: float
    width: float
    field: str


@dataclass(frozen=True)
class _MarkedSession(Session):
    """A session whose details are already text (markers), printed as they are."""

    def placeholders(self) -> dict:
        view = {f.name: getattr(self, f.name) for f in fields(self)}
        view["class"] = view.pop("class_name")
        return view


class Template:
    """A document laid out once, with the positions of its session details."""

    def __init__(self, lesson: Lesson, edition: str, data: bytes, pages: int, spots, theme=None):
        self.ctx = make_context(lesson, edition, theme=theme)
        self.data, self.pages, self.spots = data, pages, tuple(spots)
        self.reader = PdfReader(io.BytesIO(data))
        self.page_size = tuple(float(v) for v in self.reader.pages[0].mediabox[2:])

    def stamp(self, session: Session) -> bytes:
        """The document with this session's details written on their lines."""
        values = session_texts(session)
        overlay, pages = self._overlay(values)
        writer = PdfWriter(clone_from=self.reader)
        for index, page in zip(pages, PdfReader(io.BytesIO(overlay)).pages):
            writer.pages[index].merge_page(page)
        info = dict(writer.metadata or {})
        writer.metadata = None
        writer.add_metadata(info)  # written last: the kit's mark stays where made_by_kit looks
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    def _overlay(self, values: dict) -> tuple[bytes, list[int]]:
        buffer = io.BytesIO()
        face = self.ctx.styles.face()
        canvas = Canvas(buffer, pagesize=self.page_size, invariant=1, initialFontName=face,
                        initialFontSize=self.ctx.styles.body_size)
        pages = sorted({s.page for s in self.spots})
        for page in pages:
            for spot in (s for s in self.spots if s.page == page and values.get(s.field)):
                self.ctx.typeset(values[spot.field])  # fails, as a full render would, on a glyph the font lacks
                text = french_typography(values[spot.field], self.ctx.text.thin)
                size = fitted_size(text, face, spot.size, spot.width)
                if size is None:
                    raise NoRoom(spot.field)
                canvas.setFont(face, size)
                canvas.drawString(spot.x, spot.y + spot.size * 0.2, text)
            canvas.showPage()
        canvas.save()
        return buffer.getvalue(), pages


def fitted_size(text: str, face: str, size: float, width: float) -> float | None:
    """The size at which `text` fits its line (down to 60%), or None if it never does."""
    natural = stringWidth(text, face, size)
    if natural <= width:
        return size
    fitted = size * width / natural
    return fitted if fitted >= size * SHRINK_LIMIT else None


def session_texts(session: Session) -> dict[str, str | None]:
    """Each detail as a full render prints it: from `Session.placeholders`, as the forms are."""
    view = session.placeholders()
    view["class_name"] = view.pop("class")
    return {name: None if view[name] is None else str(view[name]) for name in FIELDS}


def present_fields(session: Session) -> tuple[str, ...]:
    return tuple(name for name in FIELDS if getattr(session, name) is not None)


def stampable(lesson: Lesson) -> bool:
    """No `{{ session.* }}` in the lesson text: nothing around a value reflows."""
    return not _SESSION_PLACEHOLDER.search(lesson.model_dump_json())


_TEMPLATES: dict[tuple, Template | None] = {}
TEMPLATES_KEPT = 64  # per process; a batch rarely uses more lessons x documents x editions


def template(lesson_hash: str, lesson: Lesson, document: str, edition: str,
             present: tuple[str, ...], local_contacts=(), theme=None) -> Template | None:
    """The document's template for rows giving these details (None: render each row in full).

    Cached per process and per lesson content: each worker lays a lesson out once.
    """
    key = (lesson_hash, document, edition, present, tuple(local_contacts), theme)
    if key not in _TEMPLATES:
        if len(_TEMPLATES) >= TEMPLATES_KEPT:
            _TEMPLATES.pop(next(iter(_TEMPLATES)))
        _TEMPLATES[key] = _make_template(lesson, document, edition, present, local_contacts, theme)
    return _TEMPLATES[key]


def _make_template(lesson: Lesson, document: str, edition: str, present: tuple[str, ...],
                   local_contacts=(), theme=None) -> Template | None:
    if not stampable(lesson):
        return None
    profile = {"local_contacts": tuple(local_contacts), "theme": theme}
    probe = _probe(lesson, document, edition, present, MARKER_BASE, **profile)
    shifted = _probe(lesson, document, edition, present, MARKER_BASE + PROBE_SHIFT, **profile)
    if probe is None or shifted is None:
        return None
    lengths = {MARKER_BASE + FIELDS.index(f): f for f in present}
    if not _same_fixed_lines(_runs(probe[0]), _runs(shifted[0]), lengths):
        return None
    spots = _spots(probe[0], lengths)
    return Template(lesson, edition, probe[0], probe[1], spots, theme)


def _probe(lesson, document, edition, present, base, local_contacts=(), theme=None):
    markers = {f: "_" * (base + FIELDS.index(f)) for f in present}
    try:
        pdf = render_document(lesson, document, edition=edition, session=_MarkedSession(**markers),
                              local_contacts=local_contacts, theme=theme)
    except (AttributeError, TypeError, ValueError, KitError, TextError):
        # a builder or a placeholder computes with a detail (a date, a number, even reached
        # indirectly): the markers are not values, so every row is laid out in full instead
        return None
    return pdf.data, pdf.pages


def _runs(data: bytes) -> Counter:
    """How many runs of underscores of each length the document prints."""
    runs = Counter()
    for _, text, _ in _page_texts(data):
        runs.update(len(run) for run in re.findall(r"_{3,}", text))
    return runs


def _same_fixed_lines(probe: Counter, shifted: Counter, lengths: dict[int, str]) -> bool:
    """Apart from the markers, both probes print the same lines: no marker was broken
    across lines, and no line of the document itself has a marker's length."""
    markers = Counter({length: probe[length] for length in lengths})
    shifted_markers = Counter({length + PROBE_SHIFT: probe[length] for length in lengths})
    return probe - markers == shifted - shifted_markers and all(
        shifted[length] == 0 for length in lengths)


def _page_texts(data: bytes):
    document = pdfium.PdfDocument(data)
    try:
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            count = textpage.count_chars()
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
            yield index, text, textpage
    finally:
        document.close()


def _spots(data: bytes, lengths: dict[int, str]) -> list[Spot]:
    """Each marker's place: the origin of its first underscore, the end of its last."""
    spots = []
    for index, text, textpage in _page_texts(data):
        for match in re.finditer(r"_{%d,}" % MARKER_BASE, text):
            field = lengths.get(match.end() - match.start())
            if field is None:
                continue  # a line of the document itself (checked by _same_fixed_lines)
            x, y = ctypes.c_double(), ctypes.c_double()
            pdfium_c.FPDFText_GetCharOrigin(textpage.raw, match.start(), x, y)
            box = [ctypes.c_double() for _ in range(4)]  # left, right, bottom, top
            pdfium_c.FPDFText_GetCharBox(textpage.raw, match.end() - 1, *box)
            size = pdfium_c.FPDFText_GetFontSize(textpage.raw, match.start())
            spots.append(Spot(index, x.value, y.value, size, box[1].value - x.value, field))
    return spots
