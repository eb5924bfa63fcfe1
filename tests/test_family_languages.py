"""The family letter in the families' languages: French first, then the same letter in
the family's language; Arabic shaped by HarfBuzz and ordered right to left; easy French."""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pdfplumber
import pytest
import uharfbuzz
from reportlab.pdfbase import pdfmetrics

from kit import api, context
from kit.context import Session
from kit.helpline import load_helpline
from kit.languages import language_words
from kit.render import render_document
from kit.translations import ALL_LANGUAGES, LANGUAGES, translation_for

from .conftest import assert_clean_pdf, page_texts

LESSON = "cyberharcelement-temoin-actif"
SESSION = Session(school="Collège Jean Moulin", class_name="5e B", date=dt.date(2027, 11, 9))
ARABIC_WORD = re.compile(r"[\u0621-\u064A\u0660-\u0669\u0671-\u06D3]+")
BIDI_CONTROLS = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def lesson():
    return api.load().get(LESSON)


def letter(lesson, language, **options):
    translation = translation_for(lesson, language, "family-letter", api.lesson_folders())
    return render_document(lesson, "family-letter", session=SESSION,
                           translation=translation, **options)


@pytest.fixture(scope="module")
def letters(lesson):
    return {language: letter(lesson, language) for language in ALL_LANGUAGES}


def pdftotext(pdf, page: int) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-", "-"],
                          input=pdf.data, capture_output=True, check=True)
    return BIDI_CONTROLS.sub("", done.stdout.decode("utf-8"))


def arabic_words(text: str) -> list[str]:
    return ARABIC_WORD.findall(text)


def contains(words: list[str], part: list[str]) -> bool:
    return any(words[i:i + len(part)] == part for i in range(len(words) - len(part) + 1))


@pytest.mark.parametrize("language", [l for l in LANGUAGES if l != "ar"])
def test_letter_is_french_then_the_same_letter_in_the_language(letters, language):
    texts = assert_clean_pdf(letters[language])
    words = language_words(language).letter
    assert len(texts) == 2
    french, theirs = texts
    assert french.index("Madame, Monsieur,") < french.index("À aborder à la maison")
    assert theirs.index(words.greeting) < theirs.index(words.talk_about) < theirs.index(words.signs)
    for page in texts:  # the same school, class and date on both, and the slip on both
        assert "Collège Jean Moulin" in page and "5e B" in page.replace("5 e B", "5e B")
    assert "mardi 9 novembre 2027" in french and "09/11/2027" in theirs
    assert words.pupil_name in theirs and "Nom et prénom de l’élève" in french
    assert language_words(language).letter.cut in theirs


def test_the_letter_in_a_language_has_its_own_punctuation(letters):
    english = page_texts(letters["en"])[1]
    assert "Cyberbullying: don’t just stand by" in english
    letter_part = english[:english.index("Besoin d’aide")]  # the footer is the kit's French
    assert "Led by: _" in letter_part and " :" not in letter_part and " ?" not in letter_part


def test_numbers_come_from_the_helpline_file_never_from_a_translation(lesson, monkeypatch):
    moved = load_helpline().model_copy(update={"phone": "3020"})
    monkeypatch.setattr(context, "load_helpline", lambda: moved)
    theirs = page_texts(letter(lesson, "uk"))[1]
    for sentence in ("зателефонувати на 3020", "Номер 3020, безкоштовний",  # the translation
                     "Телефонуйте на 3020", "3020 — це національний номер",  # the help box
                     "Besoin d’aide ? 3020"):                                 # the footer
        assert sentence in theirs, sentence
    assert "на 3018" not in theirs and "Номер 3018" not in theirs


def test_easy_french_letter_is_alone_in_larger_type(letters):
    pdf = letters["fr-facile"]
    texts = assert_clean_pdf(pdf)
    assert "Bonjour," in texts[0] and "Madame, Monsieur," not in " ".join(texts)
    assert "Parler avec votre enfant à la maison" in texts[0]
    with pdfplumber.open(io.BytesIO(pdf.data)) as document:
        page = document.pages[0]  # the footer (the kit's French, in small type) left out
        body = [c["size"] for c in page.chars if c["text"] == "B" and c["top"] < page.height - 90]
    assert min(body) >= 14


