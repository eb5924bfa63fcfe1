"""District batches in `kit serve`, on the real server: the API for each endpoint, the
same report and PDFs as `kit batch`, a server killed mid-batch that resumes it, and
the district's flow in a real browser."""
from __future__ import annotations

import csv
import io
import json
import signal
import time
import zipfile

import httpx
import pytest

from kit.cli import main
from tests.conftest import page_texts
from tests.serving import running_server
from tests.test_serve_browser import ARGS, CHROMIUM, plain

LESSON = "cyberharcelement-temoin-actif"
HEADER = "Établissement;Ville;Classe;Séance;Date;Intervenant;Référent;Effectif"
CLIENT = {"X-Kit-Client": "tests"}


def roster_text(classes: int, bad: bool = True) -> str:
    """`classes` good rows; with `bad`, a mistyped lesson on row 5 and a 31 February on row 9."""
    lines = [HEADER] + [f"Collège Les Genêts;Nîmes;5e {i + 1};{LESSON};09/11/2027;Mme Faÿ;"
                        f"M. Roux;27" for i in range(classes)]
    if bad:
        lines.insert(4, "Collège Les Genêts;Nîmes;6e Z;cyberharcelemant-temoin-actif;09/11/2027;;;")
        lines.insert(8, "Collège Pré;Nîmes;4e A;Cyberharcèlement : ne reste pas spectateur;"
                        "31/02/2027;;;")
    return "\r\n".join(lines) + "\r\n"


def windows_roster(tmp_path, classes: int = 8, bad: bool = True):
    """As Excel in France saves it: Windows-1252, semicolons, CRLF."""
    path = tmp_path / "séances-district.csv"
    path.write_bytes(roster_text(classes, bad).encode("cp1252"))
    return path


def post_roster(client, path, **fields):
    with open(path, "rb") as handle:
        return client.post("/api/batches", headers=CLIENT, data=fields,
                           files={"roster": (path.name, handle, "text/csv")})


def wait_for(client, job_id: str, statuses=("done",), timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/batches/{job_id}").json()
        if job["status"] in statuses:
            return job
        if job["status"] == "failed":
            raise AssertionError(job["error"])
        time.sleep(0.3)
    raise AssertionError(f"still {job['status']} after {timeout} s")


def report_rows(data: bytes) -> dict[int, dict]:
    rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")
    return {int(r["ligne"]): r for r in rows}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("lots") / "data"
    with running_server(data) as (base, process):
        yield base, data


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server[0], timeout=120) as client:
        yield client


@pytest.fixture(scope="module")
def finished(server, client, tmp_path_factory):
    """One roster with bad rows through the API, run to the end."""
    path = windows_roster(tmp_path_factory.mktemp("roster"))
    response = post_roster(client, path)
    assert response.status_code == 202, response.text
    job = response.json()
    return path, job, wait_for(client, job["id"])


def test_the_plan_lists_bad_rows_lessons_and_what_to_expect(finished):
    _, posted, _ = finished
    plan = posted["plan"]
    assert posted["status"] in ("queued", "running") and len(posted["id"]) >= 20
    assert (plan["rows"], plan["make"], plan["pdfs"]) == (10, 8, 24)
    assert [b["row"] for b in plan["bad"]] == [5, 9]
    assert "vouliez-vous dire « cyberharcelement-temoin-actif »" in plan["bad"][0]["reasons"][0]
    assert "31/02/2027" in plan["bad"][1]["reasons"][0]
    assert plan["lessons"] == [{"id": LESSON, "rows": 8,
                                "title": "Cyberharcèlement\u00a0: ne reste pas spectateur"}]
    assert plan["pages"] > plan["pdfs"]


