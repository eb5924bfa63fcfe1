"""« Adapter cette leçon »: the pages of a facilitator's draft, from the form to the
saved `extends:` file (kit/web/draft.py makes and checks the file).

Drafts live in SQLite with a version counter, so a second tab's stale save is refused.
Every button is a plain form post (add, remove, move, check, save), so the page works
without JavaScript; with it, each change is checked as it is typed.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from ..documents import document_type
from ..errors import KitError, LessonError, Problem
from ..messages import say
from ..output import write_atomic
from ..schema import SLUG_PATTERN
from . import draft as drafts
from .pages import CsrfRefused
from .security import CSRF_COOKIE, same

router = APIRouter(include_in_schema=False)
MAX_LESSON_FILE = 256 * 1024  # an uploaded lesson file; the bundled ones are under 40 KiB


def _kit(request: Request):
    return request.app.state.kit


def _draft(kit, draft_id: str) -> dict:
    draft = kit.store.draft(draft_id) if len(draft_id) < 64 else None
    if draft is None:
        raise HTTPException(404)
    return draft | {"body": drafts.upgraded(draft["body"])}


def _contacts(lesson_id: str | None = None):
    """The contacts a new draft starts with: the lesson's own, else the server's."""
    from . import work
    return work.contacts_of(lesson_id) if lesson_id else work._state.get("contacts", ())


def _base(kit, draft: dict, fields: dict):
    """The lesson a draft starts from: the one it adapts, or the full lesson uploaded."""
    return drafts.uploaded_lesson(fields) if "full" in fields else kit.lesson(draft["base"])


def _checked(kit, draft: dict, fields: dict):
    base = _base(kit, draft, fields)
    folder = drafts.lessons_folder(kit.config)
    return base, *drafts.check(fields, base, kit.lessons, folder, draft["id"])


def _what(draft: dict, fields: dict, base, contacts) -> tuple[str, str, str]:
    """The preview's document, the draft's text and its contacts (as JSON)."""
    document = fields["preview"]["document"]
    if document not in base.offered_documents:
        document = base.offered_documents[0]
    text = drafts.extension_yaml(fields, base, draft["id"])
    people = json.dumps([c.model_dump(mode="json", exclude_none=True) for c in contacts],
                        ensure_ascii=False)
    return document, text, people


async def _preview(kit, draft: dict, fields: dict, base, contacts) -> tuple[bytes, int] | None:
    """The chosen page of the chosen document, and its page count."""
    document, text, people = _what(draft, fields, base, contacts)
    page = int(fields["preview"]["page"])
    from . import work
    return await kit.cached(("draft", text, people, document, page), work.draft_picture, text,
                            fields["id"], document, page, people)


async def _page(request: Request, draft: dict, fields: dict, status: int = 200, saved=(),
                stale: str = "", confirm: dict | None = None, remove: int | None = None):
    kit = _kit(request)
    base, problems, lesson, contacts = _checked(kit, draft, fields)
    pages = None
    if lesson is not None and not problems:
        _, pages = await _preview(kit, draft, fields, base, contacts)
    documents = [{"name": d, "label": document_type(d).label_for(base)}
                 for d in base.offered_documents]
    offer = kit.lessons.get(fields.get("offer", ""))
    return kit.pages.render(request, "editor.html", status, draft=draft, fields=fields,
                            base_title=base.title, full="full" in fields, offer=offer,
                            remove=remove, problems=problems,
                            total=drafts.minutes(fields, base), saved=saved, stale=stale,
                            confirm=confirm, documents=documents, pages=pages,
                            student_problems=_opened(problems, r"q\d+_|s\d+_|intro|write_"),
                            class_problems=_opened(problems, r"b\d+_|group_"))


def _opened(problems: dict, parts: str) -> set[int]:
    """The activities whose folded part has a problem: it is shown open."""
    return {int(m.group(1)) for k in problems if (m := re.match(rf"a(\d+)_(?:{parts})", k))}


@router.post("/seances/{lesson_id}/adapter")
async def adapt(request: Request, lesson_id: str):
    kit = _kit(request)
    base = kit.lesson(lesson_id)
    await kit.pages.form(request)
    fields = drafts.fields_of(base, f"{base.id}-adaptee", _contacts(base.id))
    draft_id = kit.store.new_draft(base.id, fields)
    return RedirectResponse(f"/brouillons/{draft_id}", status_code=303)


@router.get("/brouillons")
def list_drafts(request: Request, supprimer: str = ""):
    """« Mes brouillons »; `?supprimer=ID` asks before deleting that draft (without JS)."""
    kit = _kit(request)
    asked = kit.store.draft(supprimer) if 0 < len(supprimer) < 64 else None
    return _list(request, kit, asked=asked)


def _list(request: Request, kit, status: int = 200, error: str = "", asked=None):
    titles = {i: lesson.title for i, lesson in kit.lessons.items()}
    return kit.pages.render(request, "drafts.html", status, drafts=kit.store.drafts(),
                            titles=titles, error=error, asked=asked)


@router.post("/brouillons/importer")
async def upload(request: Request):
    """An existing lesson file, to continue editing it in the form: an adaptation
    (`extends:`), or a full lesson (then adapting the catalogue lesson it copies is offered)."""
    kit = _kit(request)
    try:
        form = await request.form(max_files=1, max_fields=4)
    except (ValueError, KeyError):
        return _list(request, kit, 400, say("web.unreadable_post"))
    token = form.get("csrf")
    if not same(token if isinstance(token, str) else None, request.cookies.get(CSRF_COOKIE)):
        raise CsrfRefused()
    upload = form.get("lecon")
    if upload is None or isinstance(upload, str) or not upload.filename:
        return _list(request, kit, 422, say("draft.choose_file"))
    name = Path(upload.filename).name[:120]
    data = await upload.read(MAX_LESSON_FILE + 1)
    try:
        base_id, fields = _imported(kit, name, data)
    except KitError as error:
        return _list(request, kit, 422, error.format_message())
    draft_id = kit.store.new_draft(base_id, fields)
    return RedirectResponse(f"/brouillons/{draft_id}", status_code=303)


def _refused(name: str, message: str) -> LessonError:
    return LessonError([Problem(name, message)])


def _imported(kit, name: str, data: bytes):
    """The base and the form's fields of an uploaded `extends:` file."""
    from ..extend import LibraryBases
    from ..lessons import load_lesson
    from ..yamlfile import load_yaml
    stem = Path(name).stem
    if Path(name).suffix.lower() not in (".yaml", ".yml") or not re.fullmatch(SLUG_PATTERN, stem):
        raise _refused(name, say("draft.not_a_lesson_file"))
    if len(data) > MAX_LESSON_FILE:
        raise _refused(name, say("draft.file_too_big", limit=MAX_LESSON_FILE // 1024))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refused(name, say("draft.not_utf8")) from None
    path = Path(f"{stem}.yaml")
    raw, _ = load_yaml(path, text)
    if not isinstance(raw, dict) or not isinstance(raw.get("extends", ""), str):
        raise _refused(name, say("draft.not_a_lesson"))
    lessons = {i: l for i, l in kit.lessons.items() if i != stem}  # it may replace itself
    if "extends" not in raw:  # a full lesson: edited as it is, or as an adaptation if asked
        lesson, _ = load_lesson(path, text, LibraryBases(lessons))
        fields = drafts.fields_of(lesson, stem, _contacts())
        fields["full"] = drafts.storable(raw)
        offer = _resembling(kit, lesson)
        if offer is not None:
            fields["offer"] = offer.id
        return "", fields
    base = kit.lesson(raw["extends"]) if raw["extends"] in kit.lessons else None
    if base is None:
        raise _refused(name, say("draft.unknown_base", id=raw["extends"]))
    lesson, _ = load_lesson(path, text, LibraryBases(lessons))
    fields = drafts.fields_of(lesson, stem, _contacts())
    fields["extra"] = drafts.storable({k: v for k, v in raw.items() if k not in drafts.FORM_KEYS})
    return base.id, fields


def _resembling(kit, lesson):
    """The catalogue lesson an uploaded full lesson is a copy of (same id, else same
    title), not counting the user's own file it would replace."""
    folder = drafts.lessons_folder(kit.config)
    def words(title: str) -> str:
        return " ".join(title.casefold().split())
    candidates = [other for other in kit.lessons.values()
                  if not (other.id == lesson.id and (folder / f"{lesson.id}.yaml").exists())]
    return (next((o for o in candidates if o.id == lesson.id), None)
            or next((o for o in candidates if words(o.title) == words(lesson.title)), None))


@router.get("/brouillons/{draft_id}")
async def edit(request: Request, draft_id: str, retirer: str = ""):
    """The editor; `?retirer=N` asks before taking activity N away (without JS)."""
    draft = _draft(_kit(request), draft_id)
    remove = int(retirer) - 1 if retirer.isdigit() and 0 < int(retirer) < 100 else None
    return await _page(request, draft, draft["body"], remove=remove)


@router.post("/brouillons/{draft_id}")
async def submit(request: Request, draft_id: str):
    """Every button of the form: check, save, or add / remove / move a part."""
    kit = _kit(request)
    draft = _draft(kit, draft_id)
    form = await kit.pages.form(request)
    fields = drafts.fields_from_form(form, draft["body"])
    action = form.get("action", "verifier")
    anchor, base_id = drafts.apply_action(fields, action), None
    if action in ("adapter-de", "garder-complete") and fields.get("offer") in kit.lessons:
        if action == "adapter-de":
            base_id = fields["offer"]
            fields = drafts.as_adaptation(fields, kit.lesson(base_id))
        fields.pop("offer", None)
        anchor = "seance"
    version = int(form["version"]) if form.get("version", "").isdigit() else -1
    if not kit.store.save_draft(draft_id, fields, version, base=base_id):
        return await _page(request, draft, fields, 409, stale=say("draft.stale"))
    draft = _draft(kit, draft_id)
    if anchor is not None:
        asked = re.fullmatch(r"retirer-(\d+)", anchor)  # « Retirer l'activité N » asks first
        query = f"?retirer={asked.group(1)}" if asked else ""
        return RedirectResponse(f"/brouillons/{draft_id}{query}#{anchor}", status_code=303)
    if action != "enregistrer":
        return await _page(request, draft, fields)
    return await _save(request, kit, draft, fields, form.get("remplacer", ""))


async def _save(request: Request, kit, draft: dict, fields: dict, token: str):
    """Write the lesson (and contacts) file; a file this draft did not write is replaced
    only after the user said yes to that very file."""
    base, problems, _, _ = _checked(kit, draft, fields)
    if problems:
        return await _page(request, draft, fields, 400, stale=say("draft.fix_first"))
    files = drafts.targets(kit.config, fields, base, draft["id"])
    foreign = drafts.foreign(files)
    if foreign and not same(token, drafts.replace_token(foreign)):
        confirm = {"files": [p.name for p in foreign], "token": drafts.replace_token(foreign)}
        return await _page(request, draft, fields, 409, confirm=confirm)
    for path, text, _ in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text.encode("utf-8"), force=True)
    await kit.reload()  # the lesson is in the catalogue at once
    return await _page(request, draft, fields, saved=[p.name for p, _, _ in files])


@router.post("/brouillons/{draft_id}/supprimer")
async def delete(request: Request, draft_id: str):
    """The draft only: a lesson file it saved stays in the lessons folder."""
    kit = _kit(request)
    _draft(kit, draft_id)
    form = await kit.pages.form(request)
    if form.get("confirme") != "oui":  # asked first: confirm() with JS, a page without
        return RedirectResponse(f"/brouillons?supprimer={draft_id}#supprimer", status_code=303)
    kit.store.delete_draft(draft_id)
    return RedirectResponse("/brouillons", status_code=303)


def _passing(kit, draft_id: str) -> tuple:
    """The draft as last kept, its base and contacts; 404 while it does not pass its checks."""
    draft = _draft(kit, draft_id)
    base, problems, lesson, contacts = _checked(kit, draft, draft["body"])
    if lesson is None or problems:
        raise HTTPException(404)
    return draft, base, contacts


@router.get("/brouillons/{draft_id}/apercu.png")
async def preview(request: Request, draft_id: str):
    """The draft as last kept, when it passes the checks; 404 while it does not."""
    kit = _kit(request)
    draft, base, contacts = _passing(kit, draft_id)
    png, _ = await _preview(kit, draft, draft["body"], base, contacts)
    return Response(png, media_type="image/png", headers={"cache-control": "no-store"})


@router.get("/brouillons/{draft_id}/apercu.pdf")
async def preview_document(request: Request, draft_id: str):
    """The previewed document whole, to read it at full size; 404 while it does not pass."""
    kit = _kit(request)
    draft, base, contacts = _passing(kit, draft_id)
    document, text, people = _what(draft, draft["body"], base, contacts)
    from . import work
    pdf = await kit.cached(("draft-pdf", text, people, document), work.draft_document, text,
                           draft["body"]["id"], document, people, size=20)
    return Response(pdf, media_type="application/pdf", headers={
        "cache-control": "no-store",
        "content-disposition": f'inline; filename="{draft["body"]["id"]}-{document}.pdf"'})


@router.get("/brouillons/{draft_id}/seance.yaml")
def download(request: Request, draft_id: str):
    kit = _kit(request)
    draft = _draft(kit, draft_id)
    text = drafts.extension_yaml(draft["body"], _base(kit, draft, draft["body"]), draft_id)
    return _attachment(text, draft["body"]["id"])


@router.get("/brouillons/{draft_id}/contacts.yaml")
def download_contacts(request: Request, draft_id: str):
    kit = _kit(request)
    draft = _draft(kit, draft_id)
    text = drafts.contacts_yaml(draft["body"], draft_id)
    if text is None:
        raise HTTPException(404)
    return _attachment(text, f"{draft['body']['id']}-contacts")


def _attachment(text: str, name: str) -> Response:
    name = name if re.fullmatch(r"[a-z0-9-]{1,80}", name) else "seance"
    return Response(text, media_type="application/yaml; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}.yaml"'})


@router.post("/api/drafts/{draft_id}/check", include_in_schema=True, tags=["brouillons"],
             summary="Vérifier (et garder) un brouillon de séance adaptée")
async def check_draft(request: Request, draft_id: str):
    """JSON {version, fields}: the problems by field, the minutes, the preview's page
    count and the new version; 409 when another tab saved first."""
    kit = _kit(request)
    draft = _draft(kit, draft_id)
    body = await request.json()
    if not isinstance(body, dict) or not isinstance(body.get("fields"), dict):
        return JSONResponse({"error": say("draft.send_fields"), "field": None, "line": None},
                            status_code=422)
    fields = drafts.fields_from_form(body["fields"], draft["body"])
    version = body.get("version") if isinstance(body.get("version"), int) else -1
    if not kit.store.save_draft(draft_id, fields, version):
        return JSONResponse({"error": say("draft.stale"), "field": "version", "line": None},
                            status_code=409)
    base, problems, lesson, contacts = _checked(kit, draft, fields)
    pages = None
    if lesson is not None and not problems:
        _, pages = await _preview(kit, draft, fields, base, contacts)
    return {"version": version + 1, "problems": problems, "minutes": drafts.minutes(fields, base),
            "duration": fields["duration"], "pages": pages}
