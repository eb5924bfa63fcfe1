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

Each template is written once more as a *base*: its marked pages' content split at the
markers into separate streams, and a subset of the body font holding a fixed repertoire
(Latin-1 and French typography) on those pages as /KitStamp. A row's document is then the
base's bytes followed by a PDF incremental update that replaces only the (empty) value
streams: no parsing, no copying, no re-serialising per row, ~0.1 ms a document. A value
with a character outside the repertoire is stamped the slow way, with its own font subset.
"""
from __future__ import annotations

import ctypes
import functools
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, fields

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject
from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas

from .. import cache
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
    """A document laid out once, with the positions of its session details.

    Pickled without its render context and parsed PDF (made again on first use), so
    that templates laid out in parallel come back to the process that forks the workers.
    """

    def __init__(self, lesson: Lesson, edition: str, data: bytes, pages: int, spots, theme=None):
        self.lesson, self.edition, self.theme = lesson, edition, theme
        self.data, self.pages, self.spots = data, pages, tuple(spots)
        self.contents = {page: self.reader.pages[page].get_contents().get_data()
                         for page in sorted({s.page for s in self.spots})}
        self.cuts = {page: _cuts(content, [s for s in self.spots if s.page == page])
                     for page, content in self.contents.items()}
        self.base = _Base(self) if self.usable else None

    @functools.cached_property
    def ctx(self):
        return make_context(self.lesson, self.edition, theme=self.theme)

    @functools.cached_property
    def reader(self) -> PdfReader:
        return PdfReader(io.BytesIO(self.data))

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("ctx", "reader")}

    @property
    def usable(self) -> bool:
        """Every marker found whole in one line of text of its page."""
        return all(cuts is not None for cuts in self.cuts.values())

    def stamp(self, session: Session) -> bytes:
        """The document with this session's details written in place of their markers."""
        texts = self._fitted(session_texts(session))
        fast = self.base.update(texts) if self.base is not None else None
        return fast if fast is not None else self._rewritten(texts)

    def _rewritten(self, texts: dict) -> bytes:
        """The whole document written again, the values in a font subset of their own."""
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
        _add_font(target, font_ref)


def _number(value: float) -> bytes:
    return (b"%.3f" % value).rstrip(b"0").rstrip(b".")


# What the per-process stamp font holds: printable Latin-1 and French typography.
REPERTOIRE = "".join(map(chr, [*range(0x20, 0x7F), *range(0xA1, 0x100)])) + (
    "ŒœŸ‘’‚“”„‹›«»…–—‑€•·\u202f\u2009\u2007\u2011™‰†‡")


@functools.cache
def repertoire_font(face: str) -> tuple[dict[str, bytes], DictionaryObject]:
    """One subset of `face` holding REPERTOIRE (what the face has of it): each character's
    escaped code in that subset, and the subset as a PDF font, made once per process."""
    font = getFont(face)
    chars = [c for c in REPERTOIRE if ord(c) in font.face.charToGlyph]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=1, initialFontName=face)
    canvas.setFont(face, 10)
    canvas.drawString(0, 0, "".join(chars))
    pieces = font.splitString("".join(chars), canvas._doc)
    canvas.showPage()
    canvas.save()
    if len(pieces) != 1:  # more than one subset: keep the first one's characters only
        chars = chars[:len(pieces[0][1])]
    codes = {c: escapePDF(bytes([code])).encode("latin-1") for c, code in zip(chars, pieces[0][1])}
    if "\u00a0" in codes or " " in codes:  # ReportLab prints a no-break space as its space
        codes["\u00a0"] = codes[" "]
    page = PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
    fonts = page["/Resources"].get_object()["/Font"].get_object()
    return codes, next(iter(fonts.values())).get_object()


