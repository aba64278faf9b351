"""Browser settings: defaults, then the TOML file, then NEWSTUI_* variables, then flags."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newstui.tui.config import Config, ConfigError, config_path, load_config


def write_config(text: str):
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file():
    config = load_config({})
    assert config == Config()
    assert config.source is None


def test_the_file_lives_in_the_platform_config_dir(isolated_home):
    assert config_path() == isolated_home / ".config" / "newstui" / "config.toml"


def test_toml_file_sets_theme_summary_mouse_sort_and_keymap():
    path = write_config(
        'theme = "nord"\nsummary_sentences = 5\nmouse = false\nsort = "title"\n'
        '[keymap]\n"list.down" = "ctrl+n"\n'
    )
    config = load_config({})
    assert (config.theme, config.summary_sentences, config.mouse, config.sort) == (
        "nord", 5, False, "title")
    assert config.keymap == {"list.down": "ctrl+n"}
    assert config.source == path


def test_the_browser_command_comes_from_the_file_or_the_environment(monkeypatch):
    write_config('browser = "w3m %u"\n')
    assert load_config({}).browser == "w3m %u"
    monkeypatch.setenv("NEWSTUI_BROWSER", "lynx")
    assert load_config({}).browser == "lynx"


def test_environment_beats_the_file(monkeypatch):
    write_config('sort = "title"\nmouse = true\n')
    monkeypatch.setenv("NEWSTUI_SORT", "relevance")
    monkeypatch.setenv("NEWSTUI_MOUSE", "0")
    monkeypatch.setenv("NEWSTUI_SUMMARY_SENTENCES", "2")
    config = load_config({})
    assert (config.sort, config.mouse, config.summary_sentences) == ("relevance", False, 2)


def test_flags_beat_the_environment_and_none_means_unset(monkeypatch):
    monkeypatch.setenv("NEWSTUI_THEME", "nord")
    assert load_config({"theme": "dracula"}).theme == "dracula"
    assert load_config({"theme": None}).theme == "nord"
    assert load_config({"mouse": False}).mouse is False


def test_newstui_config_points_at_another_file(monkeypatch, tmp_path):
    other = tmp_path / "elsewhere.toml"
    other.write_text('theme = "gruvbox"\n', encoding="utf-8")
    monkeypatch.setenv("NEWSTUI_CONFIG", str(other))
    assert load_config({}).theme == "gruvbox"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('sort = "random"\n', "sort"),
        ("summary_sentences = 99\n", "summary_sentences"),
        ('mouse = "maybe"\n', "mouse"),
        ('colour = "red"\n', "unknown setting 'colour'"),
        ("theme = \n", "config.toml"),
        ("keymap = 3\n", "keymap"),
    ],
)
def test_a_bad_setting_is_named_with_its_file(text, message):
    write_config(text)
    with pytest.raises(ConfigError, match=message) as error:
        load_config({})
    assert "config.toml" in str(error.value)


def test_reading_the_config_does_not_import_textual():
    code = ("import sys\nfrom newstui.tui.config import load_config\n"
            "load_config({})\nprint('textual' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
