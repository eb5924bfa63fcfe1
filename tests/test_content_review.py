"""The child-protection and content review (issue 11), read in the documents themselves:
guidance an adult can safely follow, the law complete, plans that fit their time,
words that fit the reader's age and the lesson's topic."""
from __future__ import annotations

import collections
import re
import shutil

import pytest

from kit import paths, wording
from kit.check import text_fields
from kit.cli import main
from kit.errors import AssetError
from kit.lessons import load_library, load_lesson
from kit.render import render_document
from kit.schema import ADULT_LEVELS

from .conftest import ROOT, page_texts

LIBRARY = load_library()
LESSONS = sorted(LIBRARY.lessons)
PUPIL_LESSONS = [i for i in LESSONS if LIBRARY.get(i).level not in ADULT_LEVELS]
SEXTORTION, DEEPFAKES, IMAGE_RIGHTS = ("sextorsion-images-intimes", "desinformation-deepfakes",
                                       "droit-a-l-image")
PARENTS, CYBER, STAFF = ("parents-reperer-et-dialoguer", "cyberharcelement-temoin-actif",
                         "equipes-repondre-a-une-revelation")


@pytest.fixture(scope="module")
def documents():
    """Every document every lesson offers, standard edition, as the text a reader sees."""
    return {(lesson_id, doc): " ".join(page_texts(render_document(LIBRARY.get(lesson_id), doc)))
            for lesson_id in LESSONS for doc in LIBRARY.get(lesson_id).offered_documents}


def guide(documents, lesson_id: str) -> str:
    return documents[lesson_id, "guide"]


def section(text: str, start: str, end: str) -> str:
    """The text between a heading and the next one."""
    assert start in text, start
    after = text.split(start, 1)[1]
    return after.split(end, 1)[0]


# -- disclosure: what an adult must and must not do ----------------------------


def test_the_sextortion_guide_names_227_23_and_says_never_capture_or_keep_the_image(documents):
    text = guide(documents, SEXTORTION)
    block = section(text, "Si un élève se confie à propos d’une image intime",
                    "Après une révélation")
    assert "227-23" in block
    assert "Ne jamais regarder, faire de capture, copier, transférer ni garder l’image" in block
    assert "quel que soit son accord" in block
    assert "226-2-1" in text and "227-23" in text


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_no_disclosure_block_about_intimate_images_asks_for_screenshots(documents, lesson_id):
    text = guide(documents, lesson_id)
    protocol = wording.guide_texts().protocols[LIBRARY.get(lesson_id).disclosure_protocol]
    title = LIBRARY_TEXT(lesson_id).plain(protocol.title)
    block = section(text, title, "Après une révélation")
    if "intime" in block:
        assert "captures d’écran" not in block and "capture d’écran" not in block
        assert "ni capture" in block or "faire de capture" in block or "ne la capture" in block \
            or "se capture" in block


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_every_guide_says_what_follows_a_disclosure(documents, lesson_id):
    text = guide(documents, lesson_id)
    for expected in ("information préoccupante", "CRIP", "procureur de la République",
                     "article 40 du Code de procédure pénale", "434-3", "119"):
        assert expected in text, (lesson_id, expected)


def test_the_staff_lesson_teaches_what_follows_a_disclosure_with_a_scenario(documents):
    worksheet = documents[STAFF, "worksheet"]
    assert "Après la révélation" in worksheet and "CRIP" in worksheet
    text = guide(documents, STAFF)
    assert "Si un participant évoque la situation d’un élève" in text
    assert "Ce sont des faits graves envers une mineure" in text


@pytest.mark.parametrize("lesson_id", [i for i in LESSONS if LIBRARY.get(i).level == "cycle3"])
def test_primary_guides_name_the_head_teacher(documents, lesson_id):
    text = guide(documents, lesson_id)
    assert "le directeur ou la directrice d’école" in text
    assert "chef d’établissement, CPE" not in text