def test_the_api_gives_the_same_report_and_pdfs_as_kit_batch(finished, client, tmp_path):
    path, posted, job = finished
    assert job["progress"]["percent"] == 100 and job["summary"]["ok"] == 8
    assert job["plan"]["pages"] == job["summary"]["pages"]  # the plan's estimate held
    out = tmp_path / "cli"
    assert main(["batch", str(path), "--out", str(out), "--workers", "1", "--quiet"]) == 1
    report = client.get(f"/api/batches/{posted['id']}/report.csv")
    assert report.status_code == 200 and report.content == (out / "report.csv").read_bytes()
    rows = report_rows(report.content)
    assert rows[5]["statut"] == "erreur" and rows[2]["statut"] == "ok"
    with client.stream("GET", f"/api/batches/{posted['id']}/packets.zip") as response:
        assert response.headers["content-type"] == "application/zip"
        assert "content-length" not in response.headers  # streamed, never built whole
        data = b"".join(response.iter_bytes())
    archive = zipfile.ZipFile(io.BytesIO(data))
    pdfs = sorted(n for n in archive.namelist() if n.endswith(".pdf"))
    assert len(pdfs) == 24
    for name in pdfs:
        assert archive.read(name) == (out / name).read_bytes(), name
    first = page_texts(archive.read(pdfs[0]))[0]
    assert "Collège Les Genêts" in first and "5e 1" in first


def test_print_files_are_listed_and_only_those_served(finished, client):
    _, posted, job = finished
    [url] = job["files"]["print"]
    pdf = client.get(url)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "Collège Les Genêts" in page_texts(pdf.content)[0]
    for name in ("..%2Freport.csv", "..%2F..%2Fkit-serve.sqlite3", "%2Fetc%2Fpasswd"):
        assert client.get(f"/lots/{posted['id']}/impression/{name}").status_code == 404


def test_an_unknown_job_is_404_and_delete_removes_its_files(server, client, tmp_path):
    assert client.get("/api/batches/pas-un-lot").status_code == 404
    assert client.get("/api/batches/pas-un-lot/report.csv").status_code == 404
    job = post_roster(client, windows_roster(tmp_path, classes=1, bad=False)).json()
    wait_for(client, job["id"])
    folder = server[1] / "lots" / job["id"]
    assert (folder / "out" / "report.csv").is_file()
    assert client.delete(f"/api/batches/{job['id']}").status_code == 204
    assert not folder.exists()
    assert client.get(f"/api/batches/{job['id']}").status_code == 404
    assert client.get(f"/api/batches/{job['id']}/packets.zip").status_code == 404


def test_rosters_are_refused_before_parsing(client, tmp_path):
    many = tmp_path / "trop.csv"
    many.write_bytes((HEADER + "\n" + f"Collège;Nîmes;5e;{LESSON};;;;\n" * 50_001).encode())
    response = post_roster(client, many)
    assert response.status_code == 413 and "50000" in response.json()["error"]
    big = tmp_path / "gros.csv"
    big.write_bytes(HEADER.encode() + b"\n" + b"x" * (10 * 1024 * 1024 + 1))
    assert post_roster(client, big).status_code == 413
    text = tmp_path / "notes.txt"
    text.write_text("bonjour")
    response = post_roster(client, text)
    assert response.status_code == 422 and ".csv ou .xlsx" in response.json()["error"]
    unreadable = tmp_path / "faux.xlsx"
    unreadable.write_bytes(b"pas un classeur")
    response = post_roster(client, unreadable)
    assert response.status_code == 422 and "faux.xlsx" in response.json()["error"]
    assert "/lots/" not in response.json()["error"]  # never the server's folders


def test_an_upload_needs_the_api_header_or_the_page_token(client, tmp_path):
    path = windows_roster(tmp_path, classes=1)
    with open(path, "rb") as handle:  # what a cross-site form can send
        response = client.post("/api/batches", files={"roster": (path.name, handle)})
    assert response.status_code == 403 and response.json()["field"] == "X-Kit-Client"
    assert client.post("/api/batches", headers=CLIENT, json={}).status_code == 415
    with open(path, "rb") as handle:
        page = client.post("/lots", files={"roster": (path.name, handle)})
    assert page.status_code == 403


