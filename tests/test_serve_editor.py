"""« Adapter cette leçon » on the real server: an error appears on a bad duration and
goes when fixed, as typed; the saved `extends:` file passes `kit check` and renders; a
stale tab is refused; the form works without JavaScript."""
from __future__ import annotations

import io
import os
import re
import zipfile

import httpx
import pytest

from kit import api
from kit.cli import main
from kit.render import render_document
from tests.conftest import page_texts
from tests.serving import running_server
from tests.test_serve_batches import wait_for
from tests.test_serve_browser import ARGS, CHROMIUM, plain

LESSON = "cyberharcelement-temoin-actif"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("editeur")
    lessons = root / "mes-seances"
    lessons.mkdir()
    with running_server(root / "data", "--lessons", str(lessons)) as (base, _):
        yield base, lessons


@pytest.fixture
def browser():
    """Chromium for one browser test; skipped where Playwright or Chromium is missing."""
    playwright = pytest.importorskip("playwright.sync_api")
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def adapt(page, base: str) -> None:
    """« Adapter cette leçon » on the lesson's page: the editor of a new draft."""
    page.goto(f"{base}/seances/{LESSON}")
    page.get_by_role("button", name="Adapter cette leçon").click()
    page.wait_for_url("**/brouillons/**")


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
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.findall(r'<option value="([^"]*)" selected>', options)
        fields[name] = chosen[0] if chosen else re.findall(r'<option value="([^"]*)"', options)[0]
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


def test_edit_in_a_browser_then_kit_check_passes_and_it_renders(server, tmp_path, browser):
    base, lessons = server
    page = browser.new_page()
    adapt(page, base)
    page.get_by_label("Identifiant de votre séance").fill("temoin-actif-lyon")
    page.get_by_label("Titre de la séance").fill("Témoin actif, version de Lyon")
    duration = page.get_by_label("Durée (minutes)")
    duration.fill("50")
    error = page.locator("#err-duration")
    error.get_by_text("mais duration vaut 50").wait_for()
    first = page.get_by_role("group", name="Activité 1").get_by_label("Minutes", exact=True)
    first.fill(str(int(first.input_value()) - 5))
    error.wait_for(state="hidden")
    assert "50" in plain(page.locator("#total").inner_text())
    picture = page.locator("#apercu")
    page.wait_for_function("() => document.getElementById('apercu').naturalWidth > 0 "
                           "&& document.getElementById('apercu').src.indexOf('v=1') < 0")
    assert picture.evaluate("img => img.naturalWidth") == 560
    page.get_by_role("button", name="Enregistrer la séance").click()
    page.get_by_role("status").get_by_text("temoin-actif-lyon.yaml").wait_for()
    saved = lessons / "temoin-actif-lyon.yaml"
    assert saved.read_text(encoding="utf-8").startswith("# Séance adaptée dans kit serve")
    assert f"extends: {LESSON}" in saved.read_text(encoding="utf-8")
    assert main(["check", str(saved), "--lessons", str(lessons)]) == 0
    lesson = api.load_available([lessons]).get("temoin-actif-lyon")
    assert lesson.duration == 50 and lesson.title == "Témoin actif, version de Lyon"
    pdf = render_document(lesson, "guide").data
    assert "Témoin actif, version de Lyon" in " ".join(page_texts(pdf)[:2])


# --- the form's buttons, the student part, contacts, files: without JavaScript ---

class Draft:
    """A draft driven as a browser without JavaScript does: each button posts the form."""

    def __init__(self, client, lesson: str = LESSON):
        page = client.get(f"/seances/{lesson}")
        self.token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        self.client = client
        self.open(client.post(f"/seances/{lesson}/adapter", data={"csrf": self.token}))

    def open(self, response):
        assert response.status_code == 200, response.text[:300]
        self.url = str(response.url).split("#")[0]
        self.response = response
        self.fields = form_of(response.text)
        return self

    def press(self, action: str, expect: int = 200, **changes):
        response = self.client.post(self.url, data=self.fields | changes | {
            "csrf": self.token, "action": action})
        assert response.status_code == expect, (action, response.status_code,
                                                self.problems(response.text))
        self.response = response
        self.fields = form_of(response.text)
        return response

    @staticmethod
    def problems(html: str) -> dict:
        return dict(re.findall(r'id="err-([^"]+)" data-champ="[^"]+">([^<]+)', html))


def saved_lesson(lessons, lesson_id: str):
    return api.load_available([lessons]).get(lesson_id)


