"""`kit serve`'s JSON API, on the real server: lessons, one document, a whole session."""
from __future__ import annotations

import io
import json
import re
import threading
import zipfile

import httpx
import pytest

from kit.cli import main
from tests.conftest import page_texts
from tests.serving import running_server, stop
from tests.test_pack import copies

LESSON = "cyberharcelement-temoin-actif"
CLASS_PACK = {"lesson": LESSON, "pupils": 28, "groups": 6, "editions": {"dys": 2},
              "session": {"school": "Collège Les Genêts", "class": "5e B", "date": "2027-11-09"}}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("serve") / "data"
    with running_server(data) as (base, process):
        yield base, process, data


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server[0], timeout=120) as client:
        yield client


def test_lessons_lists_every_lesson_with_its_documents(client):
    lessons = client.get("/api/lessons").json()
    assert len(lessons) == 12
    reference = next(l for l in lessons if l["id"] == LESSON)
    assert reference["level"] == "college" and reference["duration"] == 55
    assert "worksheet" in reference["documents"] and reference["url"] == f"/seances/{LESSON}"


def test_one_lesson_is_the_resolved_lesson(client, library):
    lesson = client.get(f"/api/lessons/{LESSON}").json()
    expected = library.get(LESSON)
    assert lesson["id"] == LESSON
    assert [a["minutes"] for a in lesson["activities"]] == [a.minutes for a in expected.activities]
    assert "family-letter" in lesson["offered_documents"]


def test_an_unknown_lesson_is_404_listing_the_ids_never_a_path(client):
    response = client.get("/api/lessons/mon-cours")
    assert response.status_code == 404
    body = response.json()
    assert body["field"] == "lesson" and LESSON in body["lessons"]
    assert body["error"] == "pas de séance « mon-cours »"
    traversal = client.get("/api/lessons/..%2F..%2Fetc%2Fpasswd")
    assert traversal.status_code == 404 and "root:" not in traversal.text
    pack = client.post("/api/packs", json={**CLASS_PACK, "lesson": "nope"})
    assert pack.status_code == 404 and pack.json()["lessons"]


def test_render_makes_one_personalised_family_letter(client):
    response = client.post("/api/render", json={
        "lesson": "premier-telephone", "document": "lettre-familles",
        "session": {"school": "École Jaurès", "class": "CM2", "date": "12/01/2027"}})
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert 'filename="premier-telephone-lettre-familles.pdf"' in response.headers["content-disposition"]
    text = " ".join(page_texts(response.content))
    assert "École Jaurès" in text and "CM2" in text and "12 janvier 2027" in text


def test_a_class_pack_is_one_pdf_byte_identical_to_kit_pack(client, tmp_path, monkeypatch):
    response = client.post("/api/packs", json=CLASS_PACK)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert "seance-cyberharcelement-temoin-actif-5e-b.pdf" in response.headers["content-disposition"]
    texts = page_texts(response.content)
    assert copies(texts, "Fiche élève") == 28 and copies(texts, "Lettre aux familles") == 28
    assert all("3018" in t for t in texts)
    assert all("Collège Les Genêts" in t and "5e B" in t
               for t in texts if re.search(r"(Fiche élève|Lettre aux familles).* page 1 / ", t))
    monkeypatch.chdir(tmp_path)
    assert main(["pack", LESSON, "--school", "Collège Les Genêts", "--class", "5e B", "--date",
                 "09/11/2027", "--pupils", "28", "--groups", "6", "--dys", "2",
                 "--out", "cli.pdf"]) == 0
    assert (tmp_path / "cli.pdf").read_bytes() == response.content


def test_letters_in_the_families_languages_are_the_bytes_kit_pack_makes(client, tmp_path,
                                                                        monkeypatch):
    response = client.post("/api/packs", json={**CLASS_PACK, "languages": {"arabe": 2, "uk": 1}})
    assert response.status_code == 200, response.text
    summary = client.post("/api/packs", json={**CLASS_PACK, "languages": {"ar": 2, "uk": 1}},
                          headers={"accept": "application/json"}).json()
    letters = {d["file"]: d["copies"] for d in summary["documents"] if "lettre" in d["file"]}
    assert letters["cyberharcelement-temoin-actif-lettre-familles-ar.pdf"] == 2
    assert letters["cyberharcelement-temoin-actif-lettre-familles-uk.pdf"] == 1
    texts = page_texts(response.content)
    assert any("Шановні" in t or "батьки" in t for t in texts)  # the Ukrainian half
    monkeypatch.chdir(tmp_path)
    assert main(["pack", LESSON, "--school", "Collège Les Genêts", "--class", "5e B", "--date",
                 "09/11/2027", "--pupils", "28", "--groups", "6", "--dys", "2", "--language",
                 "ar:2", "--language", "uk", "--out", "cli.pdf"]) == 0
    assert (tmp_path / "cli.pdf").read_bytes() == response.content


