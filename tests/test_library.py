"""Every bundled lesson, rendered and read back: the 3018 on every page, its title,
answers in the guide only, nothing left unfilled."""
from __future__ import annotations

import pytest

from kit.context import make_context
from kit.lessons import load_library
from kit.render import render_document

from .conftest import assert_clean_pdf, page_texts

LESSONS = sorted(load_library().lessons)


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=LESSONS)
def rendered(request, library):
    lesson = library.get(request.param)
    pdfs = {doc: render_document(lesson, doc) for doc in ("worksheet", "guide")}
    return lesson, make_context(lesson).text, {doc: page_texts(pdf) for doc, pdf in pdfs.items()}, pdfs


def test_every_page_has_the_3018_and_nothing_unfilled(rendered):
    for pdf in rendered[3].values():
        assert_clean_pdf(pdf)


def test_title_on_the_first_page(rendered):
    lesson, text, texts, _ = rendered
    title = squeeze(text.plain(lesson.title))
    assert title in texts["worksheet"][0] and title in texts["guide"][0]


def test_expected_answers_in_the_guide_only(rendered):
    lesson, text, texts, _ = rendered
    worksheet, guide = " ".join(texts["worksheet"]), " ".join(texts["guide"])
    questions = [q for a in lesson.activities if a.student for q in a.student.questions]
    assert questions or lesson.scenarios, "a lesson gives students something to do"
    assert "Réponse attendue" in guide and "Réponse attendue" not in worksheet
    # An explanation may repeat a key message, which students rightly see.
    for_students = " ".join(squeeze(text.plain(m)) for m in lesson.key_messages)
    for question in questions:
        if question.explanation:
            explanation = squeeze(text.plain(question.explanation))[:60]
            assert explanation in guide
            assert explanation in for_students or explanation not in worksheet
    for scenario in lesson.scenarios:
        if scenario.discussion:
            discussion = squeeze(text.plain(scenario.discussion))[:60]
            assert discussion in guide
            assert discussion in for_students or discussion not in worksheet


def test_guide_ends_with_help_and_the_disclosure_protocol(rendered):
    lesson, text, texts, _ = rendered
    guide = " ".join(texts["guide"])
    from kit.wording import guide_texts
    protocol = guide_texts().protocols[lesson.disclosure_protocol]
    assert squeeze(text.plain(protocol.title)) in guide
    assert "Après une révélation, ce que fait l’établissement" in guide
    assert "119" in guide and "Sources" in guide
