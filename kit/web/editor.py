"""« Adapter cette leçon »: a facilitator's own version of a lesson, edited in a form and
saved as an `extends:` file in the server's user lessons folder.

The form's fields become the extension's YAML, which is checked exactly as `kit check`
would check the saved file; each problem is shown next to the field it names. Drafts
live in SQLite with a version counter, so a second tab's stale save is refused.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from ..authoring import _LessonDumper
from ..errors import KitError, LessonError, OutputError
from ..output import inside, write_atomic
from ..schema import SLUG_PATTERN

router = APIRouter(include_in_schema=False)
MAX_ACTIVITIES = 20
MARK = "# Séance adaptée dans kit serve, brouillon {draft}."
ACTIVITY_FIELDS = ("title", "minutes", "instructions")


# --- the form and the lesson file ---

def fields_of(lesson, lesson_id: str) -> dict:
    """The form's fields, filled from a lesson (the base, or what was saved)."""
    return {"id": lesson_id, "title": lesson.title, "duration": str(lesson.duration),
            "objectives": "\n".join(lesson.objectives),
            "key_messages": "\n".join(lesson.key_messages),
            "activities": [{"id": a.id, "title": a.title, "minutes": str(a.minutes),
                            "instructions": a.instructions} for a in lesson.activities]}


def fields_from_form(form: dict, count: int) -> dict:
    """The posted form (or the page's JSON) as fields: plain strings, never trusted."""
    def text(key: str) -> str:
        value = form.get(key, "")
        return value.replace("\r\n", "\n").strip()[:5000] if isinstance(value, str) else ""
    return {"id": text("id")[:80], "title": text("title"), "duration": text("duration"),
            "objectives": text("objectives"), "key_messages": text("key_messages"),
            "activities": [{"id": text(f"a{i}_id"), **{k: text(f"a{i}_{k}") for k in ACTIVITY_FIELDS}}
                           for i in range(min(count, MAX_ACTIVITIES))]}


def _number(text: str):
    return int(text) if text.isdigit() else text


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def extension_yaml(fields: dict, base, draft_id: str) -> str:
    """The `extends:` file: only what differs from the base, with comments for a reader."""
    data: dict = {"extends": base.id, "title": fields["title"]}
    duration = _number(fields["duration"])
    if duration != base.duration:
        data["duration"] = duration
    for key in ("objectives", "key_messages"):
        if _lines(fields[key]) != list(getattr(base, key)):
            data[key] = _lines(fields[key])
    changes = []
    for activity, original in zip(fields["activities"], base.activities):
        values = {"title": activity["title"], "minutes": _number(activity["minutes"]),
                  "instructions": activity["instructions"]}
        changed = {k: v for k, v in values.items() if v != getattr(original, k)}
        if changed:
            changes.append({"change": original.id, "set": changed})
    if changes:
        data["activity_changes"] = changes
    body = yaml.dump(data, Dumper=_LessonDumper, allow_unicode=True, sort_keys=False, width=88)
    header = [MARK.format(draft=draft_id),
              f"# Elle reprend « {base.id} » et ne change que ce qui est écrit ici ; vérifiez-la",
              f"# avec : kit check {fields['id'] or 'ma-seance'}.yaml",
              f"# Écrite le {dt.date.today():%d/%m/%Y}.", ""]
    return "\n".join(header) + body


def field_name(problem_field: str | None) -> str:
    """The form field a `kit check` problem names: `activities[2].minutes` -> `a2_minutes`."""
    path = problem_field or ""
    found = re.match(r"activities\[(\d+)\](?:\.(\w+))?", path)
    if found:  # items are counted from 1 in messages, from 0 in the form
        index, key = found.groups()
        return f"a{int(index) - 1}_{key if key in ACTIVITY_FIELDS else 'title'}"
    head = re.split(r"[.\[]", path)[0]
    return head if head in ("id", "title", "duration", "objectives", "key_messages") else "general"


