"""The 3018's details: one file, checked, and a warning when they grow old."""
from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

from kit import catalogue
from kit.helpline import load_helpline, stale_warning
from kit.lessons import Library, load_lesson

ROOT = Path(__file__).resolve().parent.parent


def test_helpline_file_has_every_detail_with_its_check_date_and_source():
    helpline = load_helpline()
    assert helpline.phone == "3018" and helpline.operator == "Association e-Enfance"
    assert helpline.promises == ["gratuit", "anonyme", "confidentiel"]
    assert {c.kind for c in helpline.channels} >= {"phone", "chat", "app"}
    assert helpline.web.startswith("https://") and helpline.source.address.startswith("https://")
    assert isinstance(helpline.checked, dt.date)


def test_the_helpline_hours_are_written_in_one_place_only():
    hours = load_helpline().hours
    holders = [p for p in [*ROOT.glob("kit/**/*.py"), *ROOT.glob("assets/**/*"),
                           *ROOT.glob("lessons/*.yaml")]
               if p.is_file() and hours in p.read_text(encoding="utf-8", errors="ignore")]
    assert [p.relative_to(ROOT).as_posix() for p in holders] == ["assets/helpline.yaml"]
    code = "".join(p.read_text(encoding="utf-8") for p in ROOT.glob("kit/**/*.py"))
    assert not re.search(r"\b9 ?h\b|\b23 ?h\b", code)


def test_stale_check_date_warns_after_twelve_months():
    helpline = load_helpline()
    assert stale_warning(helpline, helpline.checked + dt.timedelta(days=365)) is None
    warning = stale_warning(helpline, helpline.checked + dt.timedelta(days=400))
    assert "(il y a 400 jours)" in warning and helpline.source.address in warning


def test_build_warns_when_the_helpline_details_are_old(tmp_path, monkeypatch, caplog):
    old = load_helpline().model_copy(update={"checked": dt.date(2020, 1, 1)})
    monkeypatch.setattr(catalogue, "load_helpline", lambda: old)
    lesson, origin = load_lesson(ROOT / "lessons/cyberharcelement-temoin-actif.yaml")
    library = Library({lesson.id: lesson}, {lesson.id: origin})
    with caplog.at_level(logging.WARNING, logger="kit"):
        built = catalogue.build(library, tmp_path, documents=("worksheet",), editions=("standard",))
    assert len(built) == 1
    assert "les coordonnées du 3018 ont été vérifiées le 2020-01-01" in caplog.text
