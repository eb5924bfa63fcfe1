"""What the rendering processes do: PDFs, packs and page pictures, off the event loop.

Each process loads the lessons once (`start`) and keeps recent PDFs, so a lesson
page's previews draw each document once. Functions take ids and orders, never paths.
"""
from __future__ import annotations

import functools
import json
import logging

from .. import api
from ..catalogue import check_library
from ..errors import UnknownLessonError
from ..messages import say
from ..order import PackOrder, RenderOrder
from ..theme import load_theme

PREVIEW_WIDTH = 560   # pixels: a page readable on a tablet without zooming
THUMBNAIL_WIDTH = 180

_state: dict = {}


def start(lesson_dirs: tuple, contacts: str | None, theme: str | None,
          own_contacts: str | None = None) -> None:
    """Load the library, the contacts and the theme once per process. A lesson saved by
    the editor with its local contacts (`own_contacts`/ID.yaml) is checked and printed
    with those, as the editor checked it; the others with the server's `--contacts`."""
    logging.getLogger("kit").setLevel(logging.ERROR)
    library = api.load(lesson_dirs, strict=False)
    profile = api.local_contacts(contacts)
    own = _own_contacts(library, lesson_dirs, own_contacts)
    checked = {}
    for lesson in library.sorted():  # a lesson that fails its checks is not offered
        try:
            check_library(library.only(lesson), own.get(lesson.id, profile))
            checked[lesson.id] = lesson
        except api.LessonError:
            continue
    _state.update(lessons=checked, contacts=profile, own=own, theme=load_theme(theme),
                  folders=api.lesson_folders(lesson_dirs))


def _own_contacts(library, lesson_dirs: tuple, folder: str | None) -> dict:
    """Each user lesson's own contacts file, by lesson id, when it has a readable one."""
    from pathlib import Path

    from ..helpline import load_contacts_profile
    found = {}
    if folder is None or not Path(folder).is_dir():
        return found
    users = [Path(d).resolve() for d in lesson_dirs]
    for lesson in library.sorted():
        path = Path(folder) / f"{lesson.id}.yaml"
        source = Path(library.origin(lesson).file).resolve()
        if path.is_file() and any(source.is_relative_to(d) for d in users):
            try:
                found[lesson.id] = load_contacts_profile(path)
            except api.LessonError:
                continue  # then checked with the server's contacts, as before
    return found


def contacts_of(lesson_id: str) -> tuple:
    """The local contacts a lesson is printed with: its own, else the server's."""
    return _state.get("own", {}).get(lesson_id, _state.get("contacts", ()))


def start_worker(generation, *args) -> None:
    """A rendering process: Ctrl-C is the server's to handle, not each worker's.
    `generation` is shared with the server, which raises it when a lesson is saved."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_server()
    start(*args)
    _state.update(generation=generation, seen=generation.value, args=args)


def call(function, *args):
    """`function(*args)` in a rendering process, with the library as the server has it:
    read again first when a lesson was saved since (cheaper than new processes)."""
    shared = _state.get("generation")
    if shared is not None and shared.value != _state["seen"]:
        seen = shared.value
        start(*_state["args"])
        _document.cache_clear()
        _draft_pdf.cache_clear()
        from .batches import _library
        _library.cache_clear()
        _state["seen"] = seen
    return function(*args)


def die_with_server() -> None:
    """On Linux, SIGTERM when the server dies, even killed outright: no orphan process."""
    import signal
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def ready() -> int:
    """Nothing: the pool calls it once per process at start, so the first page is fast."""
    return len(_state.get("lessons", {}))


def lesson(lesson_id: str):
    try:
        return _state["lessons"][lesson_id]
    except KeyError:
        raise UnknownLessonError(say("web.no_lesson", id=lesson_id)) from None


def letter_languages(lesson_id: str) -> list[dict]:
    """The families' languages the lesson's letter is translated into, as a form offers
    them: code and label (« Arabe (العربية) »)."""
    from ..languages import language_words
    from ..translations import ALL_LANGUAGES, find_translation
    if "family-letter" not in lesson(lesson_id).offered_documents:
        return []
    found = [code for code in ALL_LANGUAGES if find_translation(_state["folders"], lesson_id, code)]
    labels = []
    for code in found:
        words = language_words(code)
        own = f" ({words.name})" if words.name.casefold() != words.name_fr.casefold() else ""
        labels.append({"code": code, "label": words.name_fr.capitalize() + own})
    return labels


def pack(order_json: str, fmt: str) -> tuple[bytes, dict]:
    """The print file (`pdf`) or the zip (`zip`) of an order, and its summary."""
    from ..pack import make_pack
    order = PackOrder.model_validate_json(order_json)
    made = make_pack(lesson(order.lesson), order, local_contacts=contacts_of(order.lesson),
                     theme=_state["theme"], folders=_state["folders"])
    return (made.zip() if fmt == "zip" else made.pdf), made.as_dict() | {"summary": made.summary()}


def render(order_json: str) -> tuple[bytes, str]:
    """One document as PDF, and the file name a teacher understands."""
    from ..render import file_name
    order = RenderOrder.model_validate_json(order_json)
    data = _document(order.lesson, order.document, order.edition, order.paper,
                     order.session.model_dump_json())
    return data, file_name(order.lesson, order.document, order.edition)


@functools.lru_cache(maxsize=48)
def _document(lesson_id: str, document: str, edition: str, paper: str = "a4",
              session_json: str = "{}") -> bytes:
    from ..order import SessionDetails
    from ..render import render_document
    details = SessionDetails.model_validate_json(session_json)
    session = details.session() if details.model_dump(exclude_none=True) else None
    return render_document(lesson(lesson_id), document, edition=edition, session=session,
                           local_contacts=contacts_of(lesson_id), paper=paper,
                           theme=_state["theme"]).data


def page_count(lesson_id: str, document: str) -> int:
    import pypdfium2
    return len(pypdfium2.PdfDocument(_document(lesson_id, document, "standard")))


@functools.lru_cache(maxsize=8)
def _draft_pdf(text: str, lesson_id: str, document: str, people: str) -> bytes:
    from pathlib import Path

    from ..extend import LibraryBases
    from ..helpline import Contact
    from ..lessons import load_lesson
    from ..render import render_document
    lesson, _ = load_lesson(Path(f"{lesson_id}.yaml"), text, LibraryBases(_state["lessons"]))
    contacts = tuple(Contact.model_validate(c) for c in json.loads(people))
    return render_document(lesson, document, local_contacts=contacts, theme=_state["theme"]).data


def draft_document(text: str, lesson_id: str, document: str, people: str) -> bytes:
    """A draft's whole document, as the preview draws it (the same cached PDF)."""
    return _draft_pdf(text, lesson_id, document, people)


def draft_picture(text: str, lesson_id: str, document: str, page: int,
                  people: str) -> tuple[bytes, int]:
    """A page of a draft's document as a PNG (the last page when `page` is past it), and
    the number of pages; `people` are the draft's local contacts, as JSON."""
    import pypdfium2

    from ..thumbnails import page_png
    data = _draft_pdf(text, lesson_id, document, people)
    count = len(pypdfium2.PdfDocument(data))
    return page_png(data, min(page, count), PREVIEW_WIDTH, colors=128), count


def picture(lesson_id: str, document: str, page: int, width: int = PREVIEW_WIDTH) -> bytes:
    """Page `page` (from 1) of the standard edition as a PNG `width` pixels wide."""
    from ..thumbnails import page_png
    return page_png(_document(lesson_id, document, "standard"), page, width, colors=128)
