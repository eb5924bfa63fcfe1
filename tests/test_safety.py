"""Files from anyone: whatever a lesson, a profile or a template holds, the kit makes a
valid PDF or says what is wrong in a clean message; it never reads or writes elsewhere."""
from __future__ import annotations

import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.api import check
from kit.catalogue import check_library
from kit.cli import main
from kit.errors import KitError, LessonError
from kit.helpline import load_contacts_profile
from kit.lessons import Library, load_lesson
from kit.output import inside
from kit.preview import page_pictures
from kit.render import render_document
from kit.yamlfile import MAX_BYTES, MAX_DEPTH

from .conftest import ROOT, page_texts, reader, write_lesson

BASE = "cyberharcelement-temoin-actif"
REFERENCE = yaml.safe_load((ROOT / "lessons" / f"{BASE}.yaml").read_text(encoding="utf-8"))


def _set(data: dict, field: str, value: str) -> None:
    quiz = data["activities"][1]["student"]["questions"][0]
    if field == "title":
        data["title"] = value
    elif field == "instruction":
        data["activities"][0]["instructions"] = value
    elif field == "prompt":
        quiz["prompt"] = value
    elif field == "answer":  # a choice and the answer, written the same way
        quiz["choices"][0] = quiz["answer"] = value
    else:
        data["key_messages"][0] = value


NASTY = st.one_of(
    st.text(),  # every plane (hypothesis leaves out lone surrogates: UTF-8 cannot hold them)
    st.text(alphabet=st.sampled_from('<>&"\'{}%#*_`[]!\\|\x00\x07\x1b\t\r\n\u202e\ufeff'),
            max_size=60),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp", "Co", "Cn"]),
            max_size=20),
    st.sampled_from(["{{", "{%", "{{ helpline }}", "{% for x in y %}", "<img src=/etc/passwd>",
                     "<a href='file:///etc/passwd'>x</a>", "&amp; &lt; &#0;", "{{ 7 * 7 }}",
                     "{{ ''.__class__.__mro__ }}", "{{ lipsum.__globals__ }}"]),
    st.builds(lambda word, n: word * n, st.sampled_from(["a", "mot ", "<&>", "🦄"]),
              st.integers(500, 3000)),  # very long: one word or many
)


OUTCOMES: list[str] = []  # "rendered" or "refused", one per example
RENDERED_SHARE = 0.25     # a test where every example is refused would test nothing


@settings(max_examples=20, deadline=10_000, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(["title", "instruction", "prompt", "answer", "key_message"]),
       value=NASTY)
def any_text_in_any_field(field, value):
    data = dict(REFERENCE, activities=[dict(a) for a in REFERENCE["activities"]])
    data["activities"][1] = yaml.safe_load(yaml.safe_dump(REFERENCE["activities"][1]))
    data["key_messages"] = list(REFERENCE["key_messages"])
    _set(data, field, value)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    try:
        lesson, origin = load_lesson(ROOT / "lessons" / f"{BASE}.yaml", text)
        check_library(Library({lesson.id: lesson}, {lesson.id: origin}))
        pdfs = [render_document(lesson, "worksheet"), render_document(lesson, "guide")]
    except KitError as error:  # one line per problem, naming the file, or one line
        message = error.format_message()
        lines = message.split("\n")
        problems = getattr(error, "problems", [None])
        assert len(lines) == len(problems) and all(lines) and "Traceback" not in message
        assert all(p is None or p.file.endswith(f"{BASE}.yaml") for p in problems)
        OUTCOMES.append("refused")
        return
    for pdf in pdfs:
        pages = page_texts(pdf)
        assert len(reader(pdf).pages) == pdf.pages >= 1
        assert all("3018" in page for page in pages)
    OUTCOMES.append("rendered")


@pytest.mark.slow
def test_any_text_in_any_field_gives_a_valid_pdf_or_a_clean_error():
    OUTCOMES.clear()
    any_text_in_any_field()
    assert OUTCOMES.count("rendered") >= RENDERED_SHARE * len(OUTCOMES), OUTCOMES


