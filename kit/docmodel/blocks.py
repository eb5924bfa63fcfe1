"""The neutral document model: what a document says, with no page, font or file format.

A builder (kit/docmodel/<type>.py) turns a lesson into these blocks once; each editable
format (kit/formats/docx.py, kit/formats/pptx.py) draws them. Text is held as runs of
plain text with their emphasis: nothing here is markup, so a renderer never escapes or
parses anything, it only hands strings to its library.
"""
from __future__ import annotations

from dataclasses import dataclass, field

Text = tuple["Run", ...]


@dataclass(frozen=True)
class Run:
    """Plain text with its emphasis; a line break inside a run is `\n`."""

    text: str
    bold: bool = False
    italic: bool = False
    superscript: bool = False


@dataclass(frozen=True)
class Heading:
    text: Text
    level: int = 1  # 1: a section, 2: a step inside it


@dataclass(frozen=True)
class Para:
    """A paragraph; `style` is body, lead (a heavier opening line), answer (the guide's
    expected answers, indented), small or signature."""

    text: Text
    style: str = "body"


@dataclass(frozen=True)
class Item:
    """One list item; consecutive items make one list, `depth` nests it."""

    text: Text
    numbered: bool = False
    depth: int = 0


@dataclass(frozen=True)
class Question:
    """A question for the class: choices with a box to tick, or lines to write on."""

    number: int
    prompt: Text
    choices: tuple[Text, ...] = ()
    lines: int = 2
    rounds: tuple[str, ...] = ()  # the quiz's « avant » and « après »: one box each


@dataclass(frozen=True)
class AnswerLines:
    count: int


@dataclass(frozen=True)
class Box:
    """Blocks inside a ruled box (a scenario, the 3018, an exit ticket); `shaded` tints it."""

    blocks: tuple
    shaded: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[Text, ...], ...]
    widths: tuple[float, ...] = ()  # shares of the text width; empty: equal columns
    cell_height: float = 0  # millimetres a cell keeps for handwriting (0: its text)


@dataclass(frozen=True)
class Qr:
    """A QR code to `address`, `size` millimetres wide, with `caption` under it."""

    address: str
    caption: str
    size: float = 30


@dataclass(frozen=True)
class CutLine:
    """Where to cut: the family letter's slip, between scenario cards."""

    label: str = ""


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass
class Slide:
    """One slide of the deck: a caption over the title, the body, and the speaker notes
    (the guide's instructions, timing, expected answers and discussion notes)."""

    title: Text
    body: list = field(default_factory=list)
    caption: str = ""
    notes: list = field(default_factory=list)
    centred: bool = False


@dataclass
class Document:
    """One document of one lesson in one edition, ready for any editable format."""

    lesson_id: str
    document: str       # registry name: worksheet, slides...
    edition: str
    title: str          # plain: « Mon titre – Fiche élève »
    subject: str
    footer: str         # the 3018 line every page and slide carries
    blocks: list = field(default_factory=list)
    slides: list[Slide] = field(default_factory=list)
    author: str = ""
    keywords: str = ""
    language: str = "fr-FR"
    colors: dict = field(default_factory=dict)  # name -> #rrggbb: the kit's, or a theme's
