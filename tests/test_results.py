"""kit results: a district's quiz results sheets become class and district reports.

The district test makes a held-out file of a few hundred classes with a handful of bad
rows, computes the figures itself (not with kit.results), and reads them back from the
report's PDF as a reader would."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from collections import Counter, defaultdict

import pytest

from kit.cli import main
from kit.lessons import load_library
from kit.session import plain_title

from .conftest import A4, assert_clean_pdf, page_texts, reader

HEADER = ["Établissement", "Classe", "Date", "Séance", "Question", "Intitulé", "Justes avant",
          "Justes après", "Élèves ayant répondu"]
LIBRARY = load_library()
QUIZ_LESSONS = [l for l in LIBRARY.sorted() if "quiz" in l.offered_documents]


def held_out(seed: int, classes: int):
    """Rows of `classes` classes (some with fewer than 5 pupils) and the bad rows' cells."""
    rnd = random.Random(seed)
    schools = [f"Collège {name}" for name in ("Les Genêts", "Jean Moulin", "Camus", "Pasteur",
                                              "Curie", "Rabelais", "Brassens")]
    rows = []
    for number in range(classes):
        lesson = rnd.choice(QUIZ_LESSONS)
        pupils = rnd.choice([2, 4] + list(range(15, 31)))
        date = dt.date(2027, rnd.randint(9, 12), rnd.randint(1, 28))
        school, name = rnd.choice(schools), f"{rnd.choice(['6e', '5e', '4e', '3e'])} {number}"
        for question in range(1, len(lesson.quiz) + 1):
            before = rnd.randint(0, pupils)
            rows.append([school, name, f"{date:%d/%m/%Y}", lesson.id, question, "", before,
                         rnd.randint(before // 2, pupils), pupils])
    bad = [["Collège Camus", "5e Z", "09/11/2027", "cyberharcelement-temoin-actif", 9, "", 3, 4, 20],
           ["Collège Camus", "5e Z", "09/11/2027", "cyberharcelement-temoin-actif", 1, "", 25, 4, 20],
           ["Collège Camus", "5e Z", "09/11/2027", "cyberharcelement-temoin-actif", 2, "", -1, 4, 20],
           ["Collège Camus", "5e Z", "09/11/2027", "cyberharcelement-temoin-actif", 3, "", "dix", 4, 20],
           ["Collège Camus", "5e Z", "09/11/2027", "seance-inconnue", 1, "", 3, 4, 20]]
    return rows, bad


def write_sheet(path, rows, bad, positions):
    """The rows with the bad ones put at `positions` (0-based among data rows); returns the
    spreadsheet row number of each bad row (the header is row 1)."""
    rows = list(rows)
    numbers = []
    for position, row in sorted(zip(positions, bad)):
        rows.insert(position, row)
    for position in sorted(positions):
        numbers.append(position + 2)
    with open(path, "w", newline="", encoding="cp1252", errors="strict") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return numbers


def expected(rows):
    """The district's figures, computed here from the rows (the good ones)."""
    classes = defaultdict(list)
    for row in rows:
        classes[(row[0], row[1], row[3], row[2])].append(row)
    per_school, lessons, questions = Counter(), defaultdict(lambda: [0, 0, 0, 0, 0]), defaultdict(lambda: [0, 0, 0])
    for (school, _, lesson, _), found in classes.items():
        per_school[school] += 1
        pupils = max(r[8] for r in found)
        entry = lessons[lesson]
        entry[0] += 1
        if pupils < 5:
            entry[1] += 1
            continue
        for r in found:
            entry[2] += r[6]
            entry[3] += r[7]
            entry[4] += r[8]
            q = questions[(lesson, r[4])]
            q[0] += r[8] - r[7]
            q[1] += r[8]
            q[2] += r[6]
    return per_school, lessons, questions


def pct(part, whole):
    return f"{round(100 * part / whole)} %"


def pts(change):
    value = round(change)
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{abs(value)} point{'s' if abs(value) > 1 else ''}"


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    folder = tmp_path_factory.mktemp("district")
    rows, bad = held_out(2027, 300)
    numbers = write_sheet(folder / "resultats.csv", rows, bad, [5, 400, 401, 900, 1200])
    report = folder / "report.csv"
    report.write_text("ligne;établissement;classe;séance;statut;message;fichiers\r\n"
                      "2;Collège Les Genêts;5e 0;droit-a-l-image;ok;;\r\n"
                      "3;Collège Voltaire;4e A;droit-a-l-image;ok;;\r\n"
                      "4;Collège Voltaire;4e B;droit-a-l-image;erreur;;\r\n", encoding="utf-8-sig")
    return folder, rows, numbers


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_district_report_prints_the_figures_computed_from_the_same_file(district, capsys):
    folder, rows, numbers = district
    code, out, err = run(capsys, "results", folder / "resultats.csv", "--out", folder / "out",
                         "--batch-report", folder / "report.csv")
    assert code == 1, err  # bad rows: reported, the others counted
    for number in numbers:
        assert f"resultats.csv:{number}:" in err, err
    assert "pas de question 9" in err and "plus de bonnes réponses que d'élèves" in err
    assert "est négatif" in err and "« dix »" in err and "seance-inconnue" in err
    assert f"{len(rows)} ligne(s) comptée(s) pour 300 classe(s) ; 5 ligne(s) en erreur" in err
    pdf = folder / "out" / "district.pdf"
    texts = assert_clean_pdf(pdf)
    whole = " ".join(texts)
    per_school, lessons, questions = expected(rows)
    made = {(r[0], r[1], r[3]) for r in rows}  # 4e B's packet failed: not planned
    planned = Counter(s for s, c, l in [("Collège Les Genêts", "5e 0", "droit-a-l-image"),
                                        ("Collège Voltaire", "4e A", "droit-a-l-image")]
                      if (s, c, l) not in made)
    for school, count in per_school.items():
        assert f"{school} {count} {planned.get(school, 0)}" in whole, school
    assert "Collège Voltaire 0 1" in whole
    for lesson_id, (classes, small, before, after, answered) in lessons.items():
        title = " ".join(plain_title(LIBRARY.get(lesson_id)).split())
        line = (f"{title} {classes} (dont {small} de moins de 5) {pct(before, answered)} "
                f"({before}/{answered}) {pct(after, answered)} ({after}/{answered}) "
                f"{pts(100 * (after - before) / answered)}")
        assert line in whole, line
    ranked = sorted(questions.items(), key=lambda kv: (-kv[1][0] / kv[1][1], -kv[1][0], kv[0]))
    for rank, ((lesson_id, number), (missed, answered, _)) in enumerate(ranked[:10], 1):
        title = " ".join(plain_title(LIBRARY.get(lesson_id)).split())
        assert f"{rank} {title} – question {number}" in whole, (rank, lesson_id, number)
        assert f"{pct(missed, answered)} ({missed}/{answered})" in whole
    first = texts[0]  # the one-page summary
    assert "Synthèse" in first and "300 séance(s) avec résultats" in first
    assert f"{sum(planned.values())} classe(s) prévue(s) sans résultats" in first
    info = reader(pdf)
    assert all((float(p.mediabox.width), float(p.mediabox.height)) == pytest.approx(A4, abs=0.1)
               for p in info.pages)
    assert info.metadata.title.startswith("Résultats des quiz")


def test_district_aggregates_as_csv_json_and_an_accessible_page(district, capsys):
    folder, rows, _ = district
    out = folder / "out"
    data = json.loads((out / "district.json").read_text(encoding="utf-8"))
    per_school, lessons, _ = expected(rows)
    assert data["sessions"] == 300 and data["by_school"]["Collège Camus"] == per_school["Collège Camus"]
    assert {l["lesson"]: l["classes"] for l in data["lessons"]} == {k: v[0] for k, v in lessons.items()}
    classes = list(csv.reader((out / "district-classes.csv").read_text(encoding="utf-8-sig").splitlines(),
                              delimiter=";"))
    assert len(classes) == 301 and classes[0][0] == "établissement"
    page = (out / "district.html").read_text(encoding="utf-8")
    assert page.count("<img src=\"data:image/svg+xml;base64,") == 4  # three charts and the QR code
    assert 'alt="Part de bonnes réponses avant et après, par séance : ' in page
    assert "<caption>" in page and "<th scope=\"col\">" in page and 'href="tel:3018"' in page


def test_a_class_report_for_one_class(tmp_path, capsys):
    lesson = LIBRARY.get("cyberharcelement-temoin-actif")
    counts = [(10, 20, 24), (5, 22, 24), (20, 23, 24), (8, 12, 24)]
    sheet = tmp_path / "5eB.csv"
    with open(sheet, "w", newline="", encoding="utf-8-sig") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(HEADER)
        for number, (before, after, answered) in enumerate(counts, 1):
            writer.writerow(["Collège Les Genêts", "5e B", "2027-11-09", lesson.id, number, "",
                             before, after, answered])
    code, out, err = run(capsys, "results", sheet, "--out", tmp_path / "out")
    assert code == 0, err
    pdf = tmp_path / "out" / "resultats-college-les-genets-5e-b-cyberharcelement-temoin-actif-2027-11-09.pdf"
    assert out.strip().endswith(pdf.name)
    texts = assert_clean_pdf(pdf)
    assert len(texts) == 1
    text = texts[0]
    assert "Cyberharcèlement : ne reste pas spectateur" in text and "5e B" in text.replace("5 e", "5e")
    assert "24 élève(s) ont répondu" in text and "45 % (43/96) avant" in text
    assert "safter" not in text and "80 % (77/96) après, soit +35 points" in text
    # the two most missed after: question 4 (12/24 missed), then question 1 (4/24)
    revisit = text.split("À revoir avec la classe")[1]
    assert revisit.index("4. Si je ne fais rien") < revisit.index("1. Le cyberharcèlement")
    assert "(12/24)" in revisit and "Regarder sans rien dire" in revisit
    assert pdf.read_bytes() == _again(tmp_path, sheet, capsys, pdf.name)


def _again(tmp_path, sheet, capsys, name):
    assert main(["results", str(sheet), "--out", str(tmp_path / "again")]) == 0
    capsys.readouterr()
    return (tmp_path / "again" / name).read_bytes()


@pytest.mark.parametrize("header, cells", [
    ("Prénom", ["Léa", "Tom", "Inès"]),
    ("Nom de l'élève", ["Martin", "Durand", "Petit"]),
    ("Colonne 10", ["Léa Martin", "Tom Durand", "Inès Petit"]),
])
def test_a_column_of_names_is_refused_and_nothing_is_written(tmp_path, capsys, header, cells):
    sheet = tmp_path / "avec-noms.csv"
    with open(sheet, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow([*HEADER, header])
        for number, cell in enumerate(cells, 1):
            writer.writerow(["Collège A", "5e B", "09/11/2027", "cyberharcelement-temoin-actif",
                             number, "", 3, 5, 20, cell])
    code, out, err = run(capsys, "results", sheet, "--out", tmp_path / "out")
    assert code == 2 and not (tmp_path / "out").exists()
    assert f"« {header} »" in err and "aucun nom" in err or "données personnelles" in err
    for cell in cells:
        assert cell not in err  # a pupil's name is never echoed


def test_template_from_a_batch_then_filled_in_excel_gives_a_class_report(tmp_path, capsys):
    """The loop a district runs: batch (with the results sheet), template, counts, report."""
    import openpyxl

    import kit.batch
    roster = tmp_path / "seances.csv"
    roster.write_text("Établissement;Classe;Séance;Date\n"
                      "Collège A;5e B;cyberharcelement-temoin-actif;09/11/2027\n"
                      "Collège A;5e C;equipes-repondre-a-une-revelation;10/11/2027\n",
                      encoding="utf-8")
    out = tmp_path / "lot"
    kit.batch.run(roster, out, documents=("guide", "fiche-resultats"),
                  executor=kit.batch.InlineExecutor(), progress="none")
    sheet = out / "college-a" / "5e-b" / "cyberharcelement-temoin-actif-fiche-resultats.pdf"
    text = assert_clean_pdf(sheet)[0]
    assert "Fiche de résultats du quiz" in text and "Collège A" in text and "Justes après" in text
    assert "Prénom" not in text and "Nom :" not in text
    code, written, err = run(capsys, "results", "template", out, "--out", tmp_path)
    assert code == 0, err
    assert "n'a pas de quiz avant / après" in err  # the staff lesson has no quiz sheet
    book = openpyxl.load_workbook(tmp_path / "resultats-a-remplir.xlsx")
    sheet_rows = list(book.active.iter_rows(values_only=True))
    assert list(sheet_rows[0]) == HEADER and len(sheet_rows) == 5  # four questions
    assert sheet_rows[1][:5] == ("Collège A", "5e B", dt.datetime(2027, 11, 9),
                                 "cyberharcelement-temoin-actif", 1)
    for row, counts in zip(book.active.iter_rows(min_row=2), [(3, 20), (10, 21), (2, 25), (0, 9)]):
        row[6].value, row[7].value, row[8].value = *counts, 25
    book.save(tmp_path / "rempli.xlsx")
    assert run(capsys, "results", "template", out, "--out", tmp_path)[0] == 1  # never over it
    code, written, err = run(capsys, "results", tmp_path / "rempli.xlsx", "--out", tmp_path / "r")
    assert code == 0, err
    text = page_texts((tmp_path / "r").glob("*.pdf").__next__().read_bytes())[0]
    assert "15 % (15/100) avant" in text and "75 % (75/100) après, soit +60 points" in text


def test_a_pack_with_its_results_sheet_fills_the_template(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "pack", "droit-a-l-image", "--pupils", "2", "--school",
                         "Collège B", "--class", "4e A", "--date", "2027-12-01", "--results-sheet")
    assert code == 0, err
    assert "Fiche de résultats du quiz : 1 exemplaire(s)" in err
    pdf = tmp_path / "seance-droit-a-l-image-4e-a.pdf"
    assert any(text.startswith("Une photo, un accord") and "Fiche de résultats du quiz" in text
               for text in page_texts(pdf.read_bytes()))
    assert run(capsys, "results", "template", pdf)[0] == 0
    rows = list(csv.reader((tmp_path / "resultats-a-remplir.csv").read_text(encoding="utf-8-sig")
                           .splitlines(), delimiter=";"))
    lesson = LIBRARY.get("droit-a-l-image")
    assert rows[1][:5] == ["Collège B", "4e A", "01/12/2027", "droit-a-l-image", "1"]
    assert len(rows) == 1 + len(lesson.quiz)


def test_by_class_writes_one_report_per_class_and_marks_a_small_class(tmp_path, capsys):
    sheet = tmp_path / "deux.csv"
    lines = [";".join(HEADER)]
    for number in range(1, 5):
        lines.append(f"Collège A;5e B;09/11/2027;cyberharcelement-temoin-actif;{number};;10;20;24")
        lines.append(f"Collège A;5e C;10/11/2027;cyberharcelement-temoin-actif;{number};;1;3;3")
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "results", sheet, "--by", "class", "--out", tmp_path / "out")
    assert code == 0, err
    reports = sorted((tmp_path / "out").glob("*.pdf"))
    assert [p.name for p in reports] == [
        "resultats-college-a-5e-b-cyberharcelement-temoin-actif-2027-11-09.pdf",
        "resultats-college-a-5e-c-cyberharcelement-temoin-actif-2027-11-10.pdf"]
    small = page_texts(reports[1].read_bytes())[0]
    assert "Moins de 5 élèves ont répondu" in small and "ne comptent pas dans les moyennes" in small
    assert "Moins de 5" not in page_texts(reports[0].read_bytes())[0]


def test_schools_are_listed_in_reading_order(tmp_path, capsys):
    """« Collège n°2 » before « Collège n°10 », in the PDF as in the JSON."""
    lesson = next(l for l in load_library().lessons.values() if l.quiz)
    rows = [["Établissement", "Classe", "Date", "Séance", "Question", "Intitulé",
             "Justes avant", "Justes après", "Réponses"]]
    for school in ("Collège n°10", "Collège n°2", "Collège n°1"):
        rows.append([school, "5e A", "03/12/2026", lesson.id, "1", "", "10", "20", "25"])
    sheet = tmp_path / "resultats.csv"
    with sheet.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    assert main(["results", str(sheet), "--by", "district", "--out", str(tmp_path / "out")]) == 0
    data = json.loads((tmp_path / "out" / "district.json").read_text(encoding="utf-8"))
    assert list(data["by_school"]) == ["Collège n°1", "Collège n°2", "Collège n°10"]
    whole = " ".join(page_texts((tmp_path / "out" / "district.pdf").read_bytes()))
    positions = [whole.index(f"Collège n°{n} ") for n in (1, 2, 10)]
    assert positions == sorted(positions)


def test_grades_are_listed_in_school_order(tmp_path, capsys):
    """6e, 5e, 4e, 3e as schools list them, not 3e first as an alphabet would."""
    lesson = next(l for l in load_library().lessons.values() if l.quiz and l.level == "college")
    rows = [["Établissement", "Classe", "Date", "Séance", "Question", "Intitulé",
             "Justes avant", "Justes après", "Réponses"]]
    for group in ("3e B", "6e A", "4e C", "5e D"):
        rows.append(["Collège A", group, "03/12/2026", lesson.id, "1", "", "10", "20", "25"])
    sheet = tmp_path / "resultats.csv"
    with sheet.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    assert main(["results", str(sheet), "--by", "district", "--out", str(tmp_path / "out")]) == 0
    data = json.loads((tmp_path / "out" / "district.json").read_text(encoding="utf-8"))
    assert list(data["by_level"]) == ["6e", "5e", "4e", "3e"]
    whole = " ".join(page_texts((tmp_path / "out" / "district.pdf").read_bytes()))
    table = whole[whole.index("6e "):]
    positions = [table.index(f"{g} ") for g in ("6e", "5e", "4e", "3e")]
    assert positions == sorted(positions)


def test_the_blank_sheet_is_the_same_bytes_whatever_the_time(monkeypatch):
    """openpyxl dates each member of the .xlsx with the clock: the kit fixes the dates."""
    import time
    import zipfile

    from kit.archives import ZIP_DATE
    from kit.results.template import sheet_bytes
    from kit.results.planned import PlannedSession
    library = load_library()
    lesson = next(l for l in library.lessons.values() if l.quiz)
    sessions = [PlannedSession("Collège A", "5e B", lesson.id, dt.date(2027, 11, 9))]
    first = sheet_bytes(sessions, library)
    clock = time.time()
    monkeypatch.setattr(time, "time", lambda: clock + 3 * 86400)  # three days later
    monkeypatch.setattr(time, "localtime", lambda *a: time.gmtime(clock + 3 * 86400))
    assert sheet_bytes(sessions, library) == first
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(first[0])).infolist()} == {ZIP_DATE}
