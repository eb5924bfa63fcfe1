"""The HTML edition and the catalogue page: structure checked with a parser, escaping,
and the catalogue opened in a real headless browser (Debian's chromium)."""
from __future__ import annotations

import shutil
import struct
import subprocess
from html.parser import HTMLParser
from urllib.parse import unquote, urlparse

import pytest

from kit.catalogue import build
from kit.documents import DOCUMENT_TYPES
from kit.html import html_file_name, render_html
from kit.lessons import Library, load_lesson

from .conftest import ROOT

REFERENCE = "cyberharcelement-temoin-actif"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
VAGUE_LINKS = {"ici", "cliquez ici", "lien", "plus", "en savoir plus"}


class PageStructure(HTMLParser):
    """What an accessibility check reads: headings, tables, images, links, scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.headings: list[int] = []
        self.tags: list[tuple[str, dict]] = []
        self.links: list[tuple[str, str]] = []  # (href, visible text)
        self.text: list[str] = []
        self._link: list | None = None
        self._in_table_rows = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        if tag == "a":
            self._link = [attrs.get("href", ""), ""]

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0], " ".join(self._link[1].split())))
            self._link = None

    def handle_data(self, data):
        self.text.append(data)
        if self._link is not None:
            self._link[1] += data

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]


def parse(html: str) -> PageStructure:
    page = PageStructure()
    page.feed(html)
    page.close()
    return page


def assert_accessible(html: str, name: str) -> PageStructure:
    page = parse(html)
    assert page.lang == "fr", name
    assert page.headings.count(1) == 1 and page.headings[0] == 1, f"{name}: {page.headings}"
    for before, after in zip(page.headings, page.headings[1:]):
        assert after <= before + 1, f"{name}: heading h{after} follows h{before}"
    assert not page.all("script"), f"{name}: no JavaScript"
    assert all(img.get("alt", "").strip() for img in page.all("img")), f"{name}: image without alt"
    for href, text in page.links:
        assert href and text and text.lower() not in VAGUE_LINKS, f"{name}: link {href!r} {text!r}"
    assert any(href.startswith("tel:") for href, _ in page.links), f"{name}: no tel: link"
    if page.all("table"):
        assert page.all("th") and all(th.get("scope") in ("col", "row") for th in page.all("th"))
    assert any(m.get("name") == "viewport" for m in page.all("meta")), f"{name}: not for phones"
    return page


def reference():
    return load_lesson(ROOT / "lessons" / f"{REFERENCE}.yaml")[0]


@pytest.mark.parametrize("document", [d for d in reference().offered_documents
                                      if d in DOCUMENT_TYPES])
def test_every_document_page_passes_the_structure_checks(document):
    page = assert_accessible(render_html(reference(), document), document)
    assert any(href == "tel:3018" for href, _ in page.links)


def test_the_worksheet_page_has_the_lessons_content_and_real_lists():
    page = assert_accessible(render_html(reference(), "worksheet"), "worksheet")
    text = " ".join(" ".join(page.text).split())
    assert "Le groupe de classe" in text and "À retenir" in text
    assert "Faux" in text and "Réponse attendue" not in text  # answers stay in the guide
    assert len(page.all("li")) > 10 and page.all("ol") and page.all("ul")


def test_the_guide_page_has_a_plan_table_with_header_cells_and_the_answers():
    html = render_html(reference(), "guide")
    page = assert_accessible(html, "guide")
    assert [th.get("scope") for th in page.all("th")][:3] == ["col", "col", "col"]
    assert "Réponse attendue" in " ".join(page.text)
    assert any(href == "https://www.3018.fr" for href, _ in page.links)


def test_lesson_text_is_escaped(lesson_copy):
    attack = "<img src=x onerror=alert(1)>"
    path = lesson_copy([('title: "Cyberharcèlement : ne reste pas spectateur"',
                         f'title: "{attack} & co"')])
    lesson = load_lesson(path)[0]
    html = render_html(lesson, "worksheet")
    page = parse(html)
    assert not [img for img in page.all("img") if img.get("src") == "x"]
    assert not [attrs for _, attrs in page.tags if "onerror" in attrs]
    h1 = html.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert h1 == "&lt;img src=x onerror=alert(1)&gt; &amp; co"
    assert f"{attack} & co" in " ".join(page.text)


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    """The reference lesson built with three documents in every edition."""
    out = tmp_path_factory.mktemp("dist")
    lesson, origin = load_lesson(ROOT / "lessons" / f"{REFERENCE}.yaml")
    build(Library({lesson.id: lesson}, {lesson.id: origin}), out,
          documents=("worksheet", "guide", "poster"))
    return out


def local_targets(page: PageStructure) -> list[str]:
    hrefs = [href for href, _ in page.links] + [img["src"] for img in page.all("img")]
    return [h for h in hrefs if not urlparse(h).scheme and not h.startswith("#")]


def test_the_catalogue_lists_every_lesson_with_links_and_thumbnails(catalogue):
    page = assert_accessible((catalogue / "index.html").read_text(encoding="utf-8"), "index")
    text = " ".join(" ".join(page.text).split())
    assert "Cyberharcèlement : ne reste pas spectateur" in text
    assert "Collège" in text and "55 min" in text and "témoin actif" in text
    targets = local_targets(page)
    pdfs = [t for t in targets if t.endswith(".pdf")]
    assert len(pdfs) == 9 and any(t.endswith("-dys.pdf") for t in pdfs)
    assert any(t.endswith("-gros-caracteres.pdf") for t in pdfs)
    assert [t for t in targets if t.endswith(".html")] == [
        f"{REFERENCE}/{html_file_name(REFERENCE, d)}" for d in ("worksheet", "guide", "poster")]
    for target in targets:
        assert (catalogue / unquote(target)).is_file(), target
    for thumbnail in [t for t in targets if t.endswith(".png")]:
        data = (catalogue / thumbnail).read_bytes()
        width, height = struct.unpack(">II", data[16:24])
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and width == 120 and height > 150
        assert len(data) < 20_000


def test_each_html_page_links_to_its_pdfs(catalogue):
    html = (catalogue / REFERENCE / html_file_name(REFERENCE, "worksheet")).read_text("utf-8")
    page = assert_accessible(html, "worksheet in dist")
    assert sorted(local_targets(page)) == sorted([
        "../index.html", f"{REFERENCE}-fiche-eleve.pdf", f"{REFERENCE}-fiche-eleve-dys.pdf",
        f"{REFERENCE}-fiche-eleve-gros-caracteres.pdf"])


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                    "(Debian: apt-get install chromium); .ci/run installs it")
@pytest.mark.slow
def test_the_catalogue_opens_in_a_headless_browser(catalogue, tmp_path):
    """The browser's own DOM (not our parser's) has every link, and each resolves to a file;
    the page logs nothing to the console (chromium prints console messages to stderr)."""
    for page_path in (catalogue / "index.html", catalogue / REFERENCE / html_file_name(REFERENCE, "guide")):
        run = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
             "--dump-dom", page_path.as_uri()],
            capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr[-2000:]
        console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
        assert not console, console
        dom = parse(run.stdout)
        assert dom.lang == "fr" and dom.headings.count(1) == 1
        targets = local_targets(dom)
        assert targets
        for target in targets:
            assert (page_path.parent / unquote(target)).resolve().is_file(), target
