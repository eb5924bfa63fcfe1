"""Commands load only what they use: listing or checking lessons draws nothing, so it
must not pay for ReportLab, pypdfium2 or openpyxl at every start."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("reportlab", "pypdfium2", "openpyxl", "pypdf")
PROBE = """
import json, sys
from kit.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, sorted({m.split(".")[0] for m in sys.modules})]))
"""


def loaded(*args: str) -> tuple[int, set[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          env=env, cwd=ROOT)
    code, modules = json.loads(done.stdout.strip().splitlines()[-1])
    return code, set(modules)


@pytest.mark.parametrize("args", [
    ("list",),
    ("check", "lessons/premier-telephone.yaml"),
], ids=["list", "check"])
def test_list_and_check_load_no_pdf_or_spreadsheet_library(args):
    code, modules = loaded(*args)
    assert code == 0
    assert "yaml" in modules and "pydantic" in modules
    assert not modules & set(HEAVY)
