"""Blocks several documents share: the title, the session's details, the 3018 box, contacts.

They read the same data as kit/documents/parts.py (assets/helpline.yaml, wording.yaml,
contacts.yaml); only the layout is left to the format's renderer.
"""
from __future__ import annotations

from ..text import BLANK
from ..wording import wording
from .blocks import Box, Heading, Item, Para, Qr, Run, Text
from .writer import Writer, bold


def title_block(w: Writer, label: str) -> list:
    subtitle = f"{label} · {w.level_name} · {w.lesson.duration} min"
    return [Heading(w.inline(w.lesson.title), 0), Para(w.label(subtitle), "subtitle")]


def form_line(w: Writer, names: list[tuple[str, str]]) -> Para:
    """`Prénom : ______ · Classe : 5e B`: the details to fill in, on one line."""
    text = "    ".join(f"{label} : {value}" for label, value in names)
    return Para(w.label(text), "form")


def session_form(w: Writer, with_name: bool = True, where_and_when: bool = False) -> Para:
    names = [("Nom" if w.adults else "Prénom", BLANK)] if with_name else []
    if not w.adults:
        names.append(("Classe", w.session_value("class")))
    names += [("Date", w.session_value("date")), ("Établissement", w.session_value("school"))]
    if where_and_when:
        names += given_details(w, (("Horaire", "time"), ("Salle", "room")))
    return form_line(w, names)


def given_details(w: Writer, wanted) -> list[tuple[str, str]]:
    """(label, value) of the details the roster gives; none is printed blank."""
    return [(label, w.session_value(name)) for label, name in wanted
            if w.session.placeholders()[name] is not None]


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def helps_with(w: Writer) -> Text:
    """What the 3018 helps with, in words fit for the lesson's level."""
    chosen = wording().helps_with.get(w.lesson.level)
    return w.inline(chosen) if chosen else w.label(capitalised(w.helpline.purpose))


def helpline_box(w: Writer, adults: bool | None = None, brief: bool = False) -> Box:
    """The 3018: who it is for, the number, promises, hours, channels and a QR code to
    its site; `brief` (the one-page letter) leaves out the list of harms and the operator."""
    h = w.helpline
    blocks = [Para(w.help_call(adults), "box-title"), Para((Run(h.phone, bold=True),), "number"),
              Para(bold(w.label(f"{capitalised(h.promises_text)}, {h.days}, {h.hours}.")))]
    if not brief:
        blocks.append(Para((*helps_with(w), Run("."))))
    blocks += [Item((*bold(w.label(c.label)), *w.label(f" : {c.detail}"))) for c in h.channels]
    if not brief:
        blocks.append(Para(w.inline(wording().operated), "small"))
    blocks.append(Qr(h.web, h.web_short, 16 if brief else 25))
    return Box(tuple(blocks), shaded=True)


def contacts_list(w: Writer, national: bool = True) -> list[Item]:
    """Who else to call: local contacts first, then the national numbers."""
    items = []
    for contact in w.contacts(national):
        reach = " · ".join(x for x in (contact.phone, contact.web, contact.address) if x)
        items.append(Item((*bold(w.label(contact.name)), *w.label(f" ({contact.role}) : "),
                           Run(reach))))
    return items


def heading(w: Writer, text: str, level: int = 1) -> Heading:
    return Heading(w.label(text), level)


def your_turn(w: Writer) -> str:
    return getattr(wording().your_turn, w.audience)