def test_the_parents_guide_never_makes_telling_the_school_conditional(documents):
    text = guide(documents, PARENTS)
    assert "peut toujours contacter l’établissement" in text
    assert "accord du parent" not in text and "avec l’accord" not in text


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_every_guide_asks_to_change_a_name_a_pupil_has(documents, lesson_id):
    assert "changez ce prénom avant la séance" in guide(documents, lesson_id)


def test_no_document_promises_secrecy_or_offers_the_3018_to_adult_victims(documents):
    for (lesson_id, doc), text in documents.items():
        lowered = text.lower()
        for wrong in ("reste dans la classe", "reste dans la salle", "un jeune ou un adulte",
                      "adulte vit du harcèlement"):
            assert wrong not in lowered, (lesson_id, doc, wrong)



def test_articles_contract_before_a_level_s_adults(documents):
    """« à le chef d'établissement » reads as a mistake: a placeholder that starts with an
    article (assets/wording.yaml's school.head) is never put after « à » or « de »."""
    for (lesson_id, doc), text in documents.items():
        assert not re.search(r"\b(à|de) (le|les) (chef|directeur|CPE|référent)", text), (lesson_id, doc)

# -- the law -------------------------------------------------------------------


@pytest.mark.parametrize("lesson_id,articles", [
    (SEXTORTION, ("226-2-1", "227-23")),
    (DEEPFAKES, ("226-8", "226-8-1")),
    (PARENTS, ("222-33-2-2", "222-33-2-3")),
    (CYBER, ("222-33-2-2", "222-33-2-3")),
    (IMAGE_RIGHTS, ("article 9 du Code civil", "226-1")),
])
def test_the_law_is_complete_where_the_lessons_touch_it(documents, lesson_id, articles):
    text = guide(documents, lesson_id)
    for article in articles:
        assert article in text, (lesson_id, article)


def test_no_lesson_implies_consent_makes_sharing_a_minors_image_legal(documents):
    for lesson_id in (SEXTORTION, IMAGE_RIGHTS):
        text = guide(documents, lesson_id)
        assert "même s’il était d’accord" in text or "même si elle était d’accord" in text


def test_sources_cite_official_pages_not_the_old_compromises():
    for lesson_id in LESSONS:
        lesson = LIBRARY.get(lesson_id)
        titles = " ".join(s.title for s in lesson.sources)
        assert "122-8" not in titles, lesson_id  # the rule sits in the CJPM, art. L11-1
        for source in lesson.sources:
            if "article 45" in source.title or "2023" in source.title or "L111-6" in source.title:
                assert "legifrance.gouv.fr" in source.address, (lesson_id, source.title)


# -- sessions that fit their time ----------------------------------------------


def test_kit_check_passes_on_every_lesson_with_no_warning(capsys):
    assert main(["check"]) == 0
    err = capsys.readouterr().err
    assert "warning" not in err, err


@pytest.mark.parametrize("lesson_id", [i for i in LESSONS if "quiz" in LIBRARY.get(i).offered_documents])
def test_every_timed_plan_that_offers_a_quiz_includes_it(documents, lesson_id):
    lesson = LIBRARY.get(lesson_id)
    plan = section(guide(documents, lesson_id), "Déroulé", "Pas à pas")
    assert "quiz « avant »" in plan.lower() and "quiz « après »" in plan.lower()
    rounds = [a for a in lesson.activities if a.quiz]
    assert [a.quiz for a in rounds] == ["before", "after"]
    for timing in lesson.timings:
        assert all(timing.minutes.get(a.id, a.minutes) > 0 for a in rounds), timing.duration


@pytest.mark.parametrize("lesson_id", [i for i in LESSONS
                                       if LIBRARY.get(i).level in ("college", "lycee")])