def check(fields: dict, base, lessons: dict, contacts=(), draft_id: str = "") -> tuple[dict, object]:
    """The problems `kit check` reports for the saved file, by form field; and the lesson."""
    from ..check import check_lesson
    from ..extend import LibraryBases
    from ..lessons import load_lesson
    problems: dict[str, list[str]] = {}
    lesson_id = fields["id"]
    if not re.fullmatch(SLUG_PATTERN, lesson_id or ""):
        problems["id"] = ["en minuscules sans accents, chiffres et tirets (ex. : "
                          f"{base.id}-lyon)"]
        lesson_id = f"{base.id}-adaptee"
    elif lesson_id in lessons:
        problems["id"] = [f"« {lesson_id} » est déjà une séance ; choisissez un autre identifiant"]
    text = extension_yaml(fields, base, draft_id)
    try:
        lesson, origin = load_lesson(Path(f"{lesson_id}.yaml"), text, LibraryBases(lessons))
        found = [p for p in check_lesson(lesson, origin, contacts) if p.severity == "error"]
    except LessonError as error:
        lesson, found = None, error.problems
    for problem in found:
        problems.setdefault(field_name(problem.field), []).append(problem.message)
    return problems, lesson


def minutes(fields: dict, base) -> int:
    """The plan's minutes as `kit check` adds them: the activities and the base's margins."""
    return (sum(int(a["minutes"]) for a in fields["activities"] if a["minutes"].isdigit())
            + base.margin_minutes)


def lessons_folder(config) -> Path:
    """Where saved lessons go: the first --lessons folder, else DATA/lecons."""
    return Path(config.lesson_dirs[0]) if config.lesson_dirs else Path(config.data) / "lecons"


def save_file(config, fields: dict, base, draft_id: str) -> Path:
    """Write the lesson file; never over a file this draft did not write."""
    folder = lessons_folder(config)
    folder.mkdir(parents=True, exist_ok=True)
    target = inside(folder, f"{fields['id']}.yaml")
    if target.exists():
        first = target.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
        if first != MARK.format(draft=draft_id):
            raise OutputError(f"un fichier {target.name} existe déjà dans le dossier des séances "
                              "et ce brouillon ne l'a pas écrit ; choisissez un autre identifiant")
    return write_atomic(target, extension_yaml(fields, base, draft_id).encode("utf-8"), force=True)


# --- pages ---

def _kit(request: Request):
    return request.app.state.kit


def _draft(kit, draft_id: str) -> dict:
    draft = kit.store.draft(draft_id) if len(draft_id) < 64 else None
    if draft is None:
        raise HTTPException(404)
    return draft


def _page(request: Request, draft: dict, fields: dict, status: int = 200, saved: str = "",
          stale: str = ""):
    kit = _kit(request)
    base = kit.lesson(draft["base"])
    problems, _ = check(fields, base, kit.lessons, _contacts(), draft["id"])
    return kit.pages.render(request, "editor.html", status, draft=draft, fields=fields,
                            base_title=base.title, problems=problems, total=minutes(fields, base),
                            saved=saved, stale=stale)


def _contacts():
    from . import work
    return work._state.get("contacts", ())


@router.post("/seances/{lesson_id}/adapter")
async def adapt(request: Request, lesson_id: str):
    kit = _kit(request)
    base = kit.lesson(lesson_id)
    await kit.pages.form(request)
    draft_id = kit.store.new_draft(base.id, fields_of(base, f"{base.id}-adaptee"))
    return RedirectResponse(f"/brouillons/{draft_id}", status_code=303)


@router.get("/brouillons/{draft_id}")
def edit(request: Request, draft_id: str):
    draft = _draft(_kit(request), draft_id)
    return _page(request, draft, draft["body"])


