"""The HTML edition: each document as a standalone, accessible web page, and the
catalogue page `index.html`.

Pages come from jinja2 templates in assets/templates/html/ (one per document type,
`document.html` for a type without its own), rendered in the sandbox with autoescape
on: a template can be edited by a user, and every value it prints is escaped unless
it is `Markup`. The only `Markup` we make is lesson text that went through the
kit's TextRenderer, which escaped it and wrote its few tags (<b>, <i>, <br/>) itself.
"""
from __future__ import annotations

import base64
import datetime as dt
import functools
import re
import traceback
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path
from markupsafe import Markup
from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

from . import paths
from .context import helps_with
from .documents import document_type
from .errors import AssetError, RenderError
from .files import FileRefused, read_limited
from .helpline import load_helpline, national_contacts
from .messages import say
from .plan import steps
from .render import document_metadata, offered_document
from .sandbox import BoundedSandbox, BudgetExceeded
from .schema import LEVEL_NAMES, Lesson
from .session import Session, template_names
from .text import (
    THIN_NBSP,
    Block,
    TextError,
    TextRenderer,
    format_date_fr,
    french_typography,
)
from .theme import Theme
from .languages import FRENCH, language_words
from .wording import audience, guide_texts, wording
from .yamlfile import display_name

TEMPLATE_FOLDER = "templates/html"
FALLBACK_TEMPLATE = "document.html"
TEMPLATE_MAX_BYTES = 512 * 1024
QR_PIXELS = 160
_TAGS = {"<b>": "<strong>", "</b>": "</strong>", "<i>": "<em>", "</i>": "</em>", "<br/>": "<br>"}
_TAG = re.compile("|".join(map(re.escape, _TAGS)))


def html_file_name(lesson_id: str, document: str) -> str:
    """`<lesson-id>-fiche-eleve.html`, beside the PDFs (the HTML edition is one for all)."""
    return f"{lesson_id}-{document_type(document).file_part}.html"


class HtmlText:
    """Lesson text for templates: the PDF's TextRenderer, with its tags written as HTML."""

    def __init__(self, renderer: TextRenderer):
        self._renderer = renderer

    def html(self, source: str | None) -> Markup:
        """Paragraphs and (nested) lists: `<p>`, `<ul>`/`<ol>` with `<li>`."""
        return Markup(blocks_to_html(self._renderer.blocks(source))) if source else Markup("")

    def inline(self, source: str | None) -> Markup:
        """One line of markup, for titles, list items and table cells."""
        return Markup(_as_html(self._renderer.inline(source))) if source else Markup("")

    def plain(self, source: str) -> str:
        """No markup at all (autoescape escapes it): for `<title>`, alt texts and attributes."""
        return self._renderer.plain(source)

    def typeset(self, text: str) -> str:
        """The kit's own wording, typeset in French; autoescape escapes it."""
        return french_typography(text, THIN_NBSP)


def blocks_to_html(blocks: tuple[Block, ...]) -> str:
    """Rendered blocks as HTML; list items nest inside their parent item."""
    out: list[str] = []
    open_lists: list[str] = []
    for block in blocks:
        level = block.depth + 1 if block.kind != "para" else 0
        tag = "ol" if block.kind == "number" else "ul"
        while len(open_lists) > level or (level and len(open_lists) == level
                                          and open_lists[-1] != tag):
            out.append(f"</li></{open_lists.pop()}>")
        if level and len(open_lists) == level:
            out.append("</li>")
        while len(open_lists) < level:
            start = f' start="{block.number}"' if block.number not in (None, 1) else ""
            out.append(f"<{tag}{start}>")
            open_lists.append(tag)
        markup = _as_html(block.markup)
        out.append(f"<li>{markup}" if level else f"<p>{markup}</p>")
    out += [f"</li></{tag}>" for tag in reversed(open_lists)]
    return "".join(out)


def _as_html(markup: str) -> str:
    """The renderer's ReportLab tags as their HTML twins; its text is already escaped."""
    return _TAG.sub(lambda m: _TAGS[m.group()], markup)


