"""The text pipeline: placeholders in a sandbox, Markdown, French typography, escaping."""
from __future__ import annotations

import pytest

from kit.context import Session, template_names
from kit.helpline import load_helpline
from kit.styles import stylesheet
from kit.text import NBSP, TextError, TextRenderer, french_typography


@pytest.fixture
def renderer():
    names = template_names(load_helpline(), Session(school="Collège *Les Pins*"), (), None)
    return TextRenderer(names, stylesheet().charset)


def test_markup_in_lesson_text_is_escaped_never_interpreted(renderer):
    markup = renderer.inline('Voir <img src="/etc/passwd"/> & <b>ceci</b>')
    assert "<img" not in markup and "<b>ceci" not in markup
    assert "&lt;img src=«" in markup or "&lt;img src=" in markup
    assert "&amp;" in markup


def test_markdown_bold_italic_and_lists(renderer):
    blocks = renderer.blocks("Un **mot** et un *autre*.\n\n- premier\n- second\n\n1. un\n2. deux")
    assert blocks[0].markup == "Un <b>mot</b> et un <i>autre</i>."
    assert [b.kind for b in blocks[1:]] == ["bullet", "bullet", "number", "number"]
    assert blocks[4].number == 2


def test_placeholders_are_filled_and_values_printed_literally(renderer):
    assert renderer.plain("Appelle le {{ helpline.phone }}.") == "Appelle le 3018."
    assert renderer.plain("Au {{ session.school }}") == "Au Collège *Les Pins*"


def test_unknown_placeholder_is_an_error(renderer):
    with pytest.raises(TextError, match=r"champ à remplir inconnu : \{\{ session.ecole \}\}"):
        renderer.blocks("{{ session.ecole }}")


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ helpline.__class__.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os }}",
])
def test_templates_cannot_reach_python_internals(renderer, attack):
    with pytest.raises(TextError):
        renderer.blocks(attack)


def test_unknown_session_detail_prints_a_line_to_write_on(renderer):
    names = template_names(load_helpline(), Session(), (), None)
    assert "____" in TextRenderer(names).plain("Classe : {{ session.class }}")


def test_french_typography():
    text = french_typography('Il a dit "stop" ! Pourquoi ? C\'est ça : 15 000 € ; 9 h', NBSP)
    assert "«" + NBSP + "stop" + NBSP + "»" in text
    assert NBSP + "!" in text and NBSP + "?" in text and NBSP + ":" in text and NBSP + ";" in text
    assert "C’est" in text
    assert "15" + NBSP + "000" + NBSP + "€" in text
    assert "9" + NBSP + "h" in text


def test_addresses_are_not_typeset():
    assert french_typography("https://www.3018.fr/?q=1 ?", NBSP).startswith("https://www.3018.fr/?q=1")


def test_character_the_font_cannot_draw_is_named(renderer):
    with pytest.raises(TextError, match=r"« 😀 » \(U\+1F600\) ne peut pas être imprimé"):
        renderer.blocks("Bravo 😀")