@router.post("/brouillons/{draft_id}")
async def submit(request: Request, draft_id: str):
    """Without JavaScript: check (or save), then the same page with the problems."""
    kit = _kit(request)
    draft = _draft(kit, draft_id)
    form = await kit.pages.form(request)
    fields = fields_from_form(form, len(draft["body"]["activities"]))
    version = int(form["version"]) if form.get("version", "").isdigit() else -1
    if not kit.store.save_draft(draft_id, fields, version):
        return _page(request, draft, fields, 409, stale=STALE)
    draft = _draft(kit, draft_id)
    if form.get("action") != "enregistrer":
        return _page(request, draft, fields)
    base = kit.lesson(draft["base"])
    problems, _ = check(fields, base, kit.lessons, _contacts(), draft_id)
    if problems:
        return _page(request, draft, fields, 400)
    try:
        path = save_file(kit.config, fields, base, draft_id)
    except KitError as error:
        return _page(request, draft, fields, 409, stale=error.format_message())
    return _page(request, draft, fields, saved=path.name)


STALE = ("Ce brouillon a été modifié ailleurs (un autre onglet ?) depuis que cette page a été "
         "ouverte : rechargez la page pour voir la dernière version, puis refaites vos changements.")


def picture(text: str, lesson_id: str, document: str = "worksheet") -> bytes:
    """In a rendering process: page 1 of the draft's document as a PNG."""
    from ..extend import LibraryBases
    from ..lessons import load_lesson
    from ..render import render_document
    from ..thumbnails import page_png
    from . import work
    lesson, _ = load_lesson(Path(f"{lesson_id}.yaml"), text, LibraryBases(work._state["lessons"]))
    data = render_document(lesson, document, local_contacts=work._state["contacts"],
                           theme=work._state["theme"]).data
    return page_png(data, 1, work.PREVIEW_WIDTH, colors=128)


@router.get("/brouillons/{draft_id}/apercu.png")
async def preview(request: Request, draft_id: str):
    """The draft as last kept, when it passes the checks; 404 while it does not."""
    kit = _kit(request)
    draft = _draft(kit, draft_id)
    base = kit.lesson(draft["base"])
    problems, lesson = check(draft["body"], base, kit.lessons, _contacts(), draft_id)
    if lesson is None or problems:
        raise HTTPException(404)
    text = extension_yaml(draft["body"], base, draft_id)
    png = await kit.cached(("draft", text), picture, text, lesson.id)
    return Response(png, media_type="image/png", headers={"cache-control": "no-store"})


@router.get("/brouillons/{draft_id}/seance.yaml")
def download(request: Request, draft_id: str):
    kit = _kit(request)
    draft = _draft(kit, draft_id)
    text = extension_yaml(draft["body"], kit.lesson(draft["base"]), draft_id)
    name = draft["body"]["id"] if re.fullmatch(SLUG_PATTERN, draft["body"]["id"]) else "seance"
    return Response(text, media_type="application/yaml; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}.yaml"'})


@router.post("/api/drafts/{draft_id}/check", include_in_schema=True, tags=["brouillons"],
             summary="Vérifier (et garder) un brouillon de séance adaptée")
async def check_draft(request: Request, draft_id: str):
    """JSON {version, fields}: the problems by field, the minutes, and the new version;
    409 when another tab saved first."""
    kit = _kit(request)
    draft = _draft(kit, draft_id)
    body = await request.json()
    if not isinstance(body, dict) or not isinstance(body.get("fields"), dict):
        return JSONResponse({"error": "envoyez {version, fields}", "field": None, "line": None},
                            status_code=422)
    fields = fields_from_form(body["fields"], len(draft["body"]["activities"]))
    version = body.get("version") if isinstance(body.get("version"), int) else -1
    if not kit.store.save_draft(draft_id, fields, version):
        return JSONResponse({"error": STALE, "field": "version", "line": None}, status_code=409)
    problems, _ = check(fields, kit.lesson(draft["base"]), kit.lessons, _contacts(), draft_id)
    return {"version": version + 1, "problems": problems, "minutes": minutes(fields, kit.lesson(draft["base"])),
            "duration": fields["duration"]}
