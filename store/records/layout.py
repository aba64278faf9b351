"""Where a store's files are: the one home of their names.

For a store at PATH (the catalogue file):

- ``PATH``                    the catalogue: TinyDB table ``articles`` (every field but the body,
                              keyed by article id) and ``meta``. Small enough to load in a blink.
- ``PATH.bodies/NNNNNN.json`` TinyDB files of bodies, one per import batch, read on demand.
- ``PATH.state.json``         read/starred flags, so toggling one never rewrites the catalogue.
- ``PATH.feeds.json``         subscriptions and what each feed last answered.
- ``PATH.index/``             the search index, a derived cache rebuilt from the files above.
- ``PATH.lock``               the write lock shared by every process using the store;
  ``PATH.feeds.json.lock`` guards the subscriptions, ``PATH.update.lock`` one feed update at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

LOCK_TIMEOUT_S = 120.0  # how long a writer waits for another before it gives up with a message


@dataclass(frozen=True, slots=True)
class StoreFiles:
    catalogue: Path

    def _beside(self, suffix: str) -> Path:
        return self.catalogue.with_name(self.catalogue.name + suffix)

    @property
    def bodies(self) -> Path:
        return self._beside(".bodies")

    def shard(self, name: str) -> Path:
        return self.bodies / f"{name}.json"

    @property
    def state(self) -> Path:
        return self._beside(".state.json")

    @property
    def feeds(self) -> Path:
        return self._beside(".feeds.json")

    @property
    def index(self) -> Path:
        return self._beside(".index")

    def write_lock(self, timeout: float | None = None) -> FileLock:
        return FileLock(str(self._beside(".lock")), timeout=LOCK_TIMEOUT_S if timeout is None else timeout)

    def feeds_lock(self) -> FileLock:
        return FileLock(str(self._beside(".feeds.json.lock")), timeout=LOCK_TIMEOUT_S)

    def update_lock(self) -> FileLock:
        """Held by the one feed update that runs; another gives up at once (timeout 0)."""
        return FileLock(str(self._beside(".update.lock")), timeout=0)
