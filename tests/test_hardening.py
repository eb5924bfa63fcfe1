"""Hostile or unlucky files (issue 13): links out of a folder, devices and pipes, huge
or damaged pictures, costly templates, themes that would hide the 3018, impostor
contacts, and the files the kit writes. Each is a one-line error, never a traceback."""
from __future__ import annotations

import io
import os
import struct
import time
import zlib

import pdfplumber
import pytest
from PIL import Image

from kit.api import check
from kit.cli import main
from kit.errors import AssetError, LessonError, OutputError, RenderError
from kit.helpline import load_contacts_profile
from kit.html import render_html
from kit.lessons import load_lesson
from kit.output import write_atomic
from kit.render import render_document
from kit.styles import stylesheet
from kit.theme import load_theme

from .conftest import page_texts, write_lesson

LESSON = "cyberharcelement-temoin-actif"
SECRET = "root:$6$secret-hash:19000:0:99999:7:::"


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "shadow"
    path.write_text(f"{SECRET}\nstyles: {SECRET}\n")
    return path


def theme_folder(tmp_path, name="theme"):
    folder = tmp_path / name
    (folder / "templates" / "html").mkdir(parents=True)
    return folder


# --- 1, 2: files outside their folder, devices, pipes, excerpts ---------------------

def test_theme_templates_never_follow_a_link_out_of_the_theme(tmp_path, library, secret):
    lesson = library.get(LESSON)
    linked_file = theme_folder(tmp_path, "file")
    (linked_file / "templates" / "html" / "worksheet.html").symlink_to(secret)
    linked_folder = theme_folder(tmp_path, "folder")
    (linked_folder / "templates" / "html" / "etc").symlink_to(tmp_path)
    (linked_folder / "templates" / "html" / "worksheet.html").write_text('{% include "etc/shadow" %}')
    for folder in (linked_file, linked_folder):
        with pytest.raises(AssetError, match="c'est un lien vers un fichier hors de son dossier") as caught:
            render_html(lesson, "worksheet", theme=load_theme(folder))
        assert SECRET[:10] not in caught.value.format_message()
    whole = theme_folder(tmp_path, "whole")
    (whole / "templates" / "html").rmdir()
    (whole / "templates" / "html").symlink_to(tmp_path / "file" / "templates" / "html")
    with pytest.raises(AssetError, match="un lien vers un dossier hors du thème"):
        render_html(lesson, "worksheet", theme=load_theme(whole))


def test_a_linked_theme_stylesheet_is_not_read_and_messages_quote_a_short_excerpt(tmp_path, secret):
    folder = theme_folder(tmp_path)
    (folder / "styles.yaml").symlink_to(secret)
    with pytest.raises(LessonError, match="un lien vers un fichier hors de son dossier") as caught:
        load_theme(folder)
    assert SECRET[:10] not in str(caught.value)
    (folder / "styles.yaml").unlink()
    for key in ("x" * 500 + "\\x1b[31m", "x" * 500 + "\x1b[31m"):  # escaped, and raw
        (folder / "styles.yaml").write_text(f'styles:\n  "{key}": {{size: 2}}\n')
        with pytest.raises(LessonError) as caught:
            load_theme(folder)
        message = str(caught.value)
        assert "\x1b" not in message and "x" * 41 not in message and len(message) < 400


def test_a_lesson_file_linked_from_outside_its_folder_is_refused(tmp_path, lesson_copy):
    outside = lesson_copy()
    folder = tmp_path / "mes-lecons"
    folder.mkdir()
    (folder / f"{LESSON}.yaml").symlink_to(outside)
    problems = check([folder])
    assert any("un lien vers un fichier hors de son dossier" in p.message for p in problems), problems


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_contacts_from_a_device_or_a_pipe_are_refused_at_once(tmp_path, capsys, kind):
    path = "/dev/zero"
    if kind == "fifo":
        path = tmp_path / "contacts.yaml"
        os.mkfifo(path)
    start = time.perf_counter()
    with pytest.raises(LessonError, match="ce n'est pas un fichier ordinaire"):
        load_contacts_profile(path)
    assert main(["check", "--contacts", str(path)]) == 1
    assert time.perf_counter() - start < 30
    err = capsys.readouterr().err
    assert "ce n'est pas un fichier ordinaire" in err and "Traceback" not in err


