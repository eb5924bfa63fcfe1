"""Stamping a row's details on a lesson laid out once (`kit batch`): the row's document is
the template followed by a small PDF update, it reads as a full render does, label then
value in one line, and it is a valid PDF; a character the stamp font lacks takes the
slower path with its own font subset, and templates laid out in parallel stamp the same."""
from __future__ import annotations

import datetime as dt
import multiprocessing
import re
from types import SimpleNamespace

import pytest

from kit.batch import stamp
from kit.batch.plan import lesson_hash
from kit.render import render_document
from kit.session import Session

from .conftest import assert_clean_pdf, page_texts, reader

LESSON = "cyberharcelement-temoin-actif"
ROW = Session(school="Collège (Les) Genêts \\ Œuvre", city="Nîmes", class_name="5e B",
              date=dt.date(2027, 11, 9), facilitator="Mme Faÿ", referent="M. Roux", students=27)


def template(library, document: str, session: Session = ROW):
    lesson = library.get(LESSON)
    made = stamp.template(lesson_hash(lesson), lesson, document, "standard",
                          stamp.present_fields(session))
    assert made is not None and made.base is not None
    return made


def test_a_row_is_the_template_and_an_update_that_reads_like_a_full_render(library):
    letter = template(library, "family-letter")
    data = letter.stamp(ROW)
    assert data.startswith(letter.base.data)  # nothing of the laid-out document rewritten
    update = data[len(letter.base.data):]
    assert b"/Prev " in update and update.endswith(b"%%EOF\n")
    assert letter.stamp(ROW) == data  # same row, same bytes
    first = reader(data).pages[0]
    assert "/KitStamp" in first["/Resources"]["/Font"]
    text = assert_clean_pdf(SimpleNamespace(data=data))[0]  # qpdf --check included
    assert "Établissement : Collège (Les) Genêts \\ Œuvre" in text  # escaped, read in its line
    assert "Classe : 5e B" in text and "Animée par : Mme Faÿ" in text
    assert "mardi 9 novembre 2027" in text and "M. Roux" in text
    runs = {len(run) for run in re.findall("_+", text)}  # the form's own lines stay
    assert not runs & {stamp.MARKER_BASE + stamp.FIELDS.index(f) for f in stamp.present_fields(ROW)}


def test_a_stamped_worksheet_reads_as_the_worksheet_laid_out_for_the_row(library):
    worksheet = template(library, "worksheet")
    full = render_document(library.get(LESSON), "worksheet", session=ROW)
    assert page_texts(worksheet.stamp(ROW)) == page_texts(full)


def test_a_letter_the_stamp_font_lacks_gets_a_subset_of_its_own(library):
    letter = template(library, "family-letter")
    codes, _ = stamp.repertoire_font(letter.ctx.styles.face())
    assert "Ğ" not in codes  # Latin Extended-A: the body font has it, the stamp font not
    row = Session(**{**ROW.__dict__, "school": "Lycée Atatürk-Ğazi"})
    data = letter.stamp(row)
    assert not data.startswith(letter.base.data)  # written again, with the value's own subset
    text = assert_clean_pdf(SimpleNamespace(data=data))[0]
    assert "Établissement : Lycée Atatürk-Ğazi" in text


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_templates_laid_out_on_two_processes_stamp_the_same_bytes(library, monkeypatch):
    lesson = library.get(LESSON)
    wanted = [(lesson_hash(lesson), lesson, document, "standard", stamp.present_fields(ROW))
              for document in ("worksheet", "family-letter")]
    monkeypatch.setattr(stamp, "_TEMPLATES", {})
    stamp.prepare(wanted, workers=2, context=multiprocessing.get_context("fork"))
    parallel = [stamp.template(*w).stamp(ROW) for w in wanted]
    monkeypatch.setattr(stamp, "_TEMPLATES", {})
    monkeypatch.setenv("KIT_CACHE_DIR", "")  # laid out again here, not read from the cache
    assert [stamp.template(*w).stamp(ROW) for w in wanted] == parallel


def test_a_template_is_kept_for_the_next_run_until_what_it_is_made_from_changes(
        library, monkeypatch, tmp_path):
    monkeypatch.setenv("KIT_CACHE_DIR", str(tmp_path / "cache"))
    lesson = library.get(LESSON)
    wanted = (lesson_hash(lesson), lesson, "family-letter", "standard", stamp.present_fields(ROW))
    laid_out = []
    make = stamp._make_template
    monkeypatch.setattr(stamp, "_make_template", lambda *a: laid_out.append(a[1]) or make(*a))
    monkeypatch.setattr(stamp, "_TEMPLATES", {})
    first = stamp.template(*wanted).stamp(ROW)
    monkeypatch.setattr(stamp, "_TEMPLATES", {})  # as in a new run
    stamp.prepare([wanted], workers=2)
    assert stamp.template(*wanted).stamp(ROW) == first and laid_out == ["family-letter"]
    monkeypatch.setattr("kit.batch.plan.assets_digest", lambda: "a new helpline.yaml")
    stamp._environment.cache_clear()
    monkeypatch.setattr(stamp, "_TEMPLATES", {})
    assert stamp.template(*wanted).stamp(ROW) == first  # the same assets really: same bytes
    assert laid_out == ["family-letter"] * 2
    stamp._environment.cache_clear()