def test_every_font_is_embedded_and_the_arabic_one_is_noto(letters):
    texts = assert_clean_pdf(letters["ar"])
    with pdfplumber.open(io.BytesIO(letters["ar"].data)) as document:
        fonts = {c["fontname"].split("+")[-1] for c in document.pages[1].chars}
    assert any("Arabic" in f or "KitArabic" in f for f in fonts), fonts
    assert "3018" in texts[1]


def test_arabic_text_layer_gives_the_words_back_in_logical_order(letters, lesson):
    """pdftotext reads each run's /ActualText and orders it by direction: the Arabic words
    come back in the order they were written (pypdf ignores /ActualText and returns
    presentation forms and private code points, in drawing order)."""
    text = pdftotext(letters["ar"], 2)
    words = arabic_words(text)
    translation = translation_for(lesson, "ar", "family-letter", api.lesson_folders())
    letter_words = language_words("ar").letter
    for written in (letter_words.greeting, letter_words.talk_about,
                    *translation.family.talk_about, *translation.family.signs):
        assert contains(words, arabic_words(written)), written
    assert "3018" in text and "www.3018.fr" in text and "09/11/2027" in text


def drawn_glyphs(pdf, page_number: int) -> tuple[list[int], list[dict]]:
    """The glyph ids the Arabic font draws on a page, in drawing order (each line's runs
    left to right): each drawn code's ToUnicode value is the code point the kit mapped
    the glyph to, which the font's own table maps back to the glyph."""
    font = pdfmetrics.getFont("KitArabic-regular")
    with pdfplumber.open(io.BytesIO(pdf.data)) as document:
        chars = [c for c in document.pages[page_number - 1].chars if "Arabic" in c["fontname"]]
    return [font.face.charToGlyph[ord(c["text"])] for c in chars], chars


def harfbuzz_glyphs(text: str) -> list[int]:
    """HarfBuzz's own shaping of `text` in Noto Sans Arabic, right to left (visual order)."""
    font = pdfmetrics.getFont("KitArabic-regular")
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl"
    uharfbuzz.shape(uharfbuzz.Font(font.hbFace), buffer, {"kern": True, "liga": True})
    return [info.codepoint for info in buffer.glyph_infos]


def test_arabic_glyphs_drawn_are_harfbuzz_shaping_of_the_text(letters):
    """Letters join (initial, medial, final forms, the lam-alef ligature): the glyphs the
    letter draws are those HarfBuzz gives for the same words, in the same order."""
    drawn, _ = drawn_glyphs(letters["ar"], 2)
    words = language_words("ar").letter
    for text in (words.talk_about, words.signs, "لا تبقَ متفرّجًا", words.close.split("،")[0]):
        expected = harfbuzz_glyphs(text)
        assert expected != harfbuzz_glyphs(text[::-1])
        assert contains(drawn, expected), text
    # joined letters are other glyphs than the same letters alone
    assert harfbuzz_glyphs("لا") != harfbuzz_glyphs("ا") + harfbuzz_glyphs("ل")


def test_3018_and_the_date_read_left_to_right_inside_arabic(letters):
    _, chars = drawn_glyphs(letters["ar"], 2)
    digits = sorted((c for c in chars if c["text"] in "0123456789/."),
                    key=lambda c: (round(c["bottom"]), c["x0"]))
    shown = ["".join(c["text"] for c in digits if round(c["bottom"]) == bottom)
             for bottom in sorted({round(c["bottom"]) for c in digits})]
    assert any("3018" in line for line in shown)
    assert any("09/11/2027" in line for line in shown)


