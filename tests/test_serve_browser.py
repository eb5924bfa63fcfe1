"""The teacher's flow in a real browser (Playwright driving the system chromium):
catalogue, search, a lesson's page with its previews, « Préparer ma séance » with an
error shown next to its field, then the print file downloaded and read."""
from __future__ import annotations

import os
import re
import shutil

import pytest

from tests.conftest import page_texts
from tests.serving import running_server
from tests.test_html import assert_accessible
from tests.test_pack import copies

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = os.environ.get("SHOTS")  # a folder: the pages are saved there to look at
playwright = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[test]'")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                "(Debian: apt-get install chromium); .ci/run installs it")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

# WCAG 2.2 AA: every visible text's colour against the background it sits on.
CONTRAST = """() => {
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor;
      const v = rgb(c); if (v.length < 4 || v[3] > 0) return v; } return [255, 255, 255]; };
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.offsetParent) continue;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) bad.push(el.tagName + ' ' + el.textContent.trim().slice(0, 30) + ' ' + ratio.toFixed(2));
  }
  return bad;
}"""


def plain(text: str) -> str:
    """Text as read, French non-breaking spaces as spaces."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("browser") / "data") as (url, _):
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def check_page(page, name: str) -> None:
    """One h1, French, labels, alt texts; no horizontal scrolling; AA contrast."""
    assert_accessible(page.content(), name)
    for field in page.locator("input:not([type=hidden]), select").all():
        assert page.locator(f"label[for='{field.get_attribute('id')}']").count() == 1, name
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
        f"{name}: scrolls sideways at {page.viewport_size['width']} px"
    assert page.evaluate(CONTRAST) == [], name


def test_a_teacher_prepares_and_downloads_a_class_pack(base, browser, tmp_path, library):
    context = browser.new_context(locale="fr-FR", accept_downloads=True,
                                  viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.goto(base)
    check_page(page, "catalogue")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"

    page.fill("#q", "harcelement")  # without its accent: the search forgives
    page.select_option("#niveau", "college")
    page.click("button:has-text('Filtrer')")
    titles = [plain(t) for t in page.locator(".carte h2").all_inner_texts()]
    assert "Cyberharcèlement : ne reste pas spectateur" in titles
    assert all("Collège" in meta for meta in page.locator(".carte .meta").all_inner_texts()[::2])
    page.click("text=Cyberharcèlement : ne reste pas spectateur")

    assert plain(page.locator("h1").inner_text()) == "Cyberharcèlement : ne reste pas spectateur"
    check_page(page, "lesson")
    plan = page.locator("table.deroule tbody tr")
    assert plan.count() == len(library.get("cyberharcelement-temoin-actif").activities)
    previews = page.locator(".apercus img")
    assert previews.count() >= 10
    previews.last.scroll_into_view_if_needed()
    loaded = "() => [...document.querySelectorAll('.apercus img')].every(i => i.complete && i.naturalWidth > 0)"
    for _ in range(300):  # wait_for_function would need 'unsafe-eval', which the CSP forbids
        if page.evaluate(loaded):
            break
        page.wait_for_timeout(200)
    assert page.evaluate(loaded), "a preview did not load"

    page.locator("a:has-text('Préparer ma séance')").first.click()
    check_page(page, "prepare")
    page.click("button:has-text('Préparer la séance')")
    assert plain(page.locator("#pupils-erreur").inner_text()) == "Erreur : à remplir"
    assert page.get_attribute("#pupils", "aria-invalid") == "true"
    check_page(page, "prepare with an error")

    page.fill("#school", "Collège Les Genêts")
    page.fill("#class", "5e B")
    page.fill("#date", "2027-11-09")
    page.fill("#pupils", "28")
    page.fill("#dys", "2")
    assert page.get_by_label("Arabe (العربية)").count() == 1  # the letter's translations offered
    page.fill("#lang-ar", "40")
    page.click("button:has-text('Préparer la séance')")
    assert "plus de lettres dans la langue des familles (40) que d'élèves (28)" in plain(
        page.locator("#languages").inner_text())
    check_page(page, "prepare with a language error")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/prepare-languages.png", full_page=True)
    page.fill("#lang-ar", "3")
    page.press("#dys", "Enter")  # the keyboard submits the form

    assert page.locator("h1").inner_text() == "Votre séance est prête à imprimer"
    check_page(page, "prepared")
    recap = plain(page.locator("table.recap").inner_text())
    assert re.search(r"Fiche élève 26 3 52", recap)
    assert re.search(r"Lettre aux familles \(arabe\) 3 ", recap), recap
    with page.expect_download() as download:
        page.click("text=Télécharger le PDF à imprimer")
    assert download.value.suggested_filename == "seance-cyberharcelement-temoin-actif-5e-b.pdf"
    pdf = tmp_path / "seance.pdf"
    download.value.save_as(pdf)
    texts = page_texts(pdf)
    assert copies(texts, "Fiche élève") == 28
    arabic = [t for t in texts if re.search("[\u0600-\u06ff\ufb50-\ufeff]", t)]
    assert arabic and len(arabic) % 3 == 0  # three families' letters, French then Arabic
    assert all("3018" in text for text in texts)
    joined = " ".join(texts)
    assert "Collège Les Genêts" in joined and "5e B" in joined and "9 novembre 2027" in joined

    page.click("text=Mes séances préparées")
    check_page(page, "history")
    assert "5e B, Collège Les Genêts" in plain(page.locator("table").inner_text())
    context.close()


@pytest.mark.parametrize("width", [375, 640])  # a phone; 1280 px at 200 % zoom
def test_every_page_fits_a_narrow_screen(base, browser, width):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
    page = context.new_page()
    for path in ("/", "/seances/droit-a-l-image", "/seances/droit-a-l-image/preparer",
                 "/preparations"):
        page.goto(base + path)
        check_page(page, f"{path} at {width} px")
    context.close()
