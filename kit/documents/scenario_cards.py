"""Cartes scénarios: the lesson's scenarios as cards to cut out, one per group. Cards
have one fixed size per document, sit several to a page between dashed cut lines and
never split; the facilitator's discussion notes stay in the guide."""
from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak, Spacer

from ..context import RenderContext
from ..flowables import Paragraph
from ..schema import Scenario
from . import DOCUMENT_TYPES, parts

DOCUMENT = DOCUMENT_TYPES["scenario-cards"]

# (columns, rows) per page, most cards first: the first layout every card fits is used
LAYOUTS = ((2, 3), (2, 2), (1, 2), (1, 1))
ROUNDING_SLACK = 1.0  # points: a sheet exactly as tall as the frame may not fit it


class CardSheet(Flowable):
    """A page of same-size cards in a grid, each edge of each card a dashed cut line
    (a shared edge drawn once, so one cut separates two cards)."""

    def __init__(self, cards: list, columns: int, card_size: tuple[float, float], color):
        super().__init__()
        self.cards, self.columns, self.color = cards, columns, color
        self.card_width, self.card_height = card_size
        rows = -(-len(cards) // columns)
        self.width, self.height = columns * self.card_width, rows * self.card_height

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def split(self, available_width, available_height):
        return []

    def _origin(self, index: int) -> tuple[float, float]:
        row, column = divmod(index, self.columns)
        return column * self.card_width, self.height - (row + 1) * self.card_height

    def draw(self):
        for index, card in enumerate(self.cards):
            card.wrap(self.card_width, self.card_height)
            card.drawOn(self.canv, *self._origin(index))
        self.canv.saveState()
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(0.7)
        self.canv.setDash(5, 3)
        for x0, y0, x1, y1 in sorted(self._edges()):
            self.canv.line(x0, y0, x1, y1)
        self.canv.restoreState()

    def _edges(self) -> set:
        """Every card's four sides, each drawn left to right or bottom to top."""
        w, h = self.card_width, self.card_height
        edges = set()
        for index in range(len(self.cards)):
            x, y = self._origin(index)
            edges |= {(x, y, x + w, y), (x, y + h, x + w, y + h), (x, y, x, y + h),
                      (x + w, y, x + w, y + h)}
        return edges


def build(ctx: RenderContext) -> list:
    scenarios = ctx.lesson.scenarios
    header = sheet_header(ctx)
    _, header_height = header.wrap(ctx.page.frame_width, ctx.page.frame_height)
    height = ctx.page.frame_height - header_height - header.getSpaceAfter() - ROUNDING_SLACK
    columns, rows, cards = card_layout(ctx, scenarios, ctx.page.frame_width, height)
    per_page = columns * rows
    size = (ctx.page.frame_width / columns, height / rows)
    story = []
    for start in range(0, len(cards), per_page):
        if story:
            story += [PageBreak(), sheet_header(ctx)]
        else:
            story.append(header)
        story.append(CardSheet(cards[start:start + per_page], columns, size,
                               ctx.styles.color("ink")))
    return story


def sheet_header(ctx: RenderContext) -> Paragraph:
    return ctx.label(f"{DOCUMENT.label} · à découper le long des pointillés, une carte par groupe",
                     "card-sheet-head")


def card_layout(ctx: RenderContext, scenarios: list[Scenario], width: float, height: float):
    """The densest layout every card fits; with none, one card a page (shrunk if need be)."""
    for columns, rows in LAYOUTS:
        cards = [card(ctx, number, scenario, width / columns, height / rows)
                 for number, scenario in enumerate(scenarios, 1)]
        if all(fits for _, fits in cards):
            break
    return columns, rows, [box for box, _ in cards]


def card(ctx: RenderContext, number: int, scenario: Scenario, width: float,
         height: float) -> tuple[parts.PageBox, bool]:
    """The card's number and title, the situation, and at its foot the question to
    discuss and the 3018 (never the facilitator's discussion notes); and whether it fits."""
    h = ctx.helpline
    filler = Spacer(1, 0)
    content = [ctx.label(f"Carte {number}", "card-number"),
               Paragraph(ctx.inline(scenario.title), ctx.styles["card-title"]),
               *ctx.paragraphs(scenario.text, "card-text"), filler,
               Paragraph(f"{ctx.typeset('À discuter :')} {ctx.inline(scenario.question)}",
                         ctx.styles["card-question"]),
               ctx.label(f"Besoin d’aide ? {h.phone} : {h.promises_text}", "card-help")]
    box = parts.PageBox(content, width, height, padding=ctx.styles.size(1.0))
    room = box.room()
    # A new spacer, not the measured one resized: the box keeps each block's first size.
    box.content[box.content.index(filler)] = Spacer(1, max(0.0, room))  # question to the foot
    return box, room >= 0
