"""Lesson text as the model's runs: the PDF's text pipeline, read back into plain text.

Lesson text goes through the same TextRenderer as the PDF and the HTML page (sandboxed
placeholders, Markdown with HTML off, French typography); the few tags the renderer
writes itself (<b>, <i>, <br/>, <super>) become run emphasis, and its escapes are undone,
so the runs hold exactly what a reader sees and nothing is markup any more.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import unescape

from ..helpline import Helpline, load_helpline, national_contacts
from ..schema import LEVEL_NAMES, Lesson
from ..session import Session, template_names
from ..text import BLANK, NBSP, TextRenderer
from ..wording import audience, wording
from .blocks import Item, Para, Run, Text

_TAG = re.compile(r"(<b>|</b>|<i>|</i>|<br/>|<super>|</super>)")


def runs(markup: str) -> Text:
    """The renderer's markup -> runs; its text was escaped by it, so every `<` is a tag."""
    bold = italic = superscript = False
    out: list[Run] = []
    for piece in _TAG.split(markup):
        if piece in ("<b>", "</b>"):
            bold = piece == "<b>"
        elif piece in ("<i>", "</i>"):
            italic = piece == "<i>"
        elif piece in ("<super>", "</super>"):
            superscript = piece == "<super>"
        elif piece == "<br/>":
            out.append(Run("\n", bold, italic))
        elif piece:
            out.append(Run(unescape(piece), bold, italic, superscript))
    return tuple(out)


def plain(text: Text) -> str:
    return "".join(run.text for run in text)


def bold(text: Text) -> Text:
    return tuple(Run(r.text, True, r.italic, r.superscript) for r in text)


@dataclass
class Writer:
    """What a builder reads: the lesson, the session, the helpline, and its text as runs."""

    lesson: Lesson
    session: Session
    helpline: Helpline
    local_contacts: tuple
    superscripts: bool = True

    def __post_init__(self):
        self.text = TextRenderer(template_names(self.helpline, self.session, self.local_contacts,
                                                self.lesson), None, NBSP, self.superscripts)

    @property
    def adults(self) -> bool:
        return self.lesson.adult_audience

    @property
    def audience(self) -> str:
        return audience(self.adults)

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.lesson.level]

    def inline(self, source: str) -> Text:
        """Lesson text on one line (a title, a list item, a cell)."""
        return runs(self.text.inline(source))

    def label(self, text: str) -> Text:
        """The kit's own wording or a session value: typeset, never read as Markdown."""
        return runs(self.text.typeset(text))

    def plain(self, source: str) -> str:
        return self.text.plain(source)

    def paragraphs(self, source: str | None, style: str = "body") -> list:
        """Lesson text as paragraphs and list items (nested lists keep their depth)."""
        blocks = []
        for block in self.text.blocks(source) if source else ():
            if block.kind == "para":
                blocks.append(Para(runs(block.markup), style))
            else:
                blocks.append(Item(runs(block.markup), block.kind == "number", block.depth))
        return blocks

    def bullets(self, sources) -> list[Item]:
        return [Item(self.inline(source)) for source in sources]

    def session_value(self, name: str) -> str:
        value = self.session.placeholders()[name]
        return BLANK if value is None else str(value)

    def help_call(self, adults: bool | None = None) -> Text:
        """The line above the 3018, for the lesson's topic and readers."""
        who = audience(self.adults if adults is None else adults)
        return self.inline(getattr(wording().help_call[self.lesson.help_topic], who))

    def contacts(self, national: bool = True) -> list:
        return [*self.local_contacts, *(national_contacts() if national else ())]


def make_writer(lesson: Lesson, session: Session | None = None, local_contacts=(),
                superscripts: bool = True) -> Writer:
    return Writer(lesson, session or Session(), load_helpline(), tuple(local_contacts),
                  superscripts)


def footer_line(helpline: Helpline) -> str:
    """The 3018 line of every page and slide, from assets/helpline.yaml."""
    return (f"Besoin d’aide{NBSP}? {helpline.phone}{NBSP}: {helpline.promises_text}, "
            f"{helpline.hours_short}, {helpline.web_short}")
