"""A facilitator's draft: the editor's form fields, and the `extends:` file they become.

The fields are plain strings, never trusted. They become the extension's YAML (only
what differs from the base), which is checked exactly as `kit check` checks the saved
file; each problem is given back under the name of the form field it concerns. The
local contacts become a contacts file, checked as `--contacts` checks one.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import yaml

from ..authoring import _LessonDumper
from ..errors import LessonError
from ..messages import say
from ..output import inside
from ..schema import SLUG_PATTERN

MAX_ACTIVITIES = 20
MAX_QUESTIONS = 20
MAX_CONTACTS = 20
MAX_TEXT = 5000
LESSON_KEYS = ("id", "title", "duration", "objectives", "key_messages")
ACTIVITY_FIELDS = ("title", "minutes", "instructions", "intro", "write_prompt")
QUESTION_FIELDS = ("prompt", "choices", "answer", "explanation")
CONTACT_FIELDS = ("name", "role", "phone", "web", "address")
# Keys of an uploaded file that the form shows (the others are kept as written).
FORM_KEYS = ("extends", "id", "title", "duration", "objectives", "key_messages", "add_objectives",
             "add_key_messages", "activities", "activity_changes")
MARK = "# Séance adaptée dans kit serve, brouillon {draft}."
CONTACTS_MARK = "# Contacts locaux écrits dans kit serve, brouillon {draft}."


# --- fields from a lesson, and from a form ---

def fields_of(lesson, lesson_id: str, contacts=()) -> dict:
    """The form's fields filled from a lesson (a base, or an uploaded file), with what
    the form does not show of each activity kept aside (`kept`), to be written back."""
    activities, kept = [], {}
    for activity in lesson.activities:
        data = _dump(activity)
        student = data.pop("student", {})
        activities.append({
            "id": activity.id, "title": activity.title, "minutes": str(activity.minutes),
            "instructions": activity.instructions, "intro": student.pop("intro", ""),
            "write_prompt": student.pop("write_prompt", ""),
            "questions": [_question_fields(q) for q in student.pop("questions", [])]})
        rest = {k: v for k, v in data.items() if k not in ("id", "title", "minutes", "instructions")}
        kept[activity.id] = rest | ({"student": student} if student else {})
    return {"id": lesson_id, "title": lesson.title, "duration": str(lesson.duration),
            "objectives": "\n".join(lesson.objectives),
            "key_messages": "\n".join(lesson.key_messages), "activities": activities,
            "contacts": [{"id": c.id or "", **{k: getattr(c, k) or "" for k in CONTACT_FIELDS}}
                         for c in contacts],
            "preview": {"document": lesson.offered_documents[0], "page": "1"},
            "kept": kept, "extra": {}}


def _dump(model) -> dict:
    data = model.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    if data.get("student") == {}:
        del data["student"]
    return data


def _question_fields(question: dict) -> dict:
    return {"prompt": question["prompt"], "choices": "\n".join(question.get("choices", [])),
            "answer": question["answer"], "explanation": question.get("explanation", "")}


def fields_from_form(form: dict, stored: dict) -> dict:
    """The posted form (or the page's JSON) as fields; what the form does not carry
    (kept parts of activities, keys of an uploaded file) comes from the stored draft."""
    def text(key: str, limit: int = MAX_TEXT) -> str:
        value = form.get(key, "")
        return value.replace("\r\n", "\n").strip()[:limit] if isinstance(value, str) else ""
    activities = []
    for i in range(MAX_ACTIVITIES):
        if f"a{i}_id" not in form:
            break
        questions = [{k: text(f"a{i}_q{j}_{k}") for k in QUESTION_FIELDS}
                     for j in range(MAX_QUESTIONS) if f"a{i}_q{j}_prompt" in form]
        activities.append({"id": text(f"a{i}_id", 80), **{k: text(f"a{i}_{k}") for k in ACTIVITY_FIELDS},
                           "questions": questions})
    contacts = [{"id": text(f"c{i}_id", 80), **{k: text(f"c{i}_{k}", 300) for k in CONTACT_FIELDS}}
                for i in range(MAX_CONTACTS) if f"c{i}_name" in form]
    page = text("preview_page", 4)
    return {**{k: text(k, 80 if k == "id" else MAX_TEXT) for k in LESSON_KEYS},
            "activities": activities, "contacts": contacts,
            "preview": {"document": text("preview_document", 40) or stored["preview"]["document"],
                        "page": page if page.isdigit() and page != "0" else "1"},
            "kept": stored.get("kept", {}), "extra": stored.get("extra", {})}


def storable(value):
    """A file's data as JSON keeps it (dates as text); `dated` gives the dates back."""
    if isinstance(value, dict):
        return {str(k): storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [storable(v) for v in value]
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def dated(value, key: str = ""):
    """Dates written back as dates (`consulted: 2026-11-01`, not a quoted text)."""
    if isinstance(value, dict):
        return {k: dated(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [dated(v) for v in value]
    if key == "consulted" and isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value)
    return value


# --- what the buttons do to the fields (with or without JavaScript) ---

def apply_action(fields: dict, action: str) -> str | None:
    """Add, remove or move an activity, a question or a contact, as the button says;
    the anchor of the part to show after it, or None when `action` is no such button."""
    activities, contacts = fields["activities"], fields["contacts"]
    found = re.fullmatch(r"([a-z-]+?)(?:-(\d+))?(?:-(\d+))?", action or "")
    if not found:
        return None
    name, first, second = found.group(1), found.group(2), found.group(3)
    i = int(first) if first is not None else -1
    j = int(second) if second is not None else -1
    if name == "ajouter-activite" and len(activities) < MAX_ACTIVITIES:
        activities.append({"id": new_activity_id(activities), "title": "", "minutes": "5",
                           "instructions": "", "intro": "", "write_prompt": "", "questions": []})
        return f"activite-{len(activities)}"
    if name == "ajouter-contact" and len(contacts) < MAX_CONTACTS:
        contacts.append({"id": "", **{k: "" for k in CONTACT_FIELDS}})
        return f"contact-{len(contacts)}"
    if name == "retirer-contact" and 0 <= i < len(contacts):
        del contacts[i]
        return "contacts"
    if not 0 <= i < len(activities):
        return None
    questions = activities[i]["questions"]
    if name == "retirer" and len(activities) > 1:
        del activities[i]
        return "activites"
    if name in ("monter", "descendre"):
        k = i - 1 if name == "monter" else i + 1
        if 0 <= k < len(activities):
            activities[i], activities[k] = activities[k], activities[i]
            return f"activite-{k + 1}"
        return f"activite-{i + 1}"
    if name == "ajouter-question" and len(questions) < MAX_QUESTIONS:
        questions.append({k: "" for k in QUESTION_FIELDS})
        return f"question-{i + 1}-{len(questions)}"
    if name == "retirer-question" and 0 <= j < len(questions):
        del questions[j]
        return f"activite-{i + 1}"
    return None


def new_activity_id(activities: list[dict]) -> str:
    taken = {a["id"] for a in activities}
    return next(f"activite-{n}" for n in range(len(activities) + 1, 1000)
                if f"activite-{n}" not in taken)


# --- the extension file ---

def _number(text: str):
    return int(text) if text.isdigit() else text


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def activity_data(activity: dict, kept: dict) -> dict:
    """One activity as lesson data: the form's fields and the parts kept aside."""
    data = {"id": activity["id"], "title": activity["title"],
            "minutes": _number(activity["minutes"]), "instructions": activity["instructions"]}
    rest = kept.get(activity["id"], {})
    data.update({k: v for k, v in rest.items() if k != "student"})
    student = {}
    if activity["intro"]:
        student["intro"] = activity["intro"]
    if activity["questions"]:
        student["questions"] = [_question_data(q) for q in activity["questions"]]
    student.update(rest.get("student", {}))
    if activity["write_prompt"]:
        student["write_prompt"] = activity["write_prompt"]
    if student:
        data["student"] = student
    return data


def _question_data(question: dict) -> dict:
    data = {"prompt": question["prompt"]}
    if _lines(question["choices"]):
        data["choices"] = _lines(question["choices"])
    data["answer"] = question["answer"]
    if question["explanation"]:
        data["explanation"] = question["explanation"]
    return data


def activity_changes(desired: list[dict], base: list[dict]) -> list[dict] | None:
    """`activity_changes` turning the base's activities into `desired`, by id; None when
    the kept activities changed order (the file then lists every activity)."""
    base_ids = [a["id"] for a in base]
    ids = [a["id"] for a in desired]
    kept = [i for i in ids if i in base_ids]
    if kept != [i for i in base_ids if i in kept] or len(set(ids)) != len(ids) or not kept:
        return None
    by_id = dict(zip(base_ids, base))
    changes: list[dict] = [{"remove": i} for i in base_ids if i not in ids]
    previous = None
    for index, activity in enumerate(desired):
        original = by_id.get(activity["id"])
        if original is None:
            anchor = ({"insert_after": previous} if previous else
                      {"insert_before": next(i for i in ids[index:] if i in by_id)})
            changes.append(anchor | {"activity": activity})
        elif any(key not in activity for key in original):  # a part taken away: all of it
            changes.append({"replace": activity["id"], "with": activity})
        else:
            changed = {k: v for k, v in activity.items() if original.get(k) != v}
            if changed:
                changes.append({"change": activity["id"], "set": changed})
        previous = activity["id"]
    return changes


def extension_yaml(fields: dict, base, draft_id: str) -> str:
    """The `extends:` file: only what differs from the base, with comments for a reader."""
    data: dict = {"extends": base.id, "title": fields["title"]}
    duration = _number(fields["duration"])
    if duration != base.duration:
        data["duration"] = duration
    for key in ("objectives", "key_messages"):
        if _lines(fields[key]) != list(getattr(base, key)):
            data[key] = _lines(fields[key])
    data.update(dated(fields.get("extra", {})))
    desired = [activity_data(a, fields["kept"]) for a in fields["activities"]]
    originals = [_dump(a) for a in base.activities]
    changes = activity_changes(desired, originals)
    if changes is None:
        data["activities"] = desired
    elif changes:
        data["activity_changes"] = changes
    body = yaml.dump(data, Dumper=_LessonDumper, allow_unicode=True, sort_keys=False, width=88)
    name = fields["id"] if re.fullmatch(SLUG_PATTERN, fields["id"] or "") else "ma-seance"
    header = [MARK.format(draft=draft_id), *say("draft.file_header", base=base.id, name=name,
                                                  date=f"{dt.date.today():%d/%m/%Y}").split("\n"), ""]
    return "\n".join(header) + body


def contacts_yaml(fields: dict, draft_id: str) -> str | None:
    """The local contacts as a contacts file (`--contacts`); None when there are none."""
    if not fields["contacts"]:
        return None
    contacts = [{k: c[k] for k in ("id", *CONTACT_FIELDS) if c.get(k)} for c in fields["contacts"]]
    body = yaml.dump({"contacts": contacts}, Dumper=_LessonDumper, allow_unicode=True,
                     sort_keys=False, width=88)
    name = fields["id"] if re.fullmatch(SLUG_PATTERN, fields["id"] or "") else "ma-seance"
    return "\n".join([CONTACTS_MARK.format(draft=draft_id),
                      say("draft.contacts_header", name=name), ""]) + body


# --- checks, as `kit check` makes them ---

def field_name(problem_field: str | None) -> str:
    """The form field a problem names: `activities[2].student.questions[1].answer` ->
    `a1_q0_answer`, `contacts[1].phone` -> `c0_phone` (counted from 1 in messages)."""
    path = problem_field or ""
    found = re.match(r"activities\[(\d+)\](?:\.student(?:\.questions\[(\d+)\])?)?(?:\.(\w+))?", path)
    if found:
        index, question, key = found.groups()
        prefix = f"a{int(index) - 1}"
        if question:
            return f"{prefix}_q{int(question) - 1}_{key if key in QUESTION_FIELDS else 'prompt'}"
        return f"{prefix}_{key if key in ACTIVITY_FIELDS else 'title'}"
    found = re.match(r"contacts\[(\d+)\](?:\.(\w+))?", path)
    if found:
        index, key = found.groups()
        return f"c{int(index) - 1}_{key if key in CONTACT_FIELDS else 'name'}"
    head = re.split(r"[.\[]", path)[0]
    return head if head in LESSON_KEYS else "general"


def check_contacts(fields: dict, draft_id: str) -> tuple[dict, tuple]:
    """The contacts' problems by field, as `--contacts` would report them; and the contacts."""
    from ..helpline import load_contacts_profile
    text = contacts_yaml(fields, draft_id)
    if text is None:
        return {}, ()
    try:
        return {}, load_contacts_profile(Path("contacts.yaml"), text)
    except LessonError as error:
        problems: dict[str, list[str]] = {}
        for problem in error.problems:
            problems.setdefault(field_name(problem.field), []).append(problem.message)
        return problems, ()


def check(fields: dict, base, lessons: dict, folder: Path, draft_id: str) -> tuple[dict, object, tuple]:
    """The problems `kit check` reports for the saved files, by form field; the lesson
    (None when it cannot be read) and the local contacts."""
    from ..check import check_lesson
    from ..extend import LibraryBases
    from ..lessons import load_lesson
    problems, contacts = check_contacts(fields, draft_id)
    lesson_id = fields["id"]
    if not re.fullmatch(SLUG_PATTERN, lesson_id or "") or len(lesson_id) > 60:
        problems["id"] = [say("draft.bad_id", example=f"{base.id}-lyon")]
        lesson_id = f"{base.id}-adaptee"
    elif lesson_id == base.id or (lesson_id in lessons and not (folder / f"{lesson_id}.yaml").exists()):
        problems["id"] = [say("draft.id_taken", id=lesson_id)]
    text = extension_yaml(fields, base, draft_id)
    try:
        lesson, origin = load_lesson(Path(f"{lesson_id}.yaml"), text, LibraryBases(lessons))
        found = [p for p in check_lesson(lesson, origin, contacts) if p.severity == "error"]
    except LessonError as error:
        lesson, found = None, error.problems
    for problem in found:
        problems.setdefault(field_name(problem.field), []).append(problem.message)
    return placed(problems, fields), lesson, contacts


def field_names(fields: dict) -> set[str]:
    """Every field the form shows, so a problem is shown next to one (else at the top)."""
    names = {*LESSON_KEYS, "general", "contacts"}
    for i, activity in enumerate(fields["activities"]):
        names.update(f"a{i}_{k}" for k in ACTIVITY_FIELDS)
        names.update(f"a{i}_q{j}_{k}" for j in range(len(activity["questions"]))
                     for k in QUESTION_FIELDS)
    names.update(f"c{i}_{k}" for i in range(len(fields["contacts"])) for k in CONTACT_FIELDS)
    return names


def placed(problems: dict, fields: dict) -> dict:
    """The problems by field, those of a field the form does not show moved to the top."""
    names, found = field_names(fields), {}
    blank = {say("validation.missing"), say("validation.empty")}  # a key in a file, a field here
    for name, messages in problems.items():
        messages = [say("form.missing") if m in blank else m for m in messages]
        found.setdefault(name if name in names else "general", []).extend(messages)
    return found


def minutes(fields: dict, base) -> int:
    """The plan's minutes as `kit check` adds them: the activities and the base's margins."""
    return (sum(int(a["minutes"]) for a in fields["activities"] if a["minutes"].isdigit())
            + base.margin_minutes)


# --- the files it writes ---

def lessons_folder(config) -> Path:
    """Where saved lessons go: the first --lessons folder, else DATA/lecons."""
    return Path(config.library_dirs[0])


def contacts_folder(config) -> Path:
    """Where the contacts go: DATA/contacts (never a lessons folder: not a lesson)."""
    return Path(config.data) / "contacts"


def targets(config, fields: dict, base, draft_id: str) -> list[tuple[Path, str, str]]:
    """(path, text, mark) of each file a save writes."""
    found = [(inside(lessons_folder(config), f"{fields['id']}.yaml"),
              extension_yaml(fields, base, draft_id), MARK.format(draft=draft_id))]
    contacts = contacts_yaml(fields, draft_id)
    if contacts is not None:
        found.append((inside(contacts_folder(config), f"{fields['id']}.yaml"), contacts,
                      CONTACTS_MARK.format(draft=draft_id)))
    return found


def foreign(files: list[tuple[Path, str, str]]) -> list[Path]:
    """The files a save would replace that this draft did not write: ask first."""
    found = []
    for path, _, mark in files:
        if path.exists():
            first = path.read_bytes()[:200].decode("utf-8", "replace").split("\n", 1)[0]
            if first != mark:
                found.append(path)
    return found


def replace_token(paths: list[Path]) -> str:
    """What « Remplacer » carries: the files as they were when the user was asked, so a
    file changed since is asked about again."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]