def test_a_server_killed_mid_batch_resumes_it_and_the_report_is_complete(tmp_path):
    data = tmp_path / "data"
    classes = 200  # a row is stamped in about a millisecond: enough left to do after the kill
    path = windows_roster(tmp_path, classes=classes)
    with running_server(data, "--workers", "1") as (base, process):
        with httpx.Client(base_url=base, timeout=60) as client:
            job = post_roster(client, path).json()
            deadline = time.monotonic() + 120
            while client.get(f"/api/batches/{job['id']}").json()["progress"]["done"] < 4:
                assert time.monotonic() < deadline
                time.sleep(0.1)
            process.send_signal(signal.SIGKILL)
            process.wait()
    with running_server(data, "--workers", "1") as (base, _):
        with httpx.Client(base_url=base, timeout=60) as client:
            stopped = client.get(f"/api/batches/{job['id']}").json()
            assert stopped["status"] == "interrupted"
            assert 4 <= stopped["progress"]["done"] < stopped["progress"]["total"]
            assert client.post(f"/api/batches/{job['id']}/resume", json={}).status_code == 202
            done = wait_for(client, job["id"])
            rows = report_rows(client.get(f"/api/batches/{job['id']}/report.csv").content)
    assert sorted(rows) == list(range(2, classes + 4))
    statuses = [r["statut"] for n, r in sorted(rows.items()) if n not in (5, 9)]
    assert set(statuses) == {"ok", "inchangée"}  # made before the kill: not made twice
    assert statuses.count("inchangée") >= 2 and done["progress"]["percent"] == 100
    folder = data / "lots" / job["id"] / "out"
    assert len(list(folder.rglob("*.pdf"))) == classes * 3 + 1  # every packet, and the print file
    assert not list(folder.rglob("*.part*"))


def test_the_district_flow_in_a_browser(server, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    path = windows_roster(tmp_path)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(server[0] + "/lots")
        page.get_by_label("Tableau des séances (.csv ou .xlsx)").set_input_files(str(path))
        page.get_by_role("button", name="Voir ce que le kit va faire").click()
        bad = page.get_by_role("region", name="Lignes en erreur")
        assert "cyberharcelemant-temoin-actif" in plain(bad.inner_text())
        assert [plain(h) for h in bad.locator("tbody th").all_inner_texts()] == ["5", "9"]
        page.get_by_role("button", name="Lancer").click()
        page.locator("#compte").get_by_text("100 %").wait_for(timeout=120_000)
        with page.expect_download() as download:
            page.get_by_role("link", name="Télécharger tous les dossiers (zip)").click()
        archive = zipfile.ZipFile(download.value.path())
        name = next(n for n in sorted(archive.namelist()) if n.endswith("fiche-eleve.pdf"))
        first = page_texts(archive.read(name))[0]
        assert "Collège Les Genêts" in first and "3018" in first
        browser.close()


def test_rows_are_counted_on_the_bytes_before_any_parser(tmp_path):
    from openpyxl import Workbook

    from kit.web.batches import count_rows
    book = Workbook()
    for row in roster_text(5).splitlines():
        book.active.append(row.split(";"))
    book.save(tmp_path / "tableau.xlsx")
    assert count_rows(tmp_path / "tableau.xlsx") == 8
    (tmp_path / "tableau.csv").write_text(roster_text(5))
    assert count_rows(tmp_path / "tableau.csv") == 9  # the last line break counts one more


def test_progress_comes_as_server_sent_events(finished, client):
    _, posted, _ = finished
    with client.stream("GET", f"/lots/{posted['id']}/progression") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line.startswith("data: ")]
    last = json.loads(lines[-1][len("data: "):])
    assert (last["status"], last["percent"], last["done"], last["total"]) == ("done", 100, 10, 10)


