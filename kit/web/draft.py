"""A facilitator's draft: the editor's form fields, and the `extends:` file they become.

The fields are plain strings, never trusted. They become the extension's YAML (only
what differs from the base), which is checked exactly as `kit check` checks the saved
file; each problem is given back under the name of the form field it concerns. The
local contacts become a contacts file, checked as `--contacts` checks one.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
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
MAX_SCENARIOS = 12  # as the schema allows
MAX_BOARDS = 4
MAX_TEXT = 5000
LESSON_KEYS = ("id", "title", "duration", "objectives", "key_messages")
GROUP_FIELDS = ("group_count", "group_prepare", "group_report")
ACTIVITY_FIELDS = ("title", "minutes", "instructions", "intro", "write_prompt", "write_lines",
                   *GROUP_FIELDS)
QUESTION_FIELDS = ("prompt", "choices", "answer", "explanation")
SCENARIO_FIELDS = ("title", "text", "question", "discussion")
BOARD_FIELDS = ("title", "items", "numbered")
# Each list of parts in an activity: (its key, its fields' prefix letter, fields, limit).
PARTS = (("questions", "q", QUESTION_FIELDS, MAX_QUESTIONS),
         ("scenarios", "s", SCENARIO_FIELDS, MAX_SCENARIOS),
         ("boards", "b", BOARD_FIELDS, MAX_BOARDS))
CONTACT_FIELDS = ("name", "role", "phone", "web", "address")
# Keys of an uploaded file that the form shows (the others are kept as written).
FORM_KEYS = ("extends", "id", "title", "duration", "objectives", "key_messages", "add_objectives",
             "add_key_messages", "activities", "activity_changes")
MARK = "# Séance adaptée dans kit serve, brouillon {draft}."
FULL_MARK = "# Séance écrite dans kit serve, brouillon {draft}."
CONTACTS_MARK = "# Contacts locaux écrits dans kit serve, brouillon {draft}."


# --- fields from a lesson, and from a form ---

def fields_of(lesson, lesson_id: str, contacts=()) -> dict:
    """The form's fields filled from a lesson (a base, or an uploaded file), with what
    the form does not show of each activity kept aside (`kept`), to be written back."""
    activities, kept = [], {}
    for activity in lesson.activities:
        fields, rest = activity_fields(_dump(activity))
        activities.append(fields)
        kept[activity.id] = rest
    return {"id": lesson_id, "title": lesson.title, "duration": str(lesson.duration),
            "objectives": "\n".join(lesson.objectives),
            "key_messages": "\n".join(lesson.key_messages), "activities": activities,
            "contacts": [{"id": c.id or "", **{k: getattr(c, k) or "" for k in CONTACT_FIELDS}}
                         for c in contacts],
            "preview": {"document": lesson.offered_documents[0], "page": "1"},
            "kept": kept, "extra": {}}


def activity_fields(data: dict) -> tuple[dict, dict]:
    """One activity's data as the form's fields, and what the form does not show of it."""
    data = dict(data)
    student = dict(data.pop("student", {}))
    groups = data.pop("groups", {})
    fields = {"id": data.pop("id"), "title": data.pop("title"), "minutes": str(data.pop("minutes")),
              "instructions": data.pop("instructions"), "intro": student.pop("intro", ""),
              "write_prompt": student.pop("write_prompt", ""),
              "write_lines": str(student.pop("write_lines", "") or ""),
              "group_count": str(groups.get("count", "")),
              "group_prepare": str(groups.get("prepare", "")),
              "group_report": _decimal_text(groups.get("report", "")),
              "questions": [_question_fields(q) for q in student.pop("questions", [])],
              "scenarios": [{k: s.get(k) or "" for k in SCENARIO_FIELDS}
                            for s in student.pop("scenarios", [])],
              "boards": [{"title": b["title"], "items": "\n".join(b["items"]),
                          "numbered": "oui" if b.get("numbered") else ""}
                         for b in data.pop("boards", [])]}
    return fields, data | ({"student": student} if student else {})


def upgraded(fields: dict) -> dict:
    """A draft kept before scenarios, boards and groups were in the form: their parts
    move from `kept` into the fields (else they would be written twice)."""
    if all("scenarios" in a for a in fields["activities"]):
        return fields
    kept = dict(fields.get("kept", {}))
    for activity in fields["activities"]:
        if "scenarios" not in activity:
            rest = {**kept.get(activity["id"], {}), "id": activity["id"], "title": "",
                    "minutes": "", "instructions": ""}
            more, kept[activity["id"]] = activity_fields(rest)
            activity.update({k: v for k, v in more.items() if k not in activity})
    return fields | {"kept": kept}


def _decimal_text(value) -> str:
    """1.5 as a French reader writes it: « 1,5 »; 2.0 as « 2 »."""
    return f"{value:g}".replace(".", ",") if isinstance(value, (int, float)) else str(value)


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
        activity = {"id": text(f"a{i}_id", 80), **{k: text(f"a{i}_{k}") for k in ACTIVITY_FIELDS}}
        for key, letter, names, limit in PARTS:
            activity[key] = [{k: text(f"a{i}_{letter}{j}_{k}") for k in names}
                             for j in range(limit) if f"a{i}_{letter}{j}_title" in form
                             or f"a{i}_{letter}{j}_prompt" in form]
        activities.append(activity)
    contacts = [{"id": text(f"c{i}_id", 80), **{k: text(f"c{i}_{k}", 300) for k in CONTACT_FIELDS}}
                for i in range(MAX_CONTACTS) if f"c{i}_name" in form]
    page = text("preview_page", 4)
    return {**{k: text(k, 80 if k == "id" else MAX_TEXT) for k in LESSON_KEYS},
            "activities": activities, "contacts": contacts,
            "preview": {"document": text("preview_document", 40) or stored["preview"]["document"],
                        "page": page if page.isdigit() and page != "0" else "1"},
            "kept": stored.get("kept", {}), "extra": stored.get("extra", {}),
            **{k: stored[k] for k in ("full", "offer") if k in stored}}


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
        activities.append({"id": new_activity_id(activities), **{k: "" for k in ACTIVITY_FIELDS},
                           "minutes": "5", **{key: [] for key, *_ in PARTS}})
        return f"activite-{len(activities)}"
    if name == "ajouter-contact" and len(contacts) < MAX_CONTACTS:
        contacts.append({"id": "", **{k: "" for k in CONTACT_FIELDS}})
        return f"contact-{len(contacts)}"
    if name == "retirer-contact" and 0 <= i < len(contacts):
        del contacts[i]
        return "contacts"
    if not 0 <= i < len(activities):
        return None
    if name == "retirer":  # asked first: the page says « Oui, retirer » (retirer-oui)
        return f"retirer-{i + 1}" if len(activities) > 1 else None
    if name == "retirer-oui" and len(activities) > 1:
        del activities[i]
        return "activites"
    if name in ("monter", "descendre"):
        k = i - 1 if name == "monter" else i + 1
        if 0 <= k < len(activities):
            activities[i], activities[k] = activities[k], activities[i]
            return f"activite-{k + 1}"
        return f"activite-{i + 1}"
    for key, _, names, limit in PARTS:
        parts, word = activities[i][key], ANCHORS[key]
        if name == f"ajouter-{word}" and len(parts) < limit:
            parts.append({k: "" for k in names})
            return f"{word}-{i + 1}-{len(parts)}"
        if name == f"retirer-{word}" and 0 <= j < len(parts):
            del parts[j]
            return f"activite-{i + 1}"
    return None


ANCHORS = {"questions": "question", "scenarios": "scenario", "boards": "tableau"}


def new_activity_id(activities: list[dict]) -> str:
    taken = {a["id"] for a in activities}
    return next(f"activite-{n}" for n in range(len(activities) + 1, 1000)
                if f"activite-{n}" not in taken)


# --- the extension file ---

def _number(text: str):
    return int(text) if text.isdigit() else text


def _decimal(text: str):
    """« 1,5 » or « 1.5 » minutes as a number; anything else as written, for the check."""
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        number = float(text.replace(",", "."))
        return int(number) if number.is_integer() else number
    return text


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def activity_data(activity: dict, kept: dict) -> dict:
    """One activity as lesson data, in the schema's order: the form's fields and the
    parts kept aside. A group field left empty is left out, so the check asks for it."""
    data = {"id": activity["id"], "title": activity["title"],
            "minutes": _number(activity["minutes"]), "instructions": activity["instructions"]}
    rest = kept.get(activity["id"], {})
    if activity["boards"]:
        data["boards"] = [_board_data(b) for b in activity["boards"]]
    student = dict(rest.get("student", {}))
    if activity["intro"]:
        student["intro"] = activity["intro"]
    if activity["questions"]:
        student["questions"] = [_question_data(q) for q in activity["questions"]]
    if activity["scenarios"]:
        student["scenarios"] = [_scenario_data(s) for s in activity["scenarios"]]
    if activity["write_prompt"]:
        student["write_prompt"] = activity["write_prompt"]
    if activity["write_lines"] not in ("", "0"):
        student["write_lines"] = _number(activity["write_lines"])
    if student:
        data["student"] = {k: student[k] for k in STUDENT_ORDER if k in student} | student
    groups = {k: (_decimal if k == "report" else _number)(activity[f"group_{k}"])
              for k in ("count", "prepare", "report") if activity[f"group_{k}"]}
    if groups:
        data["groups"] = groups
    data.update({k: v for k, v in rest.items() if k not in data and k != "student"})
    return data


STUDENT_ORDER = ("intro", "questions", "scenarios", "write_prompt", "write_lines")


def _scenario_data(scenario: dict) -> dict:
    data = {k: scenario[k] for k in ("title", "text", "question")}
    if scenario["discussion"]:
        data["discussion"] = scenario["discussion"]
    return data


def _board_data(board: dict) -> dict:
    data = {"title": board["title"], "items": _lines(board["items"])}
    if board["numbered"] == "oui":
        data["numbered"] = True
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
    """The `extends:` file: only what differs from the base, with comments for a reader;
    for a full lesson (uploaded as such), the full lesson with the form's changes."""
    if "full" in fields:
        return full_yaml(fields, draft_id)
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


