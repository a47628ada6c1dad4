"""Words the domain says to people: translated by the catalog the app installs, as-is without one.

The domain knows nothing of Flask; `server/i18n.py` installs Flask-Babel's gettext here. Messages use
named placeholders (`%(name)s`) so a translation may put them in any order.
"""

from collections.abc import Callable
from typing import TypedDict

Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


class _Translators(TypedDict):
    gettext: Gettext
    ngettext: Ngettext


_translators: _Translators = {
    "gettext": lambda message: message,
    "ngettext": lambda singular, plural, n: singular if n == 1 else plural,
}


def install(gettext: Gettext, ngettext: Ngettext) -> None:
    """Use these functions (e.g. Flask-Babel's plain ones, which format nothing) to translate."""
    _translators["gettext"], _translators["ngettext"] = gettext, ngettext


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it yet (for tables built at import time)."""
    return message


def _(message: str, **values: object) -> str:
    """Return `message` translated, with `values` filled in."""
    text = _translators["gettext"](message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    """Return the form for `n` translated, with `num` and `values` filled in."""
    return _translators["ngettext"](singular, plural, n) % {"num": n, **values}


def role_names() -> dict[str, str]:
    """Return each account role's name as people read it."""
    return {"admin": _("administrator"), "editor": _("editor"), "guide": _("guide")}


def status_names() -> dict[str, str]:
    """Return each walk or stop status as people read it."""
    return {"draft": _("draft"), "published": _("published"), "archived": _("archived")}


def role_name(role: str) -> str:
    return role_names().get(role, role)
