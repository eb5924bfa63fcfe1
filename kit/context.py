"""What a document is drawn with: the lesson, the session and contacts (kit/session.py),
the edition's ReportLab styles, the page layout, and the text renderer tied to them.
Only the document builders and the renderer use it: it brings ReportLab's layout.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib.styles import ParagraphStyle

from .flowables import Paragraph
from .helpline import Channel, Contact, Helpline, load_helpline, national_contacts
from .languages import FRENCH, LanguageWords, language_words
from .translations import EASY
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
    language: str = FRENCH  # the family letter's and poster's language (kit/languages.py)
    text: TextRenderer = field(init=False)

    def __post_init__(self):
        self.text = TextRenderer(template_names(self.helpline, self.session,
                                                self.local_contacts, self.lesson),
                                 self.styles.charset,
                                 superscripts=self.styles.superscripts and self.language != EASY,
                                 french=self.language in (FRENCH, EASY),
                                 line_breaks=self.language == EASY)

    @property
    def words(self) -> LanguageWords:
        """The letter's and poster's fixed words in this document's language."""
        return language_words(self.language)

    @property
    def translated(self) -> bool:
        """Printed in a language whose words all come from the language files (not French)."""
        return self.language != FRENCH

    @property
    def rtl(self) -> bool:
        return self.words.direction == "rtl"

    def mirrored(self, cells: list) -> list:
        """A row of table cells in reading order: right to left in Arabic."""
        return cells[::-1] if self.rtl else cells

    def operated(self) -> str:
        """Who runs the 3018 and that the call is not on the bill, as one sentence (markup)."""
        own = self.helpline.languages.get(self.language)
        if self.translated and own:
            return self.typeset(own.operated)
        return self.inline(wording().operated)

    def addressed(self, sentences) -> str:
        """The « tu » or « vous » one of a pair of sentences in assets/wording.yaml."""
        return getattr(sentences, self.audience)

    @property
    def edition(self) -> str:
        return self.styles.edition

    @property
    def adult_audience(self) -> bool:
        """Parents' and staff lessons speak to adults: « vous », no class, adult help."""
        return self.lesson.adult_audience

    @property
    def level_name(self) -> str:
        if self.translated and self.lesson.level in self.words.levels:
            return self.words.levels[self.lesson.level]
        return LEVEL_NAMES[self.lesson.level]

    @property
    def audience(self) -> str:
        """`tu` or `vous`: the key of this document's sentences in assets/wording.yaml."""
        return audience(self.adult_audience)

    def help_call(self, for_adults: bool | None = None) -> str:
        """The line above the 3018, for this lesson's topic and readers (lesson text markup)."""
        adults = self.adult_audience if for_adults is None else for_adults
        if self.translated and self.words.help_call:
            words = self.words.help_call if adults or not self.words.help_call_pupil \
                else self.words.help_call_pupil  # a pupil's worksheet speaks to the pupil
            return self.inline(words[self.lesson.help_topic])
        return self.inline(getattr(wording().help_call[self.lesson.help_topic], audience(adults)))

    def helps_with(self) -> str:
        """What the 3018 helps with, in words fit for this lesson's level (markup)."""
        return helps_with(self.helpline, self.lesson.level, self.text)

    def purpose(self) -> str:
        """The same as plain text, `purpose : cases`, for layouts that split it."""
        if self.translated:
            return self.helpline.purpose  # the language's own, from assets/helpline.yaml
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
        if (name == "date" and isinstance(self.session.date, dt.date)  # not a batch's marker
                and self.language not in (FRENCH, EASY)):
            return self.session.date.strftime("%d/%m/%Y")  # read the same way in every language
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
                 local_contacts=(), paper: str = "a4", theme=None,
                 language: str = FRENCH) -> RenderContext:
    return RenderContext(lesson, stylesheet(edition, theme, None if language == FRENCH else language),
                         helpline_in(language), session or Session(), tuple(local_contacts), paper,
                         language=language)


def helpline_in(language: str) -> Helpline:
    """The 3018's details with its description in `language` (assets/helpline.yaml,
    `languages:`): the number, web address and check date stay those of the French."""
    helpline = load_helpline()
    own = helpline.languages.get(language)
    if language == FRENCH or own is None:
        return helpline
    channels = [Channel(kind=c.kind, label=w.label, detail=w.detail)
                for c, w in zip(helpline.channels, own.channels)]
    return helpline.model_copy(update={
        "purpose": f"{own.purpose} : {own.cases}", "audience": own.audience,
        "promises": list(own.promises), "days": own.days, "hours": own.hours,
        "channels": channels})
