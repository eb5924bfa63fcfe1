"""Lesson text -> escaped ReportLab paragraph markup, with French typography.

The pipeline is one way: placeholders are filled by jinja2 in its sandbox (an
unknown name is an error), inline Markdown is parsed by markdown-it with raw HTML
off, and only then is markup written, by us, from the parsed tokens, with every
piece of user text escaped. So `<img src=...>` in a lesson prints as itself and
never reaches ReportLab's parser (which would read the file).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .messages import say

# jinja2 and markdown-it load when a text has a placeholder or is parsed: `kit list`
# prints titles that need neither, and every command starts faster without them.
if TYPE_CHECKING:
    import jinja2
    from markdown_it import MarkdownIt

NBSP, THIN_NBSP = "\u00a0", "\u202f"
BLANK = "_" * 14  # a session detail left to write in by hand
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#!|~])")
_URL = re.compile(r"(https?://\S+|www\.\S+)")
_FIRST_OF_MONTH = re.compile(r"(?<![\d,.])1(?:er)?\s+(?=(?:%s)\b)" % "|".join(MONTHS))
_HOUR = r"\d{1,2}\s?h(?:\s?\d{2})?"
_HOUR_RANGE = re.compile(rf"({_HOUR})\s*[-–]\s*(?={_HOUR}\b)")
_GRADE = r"(?:CP|CE[12]|CM[12]|\d{1,2}(?:e|de|re|nde))"
_GRADE_RANGE = re.compile(rf"\b({_GRADE})\s*-\s*(?={_GRADE}\b)")
_SPACED_DASH = re.compile(r"(?<=\S) [-–] (?=\S)")
# One line with nothing CommonMark reads as markup: no block marker at its start (list,
# quote, heading, code indent), no inline marker, no entity (titles, labels, short fields)
_PLAIN_LINE = re.compile(r"(?![-+=\s]|\d{1,9}[.)])[^\\`*_\[\]<>#!|~&\x00\n\r\t]*")
# 1er, 1re, 2de, 6e, 2nde, 3es: the letters after the number are set as a superscript
_ORDINAL = re.compile(r"(?<![\w.,/])(\d{1,2})(er|re|de|nde|e|es)(?![\w-])")


class TextError(ValueError):
    """Raised when one text field cannot be rendered; the caller adds file and field."""


@dataclass(frozen=True)
class Block:
    """One paragraph of rendered text: `para`, or a list item with its depth and number."""

    kind: str
    markup: str
    depth: int = 0
    number: int | None = None


def format_date_fr(day: dt.date) -> str:
    """`2027-11-09` -> `mardi 9 novembre 2027` (`1er novembre`), whatever the machine's locale."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{DAYS[day.weekday()]} {number} {MONTHS[day.month - 1]} {day.year}"


def _literal(value) -> str:
    """Substituted values are data: a school named `*Les Pins*` prints its stars."""
    if value is None:
        return BLANK
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(value))