def held_out_roster(tmp_path, rows: int = 300):
    """A district's year, unlike the roster above: several schools and cities, three
    lessons (by id and by title), dates over two months, a handful of bad rows (an
    unknown lesson, an impossible date, a missing class, a pupil count in words, a
    Sunday), saved as Excel in France saves it."""
    import random
    draw = random.Random(3018)
    schools = [("Collège Émile Zola", "Alès"), ("Collège Les Garrigues", "Nîmes"),
               ("Lycée Daudet", "Nîmes"), ("Collège Frédéric Mistral", "Uzès"),
               ("École Curie", "Bagnols-sur-Cèze")]
    lessons = [LESSON, "droit-a-l-image", "Cyberharcèlement : ne reste pas spectateur"]
    lines = [HEADER]
    for index in range(rows):
        school, city = schools[index % len(schools)]
        day = 2 + index % 27 if (2 + index % 27) not in (7, 14, 21, 28) else 3
        lines.append(f"{school};{city};{4 + index % 3}e {chr(65 + index % 6)}{index // 30};"
                     f"{draw.choice(lessons)};{day:02d}/11/2027;Mme Faÿ;M. Roux;"
                     f"{draw.randint(18, 31)}")
    bad = {17: "Collège Émile Zola;Alès;5e Q;droit-a-l-imag;09/11/2027;;;",
           83: f"Lycée Daudet;Nîmes;2de 4;{LESSON};30/02/2027;;;",
           140: f"Collège Les Garrigues;Nîmes;;{LESSON};09/11/2027;;;",
           201: f"École Curie;Bagnols-sur-Cèze;CM2;{LESSON};09/11/2027;;;vingt",
           266: f"Collège Frédéric Mistral;Uzès;3e C;{LESSON};07/11/2027;;;"}
    for row, line in bad.items():  # spreadsheet row numbers: the header is row 1
        lines.insert(row - 1, line)
    path = tmp_path / "année-2027-district.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path, len(lines) - 1


@pytest.mark.slow
def test_a_held_out_roster_of_hundreds_of_rows_gives_what_kit_batch_gives(client, tmp_path):
    path, rows = held_out_roster(tmp_path)
    out = tmp_path / "cli"
    assert main(["batch", str(path), "--out", str(out), "--workers", "2", "--quiet"]) == 1
    expected = report_rows((out / "report.csv").read_bytes())
    assert len(expected) == rows == 305
    bad = sorted(n for n, r in expected.items() if r["statut"] == "erreur")
    assert len(bad) >= 4
    posted = post_roster(client, path)
    assert posted.status_code == 202, posted.text
    job = posted.json()
    assert job["plan"]["rows"] == rows and [b["row"] for b in job["plan"]["bad"]] == bad
    small = post_roster(client, windows_roster(tmp_path, classes=1, bad=False)).json()
    while (running := client.get(f"/api/batches/{job['id']}").json())["progress"]["done"] < 2:
        assert running["status"] in ("queued", "running")
        time.sleep(0.1)
    if running["status"] == "running":  # kit serve runs one batch at a time by default
        assert client.get(f"/api/batches/{small['id']}").json()["status"] == "queued"
    done = wait_for(client, job["id"], timeout=600)
    assert done["summary"]["rows"] == rows
    report = client.get(f"/api/batches/{job['id']}/report.csv")
    assert report.content == (out / "report.csv").read_bytes()
    with client.stream("GET", f"/api/batches/{job['id']}/packets.zip") as response:
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.iter_bytes())))
    pdfs = sorted(n for n in archive.namelist() if n.endswith(".pdf"))
    made = sorted(str(p.relative_to(out)) for p in out.rglob("*.pdf")
                  if p.relative_to(out).parts[0] != "impression")
    assert pdfs == made and len(pdfs) > 800
    for name in pdfs:
        assert archive.read(name) == (out / name).read_bytes(), name
    text = page_texts(archive.read(next(n for n in pdfs if "fiche-eleve" in n)))[0]
    assert "Collège" in text or "Lycée" in text or "École" in text
    wait_for(client, small["id"])
    for posted_job in (job, small):
        client.delete(f"/api/batches/{posted_job['id']}")


def test_the_number_of_batches_at_once_is_an_option():
    from click.testing import CliRunner

    from kit.cli import cli
    from kit.web.serve import make_config
    shown = CliRunner().invoke(cli, ["serve", "--help"]).output
    assert "--jobs N" in shown and "en même temps" in shown
    assert make_config(jobs=3).jobs == 3 and make_config().jobs == 1


def test_a_roster_too_big_for_the_page_form_gets_a_french_page(client):
    page = client.post("/lots", content=b"x" * (11 * 1024 * 1024),
                       headers={"content-type": "multipart/form-data; boundary=x"})
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert "Envoi refusé" in page.text and "Le tableau dépasse 10 Mio" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    api = client.post("/api/batches", content=b"x" * (11 * 1024 * 1024), headers=CLIENT | {
        "content-type": "multipart/form-data; boundary=x"})
    assert api.status_code == 413 and "Mio" in api.json()["error"]
