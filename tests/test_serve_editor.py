"""« Adapter cette leçon » on the real server: an error appears on a bad duration and
goes when fixed, as typed; the saved `extends:` file passes `kit check` and renders; a
stale tab is refused; the form works without JavaScript."""
from __future__ import annotations

import re

import httpx
import pytest

from kit import api
from kit.cli import main
from kit.render import render_document
from tests.conftest import page_texts
from tests.serving import running_server
from tests.test_serve_browser import ARGS, CHROMIUM, plain

LESSON = "cyberharcelement-temoin-actif"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("editeur")
    lessons = root / "mes-seances"
    lessons.mkdir()
    with running_server(root / "data", "--lessons", str(lessons)) as (base, _):
        yield base, lessons


def new_draft(client) -> tuple[str, str, str]:
    """A draft of the lesson: its URL, the CSRF token and its version."""
    page = client.get(f"/seances/{LESSON}")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    draft = client.post(f"/seances/{LESSON}/adapter", data={"csrf": token})
    assert draft.status_code == 200 and "/brouillons/" in str(draft.url)
    version = re.search(r'name="version" value="(\d+)"', draft.text).group(1)
    return str(draft.url), token, version


def form_of(html: str) -> dict:
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)" value="([^"]*)"', html))
    fields.update(re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', html))
    return {k: v.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"')
               .replace("&lt;", "<").replace("&gt;", ">") for k, v in fields.items()}


def test_without_javascript_the_form_checks_and_a_stale_tab_is_refused(server):
    with httpx.Client(base_url=server[0], timeout=60, follow_redirects=True) as client:
        url, token, version = new_draft(client)
        fields = form_of(client.get(url).text) | {"csrf": token, "duration": "40",
                                                  "action": "verifier"}
        checked = client.post(url, data=fields)
        assert checked.status_code == 200
        assert re.search(r'id="err-duration"[^>]*>[^<]*font 55 au total, mais duration vaut 40',
                         checked.text)
        stale = client.post(url, data=fields | {"version": version})  # the first tab again
        assert stale.status_code == 409 and "modifié ailleurs" in stale.text


def test_the_check_endpoint_says_problems_by_field(server):
    with httpx.Client(base_url=server[0], timeout=60, follow_redirects=True) as client:
        url, _, version = new_draft(client)
        fields = form_of(client.get(url).text)
        endpoint = url.replace("/brouillons/", "/api/drafts/") + "/check"
        body = client.post(endpoint, json={"version": int(version),
                                           "fields": fields | {"id": "Mon Cours", "a1_minutes": "x"}})
        assert body.status_code == 200
        problems = body.json()["problems"]
        assert "minuscules" in problems["id"][0] and "a1_minutes" in problems
        stale = client.post(endpoint, json={"version": int(version), "fields": fields})
        assert stale.status_code == 409


def test_edit_in_a_browser_then_kit_check_passes_and_it_renders(server, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    base, lessons = server
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(f"{base}/seances/{LESSON}")
        page.get_by_role("button", name="Adapter cette leçon").click()
        page.get_by_label("Identifiant de votre séance").fill("temoin-actif-lyon")
        page.get_by_label("Titre de la séance").fill("Témoin actif, version de Lyon")
        duration = page.get_by_label("Durée (minutes)")
        duration.fill("50")
        error = page.locator("#err-duration")
        error.get_by_text("mais duration vaut 50").wait_for()
        first = page.get_by_role("group", name="Activité 1").get_by_label("Minutes")
        first.fill(str(int(first.input_value()) - 5))
        error.wait_for(state="hidden")
        assert "50" in plain(page.locator("#total").inner_text())
        picture = page.locator("#apercu")
        page.wait_for_function("() => document.getElementById('apercu').naturalWidth > 0 "
                               "&& document.getElementById('apercu').src.indexOf('v=1') < 0")
        assert picture.evaluate("img => img.naturalWidth") == 560
        page.get_by_role("button", name="Enregistrer la séance").click()
        page.get_by_role("status").get_by_text("temoin-actif-lyon.yaml").wait_for()
        browser.close()
    saved = lessons / "temoin-actif-lyon.yaml"
    assert saved.read_text(encoding="utf-8").startswith("# Séance adaptée dans kit serve")
    assert f"extends: {LESSON}" in saved.read_text(encoding="utf-8")
    assert main(["check", str(saved), "--lessons", str(lessons)]) == 0
    lesson = api.load_available([lessons]).get("temoin-actif-lyon")
    assert lesson.duration == 50 and lesson.title == "Témoin actif, version de Lyon"
    pdf = render_document(lesson, "guide").data
    assert "Témoin actif, version de Lyon" in " ".join(page_texts(pdf)[:2])
