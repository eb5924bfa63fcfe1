"""Lesson files are read by libyaml's C parser where PyYAML has it, with the same
guards and the same messages as the Python parser it falls back to."""
from __future__ import annotations

from pathlib import Path

import pytest

from kit import yamlfile
from kit.errors import LessonError

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*ROOT.glob("lessons/*.yaml"), *ROOT.glob("assets/*.yaml"),
                *(ROOT / "tests" / "data").rglob("*.yaml")])


def read(path: Path):
    try:
        data, positions = yamlfile.load_yaml(path)
        return data, positions.values, positions.keys
    except LessonError as error:
        return str(error)


@pytest.mark.skipif(yamlfile._FastLoader is None, reason="PyYAML without libyaml")
def test_the_c_parser_reads_every_file_as_the_python_parser_does(monkeypatch):
    fast = {path: read(path) for path in FILES}
    assert any(isinstance(v, str) for v in fast.values())  # tests/data/bad: refused files
    assert sum(not isinstance(v, str) for v in fast.values()) >= 12
    monkeypatch.setattr(yamlfile, "_FastLoader", None)
    assert {path: read(path) for path in FILES} == fast


@pytest.mark.skipif(yamlfile._FastLoader is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("text, message", [
    ("a: &x 1\nb: *x\n", "les alias YAML"),
    ("a: 1\na: 2\n", "apparaît deux fois"),
    ("a: !!python/object:os.system 1\n", "les étiquettes YAML"),
    ("a:" + " [" * 30 + "1" + "]" * 30 + "\n", "plus de 24 niveaux d'indentation"),
])
def test_the_guards_hold_on_the_c_path(text, message, monkeypatch):
    parsed = []
    real = yamlfile._FastLoader.get_event
    monkeypatch.setattr(yamlfile._FastLoader, "get_event",
                        lambda self: parsed.append(1) or real(self))
    with pytest.raises(LessonError, match=message):
        yamlfile.load_yaml(Path("x.yaml"), text)
    assert parsed  # the C parser read it first