def test_activities_added_moved_removed_and_the_student_part_round_trip(server, capsys):
    base, lessons = server
    with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client:
        draft = Draft(client)
        original = [draft.fields[f"a{i}_id"] for i in range(5) if f"a{i}_id" in draft.fields]
        assert len(original) >= 4
        response = draft.press("ajouter-activite")
        assert str(response.url).endswith(f"#activite-{len(original) + 1}")
        new = len(original)
        assert Draft.problems(response.text)[f"a{new}_title"] == "à remplir"
        draft.press("verifier", **{f"a{new}_title": "Jeu de rôle", f"a{new}_minutes": "10",
                                   f"a{new}_instructions": "Deux élèves jouent la scène.",
                                   f"a{new}_intro": "Lisez la scène **à deux**.",
                                   "duration": "65", "id": "temoin-jeu-de-role"})
        draft.press("ajouter-question-%d" % new)
        problems = Draft.problems(draft.press("verifier", **{
            f"a{new}_q0_prompt": "Que fait le témoin ?", f"a{new}_q0_choices": "Il rit\nIl aide",
            f"a{new}_q0_answer": "Il part"}).text)
        assert "choix" in problems[f"a{new}_q0_answer"]  # the answer must be one of the choices
        draft.press("verifier", **{f"a{new}_q0_answer": "Il aide"})
        draft.press(f"monter-{new}")                     # the new one before the last
        draft.press("descendre-0")                       # the first one second
        removed = draft.fields["a1_id"]                  # ... then removed: 10 min less
        minutes = int(draft.fields["a1_minutes"])
        asked = draft.press("retirer-1", duration=str(65 - minutes))  # asked first
        assert str(asked.url).endswith("?retirer=2#retirer-2")
        assert re.search(r"<h3>Retirer l’activité 2 « .+? » \?</h3>", asked.text)
        assert draft.fields["a1_id"] == removed  # still there
        draft.press("retirer-oui-1")
        expected = [i for i in original if i != removed]
        expected.insert(len(expected) - 1, "activite-%d" % (new + 1))
        assert [draft.fields[f"a{i}_id"] for i in range(len(expected))] == expected
        assert Draft.problems(draft.response.text) == {}
        saved = draft.press("enregistrer")
        assert "temoin-jeu-de-role.yaml" in saved.text
        assert client.get("/seances/temoin-jeu-de-role").status_code == 200  # no restart needed
        assert "temoin-jeu-de-role" in {l["id"] for l in client.get("/api/lessons").json()}
    path = lessons / "temoin-jeu-de-role.yaml"
    assert main(["check", str(path), "--lessons", str(lessons)]) == 0
    capsys.readouterr()
    assert main(["show", "temoin-jeu-de-role", "--lessons", str(lessons)]) == 0
    shown = capsys.readouterr().out
    assert "Que fait le témoin ?" in shown and "Lisez la scène **à deux**." in shown
    lesson = saved_lesson(lessons, "temoin-jeu-de-role")
    from kit.web.draft import fields_of
    as_read = fields_of(lesson, "temoin-jeu-de-role")
    for i, activity in enumerate(as_read["activities"]):  # what the editor showed, field by field
        for key in ("id", "title", "minutes", "instructions", "intro", "write_prompt"):
            assert activity[key] == draft.fields[f"a{i}_{key}"], (i, key)
    question = as_read["activities"][len(expected) - 2]["questions"][0]
    assert question == {"prompt": "Que fait le témoin ?", "choices": "Il rit\nIl aide",
                        "answer": "Il aide", "explanation": ""}
    worksheet = " ".join(page_texts(render_document(lesson, "worksheet").data))
    assert "Que fait le témoin ?" in worksheet and "Il aide" in worksheet
    guide = " ".join(page_texts(render_document(lesson, "guide").data))
    assert "Jeu de rôle" in guide


def test_local_contacts_are_checked_as_with_contacts_and_saved_for_it(server, tmp_path):
    base, lessons = server
    with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client:
        draft = Draft(client)
        draft.press("ajouter-contact")
        problems = Draft.problems(draft.press("verifier", id="temoin-contacts", c0_name="Mme Martin",
                                              c0_role="CPE du collège", c0_phone="12 34").text)
        written = tmp_path / "contacts.yaml"  # the same mistake in a file given to --contacts
        written.write_text("contacts:\n  - name: Mme Martin\n    role: CPE du collège\n"
                           "    phone: 12 34\n", encoding="utf-8")
        with pytest.raises(Exception) as error:
            from kit.helpline import load_contacts_profile
            load_contacts_profile(written)
        assert problems["c0_phone"] in str(error.value)
        impostor = Draft.problems(draft.press("verifier", c0_phone="3018").text)
        assert "3018" in impostor["c0_name"]
        draft.press("verifier", c0_phone="01 23 45 67 89", preview_document="worksheet")
        assert Draft.problems(draft.response.text) == {}
        endpoint = draft.url.replace("/brouillons/", "/api/drafts/") + "/check"
        checked = client.post(endpoint, json={"version": int(draft.fields["version"]),
                                              "fields": draft.fields | {"preview_page": "9"}})
        assert checked.json()["pages"] >= 1 and checked.json()["problems"] == {}
        draft.fields["version"] = str(checked.json()["version"])
        picture = client.get(draft.url + "/apercu.png")  # page 9 asked: the last one is drawn
        assert picture.status_code == 200 and picture.content.startswith(b"\x89PNG")
        draft.press("enregistrer")
        data = lessons.parent / "data"
        contacts = data / "contacts" / "temoin-contacts.yaml"
        assert contacts.is_file()
        assert main(["check", str(lessons / "temoin-contacts.yaml"), "--lessons", str(lessons),
                     "--contacts", str(contacts)]) == 0
        lesson = saved_lesson(lessons, "temoin-contacts")
        from kit import api as kit_api
        people = kit_api.local_contacts(contacts)
        worksheet = " ".join(page_texts(render_document(lesson, "worksheet",
                                                        local_contacts=people).data))
        assert "Mme Martin" in worksheet and "01 23 45 67 89" in worksheet