def test_a_55_minute_plan_keeps_5_minutes_to_settle_in_and_end(documents, lesson_id):
    plan = section(guide(documents, lesson_id), "Déroulé", "Pas à pas")
    assert plan.strip().startswith("Horaire Activité Durée 0:00 – 0:03 Installation des élèves")
    assert "0:53 – 0:55 Fin de l’heure" in plan


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_group_reports_are_stated_and_fit(documents, lesson_id):
    lesson = LIBRARY.get(lesson_id)
    text = guide(documents, lesson_id)
    for activity in lesson.activities:
        if activity.groups:
            assert f"Travail en groupes : {activity.groups.count} groupes" in text
            assert activity.groups.prepare + activity.groups.count * activity.groups.report \
                <= activity.minutes


@pytest.mark.parametrize("lesson_id", [i for i in LESSONS if LIBRARY.get(i).timings])
def test_adapting_the_length_lists_activities_in_session_order(documents, lesson_id):
    lesson = LIBRARY.get(lesson_id)
    text = section(guide(documents, lesson_id), "Adapter la durée", "Messages clés")
    titles = [LIBRARY_TEXT(lesson_id).plain(a.title) for a in lesson.activities]
    found = [text.find(" ".join(t.split()) + " :") for t in titles]
    found = [f for f in found if f >= 0]
    assert found and found == sorted(found), lesson_id


GROUPS = "    groups: {count: 6, prepare: 7, report: 1.5}\n"


def test_kit_check_catches_group_reports_that_overflow(lesson_copy, capsys):
    path = lesson_copy([(GROUPS, "    groups: {count: 8, prepare: 8, report: 2}\n")])
    assert main(["check", str(path)]) == 0  # a warning: the lesson still builds
    err = capsys.readouterr().err
    assert f"{path.name}:" in err and "activities[3].groups: attention :" in err
    assert ("8 groupes qui préparent 8 min puis présentent 2 min chacun demandent 24 min, "
            "mais elle en a 16") in err


def test_kit_check_catches_a_timing_whose_group_reports_overflow(lesson_copy, capsys):
    path = lesson_copy([("    groups: {scenarios: 4}\n", "    groups: {scenarios: 6}\n")])
    assert main(["check", str(path)]) == 0
    err = capsys.readouterr().err
    assert "timings[1].minutes: attention :" in err and "dans la version de 45 min" in err  # 1-based


def test_kit_check_catches_a_quiz_offered_without_a_slot(lesson_copy, capsys):
    path = lesson_copy([("    quiz: before\n", "")])
    assert main(["check", str(path)]) == 0
    assert "aucune activité n'a `quiz: before`" in capsys.readouterr().err


def test_kit_check_catches_a_55_minute_plan_with_no_margin(lesson_copy, capsys):
    path = lesson_copy([("margins: {start: 3, end: 2}\n", ""),
                        ("    title: Vrai ou faux ?\n    minutes: 10\n",
                         "    title: Vrai ou faux ?\n    minutes: 15\n"),
                        ("quiz-vrai-faux: 7,", "quiz-vrai-faux: 12,")])
    assert main(["check", str(path)]) == 0
    assert "garde 5 min pour s'installer et finir l'heure (ici 0)" in capsys.readouterr().err


def test_minutes_add_up_with_the_margins(lesson_copy, capsys):
    path = lesson_copy([("margins: {start: 3, end: 2}\n", "margins: {start: 3, end: 4}\n")])
    assert main(["check", str(path)]) == 1
    assert ("les minutes des activités et des marges (7) font 57 au total, mais duration vaut 55"
            in capsys.readouterr().err)


# -- wording and age fit ---------------------------------------------------------


def test_the_sextortion_worksheet_help_box_speaks_of_its_topic(documents):
    text = documents[SEXTORTION, "worksheet"]
    assert "On te menace avec une image intime" in text
    assert "Tu vis ou tu vois du harcèlement" not in text


@pytest.mark.parametrize("lesson_id", [i for i in LESSONS if LIBRARY.get(i).level == "cycle3"])
def test_cycle_3_documents_list_what_the_3018_does_for_their_age(documents, lesson_id):
    for doc in LIBRARY.get(lesson_id).offered_documents:
        text = documents[lesson_id, doc].lower()
        assert "chantage à la webcam" not in text and "images intimes" not in text, doc
    assert "moqueries, insultes ou mise à l’écart en ligne" in documents[lesson_id, "worksheet"]


