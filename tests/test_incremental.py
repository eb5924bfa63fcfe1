"""`kit build` remakes only what changed since the last build into the same folder."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kit import catalogue, manifest
from kit.cli import main
from kit.lessons import load_library
from kit.theme import load_theme

FIXTURES = Path(__file__).parent / "data" / "lessons"


@pytest.fixture
def lessons(tmp_path) -> Path:
    folder = tmp_path / "lessons"
    shutil.copytree(FIXTURES, folder)
    return folder


def build(folder: Path, out: Path, **options):
    options.setdefault("editions", ("standard",))
    return catalogue.build(load_library([folder]), out, workers=1, complete=True, **options)


def snapshot(out: Path) -> dict[str, tuple[int, int]]:
    """Every file with its inode and modification time: an atomic rewrite changes both."""
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(out.rglob("*")) if p.is_file()}


def changed(before: dict, after: dict) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def test_a_rerun_with_nothing_changed_writes_no_file(lessons, tmp_path):
    out = tmp_path / "dist"
    first = build(lessons, out)
    assert first and all(b.remade for b in first)
    before = snapshot(out)
    assert {"index.html", "index.json", manifest.MANIFEST} <= set(before)
    again = build(lessons, out)
    assert [b.path for b in again] == [b.path for b in first]
    assert not any(b.remade for b in again)
    assert changed(before, snapshot(out)) == set()


def test_a_changed_lesson_remakes_only_its_own_files(lessons, tmp_path):
    out = tmp_path / "dist"
    build(lessons, out)
    before = snapshot(out)
    lesson = lessons / "essai-court.yaml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(
        "Une fiche par élève.", "Une fiche et un crayon par élève."), encoding="utf-8")
    built = build(lessons, out)
    assert {b.lesson for b in built if b.remade} == {"essai-court"}
    touched = changed(before, snapshot(out))
    pdfs = {"essai-court/essai-court-fiche-eleve.pdf", "essai-court/essai-court-guide-animateur.pdf"}
    pages = {"essai-court/essai-court-fiche-eleve.html", "essai-court/essai-court-guide-animateur.html",
             "essai-court/apercus/essai-court-fiche-eleve.png",
             "essai-court/apercus/essai-court-guide-animateur.png"}  # rewritten if they differ
    assert pdfs <= touched <= pdfs | pages | {"index.json", "index.html", manifest.MANIFEST}


@pytest.mark.parametrize("asset", ["helpline.yaml", "styles.yaml"])
def test_a_changed_helpline_or_stylesheet_remakes_every_document(lessons, tmp_path, monkeypatch,
                                                                asset):
    out = tmp_path / "dist"
    build(lessons, out)
    assets = dict(manifest._assets())
    monkeypatch.setattr(manifest, "_assets", lambda: {**assets, asset: "changed"})
    assert all(b.remade for b in build(lessons, out))


def test_guide_sections_remake_the_guides_pdfs_only(lessons, tmp_path, monkeypatch):
    out = tmp_path / "dist"
    build(lessons, out)
    assets = dict(manifest._assets())
    monkeypatch.setattr(manifest, "_assets", lambda: {**assets, "guide.yaml": "changed"})
    assert {b.document for b in build(lessons, out) if b.remade} == {"guide"}


def test_a_theme_remakes_everything_and_force_too(lessons, tmp_path):
    out = tmp_path / "dist"
    build(lessons, out)
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "styles.yaml").write_text('colors:\n  accent: "#123456"\n', encoding="utf-8")
    assert all(b.remade for b in build(lessons, out, theme=load_theme(theme)))
    assert not any(b.remade for b in build(lessons, out, theme=load_theme(theme)))
    assert all(b.remade for b in build(lessons, out, theme=load_theme(theme), force=True))


def test_a_deleted_lesson_leaves_no_file_and_the_index_stays_whole(lessons, tmp_path):
    out = tmp_path / "dist"
    build(lessons, out)
    (out / "essai-parents" / "mes-notes.txt").write_text("à moi", encoding="utf-8")
    only = catalogue.build(load_library([lessons]).only(load_library([lessons]).get("essai-court")),
                           out, editions=("standard",), workers=1)  # `kit build essai-court`
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [l["id"] for l in index["lessons"]] == ["essai-court", "essai-parents"]
    assert {b.lesson for b in only} == {"essai-court"}
    (lessons / "essai-parents.yaml").unlink()
    build(lessons, out)
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [l["id"] for l in index["lessons"]] == ["essai-court"]
    left = sorted(p.name for p in (out / "essai-parents").rglob("*"))
    assert left == ["mes-notes.txt"]  # the kit removes its own files only
    assert "essai-parents" not in (out / "index.html").read_text(encoding="utf-8")


def test_an_edition_not_asked_again_is_kept_while_up_to_date(lessons, tmp_path):
    out = tmp_path / "dist"
    build(lessons, out, editions=("standard", "dys"))
    build(lessons, out, editions=("standard",))
    page = (out / "essai-court" / "essai-court-fiche-eleve.html").read_text(encoding="utf-8")
    assert "essai-court-fiche-eleve-dys.pdf" in page
    assert (out / "essai-court" / "essai-court-fiche-eleve-dys.pdf").is_file()


def test_kit_build_says_what_it_kept_and_force_remakes(lessons, tmp_path, capsys):
    out = tmp_path / "dist"
    args = ["build", "essai-court", "--lessons", str(lessons), "--out", str(out), "--variant",
            "standard", "--doc", "worksheet"]
    assert main(args) == 0
    assert "inchangé" not in capsys.readouterr().err
    assert main(args) == 0
    assert "1 PDF inchangé(s)" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0
    assert "inchangé" not in capsys.readouterr().err


def test_the_a3_poster_is_drawn_again_only_when_it_would_change(lessons, tmp_path, monkeypatch):
    from kit import render
    lesson = lessons / "essai-court.yaml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(
        "documents: [worksheet, guide]", "documents: [worksheet, guide, poster]"), encoding="utf-8")
    out = tmp_path / "dist"
    first = [b for b in build(lessons, out, documents=("poster",)) if b.document == "poster-a3"]
    assert len(first) == 1 and first[0].remade and first[0].pages >= 1
    drawn, real = [], render.render_document
    monkeypatch.setattr(render, "render_document",
                        lambda *args, **options: drawn.append(options.get("paper")) or real(*args, **options))
    before = snapshot(out)
    again = [b for b in build(lessons, out, documents=("poster",)) if b.document == "poster-a3"]
    assert drawn == [] and changed(before, snapshot(out)) == set()
    assert [(b.path, b.pages, b.remade) for b in again] == [(first[0].path, first[0].pages, False)]
    (out / first[0].path).unlink()  # gone: drawn again, whatever the manifest says
    build(lessons, out, documents=("poster",))
    assert drawn == ["a3"] and (out / first[0].path).is_file()
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "styles.yaml").write_text('colors:\n  accent: "#123456"\n', encoding="utf-8")
    build(lessons, out, documents=("poster",), theme=load_theme(theme))
    assert drawn.count("a3") == 2  # a theme changes what it shows


def test_a_lesson_checked_before_is_not_rendered_again_but_its_sources_still_age(
        lessons, tmp_path, monkeypatch, caplog):
    from kit import check
    out = tmp_path / "dist"
    build(lessons, out)
    rendered = []
    real = check.fill_placeholders
    monkeypatch.setattr(check, "fill_placeholders",
                        lambda *args: rendered.append(args[0]) or real(*args))
    monkeypatch.setattr(check, "check_text", lambda *args: rendered.append("text") or [])
    build(lessons, out)
    assert rendered == []  # nothing changed since the build that checked them
    far = check.dt.date(2100, 1, 1)
    monkeypatch.setattr(check, "dt", type("dt", (), {"date": type("date", (check.dt.date,), {
        "today": staticmethod(lambda: far)})}))
    with caplog.at_level("WARNING", logger="kit"):
        build(lessons, out)
    assert rendered == [] and "sources" in caplog.text.lower()


def test_the_catalogue_page_is_made_again_only_when_it_would_change(lessons, tmp_path, monkeypatch):
    from kit import html
    out = tmp_path / "dist"
    build(lessons, out)
    made, real = [], html.render_index
    monkeypatch.setattr(html, "render_index", lambda *args, **options: made.append(1) or real(
        *args, **options))
    build(lessons, out)
    assert made == []
    (out / "index.html").unlink()
    build(lessons, out)
    assert made == [1] and "essai-court" in (out / "index.html").read_text(encoding="utf-8")
    (lessons / "essai-parents.yaml").unlink()  # the page lists one lesson less
    build(lessons, out)
    assert made == [1, 1] and "essai-parents" not in (out / "index.html").read_text(encoding="utf-8")
