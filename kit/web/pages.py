"""The teacher's pages: catalogue, a lesson, « Préparer ma séance », the prepared
session with its print summary, the history, and the login form.

Every page works without JavaScript; every form post carries the CSRF token.
"""
from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import ValidationError

from .. import paths
from ..documents import document_names
from ..helpline import load_helpline
from ..messages import say
from ..order import FIELD_LABELS, PackOrder, problems
from ..schema import LEVEL_NAMES
from . import views, work
from .batches import STATUS_LABELS
from .security import CSRF_COOKIE, LOGIN_COOKIE, Attempts, cookie_options, new_token, same

router = APIRouter(include_in_schema=False)
FORM_FIELDS = ("school", "city", "class", "date", "facilitator", "referent", "room", "time",
               "pupils", "groups", "dys", "large-print")
PDF, ZIP = "application/pdf", "application/zip"


class CsrfRefused(Exception):
    """Raised when a form post's token does not match the browser's cookie."""


class Pages:
    """Renders the templates (autoescaped) and keeps the CSRF cookie."""

    def __init__(self, kit):
        self.kit = kit
        self.env = Environment(loader=FileSystemLoader(paths.assets() / "templates" / "web"),
                               autoescape=select_autoescape(default=True),
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.attempts = Attempts()
        helpline = load_helpline()
        self.env.globals.update(helpline=helpline, levels=LEVEL_NAMES,
                                status_labels=STATUS_LABELS)

    def render(self, request: Request, name: str, status: int = 200, **values) -> HTMLResponse:
        token = request.cookies.get(CSRF_COOKIE) or new_token()
        html = self.env.get_template(name).render(
            csrf=token, path=request.url.path, login=self.kit.config.password is not None,
            **values)
        response = HTMLResponse(html, status_code=status)
        if request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(**cookie_options(CSRF_COOKIE, token, _https(request)))
        return response

    def error(self, request: Request, status: int, message: str) -> HTMLResponse:
        return self.render(request, "error.html", status, message=message, code=status)

    async def form(self, request: Request) -> dict:
        form = await request.form()
        if not same(form.get("csrf"), request.cookies.get(CSRF_COOKIE)):
            raise CsrfRefused()
        return {k: v for k, v in form.items() if isinstance(v, str)}


def _https(request: Request) -> bool:
    return request.url.scheme == "https"


def _kit(request: Request):
    return request.app.state.kit


@router.get("/", response_class=HTMLResponse)
def catalogue(request: Request, niveau: str = "", theme: str = "", q: str = ""):
    kit = _kit(request)
    lessons = list(kit.lessons.values())
    level = niveau if niveau in LEVEL_NAMES else ""
    found = views.catalogue(lessons, level, theme, q[:200])
    return kit.pages.render(request, "catalogue.html", lessons=found, total=len(lessons),
                            level=level, topic=theme, query=q[:200],
                            topics=views.all_topics(lessons))


@router.get("/seances/{lesson_id}", response_class=HTMLResponse)
async def lesson_page(request: Request, lesson_id: str):
    kit = _kit(request)
    view = views.lesson_view(kit.lesson(lesson_id))
    counts = {}
    for document in view["documents"]:
        counts[document["name"]] = await kit.cached(("pages", lesson_id, document["name"]),
                                                    work.page_count, lesson_id, document["name"])
    return kit.pages.render(request, "lesson.html", lesson=view, pages=counts)


@router.get("/seances/{lesson_id}/documents/{document}.pdf")
async def document_pdf(request: Request, lesson_id: str, document: str, edition: str = "standard"):
    kit = _kit(request)
    name = _offered(kit, lesson_id, document)
    if edition not in views.EDITION_LABELS:
        edition = "standard"
    from ..order import RenderOrder
    order = RenderOrder(lesson=lesson_id, document=name, edition=edition)
    data, file = await kit.cached(("render", order.model_dump_json()), work.render,
                                  order.model_dump_json(), size=400)
    return _download(data, PDF, file)


@router.get("/apercus/{lesson_id}/{document}/page-{page}.png")
async def preview(request: Request, lesson_id: str, document: str, page: int,
                  taille: str = "page"):
    kit = _kit(request)
    name = _offered(kit, lesson_id, document)
    width = work.THUMBNAIL_WIDTH if taille == "vignette" else work.PREVIEW_WIDTH
    try:
        png = await kit.cached(("png", lesson_id, name, page, width), work.picture, lesson_id,
                               name, page, width)
    except IndexError:
        return kit.pages.error(request, 404, say("web.no_page", page=page))
    return Response(png, media_type="image/png",
                    headers={"cache-control": "private, max-age=3600"})


def _offered(kit, lesson_id: str, document: str) -> str:
    """The registry name of a document the lesson offers; 404 otherwise."""
    from starlette.exceptions import HTTPException
    lesson = kit.lesson(lesson_id)
    name = document_names().get(document)
    if name not in lesson.offered_documents:
        raise HTTPException(404)
    return name


@router.get("/seances/{lesson_id}/preparer", response_class=HTMLResponse)
def prepare_form(request: Request, lesson_id: str):
    kit = _kit(request)
    view = views.lesson_view(kit.lesson(lesson_id))
    return kit.pages.render(request, "prepare.html", lesson=view, values={}, errors={},
                            languages=work.letter_languages(lesson_id))


@router.post("/seances/{lesson_id}/preparer", response_class=HTMLResponse)
async def prepare(request: Request, lesson_id: str):
    kit = _kit(request)
    view = views.lesson_view(kit.lesson(lesson_id))
    languages = work.letter_languages(lesson_id)
    fields = (*FORM_FIELDS, *(f"lang-{language['code']}" for language in languages))
    values = {k: v.strip() for k, v in (await kit.pages.form(request)).items() if k in fields}
    try:
        order = PackOrder.model_validate(order_data(lesson_id, values))
    except ValidationError as error:
        errors = form_errors(error)
        return kit.pages.render(request, "prepare.html", 400, lesson=view, values=values,
                                errors=errors, languages=languages)
    job = await record_pack(kit, order)
    return RedirectResponse(f"/preparations/{job}", status_code=303)


def order_data(lesson_id: str, values: dict) -> dict:
    """The form's fields as a PackOrder's (the JSON API's) data."""
    session = {k: values.get(k) or None for k in FORM_FIELDS[:8]}
    editions = {e: values.get(e) for e in ("dys", "large-print") if values.get(e)}
    counts = {k: values[k] for k in ("pupils", "groups") if values.get(k)}  # empty: « à remplir »
    languages = {k.removeprefix("lang-"): v for k, v in values.items() if k.startswith("lang-") and v}
    return {"lesson": lesson_id, "session": session, "editions": editions,
            "languages": languages, **counts}


def form_errors(error: ValidationError) -> dict[str, str]:
    """Each problem next to its form field, in words."""
    found = {}
    for problem in problems(error):
        path = (problem.field or "").split(".")
        field = f"lang-{path[1]}" if path[0] == "languages" and len(path) > 1 else path[-1] or "pupils"
        field = "dys" if field == "editions" else field
        label = (f"{FIELD_LABELS['languages']} ({path[1]})" if field.startswith("lang-")
                 else FIELD_LABELS.get(field, field))
        found.setdefault(field, problem.format_message().removeprefix(f"{label} : "))
    return found


async def record_pack(kit, order: PackOrder) -> str:
    """Make the pack once (its summary needs its page counts) and keep the order."""
    request = json.loads(order.model_dump_json())
    data, result = await kit.cached(("pack", order.model_dump_json(), "pdf"), work.pack,
                                    order.model_dump_json(), "pdf", size=400)
    label = ", ".join(v for v in (order.session.class_name, order.session.school) if v)
    return kit.store.add_job("pack", order.lesson, label or f"{order.pupils} élèves", request,
                             result)


@router.get("/preparations", response_class=HTMLResponse)
def history(request: Request):
    kit = _kit(request)
    jobs = kit.store.jobs("pack")
    titles = {i: views.lesson_view(l)["title"] for i, l in kit.lessons.items()}
    return kit.pages.render(request, "history.html", jobs=jobs, titles=titles)


@router.get("/preparations/{job_id}", response_class=HTMLResponse)
def prepared(request: Request, job_id: str):
    kit = _kit(request)
    job = _job(kit, job_id)
    view = views.lesson_view(kit.lesson(job["lesson"]))
    return kit.pages.render(request, "prepared.html", job=job, lesson=view)


@router.get("/preparations/{job_id}/{what}")
async def prepared_file(request: Request, job_id: str, what: str):
    kit = _kit(request)
    job = _job(kit, job_id)
    fmt = {"imprimer.pdf": "pdf", "documents.zip": "zip"}.get(what)
    if fmt is None:
        return kit.pages.error(request, 404, say("web.not_found"))
    order = PackOrder.model_validate(job["request"])
    data, result = await kit.cached(("pack", order.model_dump_json(), fmt), work.pack,
                                    order.model_dump_json(), fmt, size=400)
    return _download(data, PDF if fmt == "pdf" else ZIP, f"{result['name']}.{fmt}")


def _job(kit, job_id: str) -> dict:
    from starlette.exceptions import HTTPException
    job = kit.store.job(job_id, "pack") if len(job_id) < 64 else None
    if job is None:
        raise HTTPException(404)
    return job


def _download(data: bytes, media: str, name: str) -> Response:
    return Response(data, media_type=media,
                    headers={"content-disposition": f'attachment; filename="{name}"'})


@router.get("/connexion", response_class=HTMLResponse)
def login_form(request: Request):
    return _kit(request).pages.render(request, "login.html", error="")


@router.post("/connexion", response_class=HTMLResponse)
async def login(request: Request):
    kit = _kit(request)
    client = request.client.host if request.client else "?"
    if kit.pages.attempts.blocked(client):
        return kit.pages.render(request, "login.html", 429,
                                error=say("web.too_many_attempts"))
    form = await kit.pages.form(request)
    if kit.config.password is None or not same(form.get("password"), kit.config.password):
        kit.pages.attempts.failed(client)
        return kit.pages.render(request, "login.html", 401,
                                error=say("web.wrong_password"))
    kit.pages.attempts.succeeded(client)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(**cookie_options(LOGIN_COOKIE, kit.store.new_login(), _https(request),
                                         max_age=7 * 24 * 3600))
    return response


@router.post("/deconnexion")
async def logout(request: Request):
    kit = _kit(request)
    await kit.pages.form(request)
    kit.store.logout(request.cookies.get(LOGIN_COOKIE))
    response = RedirectResponse("/connexion", status_code=303)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response
