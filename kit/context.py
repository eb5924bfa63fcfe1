"""What a document is drawn with: the lesson, the session and contacts (kit/session.py),
the edition's ReportLab styles, the page layout, and the text renderer tied to them.
Only the document builders and the renderer use it: it brings ReportLab's layout.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.styles import ParagraphStyle

from .flowables import Paragraph
from .helpline import Contact, Helpline, load_helpline, national_contacts
from .pages import PageLayout
from .schema import LEVEL_NAMES, Lesson
from .styles import Stylesheet, stylesheet
from .session import Session, template_names  # noqa: F401 (builders' kit.context.Session)
from .text import BLANK, TextRenderer
from .wording import audience, wording


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
        return self.lesson.adult_audience

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.lesson.level]

    @property
    def audience(self) -> str:
        """`tu` or `vous`: the key of this document's sentences in assets/wording.yaml."""
        return audience(self.adult_audience)

    def help_call(self, for_adults: bool | None = None) -> str:
        """The line above the 3018, for this lesson's topic and readers (lesson text markup)."""
        adults = self.adult_audience if for_adults is None else for_adults
        return self.inline(getattr(wording().help_call[self.lesson.help_topic], audience(adults)))

    def helps_with(self) -> str:
        """What the 3018 helps with, in words fit for this lesson's level (markup)."""
        return helps_with(self.helpline, self.lesson.level, self.text)

    def purpose(self) -> str:
        """The same as plain text, `purpose : cases`, for layouts that split it."""
        chosen = wording().helps_with.get(self.lesson.level)
        if not chosen:
            return self.helpline.purpose
        plain = self.text.plain(chosen)
        return plain[:1].lower() + plain[1:]  # « le numéro… », as in assets/helpline.yaml

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


def helps_with(helpline: Helpline, level: str, text: TextRenderer) -> str:
    """`Le numéro national … : moqueries, …` for the level (no final stop), as markup."""
    chosen = wording().helps_with.get(level)
    if chosen:
        return text.inline(chosen)
    purpose = helpline.purpose
    return text.typeset(purpose[:1].upper() + purpose[1:])


def make_context(lesson: Lesson, edition: str = "standard", session: Session | None = None,
                 local_contacts=(), paper: str = "a4", theme=None) -> RenderContext:
    return RenderContext(lesson, stylesheet(edition, theme), load_helpline(), session or Session(),
                         tuple(local_contacts), paper)
