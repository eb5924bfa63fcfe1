"""The 3018's panels (help boxes, closing slide, poster) are built by one helper, and
every sentence they print that depends on the reader comes from assets/wording.yaml."""
from __future__ import annotations

import pytest

from kit import wording as wording_module
from kit.context import make_context
from kit.documents import help_blocks
from kit.lessons import load_lesson
from kit.pages import layout
from kit.render import render_document

from .conftest import ROOT, page_texts

LESSON = ROOT / "lessons" / "cyberharcelement-temoin-actif.yaml"


@pytest.fixture(scope="module")
def lesson():
    return load_lesson(LESSON)[0]


@pytest.fixture
def wording_with(monkeypatch):
    """assets/wording.yaml as read, with some sentences replaced (for one test)."""
    load = wording_module._load

    def change(**sentences):
        def changed(name, model):
            data = load(name, model)
            return data.model_copy(update=sentences) if name == "wording.yaml" else data
        monkeypatch.setattr(wording_module, "_load", changed)
        wording_module.wording.cache_clear()
    yield change
    wording_module.wording.cache_clear()


def whole(pdf) -> str:
    return " ".join(" ".join(page_texts(pdf)).split())


def test_the_address_form_and_the_operator_line_come_from_the_wording_file(lesson, wording_with):
    audiences = wording_module.Audiences
    wording_with(your_turn=audiences(tu="À ton tour :", vous="À votre tour :"),
                 operated="Une ligne tenue par l'équipe d'essai.")
    slides = whole(render_document(lesson, "slides"))
    assert "À ton tour :" in slides and "À toi :" not in slides
    assert "À ton tour :" in whole(render_document(lesson, "worksheet"))
    for document in ("guide", "poster"):
        text = whole(render_document(lesson, document))
        assert "Une ligne tenue par l’équipe d’essai." in text, document
        assert "Géré par" not in text, document


def test_pupils_read_tu_and_adults_vous_in_the_same_words_as_the_file(lesson, lesson_copy):
    said = wording_module.wording()
    pupils = whole(render_document(lesson, "slides"))
    adults = whole(render_document(load_lesson(lesson_copy([("level: college", "level: parents")]))[0],
                                   "slides"))
    assert said.your_turn.tu in pupils and said.your_turn.vous not in pupils
    assert said.your_turn.vous in adults and said.your_turn.tu not in adults


@pytest.mark.parametrize("document", ["worksheet", "guide", "slides", "poster", "family-letter",
                                      "charter"])
def test_every_qr_code_is_drawn_in_the_one_panel(lesson, document, monkeypatch):
    panels, codes = [], []
    panel, code = help_blocks.qr_panel, help_blocks.qr_code
    monkeypatch.setattr(help_blocks, "qr_panel", lambda *a, **k: panels.append(1) or panel(*a, **k))
    monkeypatch.setattr(help_blocks, "qr_code", lambda *a: codes.append(1) or code(*a))
    render_document(lesson, document)
    assert codes and len(codes) == len(panels)


@pytest.mark.parametrize("language, qr_column", [("fr", 1), ("ar", 0)])
def test_the_qr_code_stands_where_the_lines_end(lesson, language, qr_column):
    """Right of the text in French, left of it in Arabic (read right to left)."""
    ctx = make_context(lesson, language=language)
    ctx.page = layout("a4")
    panel = help_blocks.compact_helpline(ctx, brief=True)._cellvalues[0][0][0]
    title, middle, channels = panel._cellvalues
    assert isinstance(middle[qr_column][0], help_blocks.QrCode)
    assert not isinstance(middle[1 - qr_column], list)  # the words beside it
