"""Browser-tab titles in the session's language.

Dash Pages takes each page's `title` from `dash.register_page`, where the pages give a fixed Chinese string, so an
English session saw Chinese tab titles. Dash accepts a callable title and calls it while rendering the page (the
first load's index and every client-side navigation, both inside the request), so each title is replaced here, once,
by a function of the session's language: the page's menu label (`nav_key`), or for the pages the menu does not
list, `title.<page module>` in components/messages_titles.py.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from auth import current_lang
from components.i18n import t


def _title(key: str) -> Callable[..., str]:
    def title(**_path_variables: object) -> str:
        lang = current_lang()
        return t("title.pattern", lang, page=t(key, lang))

    return title


def localise_titles(registry: MutableMapping[str, MutableMapping[str, Any]]) -> None:
    """Give every registered page a title in the session's language (see the module docstring)."""
    for page in registry.values():
        key = page.get("nav_key") or f"title.{page['module'].rsplit('.', 1)[-1]}"
        page["title"] = _title(key)