def test_the_preview_shows_the_chosen_document_and_page(server):
    with httpx.Client(base_url=server[0], timeout=60, follow_redirects=True) as client:
        draft = Draft(client)
        first = client.get(draft.url + "/apercu.png").content
        draft.press("verifier", preview_document="guide", preview_page="2")
        assert re.search(r'<option value="guide" selected>', draft.response.text)
        assert re.search(r'id="pages"[^>]*>sur \d+', draft.response.text)
        second = client.get(draft.url + "/apercu.png").content
        assert second.startswith(b"\x89PNG") and second != first
        draft.press("verifier", duration="1")  # while a problem stays, no preview
        assert client.get(draft.url + "/apercu.png").status_code == 404


def test_a_file_it_did_not_write_is_replaced_only_when_the_user_says_so(server):
    base, lessons = server
    theirs = lessons / "temoin-deja-la.yaml"
    theirs.write_text("extends: cyberharcelement-temoin-actif\ntitle: Le mien\n", encoding="utf-8")
    with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client:
        draft = Draft(client)
        asked = draft.press("enregistrer", 409, id="temoin-deja-la", title="Le nôtre")
        assert "temoin-deja-la.yaml</strong> existe déjà" in asked.text
        assert theirs.read_text(encoding="utf-8").endswith("title: Le mien\n")  # nothing written
        token = draft.fields["remplacer"]
        theirs.write_text("extends: cyberharcelement-temoin-actif\ntitle: Le mien, changé\n",
                          encoding="utf-8")  # changed after the question: asked again
        draft.press("enregistrer", 409, remplacer=token)
        assert "changé" in theirs.read_text(encoding="utf-8")
        draft.press("enregistrer")  # « Oui, remplacer » on the file as it is now
        assert "title: Le nôtre" in theirs.read_text(encoding="utf-8")
        draft.press("enregistrer", title="Le nôtre, encore")  # its own file: no question
        assert "encore" in theirs.read_text(encoding="utf-8")


def test_an_uploaded_lesson_file_is_edited_and_saved_as_it_was(server, tmp_path):
    base, lessons = server
    text = (
        "# Notre version, écrite à la main.\n"
        f"extends: {LESSON}\n"
        "title: Témoin actif à Alès\n"
        "duration: 69\n"
        "activity_changes:\n"
        "  - change: scenarios\n"
        "    set: {minutes: 25}\n"
        "  - insert_after: scenarios\n"
        "    activity:\n"
        "      id: jeu-de-role\n"
        "      title: Jeu de rôle\n"
        "      minutes: 5\n"
        "      instructions: Deux élèves rejouent la scène.\n"
        "      boards:\n"
        "        - title: Les gestes\n"
        "          items: [Ne pas liker, Soutenir, En parler]\n"
        "add_sources:\n"
        "  - title: Association e-Enfance\n"
        "    address: https://e-enfance.org\n"
        "    consulted: 2026-11-01\n")
    mine = tmp_path / "temoin-ales.yaml"
    mine.write_text(text, encoding="utf-8")
    from kit.lessons import load_lesson
    from kit.extend import LibraryBases
    before, _ = load_lesson(mine, None, LibraryBases(api.load_available([]).lessons))
    with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client:
        draft = Draft(client)
        refused = client.post("/brouillons/importer", files={"lecon": (mine.name, text.encode())})
        assert refused.status_code == 403  # no CSRF token: refused
        for name, data, words in (("notes.txt", b"x", "fichier de séance .yaml"),
                                  ("mon-cours.yaml", b"title: x\n",
                                   "mon-cours.yaml:1:1: id: obligatoire"),
                                  ("liste.yaml", b"- a\n", "n'est pas une séance"),
                                  ("cassé.yaml", text.encode(), "fichier de séance .yaml"),
                                  ("faux.yaml", b"extends: [\n", "faux.yaml:")):
            page = client.post("/brouillons/importer", data={"csrf": draft.token},
                               files={"lecon": (name, data)})
            assert page.status_code == 422 and words in page.text.replace("&#39;", "'"), name
        uploaded = draft.open(client.post("/brouillons/importer", data={"csrf": draft.token},
                                          files={"lecon": (mine.name, text.encode())}))
        assert uploaded.fields["title"] == "Témoin actif à Alès" and uploaded.fields["id"] == "temoin-ales"
        assert "jeu-de-role" in uploaded.fields.values()
        assert Draft.problems(uploaded.response.text) == {}
        assert "Témoin actif à Alès" in client.get("/brouillons").text  # « Mes brouillons »
        uploaded.press("enregistrer")
        asked = client.post(uploaded.url + "/supprimer", data={"csrf": draft.token})
        assert "Supprimer le brouillon « Témoin actif à Alès » ?" in asked.text  # asked first
        assert client.get(uploaded.url).status_code == 200
        refused = client.post(uploaded.url + "/supprimer", data={"confirme": "oui"})
        assert refused.status_code == 403  # no CSRF token
        deleted = client.post(uploaded.url + "/supprimer", data={"csrf": draft.token,
                                                                 "confirme": "oui"})
        assert deleted.status_code == 200 and "Témoin actif à Alès" not in deleted.text
        assert client.get(uploaded.url).status_code == 404
    after = saved_lesson(lessons, "temoin-ales")
    assert after == before  # boards, added sources, changed minutes: nothing lost
    assert main(["check", str(lessons / "temoin-ales.yaml"), "--lessons", str(lessons)]) == 0