class ContainedLoader(jinja2.BaseLoader):
    """Templates from folders, each file really inside its folder's root (the theme, or
    the kit's assets): a link in a theme's templates/html/ (to /etc/passwd, or a folder
    such as `etc -> /etc`) is not followed; a device or a pipe is not read."""

    def __init__(self, folders: list[tuple[Path, Path]]):
        self.folders = folders  # (folder to search, root its files must stay in)

    def get_source(self, environment, template):
        pieces = split_template_path(template)  # refuses `..`
        for folder, root in self.folders:
            path = folder.joinpath(*pieces)
            if not path.is_file():
                continue
            try:
                data = read_limited(path, TEMPLATE_MAX_BYTES, root, what="files.templates")
            except FileRefused as error:
                raise AssetError(say("render.template_file", file=display_name(path), why=error)) from None
            try:
                source = data.decode("utf-8")
            except UnicodeDecodeError:
                raise AssetError(say("render.template_not_utf8", file=display_name(path))) from None
            return source, str(path), lambda: True
        raise jinja2.TemplateNotFound(template)


@functools.cache
def environment(theme_templates: Path | None = None) -> BoundedSandbox:
    """One sandboxed environment per theme, autoescape on, an unknown name an error; a
    theme's templates come first and the bundled ones are the fallback."""
    folder = paths.assets() / TEMPLATE_FOLDER
    if not folder.is_dir():
        raise AssetError(say("assets.missing", file=f"assets/{TEMPLATE_FOLDER}"))
    search = [(folder, paths.assets())]
    if theme_templates:  # the theme's own folder is two levels up: templates/html
        search.insert(0, (theme_templates, theme_templates.parent.parent))
    env = BoundedSandbox(loader=ContainedLoader(search), autoescape=True,
                               undefined=jinja2.StrictUndefined, trim_blocks=True,
                               lstrip_blocks=True)
    env.filters["date_fr"] = format_date_fr
    env.filters["fr"] = lambda text: french_typography(text, THIN_NBSP)
    env.filters["tel"] = tel_href
    env.filters["clock"] = lambda minutes: f"{minutes // 60}:{minutes % 60:02d}"
    return env


def tel_href(phone: str) -> str:
    """`01 23 45 67 89` -> `tel:0123456789`: what a phone dials when the link is tapped."""
    return "tel:" + re.sub(r"[^\d+]", "", phone)


