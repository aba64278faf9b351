"""The base class of the app's parts kept in their own modules (links, sources).

To the type checker a part is a NewsApp, so it may use the app's widgets and store; at run time
it is a plain mixin that NewsApp lists before App.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .app import NewsApp

    AppPart = NewsApp
else:
    AppPart = object
