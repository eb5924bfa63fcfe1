"""The one-page boxes on ReportLab's KeepInFrame and the letter's slip on its TopPadder:
the slip stays whole at the foot of the letter's last page, in every edition and in a
bilingual letter; a scenario card too long for a whole page shrinks onto it with every
word, in type no smaller than the former uniform shrink gave."""
from __future__ import annotations

import pytest

from kit import api
from kit.documents.family_letter import SIGNATURE_ROOM
from kit.lessons import load_lesson
from kit.render import render_document
from kit.translations import translation_for

from .conftest import reader

LESSON = "cyberharcelement-temoin-actif"
BODY = {"standard": 10.5, "dys": 14, "large-print": 18}
SITUATION = ("Dans le groupe de la classe, quelqu'un poste une photo de Bilal prise à la cantine, "
             "avec un surnom moqueur. Les réactions s'enchaînent et certains la repartagent. ")


@pytest.fixture(scope="module")
def lesson():
    return api.load().get(LESSON)


def runs(pdf, index: int) -> list[tuple[str, float, float]]:
    """(text, height on the page, size in points) of each text run of a page."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((text.strip(), cm[5] + tm[5] * cm[3], size * cm[3]))
    reader(pdf).pages[index].extract_text(visitor_text=visit)
    return found


def lowest_above_footer(pdf, index: int) -> tuple[float, float]:
    """The lowest line of the page's own text, and the top line of its footer."""
    page = runs(pdf, index)
    footer = max(y for text, y, _ in page if text.startswith("Besoin d’aide"))
    return min(y for _, y, _ in page if y > footer + 1), footer


@pytest.mark.parametrize("edition", ["standard", "dys", "large-print"])
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_slip_is_whole_at_the_foot_of_the_letters_last_page(lesson, edition, language):
    translation = (translation_for(lesson, language, "family-letter", api.lesson_folders())
                   if language != "fr" else None)
    pdf = render_document(lesson, "family-letter", edition=edition, translation=translation)
    texts = [" ".join(text for text, _, _ in runs(pdf, i)) for i in range(pdf.pages)]
    french_end = max(i for i, text in enumerate(texts) if "à découper" in text)
    assert "Date et signature" in texts[french_end]  # the cut line and the slip: one page
    ends = [french_end] + ([pdf.pages - 1] if translation else [])
    assert ends[-1] == pdf.pages - 1
    for index in ends:  # the French letter's last page, then the translation's
        lowest, footer = lowest_above_footer(pdf, index)
        # below « Date et signature » only the room to sign, then the footer
        assert lowest - footer < SIGNATURE_ROOM + 4 * BODY[edition], (index, lowest, footer)


def test_a_card_too_long_for_a_page_shrinks_onto_it_with_every_word(lesson_copy):
    path = lesson_copy([("""            Dans le groupe de la classe, quelqu'un poste une photo de Bilal prise
            à la cantine, avec un surnom moqueur. Les réactions « mdr »
            s'enchaînent et certains la repartagent.""", "            " + SITUATION * 22)])
    pdf = render_document(load_lesson(path)[0], "scenario-cards", edition="large-print")
    first = runs(pdf, 0)
    card = " ".join(text for text, _, _ in first)
    assert card.count("Bilal") == 22 and "À discuter : Que peux-tu faire" in card
    sizes = {round(size, 2) for text, _, size in first if "Bilal" in text}
    # the former box scaled the whole card down to 6.8 pt; laid out wider first, 11 pt
    assert min(sizes) >= 8, sizes
    assert "Bilal" not in " ".join(text for i in range(1, pdf.pages) for text, _, _ in runs(pdf, i))
