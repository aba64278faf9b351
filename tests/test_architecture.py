"""Layering: the headless core and the pipe-friendly CLI never load Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_store_package_never_imports_textual():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "store").rglob("*.py")
        if any(
            line.lstrip().startswith(("import textual", "from textual"))
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert offenders == []


def test_cli_subcommands_run_without_loading_textual(tmp_path):
    code = (
        "import sys\n"
        "from newstui.tui.cli import main\n"
        f"main(['list', '--db', {str(tmp_path / 'news.json')!r}])\n"
        "main(['search', '德勤', '--db', " + repr(str(tmp_path / "news.json")) + "])\n"
        "assert not [m for m in sys.modules if m.startswith('textual')], 'textual was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
