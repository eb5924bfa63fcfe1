"""Text with no Markdown in it is not given to markdown-it (so `kit list` never loads it):
what it becomes must be exactly what markdown-it would have made of it."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kit import text
from kit.check import text_fields
from kit.text import TextRenderer

# Letters, French punctuation and every character CommonMark may read as markup
CHARACTERS = list("aé Z9:;!?«»'\"-+=1.)(#*_`[]<>&\\\t\n\u00a0\u202f~|")


def both_ways(source: str, monkeypatch) -> tuple[list, list]:
    fast = list(TextRenderer({}, None)._to_blocks(source))
    with monkeypatch.context() as patched:
        patched.setattr(text, "_PLAIN_LINE", re.compile(r"(?!)"))  # never plain: markdown-it
        parsed = list(TextRenderer({}, None)._to_blocks(source))
    return fast, parsed


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(CHARACTERS), max_size=24))
def test_a_line_read_without_markdown_it_reads_the_same(source):
    import pytest
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, parsed = both_ways(source, monkeypatch)
    assert fast == parsed


def test_every_text_of_every_lesson_reads_the_same_either_way(library, monkeypatch):
    plain = 0
    for lesson in library.sorted():
        for _, value in [*text_fields(lesson), (("title",), lesson.title)]:
            fast, parsed = both_ways(value, monkeypatch)
            assert fast == parsed, value
            plain += bool(text._PLAIN_LINE.fullmatch(value))
    assert plain > 100  # titles, labels and short fields take the short way
