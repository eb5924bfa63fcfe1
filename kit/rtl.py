"""Right-to-left paragraphs (Arabic): shaped by HarfBuzz, ordered by the Unicode
bidirectional algorithm, aligned right, with a text layer in logical order.

ReportLab shapes text with uharfbuzz, but orders it only through `rlbidi`, which is not
on PyPI for current Pythons. So this module does the ordering with python-bidi, the
shaping with uharfbuzz (the same library ReportLab uses), and hands ReportLab glyphs
to draw: lines are broken in logical order, then each line's runs (a run: characters of
one embedding level, so « 3018 », dates and web addresses stay left to right inside the
Arabic) are placed in visual order and shaped in their own direction.

The glyphs a shaped run draws are Arabic presentation forms or private code points in
the PDF's ToUnicode map, in visual order: a reader copying them would get garbage. Each
line is therefore wrapped in a marked-content span whose /ActualText is the line in
logical order, which poppler (pdftotext) and Acrobat read instead of the glyphs.
"""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

import uharfbuzz
from bidi import algorithm
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr
from reportlab.platypus import Flowable

_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>")
FEATURES = {"kern": True, "liga": True}


def embedding_levels(text: str, base_level: int = 1) -> list[int]:
    """The resolved bidi level of each character of one paragraph (rules W1 to I2)."""
    storage = algorithm.get_empty_storage()
    storage["base_level"], storage["base_dir"] = base_level, ("L", "R")[base_level]
    algorithm.get_embedding_levels(text, storage, False, False)
    algorithm.explicit_embed_and_overrides(storage, False)
    algorithm.resolve_weak_types(storage, False)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    return [char["level"] for char in storage["chars"]]


def visual_runs(text: str, levels: list[int]) -> list[tuple[str, int]]:
    """One line's (run text, level) in visual order, left to right (rule L2 on runs)."""
    runs: list[list] = []
    for char, level in zip(text, levels):
        if runs and runs[-1][1] == level:
            runs[-1][0] += char
        else:
            runs.append([char, level])
    if not runs:
        return []
    highest, lowest_odd = max(r[1] for r in runs), min(r[1] for r in runs if r[1] % 2) \
        if any(r[1] % 2 for r in runs) else 1
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(runs):
            if runs[i][1] >= level:
                j = i
                while j < len(runs) and runs[j][1] >= level:
                    j += 1
                runs[i:j] = runs[i:j][::-1]
                i = j
            else:
                i += 1
    return [(t, lv) for t, lv in runs]


def shape(text: str, font_name: str, size: float, rtl: bool) -> ShapedStr:
    """`text` shaped by HarfBuzz in one direction, as glyphs ReportLab can draw: each glyph
    stands for the code point the font maps to it (a private one when it has none)."""
    font = pdfmetrics.getFont(font_name)
    hb_font = font.hbFont(size)
    buffer = uharfbuzz.Buffer()
    buffer.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    uharfbuzz.shape(hb_font, buffer, FEATURES)
    chars, data = [], []
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions):
        gid = info.codepoint
        try:
            code = font.face.glyphToChar[gid][0]
        except (KeyError, IndexError):
            code = font.hbAddPrivate(hb_font.glyph_to_string(gid), gid, position.x_advance)
        chars.append(chr(code))
        data.append(ShapeData(info.cluster, font.pdfScale(position.x_advance),
                              font.pdfScale(position.y_advance), font.pdfScale(position.x_offset),
                              font.pdfScale(position.y_offset), font.face.charWidths[code]))
    return ShapedStr("".join(chars), shapeData=data)


def shaped_width(shaped: ShapedStr, size: float) -> float:
    return sum(d.x_advance for d in shaped.__shapeData__) * size / 1000


@functools.lru_cache(maxsize=8192)
def word_width(word: str, font_name: str, size: float) -> float:
    rtl = any(level % 2 for level in embedding_levels(word))
    return shaped_width(shape(word, font_name, size, rtl), size)


def plain_lines(markup: str) -> list[str]:
    """ReportLab paragraph markup -> its text, one string per forced line break."""
    return [" ".join(html.unescape(_TAG.sub("", part)).split()) for part in _BREAK.split(markup)]


@dataclass
class Line:
    text: str            # logical order, for the text layer
    runs: list           # (ShapedStr, width, its characters as shown) in visual order
    width: float


