"""Every sentence the kit says to its users, kept as data in assets/messages.yaml.

The code names a message by its id and gives its details by name:
`say("lesson.id_not_file_name", id="a", stem="b")`. The wording (French, for teachers
and facilitators) lives in one file a reviewer reads from top to bottom, and a test
checks that every id the code uses exists there with the same details.

In a message, `{name}` is a detail; anything else between braces (`{{ helpline.phone }}`,
`{start: 3}`) is printed as written.
"""
from __future__ import annotations

import errno
import functools
import re

import yaml

CATALOGUE = "messages.yaml"
_DETAIL = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


@functools.cache
def catalogue() -> dict[str, str]:
    """`section.id` -> message, from assets/messages.yaml (read once per process)."""
    from . import paths  # here, not above: paths' and errors' own messages come from this module
    path = paths.ROOT / "assets" / CATALOGUE
    try:
        # the kit's own file: libyaml when there (10x faster: every command says something)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        sections = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as error:  # said in French without the file it would come from
        from .errors import AssetError
        raise AssetError(f"assets/{CATALOGUE} manque ou est illisible ({error}) ; "
                         "reprenez-le du dépôt du kit") from None
    return {f"{section}.{key}": text for section, messages in sections.items()
            for key, text in messages.items()}


def say(message_id: str, **details) -> str:
    """The message `message_id` with its details filled in."""
    text = catalogue()[message_id]
    return _DETAIL.sub(lambda m: str(details[m.group(1)]), text)


def details_of(message_id: str) -> set[str]:
    """The details a message names (for the test that keeps code and catalogue in step)."""
    return set(_DETAIL.findall(catalogue()[message_id]))


def either(words, last: str = "ou") -> str:
    """`a, b ou c`: a list of choices as a sentence says it."""
    words = [str(w) for w in words]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def os_reason(error: OSError) -> str:
    """Why the system refused (`accès refusé`), in French: its own words are English."""
    name = errno.errorcode.get(error.errno or 0, "")
    key = f"system.{name}"
    return say(key) if key in catalogue() else say("system.other", code=name or error.errno)