def escape(text: str) -> str:
    """`&`, `<` and `>` as entities (what xml.sax.saxutils.escape does, without its imports)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


@functools.cache
def _environment():
    import jinja2

    from .sandbox import BoundedSandbox
    return BoundedSandbox(undefined=jinja2.StrictUndefined, autoescape=False,
                                finalize=_literal, keep_trailing_newline=False)


@functools.lru_cache(maxsize=4096)
def _template(source: str) -> jinja2.Template:
    import jinja2
    try:
        return _environment().from_string(source)
    except jinja2.TemplateSyntaxError:
        raise TextError(say("text.syntax")) from None


def fill_placeholders(source: str, context: dict) -> str:
    if "{" not in source:
        return source
    import jinja2

    from .placeholders import explain_unknown
    from .sandbox import BudgetExceeded
    try:
        return _template(source).render(context)
    except jinja2.UndefinedError:
        raise TextError(explain_unknown(_environment(), source, context)
                        or say("text.unknown_placeholder")) from None
    except BudgetExceeded as error:
        raise TextError(say("text.too_much", why=error)) from None
    except jinja2.exceptions.SecurityError:
        raise TextError(say("text.forbidden")) from None
    except (TypeError, ValueError, ArithmeticError, OverflowError, RecursionError):
        raise TextError(say("text.cannot_fill")) from None


@functools.lru_cache(maxsize=16384)  # the kit's own labels are typeset on every page
def french_typography(text: str, thin: str = THIN_NBSP) -> str:
    """Curly apostrophes, « » quotes, and non-breaking spaces where French puts them."""
    parts = _URL.split(text)
    for i in range(0, len(parts), 2):  # odd parts are addresses: left alone
        parts[i] = _typeset(parts[i], thin)
    return "".join(parts)


def _typeset(s: str, thin: str) -> str:
    s = s.replace("'", "’").replace("...", "…")
    s = _FIRST_OF_MONTH.sub("1er" + NBSP, s)                     # « 1er novembre », never « 1 novembre »
    s = _HOUR_RANGE.sub(rf"\1{thin}–{thin}", s)              # hours: « 8 h – 12 h »
    s = _GRADE_RANGE.sub(r"\1–", s)                         # « CM1–6e »
    s = _SPACED_DASH.sub(f"{thin}– ", s)                     # « 119 – Allô Enfance en danger »
    quotes = iter(("«", "»") * (s.count('"') // 2 + 1))
    s = re.sub('"', lambda _: next(quotes), s)
    s = re.sub(r"«\s*", "«" + thin, s)
    s = re.sub(r"\s*»", thin + "»", s)
    s = re.sub(r"(?<=\S)\s*([;!?])", thin + r"\1", s)
    s = re.sub(r"(?<=\S) :", NBSP + ":", s)
    s = re.sub(r"(?<=\d) (?=\d{3}\b)", thin, s)
    s = re.sub(r"(?<=\d) (?=[^\W\d_]|€|%)", NBSP, s)  # 7 jours, 15 ans, 30 €: a number keeps its word
    s = re.sub(r"([!?])" + thin + r"(?=[!?])", r"\1", s)
    return s


@functools.lru_cache(maxsize=16384)
def plain_typography(text: str, thin: str = THIN_NBSP) -> str:
    """Another language's text: curly apostrophes and an ellipsis, nothing French (no
    space before « : ; ! ? », which English, Turkish or Arabic never have)."""
    parts = _URL.split(text)
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].replace("'", "’").replace("...", "…")
    return "".join(parts)


def superscript_ordinals(markup: str) -> str:
    """`6e` -> `6<super>e</super>` in escaped markup, outside web addresses."""
    parts = _URL.split(markup)
    for i in range(0, len(parts), 2):
        parts[i] = _ORDINAL.sub(r"\1<super>\2</super>", parts[i])
    return "".join(parts)


# Parsed text shared by every renderer of the process: the same lesson text is drawn
# in three editions and several documents, and parsing it is a tenth of a build.
_PARSED: dict[tuple, tuple[Block, ...]] = {}
_PARSED_LIMIT = 50_000


@functools.cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt
    return MarkdownIt("commonmark", {"html": False, "typographer": False})


class TextRenderer:
    """Renders lesson text for one context (helpline, session) and one font's characters."""

    def __init__(self, context: dict, charset: frozenset[int] | None = None,
                 thin_space: str = NBSP, superscripts: bool = True, french: bool = True,
                 line_breaks: bool = False):
        # PDFs get U+00A0 before ; ! ? and inside « »: ReportLab breaks lines at
        # U+202F (it is in its whitespace list), which would strand a « » or a ?.
        self.context = context
        self.charset = charset
        self.thin = thin_space
        self.superscripts = superscripts and french  # off where type must never get smaller (dys, large print)
        self.french = french  # French typography; another language keeps its own punctuation
        self.line_breaks = line_breaks  # easy French: one idea per line, as written in the file
        self._cache: dict[str, tuple[Block, ...]] = {}

    def blocks(self, source: str) -> tuple[Block, ...]:
        """Paragraphs and list items, each as safe ReportLab markup."""
        if source not in self._cache:
            filled = fill_placeholders(source, self.context)
            key = (filled, self.thin, self.charset, self.superscripts, self.french,
                   self.line_breaks)
            if key not in _PARSED:
                if len(_PARSED) >= _PARSED_LIMIT:
                    _PARSED.clear()
                _PARSED[key] = tuple(self._to_blocks(filled))
            self._cache[source] = _PARSED[key]
        return self._cache[source]

    def inline(self, source: str) -> str:
        """One piece of markup (list items become lines), for titles and table cells."""
        lines = []
        for block in self.blocks(source):
            bullet = "• " if block.kind == "bullet" else (f"{block.number}. " if block.number else "")
            lines.append(bullet + block.markup)
        return "<br/>".join(lines)

    def plain(self, source: str) -> str:
        """The same text with no markup at all, for PDF metadata and file names."""
        return re.sub(r"<[^>]+>", "", self.inline(source).replace("<br/>", " ")).replace(
            "&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

    def _to_blocks(self, text: str):
        if _PLAIN_LINE.fullmatch(text):  # no Markdown: one paragraph, as markdown-it makes it
            markup = self.typeset(text.strip()).strip()
            if markup:
                yield Block("para", markup)
            return
        lists: list[list] = []  # stack of [kind, next number]
        kind, number = "para", None
        for token in _markdown().parse(text):
            if token.type in ("bullet_list_open", "ordered_list_open"):
                ordered = token.type == "ordered_list_open"
                lists.append(["number" if ordered else "bullet", int(token.attrGet("start") or 1)])
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif token.type == "list_item_open":
                kind, number = lists[-1][0], lists[-1][1] if lists[-1][0] == "number" else None
                lists[-1][1] += 1
            elif token.type == "inline":
                markup = self._inline_markup(token.children or [])
                if markup:
                    yield Block(kind if lists else "para", markup, max(len(lists) - 1, 0),
                                number if lists else None)
                kind, number = "para", None
            elif token.type in ("code_block", "fence"):
                yield Block("para", self.typeset(token.content.strip()).replace("\n", "<br/>"))

    def _inline_markup(self, tokens) -> str:
        out, link_targets = [], []
        for token in tokens:
            kind = token.type
            if kind == "text":
                out.append(self.typeset(token.content))
            elif kind == "code_inline":
                out.append(self.typeset(token.content))
            elif kind in ("strong_open", "strong_close"):
                out.append("<b>" if kind == "strong_open" else "</b>")
            elif kind in ("em_open", "em_close"):
                out.append("<i>" if kind == "em_open" else "</i>")
            elif kind == "softbreak":
                out.append("<br/>" if self.line_breaks else " ")
            elif kind == "hardbreak":
                out.append("<br/>")
            elif kind == "link_open":
                link_targets.append(token.attrGet("href") or "")
            elif kind == "link_close":
                target = link_targets.pop() if link_targets else ""
                out.append(f" ({self.typeset(target, typeset=False)})" if target else "")
            elif kind == "image":  # printed as its description: no file is ever read
                out.append(self.typeset(token.content or ""))
        return "".join(out).strip()

    def typeset(self, text: str, typeset: bool = True) -> str:
        """Plain text -> escaped markup, typeset in French and checked against the font."""
        if typeset:
            text = (french_typography if self.french else plain_typography)(text, self.thin)
        self._check_glyphs(text)
        markup = escape(text)
        return superscript_ordinals(markup) if typeset and self.superscripts else markup

    def _check_glyphs(self, text: str) -> None:
        if self.charset is None:
            return
        for char in text:
            if ord(char) not in self.charset and char not in "\n\r\t":
                shown = f"« {char} » " if char.isprintable() else ""  # never echo a control code
                raise TextError(say("text.glyph", char=shown, code=f"U+{ord(char):04X}"))
