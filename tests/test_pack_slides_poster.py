"""Slides, poster, certificate and class charter, read back as a teacher would read them."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from kit.cli import main
from kit.context import Session, make_context
from kit.documents import slides as slides_module
from kit.documents.certificate import lowercase_start
from kit.errors import RenderError
from kit.helpline import load_helpline
from kit.lessons import load_lesson
from kit.pages import layout
from kit.render import render_document

from .conftest import A4, ROOT, assert_clean_pdf, embedded_fonts, page_texts, reader

LESSON = ROOT / "lessons" / "cyberharcelement-temoin-actif.yaml"
SLIDE = (960.0, 540.0)
A3 = (841.89, 1190.55)
SESSION = Session(school="École Jean Moulin", class_name="CM2 B", date=dt.date(2027, 11, 9))


def runs(pdf, index: int) -> list[tuple[str, float, float]]:
    """The text runs of one page: (text, font size in points, height on the page)."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((" ".join(text.split()), size * cm[3], cm[5] + tm[5] * cm[3]))
    reader(pdf).pages[index].extract_text(visitor_text=visit)
    return found


def size_of(pdf, index: int, words: str) -> float:
    return max(size for text, size, _ in runs(pdf, index) if words in text)


def page_size(pdf, index: int = 0) -> tuple[float, float]:
    box = reader(pdf).pages[index].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


def rectangles(pdf, index: int) -> int:
    """How many rectangles a page draws: a QR code is hundreds of them."""
    return reader(pdf).pages[index].get_contents().get_data().count(b" re")


@pytest.fixture(scope="module")
def lesson():
    return load_lesson(LESSON)[0]


@pytest.fixture(scope="module")
def cycle3(tmp_path_factory):
    """The reference lesson as a cycle 3 lesson: it then offers the certificate."""
    path = tmp_path_factory.mktemp("cycle3") / LESSON.name
    path.write_text(LESSON.read_text(encoding="utf-8").replace("level: college", "level: cycle3"),
                    encoding="utf-8")
    return load_lesson(path)[0]


@pytest.fixture(scope="module")
def slides(lesson):
    return render_document(lesson, "slides")


@pytest.fixture(scope="module")
def pack(lesson, cycle3, slides):
    return {"slides": slides, "poster": render_document(lesson, "poster"),
            "certificate": render_document(cycle3, "certificate", session=SESSION),
            "charter": render_document(lesson, "charter", session=SESSION)}


# --- every document -------------------------------------------------------------

@pytest.mark.parametrize("doc", ["slides", "poster", "certificate", "charter"])
def test_every_page_has_the_3018_and_the_pdf_is_clean(pack, doc):
    texts = assert_clean_pdf(pack[doc])
    assert len(texts) == pack[doc].pages
    assert not any("Helvetica" in f for f in embedded_fonts(pack[doc]))


# --- slides ---------------------------------------------------------------------

def test_slides_run_the_whole_session_in_the_lessons_order(slides, lesson):
    texts = page_texts(slides)
    assert {page_size(slides, i) for i in range(slides.pages)} == {SLIDE}
    questions = [q for a in lesson.activities if a.student for q in a.student.questions]
    scenarios = lesson.scenarios
    # title, one per activity, question and answer, scenario, key messages, closing
    assert slides.pages == 1 + len(lesson.activities) + 2 * len(questions) + len(scenarios) + 2
    assert texts[0].startswith("Cyberharcèlement : ne reste pas spectateur Collège · 55 min")
    openings = [i for i, t in enumerate(texts) if re.search(r"Activité \d sur 4 · \d+ min", t)]
    for index, title in zip(openings, ["Ouverture, règles et quiz « avant »", "Vrai ou faux ?",
                                       "Que ferais-tu ?", "Mes gestes de témoin actif"]):
        assert title in texts[index]
    assert texts[-2].startswith("À retenir")
    assert "Le harcèlement n’est jamais la faute de la victime." in texts[-2]