def full_yaml(fields: dict, draft_id: str) -> str:
    """A full lesson (no `extends:`): the uploaded file's keys in their order, those the
    form shows as the form has them."""
    data = dated(fields["full"])
    form = {"id": fields["id"], "title": fields["title"], "duration": _number(fields["duration"]),
            "objectives": _lines(fields["objectives"]),
            "key_messages": _lines(fields["key_messages"]),
            "activities": [activity_data(a, fields["kept"]) for a in fields["activities"]]}
    data = {k: form.get(k, v) for k, v in data.items()} | {
        k: v for k, v in form.items() if k not in data and v}
    body = yaml.dump(data, Dumper=_LessonDumper, allow_unicode=True, sort_keys=False, width=88)
    words = say("draft.full_file_header", name=_name(fields), date=f"{dt.date.today():%d/%m/%Y}")
    header = [FULL_MARK.format(draft=draft_id), *words.split("\n"), ""]
    return "\n".join(header) + body


def _name(fields: dict) -> str:
    return fields["id"] if re.fullmatch(SLUG_PATTERN, fields["id"] or "") else "ma-seance"


def uploaded_lesson(fields: dict):
    """The full lesson a draft edits, as it was uploaded: the form starts from it."""
    return _uploaded(json.dumps(fields["full"], ensure_ascii=False, sort_keys=True))


