"""The district's pages and API: upload a roster, read its plan, « Lancer », watch the
progress, download the packets; the same jobs through /api/batches for scripts.

A job is reached only through its id; its files only through the names listed here.
"""
from __future__ import annotations

import asyncio
import os
import secrets
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, StreamingResponse
from starlette.exceptions import HTTPException

from ..batch.run import DEFAULT_DOCUMENTS, _check_options
from ..errors import KitError
from ..messages import say
from . import batches
from .batches import ACTIVE, RosterRefused
from .pages import CsrfRefused
from .security import CSRF_COOKIE, same

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/batches", tags=["lots"])
EVENT_EVERY = 0.5  # seconds between two looks at a running job
ZIP_NAME = "dossiers.zip"


def _kit(request: Request):
    return request.app.state.kit


def _job(kit, job_id: str) -> dict:
    job = kit.store.job(job_id, "batch") if len(job_id) < 64 else None
    if job is None:
        raise HTTPException(404)
    return job


class UploadProblem(Exception):
    """Raised when an upload cannot become a job: the status and the message to show."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


async def _read_form(request: Request):
    try:
        return await request.form(max_files=1, max_fields=10)
    except (ValueError, KeyError):  # a malformed multipart body
        raise UploadProblem(400, say("web.unreadable_post")) from None


async def _new_job(kit, form, status: str) -> dict:
    """The upload saved, read and planned, then recorded; nothing kept when it fails."""
    upload = form.get("roster")
    if upload is None or isinstance(upload, str) or not upload.filename:
        raise UploadProblem(422, say("web.choose_roster"))
    name = Path(upload.filename).name[:120]
    try:
        documents, editions = _check_options(_listed(form, "documents") or DEFAULT_DOCUMENTS,
                                             _listed(form, "editions") or ("standard",), None)
    except KitError as error:
        raise UploadProblem(422, error.format_message()) from None
    root = batches.roster_folder(kit.config.data)
    staging = root / f".envoi-{secrets.token_hex(8)}"
    try:
        path = await batches.save_upload(upload, staging)
        config = kit.config
        plan = await kit.run(batches.make_plan, str(path), tuple(str(p) for p in config.library_dirs),
                             str(config.contacts) if config.contacts else None, documents, editions)
    except RosterRefused as error:
        batches.delete_folder(staging.parent, staging.name)
        raise UploadProblem(413, error.format_message()) from None
    except KitError as error:
        batches.delete_folder(staging.parent, staging.name)
        saved = staging / f"roster{Path(name).suffix.lower()}"
        message = batches.public_message(error.format_message().replace(str(saved), name), staging)
        raise UploadProblem(422, message if name in message else f"{name} : {message}") from None
    request = {"roster": name, "documents": list(documents), "editions": list(editions)}
    job_id = kit.store.add_job("batch", None, name, request, {"plan": plan}, status=status)
    os.replace(staging, batches.job_folder(config.data, job_id))
    kit.batches.wake()
    return kit.store.job(job_id, "batch")


def _listed(form, key: str) -> tuple[str, ...]:
    value = form.get(key)
    return tuple(v.strip() for v in value.split(",") if v.strip()) if isinstance(value, str) else ()


def _queue(kit, job: dict) -> None:
    if job["status"] in ACTIVE:
        return
    kit.store.set_job(job["id"], status="queued", error=None)
    kit.batches.wake()


def _delete(kit, job: dict) -> None:
    kit.batches.cancel(job["id"])
    kit.store.delete_job(job["id"])
    batches.delete_folder(kit.config.data, job["id"])


def _report(kit, job: dict):
    path = batches.out_folder(kit.config.data, job["id"]) / "report.csv"
    if not path.is_file():
        raise HTTPException(404)
    return FileResponse(path, media_type="text/csv; charset=utf-8", filename="report.csv")


def _zip(kit, job: dict):
    if job["status"] != "done":
        raise HTTPException(409)
    out = batches.out_folder(kit.config.data, job["id"])
    return StreamingResponse(batches.stream_zip(out), media_type="application/zip",
                             headers={"content-disposition": f'attachment; filename="{ZIP_NAME}"'})


def describe(kit, job: dict) -> dict:
    """A job as the API and the page see it."""
    out = batches.out_folder(kit.config.data, job["id"])
    result = job["result"] or {}
    done = job["status"] == "done"
    return {"id": job["id"], "status": job["status"], "roster": job["request"]["roster"],
            "documents": job["request"]["documents"], "editions": job["request"]["editions"],
            "created": job["created"], "plan": result.get("plan"),
            "progress": batches.progress_view(job), "summary": result.get("summary"),
            "error": job["error"],
            "files": {"report": f"/api/batches/{job['id']}/report.csv" if done else None,
                      "packets": f"/api/batches/{job['id']}/packets.zip" if done else None,
                      "print": [f"/lots/{job['id']}/impression/{n}"
                                for n in batches.print_files(out)] if done else []}}


# --- pages ---

@pages.get("/lots")
def lots(request: Request):
    kit = _kit(request)
    return kit.pages.render(request, "lots.html", jobs=kit.store.jobs("batch"), error="",
                            limits=_limits())


def _limits() -> dict:
    return {"mib": batches.MAX_ROSTER_BYTES // (1024 * 1024),
            "rows": f"{batches.MAX_ROSTER_ROWS:,}".replace(",", "\u202f")}


@pages.post("/lots")
async def upload(request: Request):
    kit = _kit(request)
    try:
        form = await _read_form(request)
        if not same(form.get("csrf") if isinstance(form.get("csrf"), str) else None,
                    request.cookies.get(CSRF_COOKIE)):
            raise CsrfRefused()
        job = await _new_job(kit, form, "planned")
    except UploadProblem as problem:
        return kit.pages.render(request, "lots.html", problem.status, error=problem.message,
                                jobs=kit.store.jobs("batch"), limits=_limits())
    return RedirectResponse(f"/lots/{job['id']}", status_code=303)


@pages.get("/lots/{job_id}")
def lot(request: Request, job_id: str):
    kit = _kit(request)
    job = describe(kit, _job(kit, job_id))
    return kit.pages.render(request, "lot.html", job=job)


@pages.post("/lots/{job_id}/{action}")
async def lot_action(request: Request, job_id: str, action: str):
    kit = _kit(request)
    job = _job(kit, job_id)
    await kit.pages.form(request)
    if action in ("lancer", "reprendre"):
        _queue(kit, job)
        return RedirectResponse(f"/lots/{job_id}", status_code=303)
    if action == "supprimer":
        _delete(kit, job)
        return RedirectResponse("/lots", status_code=303)
    raise HTTPException(404)


@pages.get("/lots/{job_id}/progression")
async def events(request: Request, job_id: str):
    """Server-sent events: the progress each time it changes, until the job stops."""
    kit = _kit(request)
    _job(kit, job_id)

    async def stream():
        last = None
        while not await request.is_disconnected():
            job = kit.store.job(job_id, "batch")
            if job is None:
                return
            view = batches.progress_view(job)
            if view != last:
                yield f"data: {batches.dumps(view)}\n\n"
                last = view
            if job["status"] not in ACTIVE:
                return
            await asyncio.sleep(EVENT_EVERY)
    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"cache-control": "no-store"})


@pages.get("/lots/{job_id}/report.csv")
def page_report(request: Request, job_id: str):
    kit = _kit(request)
    return _report(kit, _job(kit, job_id))


@pages.get(f"/lots/{{job_id}}/{ZIP_NAME}")
def page_zip(request: Request, job_id: str):
    kit = _kit(request)
    return _zip(kit, _job(kit, job_id))


@pages.get("/lots/{job_id}/impression/{name}")
def print_file(request: Request, job_id: str, name: str):
    kit = _kit(request)
    job = _job(kit, job_id)
    out = batches.out_folder(kit.config.data, job["id"])
    if name not in batches.print_files(out):  # only a name the folder lists, never a path
        raise HTTPException(404)
    return FileResponse(out / "impression" / name, media_type="application/pdf", filename=name)


# --- API ---

ERROR = {"description": "{error, field, line}"}


@api.post("", status_code=202, summary="Un lot : le tableau des séances (multipart, champ "
          "roster ; documents et editions facultatifs, séparés par des virgules) ; il part aussitôt",
          description="Envoyez l'en-tête X-Kit-Client (n'importe quelle valeur) : un formulaire "
                      "d'un autre site ne le peut pas.",
          responses={413: ERROR, 422: ERROR})
async def create(request: Request):
    kit = _kit(request)
    try:
        job = await _new_job(kit, await _read_form(request), "queued")
    except UploadProblem as problem:
        field = "roster" if problem.status != 400 else None
        return JSONResponse({"error": problem.message, "field": field, "line": None},
                            status_code=problem.status)
    return JSONResponse(describe(kit, job) | {"url": f"/lots/{job['id']}"}, status_code=202)


@api.get("/{job_id}", summary="Où en est le lot", responses={404: ERROR})
def status(request: Request, job_id: str) -> dict:
    kit = _kit(request)
    return describe(kit, _job(kit, job_id))


@api.get("/{job_id}/report.csv", summary="Le compte rendu, une ligne par ligne du tableau")
def report(request: Request, job_id: str):
    kit = _kit(request)
    return _report(kit, _job(kit, job_id))


@api.get("/{job_id}/packets.zip", summary="Tous les dossiers en un zip (envoyé au fil de l'eau)")
def packets(request: Request, job_id: str):
    kit = _kit(request)
    return _zip(kit, _job(kit, job_id))


@api.post("/{job_id}/resume", status_code=202, summary="Reprendre un lot interrompu")
def resume(request: Request, job_id: str) -> dict:
    kit = _kit(request)
    job = _job(kit, job_id)
    _queue(kit, job)
    return describe(kit, kit.store.job(job_id, "batch"))


@api.delete("/{job_id}", status_code=204, summary="Supprimer le lot et ses fichiers")
def delete(request: Request, job_id: str):
    kit = _kit(request)
    _delete(kit, _job(kit, job_id))
    from fastapi.responses import Response
    return Response(status_code=204)