@pytest.mark.slow
def test_a_draft_survives_a_server_restart(tmp_path):
    data = tmp_path / "data"
    with running_server(data) as (base, _):
        with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client:
            draft = Draft(client)
            draft.press("ajouter-contact", title="Gardé après l’arrêt")
    with running_server(data) as (base, _):
        with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client:
            again = form_of(client.get(draft.url.replace(draft.url.split("/brouillons")[0], base)).text)
            assert again["title"] == "Gardé après l’arrêt" and "c0_name" in again
            assert again["version"] == draft.fields["version"]


def check_page(page, name: str) -> None:
    """tests/test_serve_browser.py's checks, on a page that may load its own script from
    /static (never an inline one: the CSP would block it)."""
    from tests.test_html import assert_accessible
    from tests.test_serve_browser import CONTRAST
    html = page.content()
    scripts = re.findall(r"<script[^>]*>.*?</script>", html, re.S)
    assert all(re.fullmatch(r'<script src="/static/\w+\.js" defer(="")?></script>', t)
               for t in scripts), name
    assert_accessible(re.sub(r"<script[^>]*>.*?</script>", "", html, flags=re.S), name)
    for field in page.locator("input:not([type=hidden]), select, textarea").all():
        assert page.locator(f"label[for='{field.get_attribute('id')}']").count() == 1, name
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
        f"{name}: scrolls sideways at {page.viewport_size['width']} px"
    assert page.evaluate(CONTRAST) == [], name


@pytest.mark.parametrize("width", [375, 1280])
def test_the_editor_reads_well_on_a_phone_and_a_desktop(server, width, tmp_path, browser):
    """Labels, contrast, no sideways scrolling; the structure buttons and the document
    choice work in a real browser; a screenshot to look at in SHOTS, when set."""
    page = browser.new_page(locale="fr-FR", viewport={"width": width, "height": 900})
    adapt(page, server[0])
    page.locator("#apercu").wait_for()
    check_page(page, f"editor at {width} px")
    page.get_by_label("Document").select_option("guide")
    page.wait_for_function("() => /sur \\d/.test(document.getElementById('pages').textContent)"
                           " && document.getElementById('apercu').src.indexOf('v=1') < 0")
    shots = os.environ.get("SHOTS")
    if shots:
        page.locator("#apercu").scroll_into_view_if_needed()
        page.screenshot(path=f"{shots}/apercu-{width}.png")
    page.get_by_role("button", name="Ajouter une activité").click()
    last = page.locator("fieldset.activite").last
    assert "à remplir" in plain(last.locator("#err-a%d_title" % (
        page.locator("fieldset.activite").count() - 1)).inner_text())
    assert page.locator("#apercu").is_hidden()  # no preview while a field is empty
    check_page(page, f"editor with a new activity at {width} px")
    if shots:
        page.screenshot(path=f"{shots}/editeur-{width}.png", full_page=True)
    page.get_by_role("link", name="Mes brouillons").first.click()
    check_page(page, f"drafts at {width} px")
    if shots:
        page.screenshot(path=f"{shots}/brouillons-{width}.png", full_page=True)


def test_two_tabs_on_one_draft_the_second_save_is_refused_and_writes_nothing(server):
    base, lessons = server
    with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client:
        first = Draft(client)
        second = form_of(client.get(first.url).text)  # the same draft open in another tab
        first.press("enregistrer", id="temoin-deux-onglets", title="Premier onglet")
        saved = (lessons / "temoin-deux-onglets.yaml").read_text(encoding="utf-8")
        refused = client.post(first.url, data=second | {
            "csrf": first.token, "action": "enregistrer", "id": "temoin-deux-onglets",
            "title": "Second onglet"})
        assert refused.status_code == 409 and "modifié ailleurs" in refused.text
        assert (lessons / "temoin-deux-onglets.yaml").read_text(encoding="utf-8") == saved
        assert "Premier onglet" in saved


# --- scenarios, writing lines, boards and group work ---

def activity_index(fields: dict, activity_id: str) -> int:
    return next(i for i in range(20) if fields.get(f"a{i}_id") == activity_id)


