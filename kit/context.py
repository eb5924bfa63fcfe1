"""What a document is rendered for: the session (school, class, date...), the
helpline and local contacts, the edition's styles, and the text renderer tied to them.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field, fields

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from . import paths
from .helpline import Contact, Helpline, load_helpline, national_contacts
from .pages import PageLayout
from .schema import ADULT_LEVELS, LEVEL_NAMES, Lesson
from .styles import Stylesheet, stylesheet
from .text import BLANK, TextRenderer, format_date_fr
from .yamlfile import load_yaml


@functools.cache
def guide_texts() -> dict:
    """The sections every facilitator guide carries (assets/guide.yaml)."""
    data, _ = load_yaml(paths.asset("guide.yaml"))
    return data


@dataclass(frozen=True)
class Session:
    """One class's session; any detail left out is printed as a line to write on."""

    school: str | None = None
    city: str | None = None
    class_name: str | None = None
    date: dt.date | None = None
    facilitator: str | None = None
    referent: str | None = None
    room: str | None = None
    time: str | None = None
    students: int | None = None

    def placeholders(self) -> dict:
        """The `{{ session.* }}` names a lesson may use (`class`, not `class_name`)."""
        view = {f.name: getattr(self, f.name) for f in fields(self)}
        view["class"] = view.pop("class_name")
        view["date"] = format_date_fr(self.date) if self.date else None
        return view

    def is_blank(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


@dataclass
class RenderContext:
    """Everything a document builder may use; builders read no file and choose no style."""

    lesson: Lesson
    styles: Stylesheet
    helpline: Helpline
    session: Session = field(default_factory=Session)
    local_contacts: tuple[Contact, ...] = ()
    paper: str = "a4"
    page: PageLayout | None = None  # set by render_document once the footer is measured
    text: TextRenderer = field(init=False)

    def __post_init__(self):
        self.text = TextRenderer(template_names(self.helpline, self.session,
                                                self.local_contacts, self.lesson),
                                 self.styles.charset, superscripts=self.styles.superscripts)

    @property
    def edition(self) -> str:
        return self.styles.edition

    @property
    def adult_audience(self) -> bool:
        """Parents' and staff lessons speak to adults: « vous », no class, adult help."""
        return self.lesson.level in ADULT_LEVELS

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.lesson.level]

    def paragraphs(self, source: str, style: str = "body",
                   bullet_style: str = "bullet") -> list[Paragraph]:
        """Lesson text as paragraphs and list items, in the named styles."""
        items = []
        for block in self.text.blocks(source):
            if block.kind == "para":
                items.append(Paragraph(block.markup, self.styles[style]))
            else:
                bullet = "•" if block.kind == "bullet" else f"{block.number}."
                base = self.styles[bullet_style]
                nested = _indented(base, base.leftIndent * (block.depth + 1)) if block.depth else base
                items.append(Paragraph(block.markup, nested, bulletText=bullet))
        return items

    def inline(self, source: str) -> str:
        return self.text.inline(source)

    def label(self, text: str, style: str = "body") -> Paragraph:
        """The kit's own wording (headings, labels) or a session value: escaped and typeset."""
        return Paragraph(self.typeset(text), self.styles[style])

    def typeset(self, text: str, typeset: bool = True) -> str:
        """Escaped, typeset markup for a plain string, checked against the font."""
        return self.text.typeset(text, typeset)

    def session_value(self, name: str) -> str:
        """A session detail for a form line: its value, or a blank to fill in by hand."""
        value = self.session.placeholders()[name]
        return BLANK if value is None else str(value)

    def help_contacts(self) -> list[Contact]:
        """Who to call, the 3018 always first: local contacts, then national ones."""
        return [*self.local_contacts, *national_contacts()]

    def helpline_line(self) -> str:
        h = self.helpline
        return self.typeset(f"{h.promises_text}, {h.days}, {h.hours}")


def _indented(style: ParagraphStyle, indent: float) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-{indent}", parent=style, leftIndent=indent,
                          bulletIndent=indent - style.leftIndent + style.bulletIndent)


def template_names(helpline: Helpline, session: Session, local_contacts, lesson: Lesson | None) -> dict:
    """The names lesson text may use in `{{ }}`: helpline, session, contacts, lesson."""
    contacts = {c.id: c for c in (*national_contacts(), *local_contacts) if c.id}
    return {
        "helpline": helpline, "session": session.placeholders(), "contacts": contacts,
        "lesson": {"title": lesson.title, "duration": lesson.duration,
                   "level": LEVEL_NAMES[lesson.level]} if lesson else {},
    }


def make_context(lesson: Lesson, edition: str = "standard", session: Session | None = None,
                 local_contacts=(), paper: str = "a4", theme=None) -> RenderContext:
    return RenderContext(lesson, stylesheet(edition, theme), load_helpline(), session or Session(),
                         tuple(local_contacts), paper)
