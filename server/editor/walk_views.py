"""Walks made in the editor: create, duplicate, archive, and change a walk's languages (plain forms)."""

from collections.abc import Iterable, Mapping

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..auth import signed_in_user
from ..db import get_session
from ..domain.editing.saves import commit_save, save_walk
from ..domain.errors import ValidationError
from ..domain.json_types import JSONObject
from ..domain.languages import LANGUAGES
from ..domain.walks.lookup import get_walk, list_walks, stop_counts
from ..domain.walks.management import archive_walk, create_walk, duplicate_walk
from .blueprint import bp


def walks_page(
    typed: Mapping[str, object] | None = None, problems: Iterable[str] = (), status: int = 200
) -> tuple[str, int]:
    return render_template(
        "editor/walks.html",
        walks=list_walks(get_session()),
        stop_counts=stop_counts(get_session()),
        languages=LANGUAGES,
        typed=typed or {},
        problems=list(problems),
    ), status


@bp.post("/walks/new")
def create_walk_form() -> ResponseReturnValue:
    session = get_session()
    form = request.form
    typed: JSONObject = {
        "slug": form.get("slug", ""),
        "city": form.get("city", ""),
        "country": form.get("country", ""),
        "languages": form.getlist("languages"),
        "default_language": form.get("default_language", ""),
        **{f"title-{lang}": form.get(f"title-{lang}", "") for lang in LANGUAGES},
    }
    try:
        walk = create_walk(
            session,
            typed["slug"],
            typed["city"],
            typed["country"],
            typed["languages"],
            typed["default_language"],
            {lang: typed[f"title-{lang}"] for lang in LANGUAGES},
            signed_in_user().id,
        )
    except ValidationError as exc:
        session.rollback()
        return walks_page(typed, exc.problems, exc.status)
    session.commit()
    return redirect(url_for("editor.walk_page", walk=walk.slug, created=1), 303)


@bp.post("/walks/<walk>/duplicate")
def duplicate_walk_form(walk: str) -> ResponseReturnValue:
    session = get_session()
    copy = duplicate_walk(session, get_walk(session, walk), request.form.get("slug", ""), signed_in_user().id)
    session.commit()
    return redirect(url_for("editor.walk_page", walk=copy.slug, copied_from=walk), 303)


@bp.post("/walks/<walk>/archive")
def archive_walk_form(walk: str) -> ResponseReturnValue:
    session = get_session()
    archived = request.form.get("archived") == "1"
    archive_walk(session, get_walk(session, walk), archived, signed_in_user().id)
    session.commit()
    return redirect(url_for("editor.walk_page", walk=walk), 303)


@bp.post("/walks/<walk>/languages")
def walk_languages_form(walk: str) -> ResponseReturnValue:
    session = get_session()
    item = get_walk(session, walk)
    save_walk(
        session,
        item,
        {"languages": request.form.getlist("languages"), "default_language": request.form.get("default_language", "")},
        request.form.get("if_match"),
        signed_in_user().id,
        message="languages changed",
    )
    commit_save(session, item)
    return redirect(url_for("editor.walk_page", walk=walk, _anchor="languages-heading"), 303)
