"""An association's theme: colours, logo and HTML templates from a folder it names."""
from __future__ import annotations

import io

import pdfplumber
import pytest
from PIL import Image

from kit.errors import AssetError, LessonError, RenderError
from kit.html import render_html
from kit.render import render_document
from kit.theme import load_theme

from .conftest import reader

LESSON = "cyberharcelement-temoin-actif"


def make_theme(folder, styles=None, logo=True, template=None):
    folder.mkdir(exist_ok=True)
    if styles is not None:
        (folder / "styles.yaml").write_text(styles, encoding="utf-8")
    if logo:
        Image.new("RGB", (300, 100), "#c0392b").save(folder / "logo.png")
    if template is not None:
        (folder / "templates" / "html").mkdir(parents=True)
        (folder / "templates" / "html" / "worksheet.html").write_text(template, encoding="utf-8")
    return load_theme(folder)


def title_colour(pdf) -> tuple:
    with pdfplumber.open(io.BytesIO(pdf.data)) as document:
        first = next(c for c in document.pages[0].chars if c["text"] == "C")
        return tuple(round(v, 2) for v in first["non_stroking_color"])


def test_theme_colours_and_logo_reach_the_pdf(tmp_path, library):
    theme = make_theme(tmp_path / "theme", "colors:\n  accent: '#006400'\n")
    lesson = library.get(LESSON)
    themed, plain = render_document(lesson, "guide", theme=theme), render_document(lesson, "guide")
    assert title_colour(themed) == (0.0, 0.39, 0.0)
    assert title_colour(plain) != title_colour(themed)
    pages = reader(themed).pages
    assert len(pages[0].images) == 1 and all(len(p.images) == 0 for p in pages[1:])
    assert not reader(plain).pages[0].images


def test_a_theme_cannot_shrink_the_large_print_edition(tmp_path, library):
    theme = make_theme(tmp_path / "theme", "styles:\n  body: {size: 0.6}\n", logo=False)
    lesson = library.get(LESSON)
    with pdfplumber.open(io.BytesIO(render_document(lesson, "worksheet", edition="large-print",
                                                    theme=theme).data)) as document:
        page = document.pages[0]
        sizes = [round(c["size"]) for c in page.chars if c["bottom"] < page.height * 0.85]
    assert min(sizes) >= 18  # above the footer, nothing under the edition's body size
    with pdfplumber.open(io.BytesIO(render_document(lesson, "worksheet", theme=theme).data)) as document:
        assert min(round(c["size"], 1) for c in document.pages[0].chars) < 7


def test_theme_templates_replace_the_kits_and_stay_sandboxed(tmp_path, library):
    lesson = library.get(LESSON)
    theme = make_theme(tmp_path / "ok", template="<h1>Association Les Pins</h1>{{ lesson.id }}")
    assert render_html(lesson, "worksheet", theme=theme) == f"<h1>Association Les Pins</h1>{LESSON}"
    assert "Association Les Pins" not in render_html(lesson, "guide", theme=theme)
    attack = make_theme(tmp_path / "attack", logo=False,
                        template="{{ lesson.__class__.__init__.__globals__ }}")
    with pytest.raises(RenderError, match=r"attack/templates/html/worksheet\.html:1 : le modèle tente "
                                          "une chose que le bac à sable interdit"):
        render_html(lesson, "worksheet", theme=attack)
    include = make_theme(tmp_path / "include", logo=False,
                         template='{% include "../../../../etc/passwd" %}')
    with pytest.raises(RenderError, match="modèle introuvable : ../../../../etc/passwd"):
        render_html(lesson, "worksheet", theme=include)


@pytest.mark.parametrize("styles,message", [
    ("colors:\n  acent: '#006400'\n", "pas de couleur nommée « acent »"),
    ("colors:\n  accent: green\n", "colors.accent: il faut une couleur écrite comme"),
    ("styles:\n  titre: {size: 2}\n", "pas de style nommé « titre »"),
    ("styles:\n  title: {font: Comic}\n", "font: clé inconnue ; clés possibles ici"),
])
def test_a_bad_theme_stylesheet_names_the_file_line_and_field(tmp_path, styles, message):
    with pytest.raises(LessonError) as caught:
        make_theme(tmp_path / "theme", styles, logo=False)
    problem = caught.value.problems[0]
    assert problem.file.endswith("styles.yaml") and problem.line == 2
    assert message in str(problem)


def test_a_logo_must_be_a_picture_inside_the_theme(tmp_path):
    folder = tmp_path / "theme"
    folder.mkdir()
    (folder / "logo.png").write_text("not a picture")
    with pytest.raises(AssetError, match="ce n'est pas une image PNG ou JPEG"):
        load_theme(folder)
    (folder / "logo.png").unlink()
    secret = tmp_path / "secret.png"
    Image.new("RGB", (10, 10)).save(secret)
    (folder / "logo.png").symlink_to(secret)
    with pytest.raises(AssetError, match="le logo doit être un fichier dans le dossier du thème"):
        load_theme(folder)