def test_the_quiz_reminder_fits_the_audience_and_topic(documents):
    assert "On te menace avec une image intime" in documents[SEXTORTION, "quiz"]
    parents = documents[PARENTS, "quiz"]
    assert "Un jeune vit du harcèlement en ligne ? Appelez le 3018 (gratuit" in parents


def scenario_names() -> dict[str, set[str]]:
    """First names on scenario cards: capitalised words inside a sentence, not place names."""
    not_names = {"Pharos", "IA", "CM2", "CPE", "Arcom", "Dans", "Le", "La", "Les", "Un", "Une"}
    cards = collections.defaultdict(set)
    for lesson_id in LESSONS:
        for number, scenario in enumerate(LIBRARY.get(lesson_id).scenarios):
            text = f"{scenario.title} {scenario.text} {scenario.question}"
            for name in re.findall(r"(?<=[a-zé,'’] )([A-ZÉÈ][a-zéèëïîô]+)\b", text):
                if name not in not_names:
                    cards[name].add((lesson_id, number))
    return cards


def test_first_names_are_varied_across_the_catalogue():
    cards = scenario_names()
    assert len(cards) >= 30, sorted(cards)
    crowded = {name: len(where) for name, where in cards.items() if len(where) > 3}
    assert not crowded, crowded


def test_one_spelling_per_word_and_french_words_first():
    for lesson_id in LESSONS:
        lesson = LIBRARY.get(lesson_id)
        for path, value in text_fields(lesson):
            assert not re.search(r"\bemojis?\b", value, re.I), (lesson_id, path)
            assert not re.search(r"\w·\w", value), (lesson_id, path)  # no point médian
            for match in re.finditer(r"deepfakes?", value, re.I):
                before = value[:match.start()].lower()
                assert before.endswith(("hypertrucage (", "hypertrucages (")), (lesson_id, path)


# -- what teachers expect next to a lesson ----------------------------------------


@pytest.mark.parametrize("lesson_id", PUPIL_LESSONS)
def test_pupil_worksheets_have_a_glossary_and_an_exit_ticket(documents, lesson_id):
    lesson = LIBRARY.get(lesson_id)
    assert 5 <= len(lesson.glossary) <= 8
    text = documents[lesson_id, "worksheet"]
    assert "Les mots de la séance" in text and "Mon ticket de sortie" in text
    question = " ".join(LIBRARY_TEXT(lesson_id).plain(lesson.exit_ticket).split())
    assert question in text
    for entry in lesson.glossary:
        assert LIBRARY_TEXT(lesson_id).plain(entry.term) in text


@pytest.mark.parametrize("lesson_id", PUPIL_LESSONS)
def test_pupil_guides_link_the_curriculum_and_phare_hours(documents, lesson_id):
    text = section(guide(documents, lesson_id), "Dans les programmes", "Déroulé")
    assert "EMC" in text and "CRCN / Pix" in text
    assert "10 heures annuelles de sensibilisation" in text


@pytest.mark.parametrize("lesson_id", [SEXTORTION, IMAGE_RIGHTS])
def test_sensitive_lessons_send_a_letter_before_and_after(documents, lesson_id):
    before = render_document(LIBRARY.get(lesson_id), "family-letter-before")
    text = " ".join(page_texts(before))
    assert before.pages == 1
    assert "information préalable" in text and "participera prochainement" in text
    assert "jamais" in text and "3018" in text
    after = documents[lesson_id, "family-letter"]
    assert "a participé" in after and "participera" not in after


def test_the_letter_before_is_offered_only_with_its_content():
    offered = {i for i in LESSONS if "family-letter-before" in LIBRARY.get(i).offered_documents}
    assert {SEXTORTION, IMAGE_RIGHTS} <= offered
    assert all(LIBRARY.get(i).family.before for i in offered)


# -- the wording files are checked like lessons -------------------------------------


