"""The editable formats (.docx, .pptx): what they share with each other and nothing else.

File names, the styles of assets/styles.yaml as plain values, the fonts' names, the QR
code as a picture, and the packaging: python-pptx and python-docx write the current
time into their zips and properties, so every file is repacked with fixed dates and
marked as the kit's with a digest of its content. A file a teacher saved again (in
Word, LibreOffice...) no longer matches its mark, so the kit never replaces it.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import re
import struct
import zipfile

from ..archives import members, written
from ..documents import file_name
from ..styledata import font_files, kit_style_attrs, sheet

EDITABLE_FORMATS = ("pptx", "docx")
FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)  # created / modified: same bytes
MARK = "kit3018:"  # + the digest of every part but docProps/core.xml
PENDING = MARK + "0" * 64
CORE = "docProps/core.xml"
AUTHOR = "kit3018"
_MARK = re.compile(rb"<dc:identifier>kit3018:([0-9a-f]{64})</dc:identifier>")


def render_editable(lesson, document: str, fmt: str, *, edition: str = "standard",
                    session=None, local_contacts=(), theme=None) -> bytes:
    """One document's editable copy in `fmt` (pptx for the slides, docx for the others),
    in a theme's colours if one is given."""
    from ..docmodel import EDITABLE, build_document  # the model, then the format's library
    from ..documents import document_type
    from ..errors import RenderError
    from ..messages import say
    from ..text import TextError
    if EDITABLE.get(document) != fmt:
        raise RenderError(say("render.no_format", document=document_type(document).label,
                              format=fmt, formats=formats_help()))
    try:
        model = build_document(lesson, document, edition, session, local_contacts)
        model.colors = palette(theme)
    except TextError as error:
        raise RenderError(say("render.text", id=lesson.id, document=document_type(document).label,
                              why=error)) from None
    if fmt == "pptx":
        from .pptx import render
    else:
        from .docx import render
    return render(model)


def formats_help() -> str:
    """`diaporama en pptx ; fiche-eleve, guide-animateur… en docx`, for errors and help."""
    from ..docmodel import EDITABLE
    from ..documents import document_type
    return " ; ".join(", ".join(document_type(d).file_part for d, f in EDITABLE.items() if f == fmt)
                      + f" en {fmt}" for fmt in sorted(set(EDITABLE.values()), reverse=True))


def editable_file_name(lesson_id: str, document: str, edition: str, fmt: str) -> str:
    """`<lesson-id>-fiche-eleve-dys.docx`: the PDF's name with the format's extension."""
    return file_name(lesson_id, document, edition)[:-len(".pdf")] + f".{fmt}"


@functools.cache
def _library_versions() -> tuple:
    from importlib.metadata import PackageNotFoundError, version
    found = []
    for name in ("python-pptx", "python-docx"):
        try:
            found.append(version(name))
        except PackageNotFoundError:
            found.append(None)
    return tuple(found)


def editable_key(pdf_key: str, fmt: str) -> str:
    """What an editable copy is made from (kit/manifest.py): all its PDF is made from, its
    format, and the versions of the libraries that write it."""
    from ..manifest import digest
    return digest(pdf_key, fmt, _library_versions())


def font_name(edition: str) -> str:
    """The family name Office and LibreOffice know the edition's font by."""
    return family_name(font_files(sheet()["editions"][edition]["font"])["regular"])


@functools.cache
def family_name(path) -> str:
    """The font's family (name table, id 16 or 1, Windows Unicode), read from its file."""
    data = path.read_bytes()
    count = struct.unpack(">H", data[4:6])[0]
    tables = {data[12 + 16 * i:16 + 16 * i]: struct.unpack(">II", data[20 + 16 * i:28 + 16 * i])
              for i in range(count)}
    base = tables[b"name"][0]
    records, strings = struct.unpack(">HH", data[base + 2:base + 6])
    found = {}
    for i in range(records):
        platform, encoding, _, name_id, length, offset = struct.unpack(
            ">HHHHHH", data[base + 6 + 12 * i:base + 18 + 12 * i])
        if platform == 3 and encoding == 1 and name_id in (1, 16):
            start = base + strings + offset
            found.setdefault(name_id, data[start:start + length].decode("utf-16-be"))
    return found.get(16) or found[1]


def style(edition: str, name: str, colors: dict | None = None) -> dict:
    """A style of assets/styles.yaml for one edition, in points: size, leading (a multiple),
    bold, colour (#rrggbb, from `colors`: a theme's palette), space before and after."""
    spec = sheet()["editions"][edition]
    attrs = {**kit_style_attrs(name), **spec.get("styles", {}).get(name, {})}
    body, space = spec["body"], spec.get("space", 1.0) * spec["body"]
    return {"size": round(body * attrs.get("size", 1.0), 1),
            "leading": attrs.get("leading", spec["leading"]),
            "bold": bool(attrs.get("bold")), "italic_as_bold": bool(spec.get("italic_as_bold")),
            "color": (colors or sheet()["colors"])[attrs.get("color", "ink")],
            "space_before": round(attrs.get("space_before", 0) * space, 1),
            "space_after": round(attrs.get("space_after", 0) * space, 1)}


def palette(theme=None) -> dict:
    """The kit's colours, with a theme's over them (as its PDFs have them)."""
    return {**sheet()["colors"], **dict(theme.colors if theme else ())}


@functools.cache
def qr_png(address: str, pixels: int = 600) -> bytes:
    """A QR code to `address` as a black-and-white PNG (ReportLab's encoder, Pillow's writer)."""
    from PIL import Image, ImageDraw
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Rect
    widget = QrCodeWidget(address, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    picture = Image.new("1", (pixels, pixels), 1)
    draw = ImageDraw.Draw(picture)
    scale = pixels / max(x1 - x0, y1 - y0)
    for r in widget.draw().contents:
        if isinstance(r, Rect) and r.fillColor == widget.barFillColor:
            left, top = (r.x - x0) * scale, pixels - (r.y - y0 + r.height) * scale
            draw.rectangle([round(left), round(top), round(left + r.width * scale) - 1,
                            round(top + r.height * scale) - 1], fill=0)
    out = io.BytesIO()
    picture.save(out, "PNG", optimize=False)
    return out.getvalue()


def _digest(parts: list[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for name, data in parts:
        if name != CORE:
            digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def finish(package: bytes) -> bytes:
    """The package again with fixed dates, in the same part order, marked as the kit's."""
    parts = members(package)
    mark = (MARK + _digest(parts)).encode("ascii")
    return written((name, data.replace(PENDING.encode("ascii"), mark) if name == CORE else data)
                   for name, data in parts)


def made_by_kit(data: bytes) -> bool:
    """Whether `data` is a .docx or .pptx the kit wrote and nobody saved again since."""
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = [(info.filename, package.read(info)) for info in package.infolist()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    core = dict(parts).get(CORE, b"")
    found = _MARK.search(core)
    return bool(found) and found.group(1).decode("ascii") == _digest(parts)


def set_properties(props, doc) -> None:
    """Title, subject, author, fr-FR and fixed dates in a .docx's or .pptx's core
    properties (both libraries expose the same object): same input, same bytes."""
    props.title, props.subject, props.author = doc.title, doc.subject, doc.author
    props.keywords, props.language, props.comments = doc.keywords, doc.language, doc.footer
    props.identifier, props.last_modified_by, props.revision = PENDING, AUTHOR, 1
    props.created = props.modified = FIXED_DATE.replace(tzinfo=None)
    props.category = doc.document