def test_a_pack_as_a_zip_or_as_its_print_summary(client):
    archive = client.post("/api/packs", json=CLASS_PACK, headers={"accept": "application/zip"})
    assert archive.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert "recapitulatif-impression.txt" in names and any("fiche-eleve-dys" in n for n in names)
    summary = client.post("/api/packs", json=CLASS_PACK,
                          headers={"accept": "application/json"}).json()
    worksheet = next(d for d in summary["documents"]
                     if d["document"] == "worksheet" and d["edition"] == "standard")
    assert worksheet["copies"] == 26 and summary["sheets"] > 0


@pytest.mark.parametrize("body, field, words", [
    ({"lesson": LESSON}, "pupils", "à remplir"),
    ({**CLASS_PACK, "pupils": "vingt"}, "pupils", "nombre entier"),
    ({**CLASS_PACK, "editions": {"dys": 40}}, "editions", "plus d'élèves"),
    ({**CLASS_PACK, "session": {"date": "31/02/2027"}}, "session.date", "n'existe pas"),
    ({**CLASS_PACK, "colour": "red"}, "colour", "n'existe pas"),
    ({**CLASS_PACK, "languages": {"klingon": 1}}, "languages", "langue « klingon » inconnue"),
    ({**CLASS_PACK, "languages": {"ar": 20, "uk": 20}}, "languages", "plus de lettres"),
    ({**CLASS_PACK, "languages": {"ar": 0}}, "languages", "à partir de 1"),
])
def test_a_bad_order_is_a_422_naming_its_field_in_french(client, body, field, words):
    response = client.post("/api/packs", json=body)
    assert response.status_code == 422
    error = response.json()
    assert error["field"] == field and words in error["error"] and "line" in error


def test_invalid_json_names_its_line(client):
    response = client.post("/api/packs", content=b'{\n "lesson": "x",\n "pupils": 28,,\n}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["line"] == 3


def test_a_document_the_lesson_does_not_offer_is_a_422_on_document(client):
    response = client.post("/api/render", json={"lesson": "parents-reperer-et-dialoguer",
                                                 "document": "certificate"})
    assert response.status_code == 422 and response.json()["field"] == "document"
    unknown = client.post("/api/render", json={"lesson": LESSON, "document": "menu"})
    assert unknown.status_code == 422 and "fiche-eleve" in unknown.json()["error"]


def test_the_openapi_description_is_served(client):
    spec = client.get("/api/openapi.json").json()
    assert {"/api/lessons", "/api/lessons/{lesson_id}", "/api/render", "/api/packs"} <= set(spec["paths"])
    assert "PackOrder" in json.dumps(spec)


def test_twenty_concurrent_packs_complete_and_pages_are_served_meanwhile(server):
    base = server[0]
    finished, errors = [], []

    def download(number: int) -> None:
        order = {**CLASS_PACK, "session": {"school": "Collège Les Genêts", "class": f"6e {number}"}}
        try:
            response = httpx.post(f"{base}/api/packs", json=order, timeout=300)
            assert response.status_code == 200 and response.content.startswith(b"%PDF")
            finished.append(("pack", number))
        except (AssertionError, httpx.HTTPError) as error:
            errors.append(error)
    threads = [threading.Thread(target=download, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    catalogue = httpx.get(f"{base}/", timeout=300)
    finished.append(("page", catalogue.status_code))
    for thread in threads:
        thread.join()
    assert not errors and len(finished) == 21
    assert ("page", 200) in finished[:-1], "the catalogue waited for every pack"


def test_ctrl_c_stops_the_server_cleanly(tmp_path):
    with running_server(tmp_path / "data") as (_, process):
        code, err = stop(process)
    assert code == 0 and "Traceback" not in err and "arrêté" in err



