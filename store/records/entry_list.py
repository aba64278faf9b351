"""Entries in a given order, built only when asked for: what the article list holds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from .files import CorruptStoreError
from .models import Entry


class EntrySource(Protocol):
    """Where the entries come from (the store)."""

    def entry(self, article_id: str) -> Entry | None: ...

    def remember(self, entry: Entry) -> None: ...


class EntryList(Sequence[Entry]):
    """Entries in a given order, built only when asked for.

    The article list draws a screenful of a 100k-article store; building 100k Entry objects to
    draw 40 of them cost more than a second.
    """

    DAMAGED_TITLE = "(damaged record: run 'newstui doctor')"

    def __init__(self, store: EntrySource, ids: list[str]) -> None:
        self.store = store
        self.ids = ids
        self.damage: str | None = None  # the first damaged record's error, for the UI to report

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self._get(i) for i in self.ids[index]]
        return self._get(self.ids[index])

    def _get(self, article_id: str) -> Entry:
        """The entry, or a placeholder row: one damaged record must not take the list down."""
        try:
            entry = self.store.entry(article_id)
        except CorruptStoreError as error:
            self.damage = self.damage or str(error)
            entry = Entry(id=article_id, title=self.DAMAGED_TITLE)
            self.store.remember(entry)
        return entry or Entry(id=article_id, title="")  # None: removed since the ids were read

    def index_of(self, article_id: str) -> int | None:
        try:
            return self.ids.index(article_id)
        except ValueError:
            return None
