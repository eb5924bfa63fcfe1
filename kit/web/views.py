"""What the pages show of a lesson: plain text with the placeholders filled, the
timed plan, the documents with their French names. Built once per lesson."""
from __future__ import annotations

from ..batch.roster import normalise
from ..context import make_context
from ..documents import EDITIONS, document_type, file_name
from ..schema import LEVEL_NAMES, LEVELS, Lesson

EDITION_LABELS = {"standard": "standard", "dys": "dys", "large-print": "gros caractères"}


def topics(lesson: Lesson) -> list[str]:
    return [t.strip() for t in lesson.topic.split(",") if t.strip()]


_views: dict[tuple[str, int], dict] = {}


def lesson_view(lesson: Lesson) -> dict:
    """Built once per lesson object (a lesson edited later is a new object)."""
    key = (lesson.id, id(lesson))
    if key not in _views:
        _views[key] = _view(lesson)
    return _views[key]


def _view(lesson: Lesson) -> dict:
    ctx = make_context(lesson)
    plain = ctx.text.plain
    start, plan = 0, []
    for activity in lesson.activities:
        plan.append({"start": start, "minutes": activity.minutes, "title": plain(activity.title)})
        start += activity.minutes
    documents = [{"name": d, "label": document_type(d).label_for(lesson),
                  "file_part": document_type(d).file_part,
                  "editions": [{"edition": e, "label": EDITION_LABELS[e],
                                "file": file_name(lesson.id, d, e)} for e in EDITIONS]}
                 for d in lesson.offered_documents]
    title = plain(lesson.title)
    return {"id": lesson.id, "title": title, "level": lesson.level,
            "level_name": LEVEL_NAMES[lesson.level], "duration": lesson.duration,
            "topic": lesson.topic, "topics": topics(lesson),
            "summary": plain(lesson.summary) if lesson.summary else "",
            "objectives": [plain(o) for o in lesson.objectives],
            "key_messages": [plain(m) for m in lesson.key_messages],
            "plan": plan, "documents": documents,
            "first_document": lesson.offered_documents[0],
            "words": normalise(" ".join([title, lesson.topic, lesson.summary or "",
                                         *lesson.objectives]))}


def catalogue(lessons, level: str = "", topic: str = "", query: str = "") -> list[dict]:
    """The lessons that match the filters: every word of `query`, accents ignored."""
    words = normalise(query).split()
    views = [lesson_view(l) for l in sorted(lessons, key=lambda l: (LEVELS.index(l.level), l.id))]
    return [v for v in views
            if (not level or v["level"] == level) and (not topic or topic in v["topics"])
            and all(w in v["words"] for w in words)]


def all_topics(lessons) -> list[str]:
    return sorted({t for l in lessons for t in topics(l)}, key=normalise)