# --- 4: the "made by the kit" guard ---------------------------------------------------

def test_render_never_replaces_a_users_pdf_whatever_its_name(tmp_path, capsys):
    mine = tmp_path / "Mine.PDF"
    mine.write_bytes(b"%PDF-1.4 my own work")
    notes = tmp_path / "Notes.Pdf"  # not even a PDF inside
    notes.write_text("mes notes")
    for target in (mine, notes):
        assert main(["render", LESSON, "-o", str(target)]) == 1
        assert "existe déjà et n'a pas été fait par le kit" in capsys.readouterr().err
    with pytest.raises(OutputError, match="n'a pas été fait par le kit"):  # a PDF over a file of yours
        write_atomic(tmp_path / "notes.txt", b"%PDF-1.4 kit", force=False) if \
            (tmp_path / "notes.txt").write_text("mes notes") else None
    assert mine.read_bytes() == b"%PDF-1.4 my own work" and notes.read_text() == "mes notes"
    assert (tmp_path / "notes.txt").read_text() == "mes notes"
    kit_made = tmp_path / "Kit.PDF"
    assert main(["render", LESSON, "-o", str(kit_made)]) == 0
    assert main(["render", LESSON, "-o", str(kit_made)]) == 0  # the kit's own: replaced
    assert main(["render", LESSON, "-o", str(mine), "--force"]) == 0
    assert "3018" in page_texts(mine.read_bytes())[0]