@functools.lru_cache(maxsize=32)
def _uploaded(data: str):
    from ..lessons import load_lesson
    raw = dated(json.loads(data))
    text = yaml.dump(raw, Dumper=_LessonDumper, allow_unicode=True, sort_keys=False)
    lesson, _ = load_lesson(Path(f"{raw.get('id')}.yaml"), text)
    return lesson


def as_adaptation(fields: dict, base) -> dict:
    """A full lesson's draft turned into an adaptation of `base`: the form keeps what it
    shows; the lesson's other keys that differ from the base's are written as they are."""
    lesson = uploaded_lesson(fields)
    extra = {}
    shown = ("id", "title", "duration", "objectives", "key_messages", "activities")
    for key in type(lesson).model_fields:
        # timings too when the file has some: an extension that changes activities drops
        # the base's (they may no longer fit); the file said them, they stay checked
        differs = getattr(lesson, key) != getattr(base, key)
        if key not in shown and (differs or key == "timings" and lesson.timings):
            extra[key] = lesson.model_dump(mode="python", include={key}, exclude_none=True).get(key)
    changed = {k: v for k, v in fields.items() if k not in ("full", "offer")}
    if changed["id"] == base.id:
        changed["id"] = f"{base.id}-adaptee"
    return changed | {"extra": storable(extra)}


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
    `a1_q0_answer`, `activities[3].student.scenarios[2].text` -> `a2_s1_text`,
    `activities[1].groups.prepare` -> `a0_group_prepare`, `contacts[1].phone` ->
    `c0_phone` (counted from 1 in messages)."""
    path = problem_field or ""
    found = re.match(r"activities\[(\d+)\]((?:\.\w+|\[\d+\])*)", path)
    if found:
        steps = [name or int(number) for name, number in re.findall(r"\.(\w+)|\[(\d+)\]",
                                                                   found.group(2))]
        return f"a{int(found.group(1)) - 1}_{_activity_field(steps)}"
    found = re.match(r"contacts\[(\d+)\](?:\.(\w+))?", path)
    if found:
        index, key = found.groups()
        return f"c{int(index) - 1}_{key if key in CONTACT_FIELDS else 'name'}"
    head = re.split(r"[.\[]", path)[0]
    return head if head in LESSON_KEYS else "general"


def _activity_field(steps: list) -> str:
    """The field of an activity a path inside it names (`student`, `scenarios`, 2, `text`)."""
    if steps[:1] == ["groups"]:
        key = f"group_{steps[1]}" if len(steps) > 1 else "group_count"
        return key if key in GROUP_FIELDS else "group_count"
    if steps[:1] == ["student"]:
        steps = steps[1:] or ["intro"]
    for key, letter, names, _ in PARTS:
        if steps[:1] == [key]:
            if len(steps) < 2 or not isinstance(steps[1], int):
                return "intro" if key != "boards" else "title"
            name = steps[2] if len(steps) > 2 and steps[2] in names else names[0]
            return f"{letter}{steps[1] - 1}_{name}"
    return steps[0] if steps and steps[0] in ACTIVITY_FIELDS else "title"


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
    elif (lesson_id == base.id and "full" not in fields) or (
            lesson_id in lessons and not (folder / f"{lesson_id}.yaml").exists()):
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
        for key, letter, keys, _ in PARTS:
            names.update(f"a{i}_{letter}{j}_{k}" for j in range(len(activity[key]))
                         for k in keys)
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
    mark = FULL_MARK if "full" in fields else MARK
    found = [(inside(lessons_folder(config), f"{fields['id']}.yaml"),
              extension_yaml(fields, base, draft_id), mark.format(draft=draft_id))]
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