def test_every_question_with_its_choices_then_its_answer(slides):
    texts = page_texts(slides)
    first = next(i for i, t in enumerate(texts) if "Question 1 sur 4" in t)
    assert "Une seule moquerie en ligne, c’est déjà du harcèlement. A. Vrai B. Faux" in texts[first]
    assert "Réponse" not in texts[first]
    assert "Question 1 sur 4 · Réponse" in texts[first + 1]
    assert "Réponse : B. Faux" in texts[first + 1]
    for number in range(2, 5):
        index = next(i for i, t in enumerate(texts) if f"Question {number} sur 4 Vrai" in t)
        assert f"Question {number} sur 4 · Réponse" in texts[index + 1]
    assert "C. Le numéro de la police" in " ".join(texts)


def test_every_scenario_is_projected_numbered_in_the_decks_address_form(slides, lesson):
    texts = page_texts(slides)
    for number, scenario in enumerate(lesson.scenarios, 1):
        page = next(t for t in texts if f"Situation {number} sur 3" in t)
        assert scenario.title in page and "À toi :" in page and "À vous" not in page
    assert "Le faux compte" in " ".join(texts)


def test_a_lesson_can_turn_the_answer_slides_off(lesson_copy):
    path = lesson_copy([("\nsources:", "\nanswer_slides: false\nsources:")])
    texts = page_texts(render_document(load_lesson(path)[0], "slides"))
    assert any("Question 1 sur 4" in t for t in texts)
    assert not any("Réponse" in t for t in texts)


def test_the_opening_slide_shows_the_rules_and_an_activity_its_board(slides, lesson):
    texts = page_texts(slides)
    rules = lesson.activities[0].boards[0]
    opening = next(t for t in texts if re.search(r"Activité 1 sur 4 · \d+ min", t))
    assert "Nos règles" in opening and "chacun peut ne pas répondre" in opening
    assert len(rules.items) == 3
    gestures = next(t for t in texts if re.search(r"Activité 3 sur 4 · \d+ min", t))
    assert "Les quatre gestes du témoin actif" in gestures and "ne pas relayer" in gestures


def test_adults_are_addressed_as_vous_on_every_slide(lesson_copy):
    path = lesson_copy([("level: college", "level: parents")])
    whole = " ".join(page_texts(render_document(load_lesson(path)[0], "slides")))
    assert "À vous :" in whole and "À toi" not in whole


def test_slides_show_nothing_of_the_guide(slides):
    whole = " ".join(page_texts(slides))
    for guide_only in ("Présentez-vous", "Répartissez la classe", "Réponse attendue",
                       "Ne pas réagir à la moquerie"):
        assert guide_only not in whole


def test_a_continuation_slide_never_holds_a_lone_bullet(lesson):
    ctx = make_context(lesson)
    ctx.page = layout("slides", "a4", ctx.styles.body_size)
    bullets = [ctx.label(f"Point numéro {n} à retenir", "slide-bullet") for n in range(40)]
    for count in range(2, 40):
        for bullet in bullets:
            bullet.bulletText = "•"
        deck = slides_module.paginate(ctx, "Titre", bullets[:count])
        if len(deck) > 1:
            assert len(slides_module.body_of(deck[-1])) >= 2, count
            assert all(slide.fits() for slide in deck)


def test_slide_body_text_is_at_least_28_points(slides):
    texts = page_texts(slides)
    scenario = next(i for i, t in enumerate(texts) if "Dans le groupe de la classe" in t)
    question = next(i for i, t in enumerate(texts) if "Question 1 sur 4" in t)
    assert size_of(slides, scenario, "Dans le groupe de la classe") >= 28
    assert size_of(slides, question, "Une seule moquerie") >= 28
    assert size_of(slides, len(texts) - 2, "jamais") >= 28
    for index in range(slides.pages):
        small = {text for text, size, y in runs(slides, index) if y > 50 and size < 28}
        assert all(t.startswith("Activité") or t == "www.3018.fr" for t in small), small


def test_closing_slide_has_the_number_large_its_promises_hours_and_a_qr_code(slides):
    last = slides.pages - 1
    text = page_texts(slides)[last]
    assert "Gratuit, anonyme, confidentiel De 9 h à 23 h 7 jours sur 7" in text
    assert "www.3018.fr" in text and "Tchat" in text
    assert size_of(slides, last, "3018") >= 100
    assert rectangles(slides, last) > 100


def test_title_slide_names_the_session_only_when_known(lesson, slides):
    with_session = page_texts(render_document(lesson, "slides", session=SESSION))[0]
    assert "École Jean Moulin · CM2 B · mardi 9 novembre 2027" in with_session
    assert "___" not in page_texts(slides)[0]


