"""The staff and guide interface in nl, en and ja: one gettext catalog for templates, Python and scripts.

The language is the account's saved choice, else the switcher's cookie, else Accept-Language, else
English. Scripts get the same catalog as JSON from /i18n/<language>.json (cached by ETag).
"""

import hashlib
import json
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from babel.dates import format_datetime
from babel.support import Translations
from flask import Blueprint, Flask, Response, abort, has_request_context, redirect, request
from flask_babel import Babel, get_locale, get_translations
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response as WerkzeugResponse

from .auth import current_user, public, safe_next
from .db import get_session
from .domain import messages
from .domain.languages import LANGUAGES, pick_text
from .domain.messages import _, status_names
from .domain.walks.time_zones import city_time_zone

TRANSLATIONS = Path(__file__).parent / "translations"
COOKIE = "kotoji_ui_lang"
NAMES = {"nl": "Nederlands", "en": "English", "ja": "日本語"}

bp = Blueprint("i18n", __name__)


def ui_language() -> str:
    """Return the language of the interface for this request (English outside a request: the CLI's)."""
    if not has_request_context():  # e.g. `manage.py check` validating bundles in an app context
        return "en"
    try:
        user = current_user()
        preference: str | None = getattr(user, "language", None) if user is not None else None
    except SQLAlchemyError:  # the database is away or failed: the 503 page still speaks the browser's language
        preference = None
    if preference in LANGUAGES:
        return preference
    if request.cookies.get(COOKIE) in LANGUAGES:
        return request.cookies[COOKIE]
    return request.accept_languages.best_match(LANGUAGES) or "en"


def current_language() -> str:
    """Return the language in use now (the interface's, or the one forced for a handout)."""
    locale = get_locale()
    return locale.language if locale else "en"


def local_time(moment: datetime | None, city: str | None = None) -> str:
    """Write a stored moment in the language's way, in the time zone of the walk's city, naming the zone."""
    if moment is None:
        return ""
    zone = city_time_zone(city)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite returns naive UTC
    return format_datetime(moment, "medium", tzinfo=zone, locale=get_locale() or "en") + f" ({zone.key})"


@lru_cache(maxsize=8)
def catalog(language: str) -> dict[str, str | list[str]]:
    """Return every message of the compiled catalog: id -> text, or plural id -> [forms]."""
    translations = Translations.load(str(TRANSLATIONS), [language])
    entries: dict[str, str | list[str]] = {}
    for key, text in sorted(getattr(translations, "_catalog", {}).items(), key=lambda item: str(item[0])):
        if not key:
            continue  # the header
        if isinstance(key, tuple):  # (singular id, form index) of a plural message
            forms = entries.setdefault(key[0], [])
            assert isinstance(forms, list)  # a plural id holds only its forms
            forms.extend([""] * (key[1] + 1 - len(forms)))
            forms[key[1]] = text
        else:
            entries[key] = text
    return entries


@lru_cache(maxsize=8)
def catalog_json(language: str) -> tuple[bytes, str]:
    body = json.dumps(
        {"language": language, "messages": catalog(language)}, ensure_ascii=False, sort_keys=True
    ).encode()
    return body, hashlib.sha256(body).hexdigest()[:32]


@bp.get("/<language>.json")
@public
def messages_json(language: str) -> WerkzeugResponse:
    """The interface's messages in `language`, for the pages' scripts."""
    if language not in LANGUAGES:
        abort(404)
    body, etag = catalog_json(language)
    response = Response(body, mimetype="application/json")
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"  # revalidate: a new catalog comes with a new release
    return response.make_conditional(request)


@bp.post("/language")
@public
def choose_language() -> WerkzeugResponse:
    """Switch the interface's language: saved on the account when signed in, in a cookie always."""
    language = request.form.get("language", "")
    if language not in LANGUAGES:
        abort(400, _("Choose one of the languages offered."))
    user = current_user()
    if user is not None:
        user.language = language
        get_session().commit()
    response = redirect(safe_next(request.form.get("next"), "/guide/"), 303)
    response.set_cookie(
        COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax", secure=request.is_secure, httponly=True
    )
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=ui_language)
    messages.install(
        lambda message: get_translations().ugettext(message),
        lambda singular, plural, n: get_translations().ungettext(singular, plural, n),
    )
    app.jinja_env.policies["ext.i18n.trimmed"] = True  # {% trans %} blocks ignore line breaks
    app.add_template_global(current_language)
    app.add_template_global(pick_text)
    app.add_template_global(local_time)
    app.add_template_global(status_names)
    app.jinja_env.globals.update(language_names=NAMES, ui_languages=LANGUAGES)  # values, not functions
    app.register_blueprint(bp, url_prefix="/i18n")