def test_arabic_lines_are_aligned_right_and_the_slip_mirrored(letters):
    with pdfplumber.open(io.BytesIO(letters["ar"].data)) as document:
        page = document.pages[1]
        arabic = [c for c in page.chars if "Arabic" in c["fontname"]]
    lines: list[list] = []  # chars grouped by baseline (a mark's rise is a few points)
    for char in sorted(arabic, key=lambda c: c["bottom"]):
        if lines and char["bottom"] - lines[-1][-1]["bottom"] < 4:
            lines[-1].append(char)
        else:
            lines.append([char])
    right_edges = [max(c["x1"] for c in line) for line in lines]
    flush = sum(max(right_edges) - edge < 12 for edge in right_edges)  # list items: indented
    assert flush > 0.8 * len(right_edges)  # lines end at the right margin...
    left_edges = {round(min(c["x0"] for c in line)) for line in lines}
    assert len(left_edges) > 0.5 * len(lines)  # ...and start where their words end
    # the slip's last row: the pupil's name on the right, the class (« 5e B ») on the left
    slip_class = max((c for c in arabic if c["text"] == "5"), key=lambda c: c["top"])
    assert slip_class["x0"] < page.width / 2
    with pdfplumber.open(io.BytesIO(letters["ar"].data)) as document:
        french = document.pages[0]
        french_class = max((c for c in french.chars if c["text"] == "5"), key=lambda c: c["top"])
    assert french_class["x0"] > french.width / 2


def test_the_poster_in_a_language_is_one_page_of_that_language(lesson):
    translation = translation_for(lesson, "es", "poster", api.lesson_folders())
    pdf = render_document(lesson, "poster", translation=translation)
    (text,) = assert_clean_pdf(pdf, promises=False)
    assert "Gratuito · Anónimo · Confidencial" in text and "Para los jóvenes" in text


def test_a_roster_languages_column_adds_the_letters_in_those_languages(tmp_path):
    import kit.batch
    roster = tmp_path / "seances.csv"
    roster.write_text("Établissement;Classe;Séance;Date;Langues\n"
                      f"Collège Jean Moulin;5e B;{LESSON};09/11/2027;ar, ukrainien\n"
                      f"Collège Jean Moulin;5e C;{LESSON};10/11/2027;\n"
                      f"Collège Jean Moulin;5e D;{LESSON};10/11/2027;klingon\n", encoding="utf-8")
    summary = kit.batch.run(roster, tmp_path / "out", documents=("family-letter",),
                            progress="none", workers=1)
    folder = tmp_path / "out" / "college-jean-moulin"
    made = sorted(p.name for p in folder.rglob("*.pdf"))
    assert made == [f"{LESSON}-lettre-familles-ar.pdf", f"{LESSON}-lettre-familles-uk.pdf",
                    f"{LESSON}-lettre-familles.pdf", f"{LESSON}-lettre-familles.pdf"]
    ukrainian = (folder / "5e-b" / f"{LESSON}-lettre-familles-uk.pdf").read_bytes()
    french, theirs = page_texts(ukrainian)
    assert "5e B" in french and "Лист для родин" in theirs and "09/11/2027" in theirs
    assert summary.failed == 1
    report = (tmp_path / "out" / "report.csv").read_text(encoding="utf-8")
    assert "langue « klingon » inconnue" in report


def test_easy_french_worksheet_of_a_cycle3_lesson_takes_its_texts_from_the_file():
    lesson = api.load().get("premier-telephone")
    translation = translation_for(lesson, "fr-facile", "worksheet", api.lesson_folders())
    pdf = render_document(lesson, "worksheet", translation=translation)
    text = " ".join(assert_clean_pdf(pdf))
    for activity in translation.activities.values():
        assert " ".join(activity.title.split()) in text
        for question in activity.student.questions:
            assert question.prompt.split()[0] in text
    french = " ".join(page_texts(render_document(lesson, "worksheet")))
    assert text != french and "(français facile à lire)" in pdf_title(pdf)
    # a pupil's sheet speaks to the pupil, as the French one does: never « votre enfant »
    pupil = language_words("fr-facile").help_call_pupil[lesson.help_topic]
    assert " ".join(pupil.split()) in text and "votre enfant" not in text.lower()
    letter = render_document(lesson, "family-letter", translation=translation_for(
        lesson, "fr-facile", "family-letter", api.lesson_folders()))
    assert language_words("fr-facile").help_call[lesson.help_topic].split("?")[0] in " ".join(
        page_texts(letter))  # the letter still speaks to the parents


