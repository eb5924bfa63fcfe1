"""`kit check` catches what a reviewer would: stale or hand-written facts, old sources."""
from __future__ import annotations

import pytest

from kit.cli import main

KEY_MESSAGE = "  - Le harcèlement n'est **jamais** la faute de la victime.\n"


@pytest.mark.parametrize("written,expected", [
    ("Appelle le 3018 si besoin.", "le numéro du 3018 est écrit à la main ; écrivez {{ helpline.phone }}"),
    ("Le {{ helpline.phone }} répond de 9 h à 20 h.",
     "« 9 h à 20 h » ressemble aux horaires du 3018 écrits à la main ; écrivez {{ helpline.hours }}"),
    ("Le {{ helpline.phone }} répond 7j/7.", "écrivez {{ helpline.days }}"),
    ("Va sur 3018.fr pour le tchat.", "l'adresse web du 3018 est écrite à la main"),
    ("Le tchat est sur https://www.3018.fr/tchat.", "l'adresse web du 3018 est écrite à la main"),
    ("Appelez le 0800 200 000, le numéro Net Écoute.",
     "le numéro 0800 200 000 n'est pas dans assets/contacts.yaml"),
    ("Composez le 3020 pour le harcèlement scolaire.", "le numéro 3020 n'est pas dans assets/contacts.yaml"),
])
def test_hand_written_or_unknown_facts_are_errors(lesson_copy, capsys, written, expected):
    path = lesson_copy([(KEY_MESSAGE, f"  - {written}\n")])
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert expected in err
    assert "key_messages[1]" in err and f"{path.name}:" in err


@pytest.mark.parametrize("written", [
    "Appelle le {{ helpline.phone }}, {{ helpline.days }}, {{ helpline.hours }}.",
    "En cas de danger, appelle le 17 ou le 119 ; le 114 par SMS.",
    "Voir https://www.cnil.fr/fr/education?page=2 pour les fiches de la CNIL.",
    "Article 222-33-2-2 du Code pénal : 2 ans et 30 000 €.",
])
def test_placeholders_known_numbers_and_law_articles_pass(lesson_copy, capsys, written):
    path = lesson_copy([(KEY_MESSAGE, f"  - \"{written}\"\n")])
    assert main(["check", str(path)]) == 0, capsys.readouterr().err


def test_a_local_contacts_profile_makes_its_numbers_known(tmp_path, lesson_copy, capsys):
    profile = tmp_path / "contacts.yaml"
    profile.write_text('contacts:\n  - name: Infirmerie\n    role: infirmière scolaire\n'
                       '    phone: "01 23 45 67 89"\n', encoding="utf-8")
    path = lesson_copy([(KEY_MESSAGE, "  - Appelle l'infirmerie au 01 23 45 67 89.\n")])
    assert main(["check", str(path)]) == 1
    assert main(["check", str(path), "--contacts", str(profile)]) == 0


def test_all_sources_older_than_the_limit_is_a_warning(lesson_copy, capsys):
    path = lesson_copy([("consulted: 2026-11-01", "consulted: 2015-03-01"),
                        ("consulted: 2026-11-30", "consulted: 2015-03-01")])
    assert main(["check", str(path)]) == 0
    err = capsys.readouterr().err
    assert "sources: attention : toutes les sources ont été consultées avant le" in err
    assert main(["check", str(path), "--max-source-age", "20"]) == 0
    assert "attention" not in capsys.readouterr().err


def test_a_source_without_address_is_an_error(lesson_copy, capsys):
    path = lesson_copy([("    address: https://www.3018.fr\n", "")])
    assert main(["check", str(path)]) == 1
    assert "sources[1].address: obligatoire : ajoutez cette clé" in capsys.readouterr().err


def test_readme_library_table_is_the_kit_list_output(library):
    from kit.api import lesson_rows, markdown_table

    from .conftest import ROOT
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- library:start -->\n")[1].split("\n<!-- library:end -->")[0]
    assert table == markdown_table(lesson_rows(library))
    assert {r["level"] for r in lesson_rows(library)} == {"cycle3", "college", "lycee", "parents", "staff"}
    assert len(library.lessons) >= 12


def test_source_age_is_counted_from_29_february_too(lesson_copy):
    import datetime as dt

    from kit.check import check_content
    from kit.lessons import load_lesson
    leap_day = dt.date(2028, 2, 29)  # five years before it is 28 February 2023
    for consulted, warned in (("2023-02-28", False), ("2023-02-27", True)):
        lesson, origin = load_lesson(lesson_copy([("consulted: 2026-11-01", f"consulted: {consulted}"),
                                                  ("consulted: 2026-11-30", f"consulted: {consulted}")]))
        warnings = [p.message for p in check_content(lesson, origin, today=leap_day)
                    if p.severity == "warning"]
        assert bool(warnings) is warned
        assert not warned or "consultées avant le 2023-02-28" in warnings[0]