class _Base:
    """A template written once with its values' places as separate, empty content streams
    and the repertoire font; `update` appends a row's values as an incremental update."""

    def __init__(self, template: Template):
        face = template.ctx.styles.face()
        self.codes, font = repertoire_font(face)
        writer = PdfWriter(clone_from=template.reader)
        font_ref = writer._add_object(font.clone(writer))
        for page, content in template.contents.items():
            streams, last, opening = [], 0, b""
            for cut in template.cuts[page]:  # the marker's string closed before, opened after
                streams += [_compressed(opening + content[last:cut.start] + b") Tj"),
                            DecodedStreamObject()]
                last, opening = cut.end, b"("
            streams.append(_compressed(opening + content[last:]))
            target = writer.pages[page]
            target[NameObject("/Contents")] = ArrayObject(writer._add_object(s) for s in streams)
            _add_font(target, font_ref)
        info = dict(writer.metadata or {})
        writer.metadata = None
        writer.add_metadata(info)  # written last: the kit's mark stays where made_by_kit looks
        buffer = io.BytesIO()
        writer.write(buffer)
        self.data = buffer.getvalue()
        reader = PdfReader(io.BytesIO(self.data))
        self.values = {}  # spot -> (object number of its stream, the font of its line)
        for page in template.contents:
            contents = reader.pages[page].get_object()["/Contents"]
            spots = [s for s in template.spots if s.page == page]
            for spot, cut, ref in zip(spots, template.cuts[page], contents[1::2]):
                self.values[spot] = (ref.idnum, b"%s %s Tf" % (cut.font, cut.size))
        trailer = reader.trailer
        self.trailer = b"/Size %d /Root %d 0 R /Info %d 0 R" % (
            trailer["/Size"], trailer.raw_get("/Root").idnum, trailer.raw_get("/Info").idnum)
        first = trailer["/ID"][0]
        self.first_id = bytes(getattr(first, "original_bytes", first)).hex().encode()
        self.previous = int(re.findall(rb"startxref\s+(\d+)", self.data)[-1])

    def update(self, texts: dict) -> bytes | None:
        """The base and an update writing each value in its stream (None: a character
        is not in the repertoire font)."""
        codes, objects = self.codes, []
        for spot, (number, line_font) in self.values.items():
            content = b""
            if spot in texts:
                text, size = texts[spot]
                try:
                    string = b"".join([codes[c] for c in text])
                except KeyError:
                    return None
                content = b"%s %s Tf (%s) Tj %s" % (STAMP_FONT.encode(), _number(size), string,
                                                     line_font)
            objects.append((number, b"%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n"
                            % (number, len(content), content)))
        return self._appended(objects)

    def _appended(self, objects: list[tuple[int, bytes]]) -> bytes:
        """The base, then the objects, their cross-reference section and a trailer that
        points back to the base's (`/Prev`)."""
        body, offsets, at = [], {}, len(self.data)
        for number, text in sorted(objects):
            offsets[number] = at
            body.append(text)
            at += len(text)
        xref = [b"xref\n"]
        numbers = sorted(offsets)
        start = 0
        while start < len(numbers):
            end = start
            while end + 1 < len(numbers) and numbers[end + 1] == numbers[end] + 1:
                end += 1
            xref.append(b"%d %d\n" % (numbers[start], end - start + 1))
            xref += [b"%010d 00000 n\r\n" % offsets[n] for n in numbers[start:end + 1]]
            start = end + 1
        tail = b"".join(body)
        second = hashlib.md5(tail).hexdigest().encode()  # same row, same bytes
        return b"".join([self.data, tail, *xref, b"trailer\n<< %s /ID [<%s> <%s>] /Prev %d >>\n"
                         % (self.trailer, self.first_id, second, self.previous),
                         b"startxref\n%d\n%%%%EOF\n" % at])