def pdf_title(pdf) -> str:
    from pypdf import PdfReader
    return PdfReader(io.BytesIO(pdf.data)).metadata.title


def test_a_letter_in_a_language_has_an_html_edition_with_lang_and_dir(lesson):
    from kit.html import render_language_html
    arabic = translation_for(lesson, "ar", "family-letter", api.lesson_folders())
    page = render_language_html(lesson, "family-letter", arabic)
    assert '<html lang="ar" dir="rtl">' in page
    assert language_words("ar").letter.greeting in page and arabic.family.signs[0] in page
    assert 'href="tel:3018"' in page and '<span class="phone" dir="ltr">3018</span>' in page
    easy = translation_for(lesson, "fr-facile", "family-letter", api.lesson_folders())
    assert '<html lang="fr" dir="ltr">' in render_language_html(lesson, "family-letter", easy)


def test_kit_build_and_pack_add_the_letters_in_the_languages_asked(tmp_path):
    built = api.build(tmp_path / "dist", lessons=[LESSON], documents=["family-letter", "poster"],
                      editions=["standard"], workers=1, languages=["ar", "ukrainien"])
    folder = tmp_path / "dist" / LESSON
    for name in ("lettre-familles-ar.pdf", "lettre-familles-ar.html", "affiche-uk.pdf",
                 "lettre-familles-uk.pdf", "lettre-familles.pdf"):
        assert (folder / f"{LESSON}-{name}").is_file(), name
    assert {b.document for b in built} >= {"family-letter@ar", "poster@uk"}
    again = api.build(tmp_path / "dist", lessons=[LESSON], documents=["family-letter", "poster"],
                      editions=["standard"], workers=1, languages=["ar", "uk"])
    assert not any(b.remade for b in again)  # byte-identical: nothing rewritten
    from kit.order import PackOrder
    order = PackOrder(lesson=LESSON, pupils=20, session={"school": "Collège Jean Moulin"})
    pack = api.pack(LESSON, order, languages=["ar:3"])
    line = next(l for l in pack.lines if l.file.endswith("-ar.pdf"))
    assert line.copies == 3 and line.pages == 2 and "(arabe)" in line.label


def test_kit_render_language_errors_say_what_to_do(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from kit.cli import cli
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    unknown = runner.invoke(cli, ["render", LESSON, "--doc", "family-letter", "--language", "klingon"])
    assert unknown.exit_code == 1 and "langue « klingon » inconnue ; au choix : en, es" in unknown.output
    guide = runner.invoke(cli, ["render", LESSON, "--doc", "guide", "--language", "ar"])
    assert guide.exit_code == 1 and "« guide » n'existe pas en « ar »" in guide.output
    made = runner.invoke(cli, ["render", LESSON, "--doc", "lettre-familles", "--langue", "arabe"])
    assert made.exit_code == 0 and (tmp_path / f"{LESSON}-lettre-familles-ar.pdf").is_file()
    assert not list(tmp_path.glob("*.part"))


def test_easy_french_keeps_one_idea_per_line_and_no_superscript(letters):
    with pdfplumber.open(io.BytesIO(letters["fr-facile"].data)) as document:
        lines = document.pages[0].extract_text().splitlines()
        sizes = {round(c["size"]) for c in document.pages[0].chars if c["top"] < 700}
    assert "Ils ont appris que les témoins peuvent aider." in lines  # a line of its own
    assert min(sizes) >= 14  # « 5e », not a smaller superscript « e »