def test_scenarios_lines_boards_and_groups_are_edited_and_round_trip(server, capsys):
    base, lessons = server
    with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client:
        draft = Draft(client)
        i = activity_index(draft.fields, "scenarios")
        k = activity_index(draft.fields, "mes-gestes")
        first = activity_index(draft.fields, "ouverture")
        assert draft.fields[f"a{i}_s1_title"] == "Le faux compte"
        assert draft.fields[f"a{i}_group_report"] == "1,5"  # as a French reader writes it
        assert draft.fields[f"a{k}_write_lines"] == "4"
        assert draft.fields[f"a{first}_b0_title"] == "Nos règles"
        response = draft.press(f"ajouter-scenario-{i}")
        assert str(response.url).endswith(f"#scenario-{i + 1}-4")
        problems = Draft.problems(response.text)
        assert problems[f"a{i}_s3_title"] == "à remplir" and problems[f"a{i}_s3_text"] == "à remplir"
        problems = Draft.problems(draft.press("verifier", **{
            "id": "temoin-scenarios",
            f"a{i}_s3_title": "La photo de vacances", f"a{i}_s3_text": "Une photo de Léa circule.",
            f"a{i}_s3_question": "Que fais-tu ?",
            f"a{i}_s1_text": "Un faux compte publie au nom de Clara, une élève de 4e.",
            f"a{k}_write_lines": "trois", f"a{i}_group_prepare": "",
            f"a{first}_b0_items": ""}).text)
        assert set(problems) == {f"a{k}_write_lines", f"a{i}_group_prepare", f"a{first}_b0_items"}
        assert problems[f"a{i}_group_prepare"] == "à remplir"
        assert re.search(r'id="scenario-%d-4"' % (i + 1), draft.response.text)
        draft.press(f"retirer-scenario-{i}-0")  # « Le groupe de classe » goes
        draft.press(f"ajouter-tableau-{k}")
        problems = Draft.problems(draft.press("verifier", **{
            f"a{k}_write_lines": "6", f"a{i}_group_prepare": "7",
            f"a{first}_b0_items": "on parle des situations\nchacun peut se taire",
            f"a{k}_b0_title": "Mes trois gestes", f"a{k}_b0_items": "soutenir\nsignaler\nen parler",
            f"a{k}_b0_numbered": "oui"}).text)
        assert problems == {}
        draft.press("enregistrer")
    path = lessons / "temoin-scenarios.yaml"
    text = path.read_text(encoding="utf-8")
    changed = yaml_changes(text)
    assert set(changed) == {"ouverture", "scenarios", "mes-gestes"}
    assert set(changed["scenarios"]) == {"student"}  # only the changed keys
    assert set(changed["ouverture"]) == {"boards"}
    assert set(changed["mes-gestes"]) == {"boards", "student"}
    assert main(["check", str(path), "--lessons", str(lessons)]) == 0
    capsys.readouterr()
    assert main(["show", "temoin-scenarios", "--lessons", str(lessons)]) == 0
    assert "La photo de vacances" in capsys.readouterr().out
    lesson = saved_lesson(lessons, "temoin-scenarios")
    from kit.web.draft import fields_of
    as_read = fields_of(lesson, "temoin-scenarios")["activities"]
    for index, activity in enumerate(as_read):  # what the form showed, field by field
        for key in ("write_lines", "group_count", "group_prepare", "group_report"):
            assert activity[key] == draft.fields[f"a{index}_{key}"], (index, key)
        for j, scenario in enumerate(activity["scenarios"]):
            assert scenario == {key: draft.fields[f"a{index}_s{j}_{key}"]
                                for key in scenario}, (index, j)
        for j, board in enumerate(activity["boards"]):
            assert board == {key: draft.fields[f"a{index}_b{j}_{key}"] for key in board}
    assert [s.title for s in lesson.scenarios] == ["Le faux compte", "Le jeu en ligne",
                                                   "La photo de vacances"]
    assert lesson.activities[k].student.write_lines == 6
    assert lesson.activities[k].boards[0].numbered
    cards = " ".join(page_texts(render_document(lesson, "scenario-cards").data))
    assert "une élève de 4e" in plain(cards) and "La photo de vacances" in cards
    assert "Le groupe de classe" not in cards
    worksheet = plain(" ".join(page_texts(render_document(lesson, "worksheet").data)))
    assert "Une photo de Léa circule." in worksheet
    guide = plain(" ".join(page_texts(render_document(lesson, "guide").data)))
    assert "Mes trois gestes" in guide and "chacun peut se taire" in guide


def yaml_changes(text: str) -> dict:
    """The saved file's `change … set` keys, by activity id."""
    import yaml
    data = yaml.safe_load(text)
    return {c["change"]: c["set"] for c in data["activity_changes"] if "change" in c}