def test_python_object_tags_are_refused(tmp_path):
    for name, text in [("lesson.yaml", "id: !!python/object/apply:os.system ['echo hacked']\n"),
                       ("profile.yaml", "contacts: !!python/name:os.system\n")]:
        with pytest.raises(LessonError, match=r"les étiquettes YAML \(« !! »\) ne sont pas permises"):
            (load_contacts_profile if name == "profile.yaml" else load_lesson)(
                write_lesson(tmp_path, name, text))


def test_an_alias_bomb_in_a_contacts_profile_is_refused_within_a_second(tmp_path):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    path = write_lesson(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    start = time.perf_counter()
    with pytest.raises(LessonError, match=r"les alias YAML \(\*nom\) ne sont pas permis"):
        load_contacts_profile(path)
    assert time.perf_counter() - start < 1.0


def test_deeply_nested_and_huge_files_are_refused(tmp_path):
    deep = write_lesson(tmp_path, "deep.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(LessonError, match=f"plus de {MAX_DEPTH} niveaux d'indentation"):
        load_lesson(deep)
    huge = write_lesson(tmp_path, "huge.yaml", "title: " + "x" * (MAX_BYTES + 10) + "\n")
    start = time.perf_counter()
    with pytest.raises(LessonError, match="les fichiers du kit font au plus 512 Kio"):
        load_lesson(huge)
    with pytest.raises(LessonError, match="les fichiers du kit font au plus 512 Kio"):
        load_contacts_profile(huge)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("placeholder", [
    "{{ helpline.__class__.__mro__ }}", "{{ ''.__class__.__subclasses__() }}",
    "{{ lipsum.__globals__['os'] }}", "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% include '/etc/passwd' %}", "{% import 'os' as os %}", "{{ self.__init__.__globals__ }}",
    "{{ helpline.age_in_days.__globals__ }}", "{{ range(10**9) | list }}",
])
def test_placeholders_cannot_reach_python_or_files(lesson_copy, placeholder):
    path = lesson_copy([("  - Le harcèlement n'est **jamais** la faute de la victime.",
                         f"  - \"Avant {placeholder} après\"")])
    problems = [p for p in check([path]) if p.severity == "error"]
    assert len(problems) == 1 and problems[0].field == "key_messages[1]", problems
    lines = path.read_text(encoding="utf-8").splitlines()
    assert problems[0].line == next(i for i, line in enumerate(lines, 1) if placeholder in line)
    assert "\n" not in str(problems[0])


def test_markup_in_a_lesson_prints_as_itself_and_reads_no_file(lesson_copy):
    path = lesson_copy([('title: "Cyberharcèlement : ne reste pas spectateur"',
                         'title: "<img src=/etc/passwd> & <b>gras</b>"')])
    lesson, _ = load_lesson(path)
    text = page_texts(render_document(lesson, "worksheet"))[0]
    assert "<img src=/etc/passwd> & <b>gras</b>" in text
    assert "root:" not in text


@pytest.mark.parametrize("reference", ["../lessons/x", "/etc/passwd", "C:\\x", "~/x", "x.yaml"])
def test_extends_of_a_path_is_refused(tmp_path, reference):
    path = write_lesson(tmp_path, "x.yaml", f"extends: '{reference}'\n")
    with pytest.raises(LessonError, match="jamais par un chemin") as caught:
        load_lesson(path)
    assert caught.value.problems[0].line == 1


def test_nothing_is_written_outside_the_output_folder(tmp_path, library):
    out = tmp_path / "out"
    with pytest.raises(KitError, match="il serait hors du dossier de sortie"):
        inside(out, "..", "x.pdf")
    pdf = render_document(library.lessons[BASE], "worksheet")
    with pytest.raises(KitError, match="il serait hors du dossier de sortie"):
        page_pictures(pdf.data, out, "../../evil")
    assert [p.name for p in tmp_path.rglob("*")] == []
    assert main(["preview", BASE, "--out", str(out), "--page", "1"]) == 0
    assert [str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")] == [
        "out", f"out/{BASE}-fiche-eleve-p1.png"]


def test_kit_new_refuses_ids_that_are_paths(tmp_path, capsys):
    for lesson_id in ["../x", "/tmp/x", "a/b", "X"]:
        assert main(["new", lesson_id, "--level", "college", "--lessons", str(tmp_path / "d")]) == 1
        assert f"« {lesson_id} » ne peut pas être un id de séance" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
