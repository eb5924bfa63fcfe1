"""Charts placed in a report as vector graphics.

matplotlib draws each chart as a one-page PDF; ReportLab lays the report out with a
`ChartSlot` of the chart's size where it goes (so text flows round it and page breaks
are ReportLab's), recording where each slot landed; pypdf then merges each chart's page
onto its slot. The chart stays vectors and real text (its font embedded by matplotlib),
with no SVG converter to install: svglib is not a dependency, pypdf already is.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import ArrayObject, ByteStringObject
from reportlab.platypus import Flowable

from .charts import Chart


@dataclass
class Placements:
    """Where each slot was drawn: (chart, page index, x, y) in PDF points."""

    spots: list = field(default_factory=list)


class ChartSlot(Flowable):
    """Room for one chart; drawing it only notes the page and position."""

    def __init__(self, chart: Chart, placements: Placements):
        super().__init__()
        self.chart, self.placements = chart, placements
        self.width, self.height = chart.width, chart.height

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        x, y = self.canv.absolutePosition(0, 0)
        self.placements.spots.append((self.chart, self.canv.getPageNumber() - 1, x, y))


def place_charts(pdf: bytes, placements: Placements) -> bytes:
    """The report with every chart merged onto its slot; a fixed file id keeps the bytes
    the same for the same report."""
    if not placements.spots:
        return pdf
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for chart, page, x, y in placements.spots:
        drawing = PdfReader(io.BytesIO(chart.pdf)).pages[0]
        writer.pages[page].merge_transformed_page(drawing, Transformation().translate(x, y))
    identity = ByteStringObject(hashlib.md5(pdf).digest())
    writer._ID = ArrayObject([identity, identity])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
