"""`kit serve` is secure by default: one test per rule, on the real server."""
from __future__ import annotations

import re
import subprocess
import sys

import httpx
import pytest

from tests.serving import ROOT, running_server

PASSWORD = "correct-horse-3018"
SCRIPT_TITLE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server open to the network, with a password and a lesson whose title is a script."""
    root = tmp_path_factory.mktemp("secure")
    lessons = root / "lessons"
    lessons.mkdir()
    text = (ROOT / "lessons" / "premier-telephone.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Mon premier téléphone, mon premier compte",
                        f'title: "{SCRIPT_TITLE} & co"', 1)
    (lessons / "premier-telephone.yaml").write_text(text, encoding="utf-8")
    password = root / "mot-de-passe.txt"
    password.write_text(PASSWORD + "\n", encoding="utf-8")
    with running_server(root / "data", "--host", "127.0.0.1", "--password-file", str(password),
                        "--lessons", str(lessons), "--workers", "1") as (base, _):
        yield base


def logged_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    token = client.get("/connexion").cookies["kit_csrf"]
    response = client.post("/connexion", data={"csrf": token, "password": PASSWORD})
    assert response.status_code == 303
    return client


def test_a_non_local_host_without_a_password_is_refused_at_start(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kit.cli", "serve", "--host", "0.0.0.0",
                             "--data", str(tmp_path)], capture_output=True, text=True,
                            cwd=ROOT, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
                            timeout=60)
    assert result.returncode == 2
    assert "--password-file" in result.stderr and "Traceback" not in result.stderr


def test_a_password_file_that_is_a_pipe_is_refused_at_once(tmp_path):
    import os
    from kit.web.serve import ServeError, password_from
    pipe = tmp_path / "mot-de-passe"
    os.mkfifo(pipe)  # reading it would wait for a writer for ever
    with pytest.raises(ServeError, match="--password-file : impossible de lire"):
        password_from(pipe)
    good = tmp_path / "bon"
    good.write_text("un-mot-de-passe-long\n", encoding="utf-8")
    assert password_from(good) == "un-mot-de-passe-long"


def test_a_foreign_host_header_is_refused(server):
    response = httpx.get(f"{server}/", headers={"host": "evil.example"})
    assert response.status_code == 400
    rebinding = httpx.get(f"{server}/api/lessons", headers={"host": "evil.example:8018"},
                          auth=None)
    assert rebinding.status_code == 400


def test_pages_and_the_api_need_the_password(server):
    assert httpx.get(f"{server}/").status_code == 303
    assert httpx.get(f"{server}/api/lessons").status_code == 401
    bearer = httpx.get(f"{server}/api/lessons", headers={"authorization": f"Bearer {PASSWORD}"})
    assert bearer.status_code == 200
    wrong = httpx.get(f"{server}/api/lessons", headers={"authorization": "Bearer nope"})
    assert wrong.status_code == 401


def test_the_login_cookie_is_httponly_and_samesite_strict(server):
    client = httpx.Client(base_url=server, timeout=60)
    token = client.get("/connexion").cookies["kit_csrf"]
    response = client.post("/connexion", data={"csrf": token, "password": PASSWORD})
    cookie = next(v for k, v in response.headers.multi_items()
                  if k == "set-cookie" and v.startswith("kit_login="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert client.get("/").status_code == 200


def test_a_form_post_without_the_csrf_token_is_refused(server):
    client = logged_in(server)
    form = {"pupils": "28", "school": "Collège"}
    missing = client.post("/seances/cyberharcelement-temoin-actif/preparer", data=form)
    assert missing.status_code == 403 and "rechargez la page" in missing.text
    wrong = client.post("/seances/cyberharcelement-temoin-actif/preparer",
                        data={**form, "csrf": "x" * 43})
    assert wrong.status_code == 403
    login = httpx.post(f"{server}/connexion", data={"password": PASSWORD})
    assert login.status_code == 403


def test_the_api_takes_only_json_so_a_cross_site_form_cannot_post_to_it(server):
    response = httpx.post(f"{server}/api/packs", content=b"lesson=x&pupils=2",
                          headers={"content-type": "application/x-www-form-urlencoded",
                                   "authorization": f"Bearer {PASSWORD}"})
    assert response.status_code == 415 and response.json()["error"]


def test_a_body_over_one_mebibyte_is_refused(server):
    big = b'{"lesson": "' + b"a" * (1024 * 1024 + 10) + b'"}'
    response = httpx.post(f"{server}/api/packs", content=big,
                          headers={"content-type": "application/json",
                                   "authorization": f"Bearer {PASSWORD}"})
    assert response.status_code == 413 and "1 Mio" in response.json()["error"]


def test_every_response_carries_the_security_headers(server):
    client = logged_in(server)
    for path in ("/", "/api/lessons", "/static/style.css", "/seances/nope", "/connexion"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp, path
        assert "unsafe-inline" not in csp, path
        assert headers["x-content-type-options"] == "nosniff", path


def test_a_script_in_a_lesson_title_shows_as_text(server):
    client = logged_in(server)
    for path in ("/", "/seances/premier-telephone", "/seances/premier-telephone/preparer"):
        html = client.get(path).text
        assert SCRIPT_TITLE not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
    assert not re.search(r"<script", client.get("/").text)


def test_unknown_pages_and_lessons_are_french_pages_without_traceback(server):
    client = logged_in(server)
    for path in ("/seances/nope", "/seances/..%2F..%2Fetc%2Fpasswd", "/nulle-part",
                 "/apercus/premier-telephone/fiche-eleve/page-99.png",
                 "/apercus/premier-telephone/..%2Fsecret/page-1.png",
                 "/preparations/inconnue"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Traceback" not in response.text and 'lang="fr"' in response.text, path
    unknown = client.get("/seances/nope")
    assert "Pas de séance « nope »" in unknown.text


def test_nothing_in_a_request_names_a_file(server, tmp_path):
    client = logged_in(server)
    secret = ROOT / "setup.cfg"
    response = client.post("/api/render", json={"lesson": str(ROOT / "lessons" / "quiz.yaml"),
                                                 "document": "worksheet"})
    assert response.status_code in (404, 422)
    response = client.post("/api/render", json={"lesson": "premier-telephone",
                                                 "document": str(secret)})
    assert response.status_code == 422 and "install_requires" not in response.text


# Last in this module: it locks 127.0.0.1 out of the login form for a minute.
def test_login_attempts_are_rate_limited(server):
    client = httpx.Client(base_url=server, timeout=60, headers={"x-test": "rate"})
    token = client.get("/connexion").cookies["kit_csrf"]
    codes = [client.post("/connexion", data={"csrf": token, "password": f"faux-{n}"}).status_code
             for n in range(6)]
    assert codes[:5] == [401] * 5 and codes[5] == 429
    blocked = client.post("/connexion", data={"csrf": token, "password": PASSWORD})
    assert blocked.status_code == 429 and "attendez" in blocked.text
