"""The family letter, the scenario cards and the before/after quiz, read back as the
family, the group and the student would read them."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from kit.cli import main
from kit.context import Session
from kit.lessons import load_lesson
from kit.render import render_document

from .conftest import A4, ROOT, assert_clean_pdf, page_texts, reader

DOCS = ("family-letter", "scenario-cards", "quiz")
SESSION = Session(school="Collège Jean Moulin", class_name="5e B", date=dt.date(2027, 11, 9),
                  facilitator="Claire Martin", referent="M. Diallo, CPE")


@pytest.fixture(scope="module")
def lesson():
    # the reference lesson alone: other lessons are being written alongside
    return load_lesson(ROOT / "lessons" / "cyberharcelement-temoin-actif.yaml")[0]


@pytest.fixture(scope="module")
def pdfs(lesson):
    return {(doc, edition): render_document(lesson, doc, edition=edition)
            for doc in DOCS for edition in ("standard", "large-print")}


def whole(pdf) -> str:
    return " ".join(page_texts(pdf))


def text_positions(pdf, page: int = 0) -> list[tuple[str, float, float]]:
    """Each run of text on a page with its (x, y) on the page, y from the bottom."""
    runs = []
    reader(pdf).pages[page].extract_text(
        visitor_text=lambda text, cm, tm, font, size: runs.append((text, cm[4], cm[5]))
        if text.strip() else None)
    return runs


def position(pdf, needle: str, page: int = 0) -> tuple[float, float]:
    return next((x, y) for text, x, y in text_positions(pdf, page) if needle in text)


@pytest.mark.parametrize("doc", DOCS)
@pytest.mark.parametrize("edition", ["standard", "large-print"])
def test_a4_embedded_fonts_and_the_helpline_on_every_page(pdfs, doc, edition):
    pdf = pdfs[doc, edition]
    box = reader(pdf).pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4
    assert_clean_pdf(pdf, also=("None",))


# -- the family letter --------------------------------------------------------


def test_family_letter_is_one_page_and_two_at_most_in_large_print(pdfs, lesson):
    assert pdfs["family-letter", "standard"].pages == 1
    assert 1 <= pdfs["family-letter", "large-print"].pages <= 2
    assert render_document(lesson, "family-letter", session=SESSION).pages == 1


def test_family_letter_says_what_was_worked_on_and_what_to_watch(pdfs):
    text = whole(pdfs["family-letter", "standard"])
    for expected in ("Madame, Monsieur,", "« Cyberharcèlement : ne reste pas spectateur »",
                     "pourquoi les témoins ont un vrai pouvoir",
                     "À aborder à la maison", "Les adultes à qui il peut parler",
                     "à enregistrer ensemble dans le téléphone",
                     "Des signes qui peuvent alerter", "des maux de ventre le matin",
                     "7 jours sur 7", "de 9 h à 23 h", "Tchat sur www.3018.fr",
                     "Application « 3018 »", "Formulaire de contact", "L’équipe éducative"):
        assert expected in text, expected
    assert text.index("Madame, Monsieur,") < text.index("À aborder") < text.index("Des signes")


def test_family_letter_fills_the_session_details(lesson):
    pdf = render_document(lesson, "family-letter", session=SESSION)
    text = whole(pdf)
    for expected in ("Établissement : Collège Jean Moulin", "Classe : 5e B",
                     "Date : mardi 9 novembre 2027", "Animée par : Claire Martin",
                     "vous pouvez contacter M. Diallo, CPE",
                     "Claire Martin, pour l’équipe éducative"):
        assert expected in text, expected


def test_family_letter_leaves_blanks_when_the_session_is_unknown(pdfs):
    text = whole(pdfs["family-letter", "standard"])
    assert re.search(r"Établissement : _{8,}", text) and re.search(r"Animée par : _{8,}", text)
    assert "vous pouvez contacter" not in text  # no referent, no sentence about one


def test_family_letter_ends_with_a_slip_to_sign_below_a_cut_line(lesson):
    pdf = render_document(lesson, "family-letter", session=SESSION)
    text = whole(pdf)
    slip = text[text.index("à découper"):]
    assert ("J’ai pris connaissance de la séance « Cyberharcèlement : ne reste pas spectateur » "
            "du mardi 9 novembre 2027.") in slip
    assert re.search(r"Nom et prénom de l’élève : _{10,} Classe : 5e B", slip)
    assert re.search(r"Nom et prénom du parent ou responsable : _{10,}", slip)
    assert "Date et signature :" in slip
    # the slip sits at the foot of the page, well below the letter
    _, cut = position(pdf, "à découper")
    _, close = position(pdf, "Bien cordialement")
    assert cut < 200 < close
    # the cut line is dashed: a dash pattern is set on the page
    assert re.search(rb"\[\s*4\s+3\s*\]\s*0\s+d", reader(pdf).pages[0].get_contents().get_data())


def test_family_letter_without_summary_lists_the_objectives(lesson_copy):
    path = lesson_copy()
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("summary:")] + text[text.index("objectives:"):],
                    encoding="utf-8")
    pdf = render_document(load_lesson(path)[0], "family-letter")
    objective = "Les élèves ont appris à : • Reconnaître une situation de cyberharcèlement"
    assert objective in whole(pdf)
    assert pdf.pages == 1


# -- the scenario cards -------------------------------------------------------


def test_cards_are_numbered_with_their_question_and_no_discussion(pdfs, lesson):
    text = whole(pdfs["scenario-cards", "standard"])
    for number, scenario in enumerate(lesson.scenarios, 1):
        assert f"Carte {number}" in text
    for expected in ("Le groupe de classe", "Clara ne sait pas qui l’a créé",
                     "À discuter : Que peux-tu faire, toi qui fais partie du groupe ?",
                     "À discuter : Comment aider Clara ?", "à découper le long des pointillés"):
        assert expected in text, expected
    for note in ("Ne pas réagir à la moquerie", "Lui dire qu’elle n’y est pour rien",
                 "Prendre des nouvelles d’Ethan"):
        assert note not in text


def test_cards_sit_two_across_on_one_page(pdfs):
    pdf = pdfs["scenario-cards", "standard"]
    assert pdf.pages == 1
    (x1, y1), (x2, y2), (x3, y3) = (position(pdf, f"Carte {n}") for n in (1, 2, 3))
    assert y1 == y2 and x2 > x1 + 200   # side by side
    assert x3 == x1 and y3 < y1 - 150   # next row
    # the question and the 3018 sit at each card's foot: level across a row, just above the next
    helps = [y for text, _, y in text_positions(pdf) if text.startswith("Besoin d") and "3018" in text]
    assert len(helps) == 3 and helps[0] == helps[1] and y3 < helps[0] < y3 + 60


def test_a_card_is_never_split_across_pages(pdfs):
    pdf = pdfs["scenario-cards", "large-print"]
    assert pdf.pages >= 2
    for page in page_texts(pdf):
        body = page[:page.rindex("Besoin d’aide")]  # the last help line is the page's footer
        cards = re.split(r"(?=Carte \d+ )", body)[1:]
        assert cards
        for card in cards:  # each card whole on its page: its question and its own 3018
            assert "À discuter" in card and "Besoin d’aide ? 3018" in card, card


def test_many_long_scenarios_flow_onto_more_pages_whole(lesson_copy):
    long_text = " ".join(["Une phrase de plus pour allonger la situation."] * 12)
    scenario = (f"        - title: Scénario {{n}}\n          text: >-\n            {long_text}\n"
                "          question: Que faire ?\n")
    extra = "".join(scenario.replace("{n}", str(n)) for n in range(4, 13))
    last_line = "            parler à un adulte ou appeler le {{ helpline.phone }} avec lui.\n"
    path = lesson_copy([(last_line, last_line + extra)])
    pdf = render_document(load_lesson(path)[0], "scenario-cards")
    texts = page_texts(pdf)
    assert pdf.pages >= 3
    numbers = [int(n) for page in texts for n in re.findall(r"Carte (\d+)", page)]
    assert numbers == list(range(1, 13))
    assert all(page.count("Carte ") == page.count("À discuter") for page in texts)


# -- the quiz -----------------------------------------------------------------


def test_quiz_asks_every_question_with_before_and_after_columns(pdfs, lesson):
    pdf = pdfs["quiz", "standard"]
    text = whole(pdf)
    for number, question in enumerate(lesson.quiz, 1):
        prompt = re.sub(r"\{\{.*?\}\}", "3018", question.prompt).replace("'", "’")
        assert f"{number}. {prompt}" in text
    assert text.count("avant après Vrai Faux") == len(lesson.quiz)
    for expected in ("Prénom : ___", "Classe : ___", "Date : ___", "Avant : ____ / 4"):
        assert expected in text
    # two boxes to tick per choice, drawn as rectangles
    boxes = reader(pdf).pages[0].get_contents().get_data().count(b" re")
    assert boxes >= 2 * sum(len(q.choices) for q in lesson.quiz)


def test_quiz_never_shows_the_answers(pdfs, lesson):
    text = whole(pdfs["quiz", "standard"])
    assert "Réponse attendue" not in text and "Pourquoi" not in text and "corrigé" not in text
    for question in lesson.quiz:
        assert question.explanation[:30].replace("'", "’") not in text
    guide = whole(render_document(lesson, "guide"))
    assert "Quiz avant / après : corrigé" in guide
    assert "On la montre à un adulte, on ne la partage pas" in guide


def test_quiz_question_without_choices_gets_lines_before_and_after(lesson_copy):
    path = lesson_copy([("  - prompt: Si je ne fais rien, je ne participe pas.\n"
                         "    choices: [Vrai, Faux]\n",
                         "  - prompt: Que peux-tu faire si tu vois une moquerie ?\n")])
    pdf = render_document(load_lesson(path)[0], "quiz")
    text = whole(pdf)
    assert "4. Que peux-tu faire si tu vois une moquerie ? avant après" in text
    assert text.count("avant après Vrai Faux") == 3


def test_the_command_renders_each(tmp_path, pdfs, capsys):
    for doc in DOCS:
        path = tmp_path / f"{doc}.pdf"
        assert main(["render", "cyberharcelement-temoin-actif", "--doc", doc, "-o", str(path),
                     "--edition", "large-print"]) == 0
        assert path.read_bytes() == pdfs[doc, "large-print"].data  # checked clean above
