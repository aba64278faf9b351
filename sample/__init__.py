"""The bundled sample corpus: ten SenseTime press releases (September 2018) in their raw dump."""

from importlib.resources import files
from pathlib import Path

SAMPLE_NAME = "sensetime-press-releases-2018-09.tsv"


def sample_path() -> Path:
    return Path(str(files(__name__) / SAMPLE_NAME))