def test_a_scenario_edited_in_a_browser_is_in_the_preview_and_the_saved_file(server, browser):
    base, lessons = server
    page = browser.new_page()
    adapt(page, base)
    page.get_by_label("Identifiant de votre séance").fill("temoin-scenario-navigateur")
    page.get_by_label("Document").select_option("scenario-cards")
    scenario = page.get_by_role("group", name="Scénario 2")
    scenario.get_by_label("La situation").fill("Un compte imite Clara depuis lundi soir.")
    page.wait_for_function("() => !document.getElementById('apercu-pdf').hidden"
                           " && /sur \\d/.test(document.getElementById('pages').textContent)"
                           " && !/v=[12]$/.test(document.getElementById('apercu').src)")
    url = page.url.split("#")[0]
    pdf = page.request.get(url + "/apercu.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    cards = plain(" ".join(page_texts(pdf.body())))
    assert "Un compte imite Clara depuis lundi soir." in cards
    assert "elle a honte d'aller en cours" not in cards  # the old text is gone
    page.get_by_role("button", name="Enregistrer la séance").click()
    page.get_by_role("status").get_by_text("temoin-scenario-navigateur.yaml").wait_for()
    saved = (lessons / "temoin-scenario-navigateur.yaml").read_text(encoding="utf-8")
    assert "text: Un compte imite Clara depuis lundi soir." in saved
    lesson = saved_lesson(lessons, "temoin-scenario-navigateur")
    assert lesson.scenarios[1].text == "Un compte imite Clara depuis lundi soir."


def test_a_saved_lesson_that_needs_its_own_contacts_is_in_the_catalogue(server, capsys):
    """Its text names the local number: checked with the server's contacts (none here) it
    would be left out; the library pairs DATA/contacts/ID.yaml with lesson ID."""
    base, lessons = server
    with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client:
        draft = Draft(client)
        draft.press("ajouter-contact")
        instructions = draft.fields["a0_instructions"] + "\nLa CPE répond au 01 23 45 67 89."
        draft.press("verifier", id="temoin-numero-local", a0_instructions=instructions,
                    c0_name="Mme Martin", c0_role="CPE du collège", c0_phone="01 23 45 67 89")
        assert Draft.problems(draft.response.text) == {}
        draft.press("enregistrer")
        assert client.get("/seances/temoin-numero-local").status_code == 200
        assert "temoin-numero-local" in {l["id"] for l in client.get("/api/lessons").json()}
        pdf = client.get("/seances/temoin-numero-local/documents/worksheet.pdf")
        assert pdf.status_code == 200
        assert "Mme Martin" in " ".join(page_texts(pdf.content))  # printed with its contacts
        other = client.get(f"/seances/{LESSON}/documents/worksheet.pdf")
        assert "Mme Martin" not in " ".join(page_texts(other.content))  # only that lesson
        roster = ("Établissement;Classe;Séance;Date\n"
                  "Collège A;5e B;temoin-numero-local;09/11/2027\n"
                  f"Collège A;5e C;{LESSON};10/11/2027\n").encode("utf-8")
        posted = client.post("/api/batches", headers={"X-Kit-Client": "1"},
                             data={"documents": "worksheet"},
                             files={"roster": ("seances.csv", roster, "text/csv")})
        assert posted.status_code == 202 and posted.json()["plan"]["bad"] == [], posted.text
        job = wait_for(client, posted.json()["id"])  # a district batch prints it the same way
        assert job["summary"]["ok"] == 2
        with client.stream("GET", f"/api/batches/{job['id']}/packets.zip") as response:
            archive = zipfile.ZipFile(io.BytesIO(b"".join(response.iter_bytes())))
        texts = {name: " ".join(page_texts(archive.read(name))) for name in archive.namelist()
                 if name.endswith(".pdf")}
        assert all(("Mme Martin" in text) == ("temoin-numero-local" in name)
                   for name, text in texts.items()) and len(texts) == 2
    path = lessons / "temoin-numero-local.yaml"
    assert main(["check", str(path), "--lessons", str(lessons)]) != 0  # needs them indeed
    contacts = lessons.parent / "data" / "contacts" / "temoin-numero-local.yaml"
    assert main(["check", str(path), "--lessons", str(lessons), "--contacts", str(contacts)]) == 0
    capsys.readouterr()


# --- a full lesson file (not `extends:`) uploaded ---

def bundled_text(lesson_id: str = LESSON) -> str:
    from kit import paths
    return (paths.bundled_lessons() / f"{lesson_id}.yaml").read_text(encoding="utf-8")


def upload(draft: Draft, name: str, text: str) -> Draft:
    return draft.open(draft.client.post("/brouillons/importer", data={"csrf": draft.token},
                                        files={"lecon": (name, text.encode("utf-8"))}))


def test_a_full_copy_of_a_catalogue_lesson_becomes_an_adaptation_of_it(server, tmp_path):
    base, lessons = server
    text = (bundled_text().replace("title: Que ferais-tu ?", "title: Et toi, que ferais-tu ?", 1)
            .replace("elle a honte d'aller en cours.", "elle ne veut plus aller au collège.", 1))
    assert text.count("Et toi, que ferais-tu ?") == 1 and "ne veut plus aller" in text
    copy = tmp_path / f"{LESSON}.yaml"
    copy.write_text(text, encoding="utf-8")
    from kit.lessons import load_lesson
    uploaded, _ = load_lesson(copy)
    with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client:
        draft = upload(Draft(client), copy.name, text)
        assert "Modifier « " in draft.response.text
        assert re.search(r"En faire une adaptation de « [^»]+ » \?", draft.response.text)
        assert "même identifiant" in draft.response.text
        draft.press("adapter-de")
        assert "<h1>Adapter « " in draft.response.text and 'id="offre"' not in draft.response.text
        assert draft.fields["id"] == f"{LESSON}-adaptee"  # never the base's own id
        assert Draft.problems(draft.response.text) == {}
        draft.press("enregistrer")
    path = lessons / f"{LESSON}-adaptee.yaml"
    saved = path.read_text(encoding="utf-8")
    assert f"extends: {LESSON}" in saved and "ne veut plus aller au collège" in saved
    assert "Une seule moquerie" not in saved  # only what changed is written
    assert main(["check", str(path), "--lessons", str(lessons)]) == 0
    after = saved_lesson(lessons, f"{LESSON}-adaptee")
    expected = uploaded.model_copy(update={"id": f"{LESSON}-adaptee"})
    assert after == expected


def test_a_full_lesson_uploaded_is_saved_as_a_full_lesson_equal_to_it(server, tmp_path):
    base, lessons = server
    text = bundled_text().replace(f"id: {LESSON}", "id: temoin-complete", 1)
    text = re.sub(r"(?m)^duration: \d+", "duration: 55", text, count=1)  # same title as the base
    copy = tmp_path / "temoin-complete.yaml"
    copy.write_text(text, encoding="utf-8")
    from kit.lessons import load_lesson
    uploaded, _ = load_lesson(copy)
    with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client:
        draft = upload(Draft(client), copy.name, text)
        assert "même titre" in draft.response.text
        draft.press("garder-complete")
        assert 'id="offre"' not in draft.response.text and "Modifier « " in draft.response.text
        assert Draft.problems(draft.response.text) == {}
        assert "aucune (séance complète)" in client.get("/brouillons").text
        download = client.get(draft.url + "/seance.yaml")
        assert "extends:" not in download.text and "id: temoin-complete" in download.text
        draft.press("enregistrer")
        assert client.get("/seances/temoin-complete").status_code == 200
    path = lessons / "temoin-complete.yaml"
    saved = path.read_text(encoding="utf-8")
    assert saved.startswith("# Séance écrite dans kit serve") and "\nextends:" not in saved
    assert "# Vérifiez-la avec : kit check temoin-complete.yaml" in saved
    assert main(["check", str(path), "--lessons", str(lessons)]) == 0
    assert saved_lesson(lessons, "temoin-complete") == uploaded


@pytest.mark.parametrize("width", [375, 1280])
def test_uploading_a_full_lesson_in_a_browser_offers_an_adaptation(server, width, tmp_path,
                                                                  browser):
    copy = tmp_path / f"{LESSON}.yaml"
    copy.write_text(bundled_text().replace("duration: 55", "duration: 55", 1), encoding="utf-8")
    broken = tmp_path / "cassee.yaml"
    broken.write_text("title: x\n", encoding="utf-8")
    shots = os.environ.get("SHOTS")
    page = browser.new_page(locale="fr-FR", viewport={"width": width, "height": 900})
    page.goto(f"{server[0]}/brouillons")
    page.get_by_label("Fichier de la séance (.yaml)").set_input_files(str(broken))
    page.get_by_role("button", name="Reprendre ce fichier").click()
    page.get_by_role("alert").get_by_text("cassee.yaml:1:1: id: obligatoire").wait_for()
    check_page(page, f"drafts with an upload error at {width} px")
    if shots:
        page.screenshot(path=f"{shots}/import-erreur-{width}.png", full_page=True)
    page.get_by_label("Fichier de la séance (.yaml)").set_input_files(str(copy))
    page.get_by_role("button", name="Reprendre ce fichier").click()
    offer = page.get_by_role("region", name=re.compile("En faire une adaptation"))
    offer.wait_for()
    check_page(page, f"editor with the adaptation offer at {width} px")
    if shots:
        page.screenshot(path=f"{shots}/offre-{width}.png")
    offer.get_by_role("button", name=re.compile("Oui, adapter")).click()
    page.get_by_role("heading", level=1, name=re.compile("^Adapter")).wait_for()
    assert page.get_by_label("Identifiant de votre séance").input_value() == f"{LESSON}-adaptee"


def test_a_button_pressed_while_a_check_is_in_flight_keeps_the_change(server, browser):
    """The server has the typed change (and gave it a new version) but its answer has not
    reached the page when a button is pressed: the page waits for it and posts with the
    new version, so the tab does not refuse its own form and nothing typed is lost."""
    base, lessons = server
    held = []

    def hold(route):  # the check reaches the server; its answer waits until released
        held.append((route, route.fetch()))

    def wait_held():
        for _ in range(300):
            if held:
                return
            page.wait_for_timeout(50)
        raise AssertionError("no check was sent")

    def release():
        while held:
            route, response = held.pop(0)
            route.fulfill(response=response)

    page = browser.new_page()
    adapt(page, base)
    page.wait_for_load_state("load")  # editor.js listens
    count = page.locator("fieldset.activite").count()
    page.route("**/api/drafts/*/check", hold)
    page.get_by_label("Titre de la séance").fill("Tapé juste avant le bouton")
    wait_held()  # sent after the pause, answered by the server, not yet by the page
    page.get_by_role("button", name="Ajouter une activité").click()
    release()
    page.locator("fieldset.activite").nth(count).wait_for()
    page.wait_for_load_state("load")
    assert "modifié ailleurs" not in page.content()
    assert page.get_by_label("Titre de la séance").input_value() == "Tapé juste avant le bouton"
    page.get_by_label("Identifiant de votre séance").fill("temoin-bouton-presse")
    new = page.locator("fieldset.activite").nth(count)
    new.get_by_label("Titre", exact=True).fill("Débat")
    new.get_by_label("Consignes pour l’animateur").fill("La classe débat.")
    page.get_by_label("Durée (minutes)").fill(page.locator("#total strong").inner_text())
    page.get_by_role("button", name="Enregistrer la séance").click()  # at once: sent first
    wait_held()
    saved = page.get_by_role("status").get_by_text("temoin-bouton-presse.yaml")
    for _ in range(600):  # a check sent between two fills is released too
        release()
        if saved.is_visible():
            break
        page.wait_for_timeout(50)
    saved.wait_for()
    assert "modifié ailleurs" not in page.content()
    saved = (lessons / "temoin-bouton-presse.yaml").read_text(encoding="utf-8")
    assert "title: Tapé juste avant le bouton" in saved and "title: Débat" in saved


@pytest.mark.parametrize("width", [375, 1280])
def test_removing_an_activity_or_a_draft_is_confirmed_with_and_without_javascript(server, width,
                                                                                browser):
    shots = os.environ.get("SHOTS")
    page = browser.new_page(locale="fr-FR", viewport={"width": width, "height": 900})
    adapt(page, server[0])
    page.wait_for_load_state("load")  # confirm.js listens
    page.get_by_label("Titre de la séance").fill(f"À supprimer, {width} px")
    activities = page.locator("fieldset.activite")
    count = activities.count()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Retirer l’activité 2").click()
    page.wait_for_timeout(300)
    assert asked and "Retirer l’activité 2 « Vrai ou faux ? »" in asked[0]
    assert activities.count() == count  # « Annuler »: nothing taken away
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Retirer l’activité 2").click()
    page.wait_for_function(f"() => document.querySelectorAll('fieldset.activite').length == {count - 1}")
    assert "Vrai ou faux ?" not in [a.get_by_label("Titre", exact=True).input_value()
                                     for a in activities.all()]
    page.get_by_role("link", name="Mes brouillons").first.click()
    page.wait_for_url("**/brouillons")
    page.wait_for_load_state("load")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Supprimer le brouillon « À supprimer, {width} px »").click()
    page.wait_for_load_state()
    page.get_by_role("heading", name="Mes brouillons").wait_for()
    assert f"À supprimer, {width} px" not in page.content()
    # without JavaScript, the server asks on a page
    plain_page = browser.new_page(locale="fr-FR", java_script_enabled=False,
                                  viewport={"width": width, "height": 900})
    adapt(plain_page, server[0])
    plain_page.get_by_role("button", name="Retirer l’activité 3").click()
    box = plain_page.get_by_role("alert").filter(has_text="Retirer l’activité 3")
    box.wait_for()
    check_page(plain_page, f"editor asking to remove an activity at {width} px")
    if shots:
        box.scroll_into_view_if_needed()
        plain_page.screenshot(path=f"{shots}/retirer-{width}.png")
    box.get_by_role("button", name="Oui, retirer l’activité 3").click()
    assert plain_page.locator("fieldset.activite").count() == count - 1
    plain_page.get_by_role("link", name="Mes brouillons").first.click()
    plain_page.get_by_role("button", name=re.compile("^Supprimer le brouillon")).first.click()
    question = plain_page.get_by_role("alert").filter(has_text="Supprimer le brouillon")
    question.wait_for()
    check_page(plain_page, f"drafts asking to delete at {width} px")
    if shots:
        plain_page.screenshot(path=f"{shots}/supprimer-{width}.png")
    rows = plain_page.locator("tbody tr").count()
    question.get_by_role("button", name="Oui, supprimer le brouillon").click()
    assert plain_page.locator("tbody tr").count() == rows - 1


def test_a_draft_kept_before_scenarios_were_in_the_form_writes_them_once():
    """A draft of part 2 kept boards, scenarios, lines and groups aside (`kept`): moved
    into the form's fields, the file is the same as from a new draft."""
    from kit.web import draft as drafts
    library = api.load_available([]).lessons
    base = library[LESSON]
    fresh = drafts.fields_of(base, "temoin-ancien")
    old = drafts.fields_of(base, "temoin-ancien")
    for activity in old["activities"]:  # as part 2 stored it
        kept = old["kept"].setdefault(activity["id"], {})
        data = drafts.activity_data(activity, {})
        kept.update({k: data[k] for k in ("boards", "groups") if k in data})
        student = {k: v for k, v in data.get("student", {}).items()
                   if k in ("scenarios", "write_lines")}
        if student:
            kept["student"] = student
        for key in ("scenarios", "boards", "write_lines", *drafts.GROUP_FIELDS):
            del activity[key]
    assert any("student" in k for k in old["kept"].values())
    upgraded = drafts.upgraded(old)
    assert upgraded["activities"] == fresh["activities"]
    text = drafts.extension_yaml(upgraded, base, "x")
    assert text == drafts.extension_yaml(fresh, base, "x") and "activit" not in text.split("title:")[1]