def test_a_long_scenario_continues_on_another_slide_in_the_same_type(lesson_copy):
    words = [f"mot{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(160)]
    path = lesson_copy([("Dans le groupe de la classe, quelqu'un poste une photo de Bilal prise",
                         " ".join(words))])
    pdf = render_document(load_lesson(path)[0], "slides")
    texts = page_texts(pdf)
    suite = [i for i, t in enumerate(texts) if "Que ferais-tu ? (suite)" in t]
    assert suite and pdf.pages == 18 + len(suite)
    assert {page_size(pdf, i) for i in range(pdf.pages)} == {SLIDE}
    found = re.findall(r"mot[a-z]{2}", " ".join(texts))
    assert found == words  # every word once, in order, across the slides
    continued = [i for i in suite if "mot" in texts[i]]
    assert continued and all(size_of(pdf, i, "mot") >= 28 for i in continued)


def test_a_heading_never_ends_a_slide_it_goes_on_with_its_text(lesson):
    ctx = make_context(lesson)
    ctx.page = layout("slides", "a4", ctx.styles.body_size)
    heading = ctx.label("Le titre", "slide-heading")
    text = ctx.label("Un texte qui suit son titre.", "slide-body")
    filler = []
    while slides_module.paginate(ctx, "Titre", [*filler, heading, text])[0].content[-1] is text:
        filler.append(ctx.label(f"Ligne {len(filler)}", "slide-body"))
    # now the heading alone would fit at the bottom of the first slide, but its text not
    first, second = slides_module.paginate(ctx, "Titre", [*filler, heading, text])
    assert heading not in first.content and first.fits()
    assert second.content[-2:] == [heading, text] and second.fits()


@pytest.mark.parametrize("edition,body", [("dys", 39), ("large-print", 32)])
def test_slides_in_the_dys_and_large_print_editions(lesson, edition, body):
    pdf = render_document(lesson, "slides", edition=edition)
    texts = page_texts(pdf)
    assert {page_size(pdf, i) for i in range(pdf.pages)} == {SLIDE}
    assert all("3018" in t for t in texts)
    scenario = next(i for i, t in enumerate(texts) if "Dans le groupe de la classe" in t)
    assert size_of(pdf, scenario, "Dans le groupe") >= body
    whole = " ".join(texts)
    assert "Soutenir la victime" in whole and "Gratuit, anonyme, confidentiel" in whole


# --- poster ---------------------------------------------------------------------

def test_poster_is_one_a4_page_with_the_number_readable_from_afar(pack):
    poster = pack["poster"]
    assert poster.pages == 1 and page_size(poster) == A4
    assert size_of(poster, 0, "3018") >= 150
    text = page_texts(poster)[0]
    for expected in ("Le numéro national contre les violences numériques",
                     "Gratuit · Anonyme · Confidentiel", "7 jours sur 7", "De 9 h à 23 h",
                     "Téléphone", "Tchat", "Application « 3018 »", "Formulaire de contact",
                     "www.3018.fr", "Association e-Enfance"):
        assert expected in text
    assert rectangles(poster, 0) > 100  # the QR code


def test_poster_on_a3_is_the_a4_poster_enlarged(lesson, pack, tmp_path, capsys):
    out = tmp_path / "affiche.pdf"
    assert main(["render", str(LESSON), "--doc", "poster", "--paper", "a3", "-o", str(out)]) == 0
    poster = out.read_bytes()
    assert page_size(poster) == A3 and len(page_texts(poster)) == 1
    a4_size = size_of(pack["poster"], 0, "3018")
    assert size_of(poster, 0, "3018") == pytest.approx(a4_size * 1.414, rel=0.01)
    assert size_of(poster, 0, "Tchat") > size_of(pack["poster"], 0, "Tchat") * 1.3


@pytest.mark.parametrize("edition", ["dys", "large-print"])
@pytest.mark.parametrize("paper", ["a4", "a3"])
def test_poster_stays_one_page_in_every_edition(lesson, edition, paper):
    poster = render_document(lesson, "poster", edition=edition, paper=paper)
    assert poster.pages == 1
    assert size_of(poster, 0, "3018") >= 85  # 2.5 times the key words, themselves 34 pt at least
    text = page_texts(poster)[0]
    assert "Gratuit · Anonyme · Confidentiel" in text and "Tchat" in text


def test_poster_text_comes_from_the_helpline_file(lesson, monkeypatch):
    changed = load_helpline().model_copy(update={"hours": "de 8 h à 22 h", "promises": ["gratuit"]})
    monkeypatch.setattr("kit.context.load_helpline", lambda: changed)
    text = page_texts(render_document(lesson, "poster"))[0]
    assert "De 8 h à 22 h" in text and "De 9 h à 23 h" not in text
    assert "Anonyme" not in text


# --- certificate ------------------------------------------------------------------

def test_certificate_is_one_landscape_page_with_a_blank_for_the_first_name(pack):
    certificate = pack["certificate"]
    assert certificate.pages == 1 and page_size(certificate) == (A4[1], A4[0])
    text = page_texts(certificate)[0]
    assert text.startswith("Diplôme de citoyenneté numérique pour la séance « Cyberharcèlement")
    assert "décerné à Je sais que…" in text  # the line between them is drawn, left blank
    assert "le harcèlement n’est jamais la faute de la victime." in text
    assert "soutenir la victime, même par un simple message" in text
    assert "on garde les preuves" in text  # every key message, none dropped
    assert "j’appelle le 3018 : gratuit, anonyme, confidentiel" in text
    assert "Le mardi 9 novembre 2027" in text and "École : École Jean Moulin" in text
    assert "Signature :" in text


def test_certificate_is_for_cycle_3_only(lesson):
    assert "certificate" not in lesson.offered_documents
    with pytest.raises(RenderError, match="la séance « [a-z-]+ » ne propose pas de certificate ; elle propose :"):
        render_document(lesson, "certificate")


@pytest.mark.parametrize("edition", ["dys", "large-print"])
def test_certificate_stays_one_page_in_every_edition(cycle3, edition):
    certificate = render_document(cycle3, "certificate", edition=edition)
    text = page_texts(certificate)[0]
    assert certificate.pages == 1 and "le harcèlement n’est jamais la faute" in text
    assert "Le ______________" in text  # no session: the date is left to write in


@pytest.mark.parametrize("message,expected", [
    ("Le harcèlement n'est **jamais** ta faute.", "le harcèlement n'est **jamais** ta faute."),
    ("**Jamais** seul.", "**jamais** seul."),
    ("CPE et professeurs t'écoutent.", "CPE et professeurs t'écoutent."),
    ("{{ helpline.phone }} écoute.", "{{ helpline.phone }} écoute."),
])
def test_key_messages_follow_je_sais_que(message, expected):
    assert lowercase_start(message) == expected


# --- charter ----------------------------------------------------------------------

def test_charter_numbers_the_commitments_and_leaves_a_box_per_student(pack, lesson):
    charter = pack["charter"]
    texts = page_texts(charter)
    assert page_size(charter) == A4 and charter.pages == 1
    assert texts[0].startswith("Notre classe s’engage")
    assert "Classe : CM2 B" in texts[0] and "Établissement : École Jean Moulin" in texts[0]
    for number, commitment in enumerate(["Je ne like pas", "Je soutiens la personne visée",
                                         "Je garde les preuves", "Je respecte les autres"], 1):
        assert f"{number}. {commitment}" in texts[0]
    whole = " ".join(texts)
    assert "Nos signatures (prénom et signature)" in whole and "Tchat" in whole


def test_charter_boxes_follow_the_class_size_and_flow_in_large_print(lesson):
    pdf = render_document(lesson, "charter", edition="large-print",
                          session=Session(class_name="6e A", students=24))
    texts = page_texts(pdf)
    assert {page_size(pdf, i) for i in range(pdf.pages)} == {A4}
    assert "Nos signatures (prénom et signature)" in " ".join(texts)
    assert all("3018" in t for t in texts)


def test_charter_for_parents_speaks_for_adults(lesson_copy):
    path = lesson_copy([("level: college", "level: parents")])
    text = " ".join(page_texts(render_document(load_lesson(path)[0], "charter")))
    assert text.startswith("Nous nous engageons") and "Notre classe" not in text
