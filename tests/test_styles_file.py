"""assets/styles.yaml is validated like a lesson: a typo is an error at its line, with a hint."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kit import paths, styledata, styles
from kit.cli import main
from kit.errors import LessonError
from kit.styledata import load_sheet

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def sheet_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (ASSETS / "styles.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "styles.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)


@pytest.mark.parametrize("old, new, needle, message", [
    ("  body:        {size: 1.0,", "  body:        {sise: 1.0,", "sise",
     "clé inconnue ; vouliez-vous dire « size » ?"),
    ("{parent: body, size: 0.85, color: muted}", "{parent: body, size: 0.85, color: mutted}",
     "mutted", "pas de couleur nommée « mutted » ; vouliez-vous dire « muted » ?"),
    ("  label:       {parent: body,", "  label:       {parent: bdy,", "bdy",
     "pas de style nommé « bdy » ; vouliez-vous dire « body » ?"),
    ("    font: hyperlegible", "    font: hyperlegibel", "hyperlegibel",
     "pas de police nommée « hyperlegibel » ; vouliez-vous dire « hyperlegible » ?"),
    ('  accent: "#1b3f73"', '  accent: "1b3f73"', "1b3f73",
     'il faut une couleur écrite comme "#006400", et non « 1b3f73 »'),
])
def test_a_typo_in_the_stylesheet_is_an_error_at_its_line(tmp_path, old, new, needle, message):
    path = sheet_with(tmp_path, old, new)
    with pytest.raises(LessonError) as raised:
        load_sheet(path)
    text = str(raised.value)
    assert f"styles.yaml:{line_of(path, needle)}:" in text
    assert message in text


def test_the_shipped_stylesheet_is_valid():
    assert set(load_sheet(ASSETS / "styles.yaml")["editions"]) == {"standard", "dys", "large-print"}


def test_kit_render_says_where_the_stylesheet_is_wrong(tmp_path, monkeypatch, capsys):
    home = tmp_path / "kit"
    shutil.copytree(ASSETS, home / "assets")
    sheet_with(home / "assets", "  body:        {size: 1.0,", "  body:        {sise: 1.0,")
    monkeypatch.setattr(paths, "ROOT", home)
    monkeypatch.setattr(paths, "bundled_lessons", lambda: ASSETS.parent / "lessons")
    caches = (styledata.sheet, styledata.edition_charset, styles.stylesheet)
    for cache in caches:
        cache.cache_clear()
    try:
        code = main(["render", "premier-telephone", "-o", str(tmp_path / "fiche.pdf")])
    finally:
        for cache in caches:
            cache.cache_clear()
    err = capsys.readouterr().err
    assert code == 1, err
    assert "styles.yaml:" in err and "clé inconnue ; vouliez-vous dire « size » ?" in err
    assert "interne" not in err and "Traceback" not in err
    assert not (tmp_path / "fiche.pdf").exists()


def test_the_fonts_characters_are_read_as_reportlab_reads_them():
    from reportlab.pdfbase import pdfmetrics
    from kit.fonts import characters
    for edition in ("standard", "dys"):
        sheet = styles.stylesheet(edition)
        files = styledata.font_files(styledata.sheet()["editions"][edition]["font"])
        for face in ("regular", "bold"):
            drawn = set(pdfmetrics.getFont(sheet.face(face == "bold")).face.charToGlyph)
            assert characters(files[face]) == drawn - {0xFFFF}  # U+FFFF is no character


def test_a_paragraph_wrapped_again_at_the_same_width_breaks_the_same_lines():
    from reportlab.platypus import paragraph
    from kit.flowables import Paragraph
    text = "Le 3018 écoute et aide, gratuitement. " * 12
    style = styles.stylesheet("standard")["body"]
    ours, theirs = Paragraph(text, style), paragraph.Paragraph(text, style)
    assert ours.wrap(200, 500) == theirs.wrap(200, 500)
    lines = [line[1] for line in ours.blPara.lines]
    assert ours.wrap(300, 500) == theirs.wrap(300, 500) != ours.wrap(200, 800)
    assert [line[1] for line in ours.blPara.lines] == lines  # back to the 200-point lines
    assert ours.wrap(200, 800) == ours.wrap(200, 40) == theirs.wrap(200, 40)  # remembered
    assert [p.wrap(200, 800) for p in ours.split(200, 40)] == [
        p.wrap(200, 800) for p in theirs.split(200, 40)]