@functools.cache
def qr_data_uri(address: str) -> str:
    """A QR code to `address` as an SVG data URI (ReportLab's widget: no image file)."""
    widget = QrCodeWidget(address, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    code = Drawing(QR_PIXELS, QR_PIXELS,
                   transform=[QR_PIXELS / (x1 - x0), 0, 0, QR_PIXELS / (y1 - y0), 0, 0])
    code.add(widget)
    svg = renderSVG.drawToString(code).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def template_for(document: str, theme: Theme | None = None) -> jinja2.Template:
    env = environment(theme.templates if theme else None)
    try:
        return env.get_template(f"{document}.html")
    except jinja2.TemplateNotFound:
        return env.get_template(FALLBACK_TEMPLATE)


def render_template(template: Callable[[], jinja2.Template], names: dict) -> str:
    """Render a template, turning a theme template's mistakes into a one-line error.

    `template` is called here because loading is where a syntax error shows.
    """
    usable = ", ".join(sorted(names))
    try:
        return template().render(names)
    except jinja2.TemplateSyntaxError as error:
        where = display_name(error.filename) if error.filename else error.name
        raise RenderError(say("render.template_syntax", where=f"{where}:{error.lineno}")) from None
    except jinja2.TemplateNotFound as error:
        raise RenderError(say("render.template_not_found", name=error.name)) from None
    except BudgetExceeded as error:
        raise RenderError(say("render.template_too_much", where=_failed_line(error), why=error)) from None
    except jinja2.exceptions.SecurityError as error:
        raise RenderError(say("render.template_forbidden", where=_failed_line(error),
                              names=usable)) from None
    except jinja2.UndefinedError as error:
        raise RenderError(say("render.template_unknown", where=_failed_line(error),
                              names=usable)) from None
    except RecursionError:
        raise RenderError(say("render.template_loop")) from None
    except (TypeError, ValueError, ArithmeticError) as error:
        raise RenderError(say("render.template_failed", where=_failed_line(error))) from None


def _failed_line(error: Exception) -> str:
    """`file:line` of the template line that failed: jinja2 puts template lines in the traceback."""
    lines = [frame for frame in traceback.extract_tb(error.__traceback__)
             if not frame.filename.endswith(".py") and not frame.filename.startswith("<")]
    return (f"{display_name(lines[-1].filename)}:{lines[-1].lineno}" if lines
            else say("render.template_word"))


def page_names(lesson: Lesson, document: str, downloads=(), local_contacts=()) -> dict:
    """What a document's template may use: the lesson, its text, the helpline, the contacts."""
    kind = document_type(document)
    label = kind.label_for(lesson)
    helpline, local_contacts = load_helpline(), tuple(local_contacts)
    # no font charset to check against; browsers, unlike ReportLab, never break at U+202F
    text = TextRenderer(template_names(helpline, Session(), local_contacts, lesson), None, THIN_NBSP)
    html_text = HtmlText(text)
    return {"lesson": lesson, "text": html_text, "document": kind, "helpline": helpline,
            "level_name": LEVEL_NAMES[lesson.level],
            "contacts": [*local_contacts, *national_contacts()],
            "guide": guide_sections(lesson), "qr": qr_data_uri(helpline.web),
            "wording": wording(), "words": language_words(FRENCH), "steps": steps(lesson), "audience": audience(lesson.adult_audience),
            "help_call": {who: html_text.inline(getattr(wording().help_call[lesson.help_topic], who))
                          for who in ("tu", "vous")},
            "helps_with": Markup(_as_html(helps_with(helpline, lesson.level, text))),
            "label": label, "downloads": list(downloads), "meta": document_metadata(lesson, label, text.plain(lesson.title))}


def guide_sections(lesson: Lesson) -> dict:
    """The guide's fixed sections for this lesson: its disclosure protocol, what the school
    does next, the session's rules (as `guide.disclosure`... in templates)."""
    texts = guide_texts()
    chosen = {"disclosure": texts.protocols[lesson.disclosure_protocol],
              "after_disclosure": texts.after_disclosure, "safe_session": texts.safe_session}
    return {key: {"title": section.title, "text": section.text} for key, section in chosen.items()}


def render_html(lesson: Lesson, document: str, downloads=(), local_contacts=(),
                theme: Theme | None = None) -> str:
    """One document as a standalone HTML page; `downloads` are (label, href) of its PDFs."""
    offered_document(lesson, document)
    try:
        return render_template(lambda: template_for(document, theme),
                               page_names(lesson, document, downloads, local_contacts))
    except TextError as error:
        raise RenderError(say("render.text", id=lesson.id, why=error,
                              document=f"{document_type(document).label} (HTML)")) from None


def render_language_html(lesson: Lesson, document: str, translation, downloads=(),
                         theme: Theme | None = None) -> str:
    """The family letter in a family's language as a page of its own, `lang` and `dir`
    set (Arabic reads right to left); the French letter has its own page."""
    from .context import helpline_in
    from .translations import EASY, translated
    language = translation.language
    lesson = translated(lesson, translation)
    helpline, words = helpline_in(language), language_words(language)
    text = TextRenderer(template_names(helpline, Session(), (), lesson), None, THIN_NBSP,
                        french=language == EASY)
    own = load_helpline().languages[language]
    label = words.letter.label_before if document == "family-letter-before" else words.letter.label
    names = {"lesson": lesson, "text": HtmlText(text), "helpline": helpline, "words": words,
             "html_lang": "fr" if language == EASY else language,
             "before": document == "family-letter-before", "qr": qr_data_uri(helpline.web),
             "level_name": words.levels.get(lesson.level, LEVEL_NAMES[lesson.level]),
             "help_call": words.help_call[lesson.help_topic], "purpose": own.purpose,
             "operated": own.operated, "label": label, "downloads": list(downloads),
             "meta": document_metadata(lesson, label, text.plain(lesson.title))}
    try:
        return render_template(lambda: template_for("family-letter-language", theme), names)
    except TextError as error:
        raise RenderError(say("render.text", id=lesson.id, why=error,
                              document=f"{label} (HTML)")) from None


def render_index(lessons: list[dict], built_on: dt.date | None = None,
                 theme: Theme | None = None) -> str:
    """The catalogue page; `lessons` are plain dicts (see catalogue.index_entries)."""
    helpline = load_helpline()
    env = environment(theme.templates if theme else None)
    return render_template(lambda: env.get_template("index.html"), dict(
        lessons=lessons, helpline=helpline, qr=qr_data_uri(helpline.web),
        built_on=format_date_fr(built_on or dt.date.today())))