@pytest.mark.parametrize("name,broken,expected", [
    ("wording.yaml", ("  images:\n    tu:", "  imagess:\n    tu:"), "help_call"),
    ("guide.yaml", ("  staff:\n    title:", "  equipe:\n    title:"), "protocols : les clés sont generic, intimate-images, parents, staff (il manque : staff ; "
     "inconnues : equipe)"),
    ("wording.yaml", ("quiz_instructions:", "quiz_instruction:"), "quiz_instruction"),
])
def test_a_broken_wording_file_is_reported_at_its_line(tmp_path, monkeypatch, name, broken, expected):
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    target = tmp_path / "assets" / name
    text = target.read_text(encoding="utf-8")
    assert broken[0] in text
    target.write_text(text.replace(broken[0], broken[1]), encoding="utf-8")
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    wording.wording.cache_clear()
    wording.guide_texts.cache_clear()
    try:
        with pytest.raises(AssetError) as raised:
            wording.wording() if name == "wording.yaml" else wording.guide_texts()
    finally:
        wording.wording.cache_clear()
        wording.guide_texts.cache_clear()
    message = str(raised.value)
    assert f"assets/{name}" in message and expected in message
    assert re.search(rf"assets/{re.escape(name)}:\d+", message), message


def test_every_wording_sentence_renders_for_every_lesson():
    from kit.context import make_context
    for lesson_id in LESSONS:
        ctx = make_context(LIBRARY.get(lesson_id))
        for adults in (True, False):
            assert ctx.help_call(adults).endswith("le")
        assert ctx.helps_with()


def LIBRARY_TEXT(lesson_id):  # noqa: N802 - reads like the constant it wraps
    from kit.context import make_context
    return make_context(LIBRARY.get(lesson_id)).text


def test_a_lesson_file_with_a_seeded_overflow_is_named_with_its_line(tmp_path, capsys):
    lesson = (ROOT / "lessons" / f"{CYBER}.yaml").read_text(encoding="utf-8")
    path = tmp_path / f"{CYBER}.yaml"
    path.write_text(lesson.replace(GROUPS, "    groups: {count: 10, prepare: 8, report: 2}\n"),
                    encoding="utf-8")
    load_lesson(path)  # valid for the schema
    assert main(["check", str(path)]) == 0
    err = capsys.readouterr().err
    line = lesson.splitlines().index(GROUPS.rstrip("\n")) + 1
    assert re.search(rf"{CYBER}\.yaml:{line}:\d+: activities\[3\]\.groups: attention :", err), err


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_every_session_ends_on_a_way_to_act_and_the_3018(documents, lesson_id):
    last = LIBRARY.get(lesson_id).activities[-1]
    boards = " ".join(item for board in last.boards for item in board.items)  # on the board too
    assert "{{ helpline.phone }}" in last.instructions + boards
    text = section(guide(documents, lesson_id), "Pas à pas", "Messages clés")
    title = " ".join(LIBRARY_TEXT(lesson_id).plain(last.title).split())
    closing = text.split(f"· {title} (", 1)[1]
    closing = re.split(r"Quiz avant / après : corrigé|Ticket de sortie|Adapter la durée", closing)[0]
    assert "3018" in closing


def test_the_html_edition_carries_the_same_guidance():
    from kit.html import render_html

    def page(lesson_id, doc):
        return " ".join(re.sub(r"<[^>]+>", " ", render_html(LIBRARY.get(lesson_id), doc)).split())

    guide_page = page(SEXTORTION, "guide")
    for expected in ("Si un élève se confie à propos d’une image intime", "227-23", "CRIP",
                     "procureur de la République", "Installation des élèves", "Dans les programmes",
                     "Ticket de sortie", "changez ce prénom"):
        assert expected in guide_page, expected
    worksheet = page(SEXTORTION, "worksheet")
    assert "Les mots de la séance" in worksheet and "Mon ticket de sortie" in worksheet
    assert "On te menace avec une image intime" in worksheet
    assert "information préalable" in page(SEXTORTION, "family-letter-before")
    assert "webcam" not in page("premier-telephone", "poster")
