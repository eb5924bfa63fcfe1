"""Shared helpers: tests read the PDFs they make, as a reader would."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

# The tests keep their own cache (kit.cache), as a user has one: not the user's, and
# empty at each run, so the first load of each file goes the long way.
os.environ["KIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="kit-test-cache-")

from kit.lessons import load_library  # noqa: E402 (after the cache folder is set)

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
A4 = (595.28, 841.89)


def reader(pdf) -> PdfReader:
    data = pdf.data if hasattr(pdf, "data") else pdf
    return PdfReader(io.BytesIO(data) if isinstance(data, bytes) else str(data))


def page_texts(pdf) -> list[str]:
    """Each page's text, with runs of white space (including non-breaking) made single spaces."""
    return [" ".join(page.extract_text().split()) for page in reader(pdf).pages]


def embedded_fonts(pdf) -> dict[str, bool]:
    """Every font the pages use, and whether its program is embedded."""
    fonts = {}
    for page in reader(pdf).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            name = str(font.get("/BaseFont"))
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            fonts[name] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


# What must never reach a page: unfilled placeholders, Markdown, ReportLab or HTML markup.
LEFTOVERS = ("{{", "}}", "{%", "%}", "**", "<b>", "</b>", "<i>", "</i>", "<br/>", "<super>",
             "&lt;", "&gt;", "&amp;", "&#", "&nbsp;")
HELPLINE_PROMISES = "gratuit, anonyme, confidentiel"


def assert_clean_pdf(pdf, also=(), promises: bool = True) -> list[str]:
    """What a reader checks on any PDF the kit makes, in one place: the 3018 (and, unless
    `promises` is False, « gratuit, anonyme, confidentiel ») on every page, nothing of
    LEFTOVERS (or `also`) left on any page, every font embedded, and qpdf finding nothing
    wrong when it is installed. Returns each page's text for the test's own checks."""
    texts = page_texts(pdf)
    assert texts, "the PDF has no page"
    for number, text in enumerate(texts, 1):
        assert "3018" in text, f"page {number} has no 3018: {text[:300]}"
        assert not promises or HELPLINE_PROMISES in text, f"page {number}: {text[:300]}"
        left = [leftover for leftover in (*LEFTOVERS, *also) if leftover in text]
        assert not left, f"page {number} shows {left}: {text[:300]}"
    fonts = embedded_fonts(pdf)
    assert fonts and all(fonts.values()), f"fonts not embedded: {fonts}"
    if shutil.which("qpdf"):
        data = pdf.data if hasattr(pdf, "data") else Path(pdf).read_bytes()
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(data)
            file.flush()
            check = subprocess.run(["qpdf", "--check", file.name], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
    return texts


def write_lesson(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def library():
    return load_library()


@pytest.fixture
def lesson_copy(tmp_path):
    """A copy of the reference lesson in a temporary folder, to edit."""
    def make(replace=(), name="cyberharcelement-temoin-actif.yaml"):
        text = (ROOT / "lessons" / "cyberharcelement-temoin-actif.yaml").read_text(encoding="utf-8")
        for old, new in replace:
            assert old in text, f"test setup: {old!r} not in the reference lesson"
            text = text.replace(old, new)
        return write_lesson(tmp_path, name, text)
    return make


needs_poppler = pytest.mark.skipif(shutil.which("pdffonts") is None,
                                   reason="poppler-utils not installed (apt-get install poppler-utils)")
needs_qpdf = pytest.mark.skipif(shutil.which("qpdf") is None,
                                reason="qpdf not installed (apt-get install qpdf)")
