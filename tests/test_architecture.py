"""Layering: the contracts in pyproject.toml hold, and no headless command loads Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold():
    """store/ never imports textual, rich or tui/; inside it each layer imports only lower ones."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_no_headless_command_loads_textual(tmp_path, sample_file):
    """Every subcommand but the browser and serve, run in one process: Textual stays unloaded."""
    db = str(tmp_path / "news.json")
    text = tmp_path / "text.txt"
    text.write_text("商汤科技与德勤签署战略合作协议。双方将在人工智能领域开展深度合作。", encoding="utf-8")
    commands = [
        ["import", str(sample_file)], ["list"], ["search", "德勤"], ["search", "德勤", "--json"],
        ["stats"], ["export", "-o", str(tmp_path / "out.jsonl")], ["summarize", str(text)], ["reindex"],
        ["doctor"], ["feeds", "list"], ["feeds", "export"], ["update"],
    ]
    code = (
        "import contextlib, io, sys\n"
        "from newstui.tui.cli import main\n"
        f"for args in {commands!r}:\n"
        "    with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())):\n"
        f"        status = main([*args, '--db', {db!r}])\n"
        "    assert status in (0, None), (args, status)\n"
        "    loaded = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
        "    assert not loaded, (args, loaded[:5])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
