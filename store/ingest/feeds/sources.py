"""Where articles come from, grouped for the browser's sources pane and `newstui feeds list`.

Each subscription is a group (its articles carry its URL), in the order they were added; then
every other source name (imported files, feeds no longer followed), most articles first.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...records.db import Store
from .subscriptions import Subscription


@dataclass(frozen=True, slots=True)
class SourceGroup:
    name: str
    feed: str  # the subscription's URL; "" for a source that is not a subscription
    ids: frozenset[str]
    unread: int


def source_groups(store: Store, subscriptions: list[Subscription]) -> list[SourceGroup]:
    read, _ = store.flagged()
    by_feed = store.ids_by("feed")
    groups = []
    for subscription in subscriptions:
        ids = frozenset(by_feed.get(subscription.url, ()))
        groups.append(SourceGroup(subscription.name, subscription.url, ids, len(ids - read)))
    followed = {subscription.url for subscription in subscriptions}
    in_feeds = {i for url, ids in by_feed.items() if url in followed for i in ids}
    others = []
    for source, ids in store.ids_by("source").items():
        rest = frozenset(ids) - in_feeds
        if rest:
            others.append(SourceGroup(source, "", rest, len(rest - read)))
    return groups + sorted(others, key=lambda group: (-len(group.ids), group.name))