class RtlParagraph(Flowable):
    """A paragraph of right-to-left text in a ReportLab style (font, size, leading,
    indents and spacing; left alignment is read as right, the natural start)."""

    right_aligned = True  # its lines end at the right of the width it is given

    def __init__(self, markup: str, style, bulletText: str | None = None):
        super().__init__()
        self.style, self.bullet = style, bulletText
        self.texts = plain_lines(markup)
        self.text = " ".join(self.texts)  # what tests and metadata read
        self.lines: list[Line] = []
        self._width = None

    # --- layout -----------------------------------------------------------------------

    @property
    def start_indent(self) -> float:
        """Room on the right before the text: the style's indent, and never less than
        its bullet needs (ReportLab moves a bullet's text aside the same way)."""
        style = self.style
        if not self.bullet:
            return style.leftIndent
        bullet = word_width(self.bullet + " ", style.bulletFontName, style.bulletFontSize)
        return max(style.leftIndent, style.bulletIndent + bullet)

    def wrap(self, available_width, available_height):
        if self._width != available_width:
            room = available_width - self.start_indent - self.style.rightIndent
            self.lines = [line for text in self.texts for line in self._break(text, room)]
            self._width = available_width
        self.width = available_width
        self.height = max(len(self.lines), 1) * self.style.leading
        return self.width, self.height

    def _break(self, text: str, room: float) -> list[Line]:
        style = self.style
        space = word_width(" ", style.fontName, style.fontSize)
        words, lines, current, used = text.split(" "), [], [], 0.0
        for word in words:
            width = word_width(word, style.fontName, style.fontSize)
            if current and used + space + width > room:
                lines.append(" ".join(current))
                current, used = [], 0.0
            used += (space if current else 0) + width
            current.append(word)
        lines.append(" ".join(current))
        levels = embedding_levels(text)
        made, start = [], 0
        for line in lines:
            start = text.index(line, start) if line else start
            runs = [(shaped := shape(run, style.fontName, style.fontSize, level % 2 == 1),
                     shaped_width(shaped, style.fontSize), run[::-1] if level % 2 else run)
                    for run, level in visual_runs(line, levels[start:start + len(line)])]
            made.append(Line(line, runs, sum(w for _, w, _ in runs)))
            start += len(line)
        return made

    def minWidth(self):
        style = self.style
        return max((word_width(w, style.fontName, style.fontSize)
                    for text in self.texts for w in text.split(" ")), default=0) \
            + style.leftIndent + style.rightIndent

    def getActualLineWidths0(self):
        return [line.width for line in self.lines]

    def split(self, available_width, available_height):
        self.wrap(available_width, available_height)
        fit = int(available_height // self.style.leading)
        if fit < 1 or fit >= len(self.lines):
            return []
        first, rest = (RtlParagraph("", self.style, self.bullet), RtlParagraph("", self.style))
        first.lines, rest.lines = self.lines[:fit], self.lines[fit:]
        for part in (first, rest):
            part.texts, part._width = [line.text for line in part.lines], available_width
            part.text = " ".join(part.texts)
        return [first, rest]

    def getSpaceBefore(self):
        return self.style.spaceBefore

    def getSpaceAfter(self):
        return self.style.spaceAfter

    # --- drawing ----------------------------------------------------------------------

    def draw(self):
        style, canvas = self.style, self.canv
        right = self.width - self.start_indent  # indents mirror: the start is on the right
        left = style.rightIndent
        y = self.height - style.fontSize  # the first baseline
        canvas.saveState()
        canvas.setFillColor(style.textColor)
        for number, line in enumerate(self.lines):
            if style.alignment == TA_CENTER:
                x = (left + right - line.width) / 2
            elif style.alignment == TA_LEFT or style.alignment == TA_JUSTIFY:
                x = right - line.width  # the natural start of right-to-left text
            else:
                x = left
            if number == 0 and self.bullet:
                self._draw_bullet(y)
            self._draw_line(line, x, y)
            y -= style.leading
        canvas.restoreState()

    def _draw_line(self, line: Line, x: float, y: float):
        """Each run in a span whose /ActualText is the characters it shows, as a plain PDF
        stores them (visual order): a reader that orders text by direction (pdftotext,
        Acrobat) gets the line back in logical order, with its letters, not glyph forms."""
        canvas, style = self.canv, self.style
        for shaped, width, shown in line.runs:
            canvas.addLiteral(f"/Span <</ActualText <FEFF{shown.encode('utf-16-be').hex().upper()}>>> BDC")
            text = canvas.beginText(x, y)
            text.setFont(style.fontName, style.fontSize)
            text.textOut(shaped)
            canvas.drawText(text)
            canvas.addLiteral("EMC")
            x += width

    def _draw_bullet(self, y: float):
        style = self.style
        bullet = shape(self.bullet, style.bulletFontName, style.bulletFontSize, False)
        x = self.width - style.bulletIndent - shaped_width(bullet, style.bulletFontSize)
        text = self.canv.beginText(x, y)
        text.setFont(style.bulletFontName, style.bulletFontSize)
        text.textOut(bullet)
        self.canv.drawText(text)