def test_an_output_name_over_255_bytes_is_a_one_line_error(tmp_path, capsys):
    target = tmp_path / ("é" * 130 + ".pdf")
    assert main(["render", LESSON, "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert "le nom du fichier fait 264 octets ; les systèmes de fichiers en permettent 255" in err
    assert len(err.splitlines()) == 1


def test_writes_replace_a_link_and_never_write_through_it(tmp_path):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("keep me")
    link = tmp_path / "out" / "report.csv"
    link.parent.mkdir()
    link.symlink_to(outside)
    write_atomic(link, b"row;school\r\n", force=True)
    assert outside.read_text() == "keep me" and not link.is_symlink()
    pdf_link = tmp_path / "out" / "x.pdf"
    pdf_link.symlink_to(outside)
    with pytest.raises(OutputError, match="existe déjà et n.a pas été fait par le kit"):
        write_atomic(pdf_link, b"%PDF-1.4")
    assert outside.read_text() == "keep me"


# --- 7, 9: load-time errors are located, bad files skipped ----------------------------

BAD_FILES = {
    "big-number.yaml": "id: big-number\nduration: " + "9" * 5000 + "\n",
    "complex-key.yaml": "id: complex-key\n? [a, b]\n: value\n",
    "no-such-day.yaml": "id: no-such-day\nsources:\n  - consulted: 2026-02-31\n",
}


def test_every_load_time_error_is_located_and_other_commands_skip_the_file(tmp_path, lesson_copy,
                                                                          capsys):
    for name, text in BAD_FILES.items():
        write_lesson(tmp_path, name, text)
    glyph = lesson_copy([('title: "Cyberharcèlement : ne reste pas spectateur"',
                          'title: "Cyberharcèlement \U0001F47E"')], name="glyph.yaml")
    glyph.write_text(glyph.read_text(encoding="utf-8").replace(f"id: {LESSON}", "id: glyph"),
                     encoding="utf-8")
    for name in BAD_FILES:
        with pytest.raises(LessonError) as caught:
            load_lesson(tmp_path / name)
        problem = caught.value.problems[0]
        assert problem.line in (2, 3) and "\n" not in str(problem), str(problem)
    assert main(["render", "droit-a-l-image", "--lessons", str(tmp_path),
                 "-o", str(tmp_path / "x.pdf")]) == 0
    assert "3 autre(s) fichier(s) de séance illisible(s)" in capsys.readouterr().err
    assert main(["list", "--lessons", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert all(name in err for name in BAD_FILES) and "Traceback" not in err
    assert main(["check", str(tmp_path)]) == 1  # and check says where
    err = capsys.readouterr().err
    assert all(f"{name}:" in err for name in BAD_FILES) and "Traceback" not in err
    os.remove(tmp_path / "x.pdf")
    for name in BAD_FILES:
        os.remove(tmp_path / name)
    assert main(["list", "--lessons", str(tmp_path)]) == 0  # a title the fonts lack is listed
    assert main(["render", "glyph", "--lessons", str(tmp_path), "-o", str(tmp_path / "g.pdf")]) == 1
    assert "U+1F47E" in capsys.readouterr().err


# --- 9: pictures and templates --------------------------------------------------------

def _png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims `width` x `height` pixels (a decompression bomb)."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


@pytest.mark.parametrize("content,message", [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "le logo ne peut pas être lu comme une image"),
    (b"\xff\xd8\xff\xe0" + b"garbage" * 50, "le logo ne peut pas être lu comme une image"),
    (_png_claiming(20000, 20000), "le logo a plus de 4000 x 4000 pixels"),
])
def test_a_damaged_or_enormous_logo_is_a_one_line_error(tmp_path, capsys, content, message):
    folder = theme_folder(tmp_path)
    (folder / "logo.png").write_bytes(content)
    with pytest.raises(AssetError, match=message):
        load_theme(folder)
    assert main(["render", LESSON, "--theme", str(folder), "-o", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert message in err and "logo.png" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("template", ['{% include "worksheet.html" %}',
                                      '{% extends "worksheet.html" %}'])
def test_a_template_that_includes_itself_is_a_clean_error(tmp_path, library, template):
    folder = theme_folder(tmp_path)
    (folder / "templates" / "html" / "worksheet.html").write_text(template)
    with pytest.raises(RenderError, match="un modèle s'inclut ou s'étend lui-même"):
        render_html(library.get(LESSON), "worksheet", theme=load_theme(folder))


# --- 10: costly expressions -----------------------------------------------------------

@pytest.mark.parametrize("placeholder", [
    "{{ 'x' * 300000000 }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% for i in range(1000) %}{% for j in range(1000) %}{{ i }}{% endfor %}{% endfor %}",
    "{{ 'x'|center(999999999) }}", "{{ '%999999999s' % 'x' }}", "{{ '{:>999999999}'.format('x') }}",
])
def test_costly_placeholders_are_refused_at_their_field(lesson_copy, placeholder):
    path = lesson_copy([("  - Le harcèlement n'est **jamais** la faute de la victime.",
                         f"  - \"Avant {placeholder} après\"")])
    start = time.perf_counter()
    problems = [p for p in check([path]) if p.severity == "error"]
    assert time.perf_counter() - start < 20
    assert len(problems) == 1 and problems[0].field == "key_messages[1]", problems
    assert "ce champ à remplir en demande trop" in problems[0].message


def test_a_costly_theme_template_is_stopped(tmp_path, library):
    folder = theme_folder(tmp_path)
    (folder / "templates" / "html" / "worksheet.html").write_text(
        "{% for i in range(1000) %}{% for j in range(1000) %}.{% endfor %}{% endfor %}")
    with pytest.raises(RenderError, match=r"worksheet\.html:1 : le modèle en demande trop \(les boucles"):
        render_html(library.get(LESSON), "worksheet", theme=load_theme(folder))


# --- 11: what a theme cannot defeat ---------------------------------------------------

@pytest.mark.parametrize("styles,field", [
    ("colors:\n  ink: '#ffffff'\n", "colors.ink"),
    ("colors:\n  ink: '#b0b0b0'\n", "colors.ink"),
    ("styles:\n  footer: {color: white}\n", "styles.footer.color"),
    ("colors:\n  tint: '#333333'\n", "colors.tint"),
    ("styles:\n  footer: {size: 0.31}\n", "styles.footer.size"),
])
def test_a_theme_cannot_make_the_helpline_unreadable(tmp_path, styles, field):
    folder = theme_folder(tmp_path)
    (folder / "styles.yaml").write_text(styles)
    with pytest.raises(LessonError) as caught:
        load_theme(folder)
    problem = caught.value.problems[0]
    assert problem.field == field and problem.line == 2, str(problem)
    assert ("a un contraste de" in problem.message and "au moins 4,5:1 (WCAG AA)" in problem.message) or \
        "le texte du 3018 n'est jamais plus petit que celui du kit" in problem.message


def test_a_theme_never_shrinks_an_accessible_editions_spacing(tmp_path, library):
    folder = theme_folder(tmp_path)
    (folder / "styles.yaml").write_text(
        "styles:\n  body: {leading: 1.0, space_after: 0}\n  bullet: {leading: 1.0}\n"
        "  h1: {space_before: 0, size: 1.0}\n")
    theme, lesson = load_theme(folder), library.get(LESSON)
    for edition in ("dys", "large-print"):
        assert stylesheet(edition, theme)["body"].leading == stylesheet(edition)["body"].leading
        themed = render_document(lesson, "guide", edition=edition, theme=theme)
        plain = render_document(lesson, "guide", edition=edition)
        assert themed.pages == plain.pages
        with pdfplumber.open(io.BytesIO(themed.data)) as a, pdfplumber.open(io.BytesIO(plain.data)) as b:
            assert [round(c["top"]) for c in a.pages[1].chars] == [round(c["top"]) for c in b.pages[1].chars]
    standard = render_document(lesson, "guide", theme=theme)
    assert standard.pages < render_document(lesson, "guide").pages  # the standard one may be denser


# --- 12, 13: impostor contacts, phone numbers printed by a placeholder -----------------

@pytest.mark.parametrize("contact", [
    "name: Écoute\n    role: écoute (3018)\n    phone: 01 23 45 67 89",
    "name: Appelez le 3018.\n    role: aide\n    phone: 01 23 45 67 89",
    "name: Accueil\n    role: accueil\n    address: 3018 route de Nîmes, 30000 Nîmes",
    "name: Aide\n    role: aide\n    web: https://3018.example.org",
])
def test_a_local_contact_cannot_present_itself_as_the_3018(tmp_path, contact):
    path = write_lesson(tmp_path, "contacts.yaml", f"contacts:\n  - {contact}\n")
    with pytest.raises(LessonError, match="un contact local ne peut pas se présenter comme le 3018"):
        load_contacts_profile(path)


def test_check_reads_phone_numbers_printed_by_a_placeholder(lesson_copy):
    path = lesson_copy([("  - Le harcèlement n'est **jamais** la faute de la victime.",
                         "  - \"Appelle le {{ '06 12 34 56 78' }} ou le {{ helpline.phone }}.\"")])
    problems = [p for p in check([path]) if p.severity == "error"]
    assert [p.field for p in problems] == ["key_messages[1]"], problems
    assert "le numéro 06 12 34 56 78 n'est pas dans assets/contacts.yaml" in problems[0].message


def test_a_dark_theme_colour_passes_the_contrast_rule(tmp_path):
    folder = theme_folder(tmp_path)
    (folder / "styles.yaml").write_text("colors:\n  accent: '#006400'\n  tint: '#f0f7f0'\n")
    assert load_theme(folder).colors == (("accent", "#006400"), ("tint", "#f0f7f0"))
