"""Reading district rosters as spreadsheets save them, and naming folders safely (no PDFs here)."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from kit.batch.report import neutralise
from kit.batch.roster import parse_date, read_roster
from kit.batch.slugs import MAX_LENGTH, Slugger, slug
from kit.errors import RosterError

HEADER = ["Établissement", "Ville", "Classe", "Séance", "Date", "Intervenant", "Effectif"]
ROWS = [["Collège Les Genêts", "Nîmes", "5e B", "cyberharcelement-temoin-actif", "09/11/2027",
         "Mme Faÿ", "27"],
        ["École Jules Ferry", "Arles", "CM2", "cyberharcelement-temoin-actif", "2027-11-10", "", ""]]


def write_csv(path, rows, delimiter=";", encoding="utf-8"):
    lines = [delimiter.join(r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.mark.parametrize("delimiter,encoding", [(";", "utf-8-sig"), (",", "utf-8"),
                                                ("\t", "cp1252"), (";", "cp1252")])
def test_csv_in_each_encoding_and_delimiter(tmp_path, delimiter, encoding):
    roster = read_roster(write_csv(tmp_path / "r.csv", [HEADER, *ROWS], delimiter, encoding))
    first, second = roster.rows
    assert (first.number, second.number) == (2, 3)
    assert first.session.school == "Collège Les Genêts" and first.session.city == "Nîmes"
    assert first.session.facilitator == "Mme Faÿ" and first.session.students == 27
    assert first.session.date == dt.date(2027, 11, 9) and second.session.date == dt.date(2027, 11, 10)
    assert second.session.facilitator is None and not first.errors and not second.errors


def test_xlsx_with_date_cells_numbers_and_english_headers(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["  SCHOOL ", "class", "Lesson", "date", "Students", "Time", "Notes"])
    sheet.append(["Lycée Colbert", "2nde 3", "cyberharcelement-temoin-actif",
                  dt.datetime(2027, 11, 9), 31, dt.time(14, 0), "x"])
    sheet.append(["Lycée Colbert", "2nde 4", "cyberharcelement-temoin-actif", "10/11/27", 30.0,
                  "10h", None])
    book.save(tmp_path / "r.xlsx")
    roster = read_roster(tmp_path / "r.xlsx")
    first, second = roster.rows
    assert first.session.date == dt.date(2027, 11, 9) and first.session.students == 31
    assert first.session.time == "14 h 00" and second.session.time == "10h"
    assert second.session.date == dt.date(2027, 11, 10) and second.session.students == 30
    assert roster.warnings == ["r.xlsx : ligne 1 : colonne inconnue « Notes », ignorée"]


def test_each_kind_of_bad_row_is_reported_with_its_spreadsheet_row(tmp_path):
    rows = [HEADER,
            ["", "Nîmes", "5e A", "cyberharcelement-temoin-actif", "", "", ""],
            ["Collège A", "", "", "cyberharcelement-temoin-actif", "", "", ""],
            ["Collège A", "", "5e C", "cyberharcelement-temoin-actif", "31/02/2027", "", ""],
            ["Collège A", "", "5e D", "cyberharcelement-temoin-actif", "", "", "vingt"],
            ["Collège A", "", "5e E", "cyberharcelement-temoin-actif", "", "", "27,5"],
            ["Collège A", "", "5e F", "cyberharcelement-temoin-actif", "demain", "", ""],
            ["", "", "", "", "", "", ""],
            ["Collège A", "", "5e G", "cyberharcelement-temoin-actif", "", "", ""],
            ["Collège A", "", "5e G", "cyberharcelement-temoin-actif", "", "", ""]]
    roster = read_roster(write_csv(tmp_path / "r.csv", rows))
    errors = {r.number: r.errors for r in roster.rows}
    assert errors == {
        2: ["case « établissement » vide ; remplissez-la"],
        3: ["case « classe » vide ; remplissez-la"],
        4: ["la date « 31/02/2027 » n'existe pas ; vérifiez le jour et le mois"],
        5: ["l'effectif « vingt » n'est pas un nombre entier d'élèves"],
        6: ["l'effectif « 27,5 » n'est pas un nombre entier d'élèves"],
        7: ["« demain » n'est pas une date ; écrivez-la 07/11/2027 ou 2027-11-07"],
        9: [],
        10: ["copie exacte de la ligne 9 ; supprimez l'une des deux"]}


@pytest.mark.parametrize("content,message", [
    (None, "pas de tableau à ce nom"),
    (b"", "le tableau est vide"),
    (b"\xef\xbb\xbfEcole;Ville;Date\r\nA;B;C\r\n", "ligne 1 : pas de colonne classe, séance (trouvé : 'Ecole', 'Ville', 'Date')"),
])
def test_unreadable_roster_is_one_error_with_exit_code_2(tmp_path, content, message):
    path = tmp_path / "r.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(RosterError) as error:
        read_roster(path)
    assert message in error.value.format_message() and error.value.exit_code == 2


def test_a_file_that_is_not_xlsx_is_unreadable(tmp_path):
    (tmp_path / "r.xlsx").write_text("not a workbook")
    with pytest.raises(RosterError, match="classeur .xlsx illisible"):
        read_roster(tmp_path / "r.xlsx")


@pytest.mark.parametrize("text,day", [("7/11/2027", dt.date(2027, 11, 7)),
                                      ("07/11/27", dt.date(2027, 11, 7)),
                                      ("2027-11-07", dt.date(2027, 11, 7)),
                                      ("29/02/2028", dt.date(2028, 2, 29))])
def test_dates(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("cell,expected", [
    ("../../etc", "etc"), ("/abs/path", "abs-path"), ("CON", "con-x"), ("nul", "nul-x"),
    ("Lycée\x00\x1f\n\tVictor-Hugo", "lycee-victor-hugo"), ("..", "sans-nom"),
    ("C:\\Windows", "c-windows"), ("Œuvre école", "oeuvre-ecole")])
def test_slugs_cannot_escape_or_name_a_device(cell, expected):
    assert slug(cell) == expected


def test_slugs_are_short_and_unique_in_roster_order():
    assert len(slug("é" * 500)) == MAX_LENGTH
    names = Slugger()
    assert [names.get((), n) for n in ("Collège Saint-Exupéry", "College Saint Exupery",
                                       "COLLÈGE SAINT EXUPÉRY", "Collège Saint-Exupéry")] == \
        ["college-saint-exupery", "college-saint-exupery-2", "college-saint-exupery-3",
         "college-saint-exupery"]
    long = "x" * 80
    assert names.get((), long) == "x" * 60 and names.get((), long + "y") == "x" * 58 + "-2"


@pytest.mark.parametrize("cell,shown", [("=1+1", "'=1+1"), ("+33 1", "'+33 1"), ("-2", "'-2"),
                                        ("@SUM(A1)", "'@SUM(A1)"), ("5e B", "5e B")])
def test_report_cells_cannot_run_formulas(cell, shown):
    assert neutralise(cell) == shown


def test_xlsx_row_with_an_empty_first_cell_is_reported_not_dropped(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Établissement", "Classe", "Séance"])
    sheet.append(["Collège A", "5e A", "cyberharcelement-temoin-actif"])
    sheet.append([None, "5e B", "cyberharcelement-temoin-actif"])  # the school left empty
    sheet.append([None, None, None])                                # a blank line: ignored
    sheet.append(["Collège A", "5e C", "cyberharcelement-temoin-actif"])
    book.save(tmp_path / "r.xlsx")
    rows = read_roster(tmp_path / "r.xlsx").rows
    assert [r.number for r in rows] == [2, 3, 5]
    assert rows[1].errors == ["case « établissement » vide ; remplissez-la"]


@pytest.mark.parametrize("typed,stored", [("l'image", "l’image"), ("Le cœur", "le coeur"),
                                          ("« Stop » — non", '"stop" - NON')])
def test_titles_match_however_quotes_and_ligatures_are_typed(typed, stored):
    from kit.batch.roster import normalise
    assert normalise(typed) == normalise(stored)
