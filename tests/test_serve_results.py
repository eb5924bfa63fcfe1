"""« Résultats des quiz » in `kit serve`: the sheet for one class, and the reports of an
uploaded sheet, on the real server."""
from __future__ import annotations

import io
import re
import zipfile

import httpx
import openpyxl
import pytest

from tests.conftest import page_texts
from tests.serving import running_server

LESSON = "cyberharcelement-temoin-actif"
HEADER = "Établissement;Classe;Date;Séance;Question;Intitulé;Justes avant;Justes après;Élèves ayant répondu"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    data = tmp_path_factory.mktemp("serve") / "data"
    with running_server(data, "--workers", "1") as (base, _):
        with httpx.Client(base_url=base, timeout=120) as client:
            yield client


def csrf(client) -> str:
    page = client.get("/resultats")
    assert page.status_code == 200 and "Résultats des quiz avant / après" in page.text
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def test_the_sheet_for_one_class_comes_filled_in(client):
    response = client.get("/resultats/modele.xlsx", params={
        "seance": LESSON, "etablissement": "Collège A", "classe": "5e B", "date": "09/11/2027"})
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Établissement" and len(rows) == 5
    assert rows[1][:5] == ("Collège A", "5e B", rows[1][2], LESSON, 1) and rows[1][2].day == 9
    assert client.get("/resultats/modele.xlsx", params={"seance": "nulle"}).status_code == 404


def test_an_uploaded_sheet_gives_its_reports_and_names_are_refused(client):
    token = csrf(client)
    lines = [HEADER] + [f"Collège A;5e B;09/11/2027;{LESSON};{n};;5;20;24" for n in range(1, 5)]
    one_class = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    response = client.post("/resultats", data={"csrf": token, "by": ""},
                           files={"sheet": ("resultats.csv", one_class, "text/csv")})
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    text = page_texts(response.content)[0]
    assert "21 % (20/96) avant" in text and "83 % (80/96) après" in text
    bad = one_class + f"Collège A;5e B;09/11/2027;{LESSON};9;;5;20;24\r\n".encode("utf-8")
    response = client.post("/resultats", data={"csrf": token, "by": "district"},
                           files={"sheet": ("resultats.csv", bad, "text/csv")})
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {"district.pdf", "district.html", "district.json", "lignes-en-erreur.txt"} <= set(archive.namelist())
    assert "resultats.csv:6:" in archive.read("lignes-en-erreur.txt").decode("utf-8")
    named = (HEADER + ";Prénom\r\n" + f"Collège A;5e B;09/11/2027;{LESSON};1;;5;20;24;Léa\r\n").encode()
    response = client.post("/resultats", data={"csrf": token},
                           files={"sheet": ("noms.csv", named, "text/csv")})
    assert response.status_code == 422 and "données personnelles" in response.text
    assert "Léa" not in response.text
    assert client.post("/resultats", data={"csrf": "faux"},
                       files={"sheet": ("resultats.csv", one_class, "text/csv")}).status_code == 403
