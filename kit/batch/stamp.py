"""Per-row documents without laying the lesson out again for every row.

A lesson's document is laid out once per (lesson, document, edition, which details
the rows give) with each session detail printed as a run of underscores of its own
length (the "marker"); for each row, the marker is cut out of the page's text and the
row's value written in its place, in the same line of text: a reader, a screen reader
or a search finds « Établissement : <the school> » in order. A value is set at the
line's size, smaller if it must (never under 8 pt), and may use the room up to the
next text on its line or the margin. Measured: stamping takes ~20 ms where rendering
takes 85-150 ms.

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
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
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
SMALLEST = 8.0                     # points: a stamped detail is never set smaller
STAMP_FONT = "/KitStamp"           # the values' font, added to the pages that carry them
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
    width: float   # the marker's
    field: str
    room: float = 0.0  # what a value may take: to the next text on its line, or the margin


@dataclass(frozen=True)
class Cut:
    """Where one marker sits in its page's content stream, and the font it is set in."""

    start: int
    end: int
    font: bytes
    size: bytes


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
        self.contents = {page: self.reader.pages[page].get_contents().get_data()
                         for page in sorted({s.page for s in self.spots})}
        self.cuts = {page: _cuts(content, [s for s in self.spots if s.page == page])
                     for page, content in self.contents.items()}

    @property
    def usable(self) -> bool:
        """Every marker found whole in one line of text of its page."""
        return all(cuts is not None for cuts in self.cuts.values())

    def stamp(self, session: Session) -> bytes:
        """The document with this session's details written in place of their markers."""
        texts = self._fitted(session_texts(session))
        strings, font = encoded(texts, self.ctx.styles.face())
        writer = PdfWriter(clone_from=self.reader)
        font_ref = writer._add_object(font.clone(writer))
        spot_strings = dict(zip((s for s in self.spots if s in texts), strings))
        for page, content in self.contents.items():
            pieces, last = [], 0
            for spot, cut in zip((s for s in self.spots if s.page == page), self.cuts[page]):
                pieces += [content[last:cut.start],
                           self._swap(cut, texts.get(spot), spot_strings.get(spot))]
                last = cut.end
            pieces.append(content[last:])
            self._replace_content(writer, page, b"".join(pieces), font_ref)
        info = dict(writer.metadata or {})
        writer.metadata = None
        writer.add_metadata(info)  # written last: the kit's mark stays where made_by_kit looks
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    def _fitted(self, values: dict) -> dict:
        """Each spot's text and the size it is set at; NoRoom if one does not fit."""
        face, texts = self.ctx.styles.face(), {}
        for spot in self.spots:
            value = values.get(spot.field)
            if not value:
                continue
            self.ctx.typeset(value)  # fails, as a full render would, on a glyph the font lacks
            text = french_typography(value, self.ctx.text.thin)
            size = fitted_size(text, face, spot.size, spot.room or spot.width)
            if size is None:
                raise NoRoom(spot.field)
            texts[spot] = (text, size)
        return texts

    @staticmethod
    def _swap(cut: Cut, text, string: bytes | None) -> bytes:
        """The marker's place in its line: the value in the stamp font, then the line's
        font again; the rest of the line follows the value, as in a full render."""
        if text is None:
            return b") Tj ("
        size = _number(text[1])
        return b") Tj %s %s Tf (%s) Tj %s %s Tf (" % (STAMP_FONT.encode(), size, string,
                                                        cut.font, cut.size)

    @staticmethod
    def _replace_content(writer: PdfWriter, page: int, content: bytes, font_ref) -> None:
        stream = DecodedStreamObject()
        stream.set_data(content)
        target = writer.pages[page]
        target[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
        resources = target["/Resources"].get_object()
        fonts = resources.get("/Font")
        if fonts is None:
            fonts = DictionaryObject()
            resources[NameObject("/Font")] = fonts
        fonts.get_object()[NameObject(STAMP_FONT)] = font_ref


def _number(value: float) -> bytes:
    return (b"%.3f" % value).rstrip(b"0").rstrip(b".")


def encoded(texts: dict, face: str) -> tuple[list[bytes], DictionaryObject]:
    """The values as PDF strings in one font subset of `face`, and that font."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=0, initialFontName=face)
    for text, size in texts.values():
        canvas.setFont(face, size)
        canvas.drawString(0, 0, text)
    canvas.showPage()
    canvas.save()
    page = PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
    fonts = page["/Resources"].get_object().get("/Font", DictionaryObject()).get_object()
    strings = re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", page.get_contents().get_data())
    if len(fonts) > 1 or len(strings) != len(texts):  # more glyphs than one subset holds
        raise NoRoom("font")
    font = next(iter(fonts.values())).get_object() if fonts else DictionaryObject()
    return strings, font


def _cuts(content: bytes, spots: list[Spot]) -> list[Cut] | None:
    """Each spot's marker in the page's content stream, in order: a whole run of its
    underscores inside one `(...) Tj` string, and the font set before it (None: unsafe)."""
    cuts, seen = [], Counter()
    for spot in spots:
        length = MARKER_BASE + FIELDS.index(spot.field)
        runs = list(re.finditer(rb"(?<![_\\])_{%d}(?!_)" % length, content))
        if seen[length] >= len(runs):
            return None
        run = runs[seen[length]]
        seen[length] += 1
        close = re.compile(rb"(?<!\\)\)").search(content, run.end())
        fonts = list(re.finditer(rb"(/[^\s/()]+) ([\d.]+) Tf", content[:run.start()]))
        if close is None or not content.startswith(b") Tj", close.start()) or not fonts:
            return None
        if b"(" in content[run.end():close.start()].replace(b"\\(", b""):
            return None
        cuts.append(Cut(run.start(), run.end(), fonts[-1].group(1), fonts[-1].group(2)))
    order = sorted(range(len(cuts)), key=lambda i: cuts[i].start)
    return cuts if order == list(range(len(cuts))) else None


def fitted_size(text: str, face: str, size: float, width: float) -> float | None:
    """The size at which `text` fits its line (down to 60%, never under 8 pt), or None."""
    natural = stringWidth(text, face, size)
    if natural <= width:
        return size
    fitted = size * width / natural
    return fitted if fitted >= max(size * SHRINK_LIMIT, SMALLEST) else None


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
    made = Template(lesson, edition, probe[0], probe[1], spots, theme)
    return made if made.usable else None


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
    """Each marker's place: the origin of its first underscore, the end of its last, and
    the room to its right (to the next text on its line, or the right margin)."""
    spots = []
    for index, text, textpage in _page_texts(data):
        boxes = _char_boxes(textpage, len(text))
        margin = min((b[0] for b in boxes if b), default=0.0)
        page_width = _page_width(data, index)
        for match in re.finditer(r"_{%d,}" % MARKER_BASE, text):
            field = lengths.get(match.end() - match.start())
            if field is None:
                continue  # a line of the document itself (checked by _same_fixed_lines)
            x, y = ctypes.c_double(), ctypes.c_double()
            pdfium_c.FPDFText_GetCharOrigin(textpage.raw, match.start(), x, y)
            right = boxes[match.end() - 1][1]
            size = pdfium_c.FPDFText_GetFontSize(textpage.raw, match.start())
            after = [b[0] for i, b in enumerate(boxes) if b and text[i].strip()
                     and b[0] > right and b[2] <= y.value + size * 0.3 <= b[3] + size * 0.6]
            limit = min(after) - size * 0.6 if after else page_width - margin
            spots.append(Spot(index, x.value, y.value, size, right - x.value, field,
                              max(right, limit) - x.value))
    return spots


def _char_boxes(textpage, count: int) -> list:
    """(left, right, bottom, top) of each character of a page."""
    boxes = []
    for i in range(count):
        box = [ctypes.c_double() for _ in range(4)]
        found = pdfium_c.FPDFText_GetCharBox(textpage.raw, i, *box)
        boxes.append(tuple(v.value for v in box) if found else None)
    return boxes


def _page_width(data: bytes, index: int) -> float:
    return float(PdfReader(io.BytesIO(data)).pages[index].mediabox.width)