def _compressed(content: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(content)
    return stream.flate_encode()


def _add_font(page, font_ref) -> None:
    resources = page["/Resources"].get_object()
    fonts = resources.get("/Font")
    if fonts is None:
        fonts = DictionaryObject()
        resources[NameObject("/Font")] = fonts
    fonts.get_object()[NameObject(STAMP_FONT)] = font_ref


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
        _keep(key, cache.remember("template", _stored(key), lambda: (_make_template(
            lesson, document, edition, present, local_contacts, theme),))[0])
    return _TEMPLATES[key]


def _stored(key: tuple) -> tuple[str, ...]:
    """What a template's bytes are made from, to keep it between runs (kit.cache): a
    district that runs again, or goes on after a stop, does not lay its lessons out again."""
    lesson_hash, document, edition, present, local_contacts, theme = key
    return lesson_hash, document, edition, ",".join(present), _environment(local_contacts, theme)


@functools.lru_cache(maxsize=8)
def _environment(local_contacts: tuple, theme) -> str:
    """The assets, the contacts and theme, the kit's code and the libraries that lay out,
    read and write the pages."""
    import pypdf
    from ..manifest import kit_digest
    from .plan import assets_digest, profile_digest
    parts = (assets_digest(), profile_digest(local_contacts, theme), kit_digest(), pypdf.__version__)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _keep(key: tuple, made: Template | None) -> None:
    if len(_TEMPLATES) >= TEMPLATES_KEPT:
        _TEMPLATES.pop(next(iter(_TEMPLATES)))
    _TEMPLATES[key] = made


def prepare(wanted, local_contacts=(), theme=None, workers: int = 1, context=None) -> None:
    """Lay out the templates `wanted` ((lesson_hash, lesson, document, edition, present)...)
    that this process has not, on up to `workers` processes at once: the row workers
    forked afterwards inherit them all, and none lays a template out again."""
    todo = {}
    for lesson_hash, lesson, document, edition, present in wanted:
        key = (lesson_hash, document, edition, present, tuple(local_contacts), theme)
        if key not in _TEMPLATES:
            todo.setdefault(key, (lesson, document, edition, present, tuple(local_contacts), theme))
    todo = dict(list(todo.items())[:TEMPLATES_KEPT])
    for key in list(todo):  # laid out by an earlier run
        kept = cache.get(cache.key("template", *_stored(key)))
        if kept is not None:
            _keep(key, kept[0])
            del todo[key]
    # the longest (guides) first, so that the workers end together
    todo = dict(sorted(todo.items(), key=lambda item: item[0][1] != "guide"))
    if workers < 2 or len(todo) < 2:
        made = [_make_template(*args) for args in todo.values()]
    else:
        from ..pool import process_pool
        with process_pool(min(workers, len(todo)), context) as pool:
            made = list(pool.map(_laid_out, todo.values()))
    for key, template_made in zip(todo, made):
        _keep(key, template_made)
        cache.put(cache.key("template", *_stored(key)), (template_made,))


def _laid_out(args: tuple) -> Template | None:
    return _make_template(*args)


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
            yield index, _text(textpage), textpage
    finally:
        document.close()


def _text(textpage) -> str:
    """A page's text, one character per pdfium character (its index is pdfium's)."""
    count = textpage.count_chars()
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    written = pdfium_c.FPDFText_GetText(textpage.raw, 0, count,
                                        ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[:2 * max(written - 1, 0)].decode("utf-16-le", "replace")
    if len(text) == count:
        return text
    # a character outside the BMP takes two UTF-16 units: one by one, to keep the indices
    return "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))


def _spots(data: bytes, lengths: dict[int, str]) -> list[Spot]:
    """Each marker's place: the origin of its first underscore, the end of its last, and
    the room to its right (to the next text on its line, or the right margin)."""
    spots = []
    for index, text, textpage in _page_texts(data):
        boxes = None
        for match in re.finditer(r"_{%d,}" % MARKER_BASE, text):
            field = lengths.get(match.end() - match.start())
            if field is None:
                continue  # a line of the document itself (checked by _same_fixed_lines)
            if boxes is None:  # only on pages with a marker
                boxes = _char_boxes(textpage, len(text))
                margin = min((b[0] for b in boxes if b), default=0.0)
                page_width = _page_width(data, index)
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
