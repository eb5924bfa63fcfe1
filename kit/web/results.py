"""« Résultats des quiz » in the browser: the sheet to fill in for one class, and the
reports of a filled sheet (a class PDF, or the district's files in a zip). The work is
kit.results', done in the rendering processes; the upload is read there from memory and
a temporary folder, never kept. Counts only: no pupil's name is accepted."""
from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..archives import entry
from ..errors import KitError
from ..lessons import Library
from ..messages import say
from . import work

router = APIRouter(include_in_schema=False)
SHEET_TYPES = (".csv", ".xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEMS_NAME = "lignes-en-erreur.txt"


def _kit(request: Request):
    return request.app.state.kit


def _quiz_lessons(kit) -> list:
    return [l for l in kit.lessons.values() if "quiz" in l.offered_documents]


@router.get("/resultats", response_class=HTMLResponse)
def results_page(request: Request):
    kit = _kit(request)
    return kit.pages.render(request, "results.html", lessons=_quiz_lessons(kit), error=None,
                            problems=[])


@router.get("/resultats/modele.xlsx")
async def template_sheet(request: Request, seance: str, etablissement: str = "",
                         classe: str = "", date: str = ""):
    """The sheet for one class, its details filled in (a GET: it changes nothing)."""
    kit = _kit(request)
    kit.lesson(seance)  # 404 for an unknown lesson, with the others listed
    data = await kit.run(sheet_for, seance, etablissement[:200], classe[:200], date[:20])
    return Response(data, media_type=XLSX, headers={
        "Content-Disposition": 'attachment; filename="resultats-a-remplir.xlsx"'})


@router.post("/resultats")
async def upload_results(request: Request):
    kit = _kit(request)
    form = await request.form(max_files=1, max_fields=5)
    from .pages import CsrfRefused
    from .security import CSRF_COOKIE, same
    if not same(form.get("csrf"), request.cookies.get(CSRF_COOKIE)):
        raise CsrfRefused()
    upload = form.get("sheet")
    suffix = Path(getattr(upload, "filename", "") or "").suffix.lower()
    if upload is None or isinstance(upload, str) or suffix not in SHEET_TYPES:
        return _page(kit, request, 422, say("results.web_choose_sheet"))
    by = form.get("by") if form.get("by") in ("class", "district") else None
    try:
        name, data, media = await kit.run(reports_download, suffix, await upload.read(), by)
    except KitError as error:  # refused whole: unreadable, personal data, nothing counted
        problems = getattr(getattr(error, "summary", None), "problems", [])
        return _page(kit, request, 422, error.format_message(), [str(p) for p in problems])
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _page(kit, request, status: int, error: str, problems=()) -> HTMLResponse:
    return kit.pages.render(request, "results.html", status, lessons=_quiz_lessons(kit),
                            error=error, problems=list(problems)[:50])


def _library() -> Library:
    return Library(dict(work._state["lessons"]))


def sheet_for(lesson_id: str, school: str, class_name: str, date: str) -> bytes:
    """In a rendering process: the one-class sheet as .xlsx bytes."""
    from ..batch.roster import parse_date
    from ..results.planned import PlannedSession
    from ..results.template import sheet_bytes
    try:
        day = parse_date(date) if date else None
    except ValueError:
        day = None
    return sheet_bytes([PlannedSession(school, class_name, lesson_id, day)], _library())[0]


def reports_download(suffix: str, data: bytes, by: str | None) -> tuple[str, bytes, str]:
    """In a rendering process: the reports of an uploaded sheet, as (file name, bytes, type):
    one class's PDF, or a zip of everything with the bad rows listed in it."""
    from ..results.run import reports
    with tempfile.TemporaryDirectory(prefix="kit-resultats-") as folder:
        sheet = Path(folder) / f"resultats{suffix}"
        sheet.write_bytes(data)
        summary, outputs = reports([sheet], _library(), by=by, theme=work._state["theme"])
    if len(outputs) == 1 and not summary.problems:
        [(name, pdf)] = outputs.items()
        return name, pdf, "application/pdf"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in outputs.items():
            archive.writestr(entry(name, zipfile.ZIP_STORED), content)
        if summary.problems:
            lines = "\n".join(str(p) for p in summary.problems) + "\n"
            archive.writestr(entry(PROBLEMS_NAME, zipfile.ZIP_STORED), lines.encode("utf-8"))
    return "resultats.zip", buffer.getvalue(), "application/zip"


