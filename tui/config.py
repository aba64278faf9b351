"""The browser's settings: defaults, then a TOML file, then ``NEWSTUI_*`` variables, then flags.

Plain Python (no Textual), so the CLI can read and print the configuration without starting the UI.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import platformdirs

from ..store.records.models import SUMMARY_SENTENCES
from ..store.search.query import SORTS

APP_NAME = "newstui"
MIN_SUMMARY_SENTENCES = 1
MAX_SUMMARY_SENTENCES = 10
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class ConfigError(ValueError):
    """A setting that cannot be used, named with where it came from."""


@dataclass(frozen=True, slots=True)
class Config:
    theme: str = "textual-dark"
    summary_sentences: int = SUMMARY_SENTENCES
    mouse: bool = True
    sort: str = "date"
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> keys, e.g. "list.down": "j,down"
    cursor_blink: bool = True
    refresh_minutes: int = 0  # refresh the feeds this often while the browser runs; 0: only on R
    # The command that opens links ("w3m %u", "firefox --new-tab %u"); %u is the URL, added at
    # the end when absent. Empty: the system's browser (or the web page's, under serve).
    browser: str = ""
    source: Path | None = None  # the TOML file read, if any


def config_path() -> Path:
    """Where the TOML file lives: ``$NEWSTUI_CONFIG`` or the platform's user config dir."""
    explicit = os.environ.get("NEWSTUI_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def screenshot_folder() -> Path:
    """Where screenshots go: the platform's downloads folder, made if missing (Textual's own
    choice fails without it), else the current folder, else the temp folder, whichever is writable."""
    import tempfile

    for folder in (platformdirs.user_downloads_path(), Path.cwd(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    return Path(tempfile.gettempdir())


def load_config(overrides: Mapping[str, object] | None = None) -> Config:
    """Defaults, updated by the TOML file, the environment, then ``overrides`` (flags; None = unset)."""
    path = config_path()
    config = Config()
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from None
        config = _apply(config, data, origin=str(path))
        config = replace(config, source=path)
    config = _apply(config, _from_environment(), origin="environment")
    flags = {key: value for key, value in (overrides or {}).items() if value is not None}
    return _apply(config, flags, origin="command line")


def _from_environment() -> dict[str, str]:
    names = {f.name for f in fields(Config)} - {"keymap", "source"}
    values = {}
    for name in names:
        value = os.environ.get(f"NEWSTUI_{name.upper()}")
        if value is not None:
            values[name] = value
    return values


def _apply(config: Config, values: Mapping[str, object], *, origin: str) -> Config:
    known = {f.name for f in fields(Config)} - {"source"}
    changes: dict[str, object] = {}
    for name, raw in values.items():
        if name not in known:
            raise ConfigError(f"{origin}: unknown setting {name!r} (known: {', '.join(sorted(known))})")
        changes[name] = _coerce(name, raw, origin)
    if "keymap" in changes:
        changes["keymap"] = {**config.keymap, **changes["keymap"]}  # type: ignore[dict-item]
    return replace(config, **changes)  # type: ignore[arg-type]


def _coerce(name: str, raw: object, origin: str) -> object:
    where = f"{origin}: {name}"
    if name in ("mouse", "cursor_blink"):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        raise ConfigError(f"{where}: expected true or false, got {raw!r}")
    if name == "summary_sentences":
        try:
            number = int(raw)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: expected a whole number, got {raw!r}") from None
        if not MIN_SUMMARY_SENTENCES <= number <= MAX_SUMMARY_SENTENCES:
            raise ConfigError(
                f"{where}: must be {MIN_SUMMARY_SENTENCES}..{MAX_SUMMARY_SENTENCES}, got {number}"
            )
        return number
    if name == "refresh_minutes":
        try:
            minutes = int(raw)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: expected a whole number of minutes, got {raw!r}") from None
        if minutes < 0 or isinstance(raw, bool):
            raise ConfigError(f"{where}: expected 0 (never) or more minutes, got {raw!r}")
        return minutes
    if name == "sort":
        if raw not in SORTS:
            raise ConfigError(f"{where}: expected one of {', '.join(SORTS)}, got {raw!r}")
        return raw
    if name == "keymap":
        if not isinstance(raw, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
        ):
            raise ConfigError(f'{where}: expected a table of binding id = "keys"')
        return dict(raw)
    if not isinstance(raw, str) or not raw:
        raise ConfigError(f"{where}: expected text, got {raw!r}")
    return raw
