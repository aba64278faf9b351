"""The shape of every record the store keeps: what opening a store checks, and what the doctor
salvages. One home, so the store and its repair never disagree on what a valid record is."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import orjson

from .files import CorruptStoreError
from .models import Subscription

FieldTypes = dict[str, type | tuple[type, ...]]

SHARD_NAME = re.compile(r"\d{6}")  # shard names are ours; anything else could point outside the store
CATALOGUE_TYPES: FieldTypes = {
    "title": str, "date": str, "source": str, "url": str, "lang": str, "chars": int,
    "imported_at": str, "shard": str, "feed": str,
}
FLAG_TYPES: FieldTypes = {"read": bool, "starred": bool}
SHARD_TYPES: FieldTypes = {"body": str, "summary": str, "keywords": str}
FEED_TYPES: FieldTypes = {f.name: str for f in fields(Subscription)} | {"full_text": bool, "items": dict}


def conforms(value: object, types: FieldTypes) -> bool:
    """Whether the store would accept this record: every known field absent or of its type."""
    if not isinstance(value, dict):
        return False
    for key, kind in types.items():
        field_value = value.get(key)
        if field_value is not None and (
            not isinstance(field_value, kind) or (kind is int and isinstance(field_value, bool))
        ):
            return False
    return True


def malformed(path: Path, article_id: str, field: str) -> CorruptStoreError:
    return CorruptStoreError(
        f"{path}: article {article_id!r} has a malformed {field!r}; the file was left untouched — "
        f"run 'newstui doctor' to salvage it"
    )


def checked_table(table: object, path: Path, name: str) -> dict:
    if not isinstance(table, dict):
        raise CorruptStoreError(f"{path}: table {name!r} is not an object; run 'newstui doctor'")
    return table


def checked(doc: object, types: FieldTypes, path: Path, article_id: str) -> dict:
    """The doc itself when every known field has the type newstui writes, else CorruptStoreError
    naming the first field that has not."""
    if conforms(doc, types):
        return doc  # type: ignore[return-value]
    if not isinstance(doc, dict):
        raise malformed(path, article_id, "record")
    raise malformed(path, article_id, next(key for key in types if not conforms({key: doc.get(key)}, types)))


def storable(value: dict) -> bool:
    try:
        orjson.dumps(value)  # rejects lone surrogates that json's "\ud800" escapes can produce
    except orjson.JSONEncodeError:
        return False
    return True


def is_article_doc(value: object) -> bool:
    """A catalogue entry with a title and a shard inside the bodies folder."""
    return (
        conforms(value, CATALOGUE_TYPES)
        and isinstance(value.get("title"), str)  # type: ignore[union-attr]
        and isinstance(value.get("shard"), str)  # type: ignore[union-attr]
        and SHARD_NAME.fullmatch(value["shard"]) is not None  # type: ignore[index]
        and storable(value)  # type: ignore[arg-type]
    )


def is_body(value: object) -> bool:
    """A shard entry: the body, with the summary and keywords kept beside it."""
    return conforms(value, SHARD_TYPES) and isinstance(value.get("body"), str) and storable(value)  # type: ignore[union-attr,arg-type]


def is_flags(value: object) -> bool:
    # Nothing but flags: a whole table ({"id": {…}, …}) must not pass as one entry.
    return conforms(value, FLAG_TYPES) and set(value) <= set(FLAG_TYPES)  # type: ignore[arg-type]


def is_subscription_doc(value: object) -> bool:
    """What doctor salvages from a damaged feeds file: nothing but valid subscription fields,
    among them the one every subscription has (so no table or item map passes as one)."""
    return isinstance(value, dict) and "added_at" in value and all(
        name in FEED_TYPES and name != "url" and valid_feed_field(name, field_value)
        for name, field_value in value.items()
    )


def valid_feed_field(name: str, value: object) -> bool:
    if not isinstance(value, FEED_TYPES[name]):
        return False
    return name != "items" or all(
        isinstance(ids, list) and len(ids) == 2 and all(isinstance(i, str) for i in ids)
        for ids in value.values()  # type: ignore[union-attr]
    )
