"""The editor's pages: walks, a walk's stops, a stop's form, its history, a tourist's preview."""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from ..auth import signed_in_user
from ..db import get_session
from ..domain.accounts.admin import list_users
from ..domain.editing.deletion import deleted_stop_entries
from ..domain.editing.history import restore_revision, stop_history
from ..domain.editing.rich_text import sanitize_html
from ..domain.editing.saves import commit_save, create_stop, etag_of
from ..domain.editing.saves import move_stop as move_stop_in_walk
from ..domain.editing.walk_history import restore_walk_revision, walk_history
from ..domain.errors import DomainError, ValidationError
from ..domain.languages import LANGUAGES, pick_text, ruby_parts
from ..domain.messages import _
from ..domain.publishing.documents import stop_properties
from ..domain.publishing.release import publication_problems, publish, stop_completeness, unpublish
from ..domain.walks.lookup import get_stop, get_walk, twin_candidates
from ..domain.walks.validation import (
    OpeningDay,
    opening_hours_problems,
    opening_hours_week,
    unreachable_radius_warning,
)
from .blueprint import bp
from .path_words import path_editor_words
from .walk_views import walks_page


@bp.app_template_filter("story")
def story(html: str) -> Markup:
    """Mark a stored story as safe HTML, sanitizing it once more on the way out."""
    return Markup(sanitize_html(html))


@bp.get("/")
def walks() -> ResponseReturnValue:
    return walks_page()


def _walk_page(
    walk_slug: str,
    problems: Iterable[str] = (),
    status: int = 200,
    new_stop: Mapping[str, object] | None = None,
    new_stop_problems: Mapping[str, list[str]] | None = None,
) -> tuple[str, int]:
    walk = get_walk(get_session(), walk_slug)
    completeness = {s.slug: stop_completeness(s, walk.languages) for s in walk.stops}
    return render_template(
        "editor/walk.html",
        walk=walk,
        etag=etag_of(walk),
        completeness=completeness,
        problems=list(problems),
        readiness=publication_problems(walk),
        new_stop=new_stop or {},
        new_stop_problems=new_stop_problems or {},
        stop_etags={s.slug: etag_of(s) for s in walk.stops},
        deleted_stops=deleted_stop_entries(get_session(), walk),
        path_words=path_editor_words(),
    ), status


def problems_by_field(problems: Iterable[str], fields: Iterable[str]) -> dict[str, list[str]]:
    """Sort messages such as 'lat (latitude): ...' under the form field they name ('' for the rest)."""
    sorted_problems: dict[str, list[str]] = {}
    for problem in problems:
        head = problem.split(":", 1)[0]
        field = next((f for f in fields if head == f or head.startswith((f + " ", f + "/"))), "")
        sorted_problems.setdefault(field, []).append(problem)
    return sorted_problems


@bp.get("/walks/<walk>")
def walk_page(walk: str) -> ResponseReturnValue:
    return _walk_page(walk)


@bp.post("/walks/<walk>/move")
def move_stop(walk: str) -> ResponseReturnValue:
    """Move one stop up or down (a plain form, so reordering needs no script)."""
    session = get_session()
    slug = request.form.get("stop", "")
    move_stop_in_walk(session, get_walk(session, walk), slug, request.form.get("direction", ""), signed_in_user().id)
    commit_save(session, get_walk(session, walk))
    return redirect(url_for("editor.walk_page", walk=walk, _anchor=f"stop-{slug}"), 303)


@bp.post("/walks/<walk>/publish")
def publish_walk_form(walk: str) -> ResponseReturnValue:
    session = get_session()
    try:
        version = publish(session, walk, signed_in_user().id)
    except DomainError as exc:
        session.rollback()
        return _walk_page(walk, getattr(exc, "problems", [exc.message]), exc.status)
    session.commit()
    return redirect(url_for("editor.walk_page", walk=walk, published=version), 303)


@bp.route("/walks/<walk>/unpublish", methods=["GET", "POST"])
def unpublish_walk_form(walk: str) -> ResponseReturnValue:
    """Withdraw only after a confirmation that names the walk and what tourists lose."""
    session = get_session()
    item = get_walk(session, walk)
    if request.method == "GET" or request.form.get("confirm") != item.slug:
        public_stops = sum(1 for s in item.stops if s.status == "published")
        return render_template("editor/withdraw.html", walk=item, public_stops=public_stops)
    unpublish(session, walk, signed_in_user().id)
    session.commit()
    return redirect(url_for("editor.walk_page", walk=walk, withdrawn=1), 303)


@bp.get("/walks/<walk>/stops/<stop>")
def stop_page(walk: str, stop: str) -> ResponseReturnValue:
    item = get_stop(get_session(), walk, stop)
    twins = twin_candidates(get_session(), walk)
    return render_template(
        "editor/stop.html",
        walk=item.walk,
        stop=item,
        etag=etag_of(item),
        twins=twins,
        completeness=stop_completeness(item, item.walk.languages),
        languages=LANGUAGES,
        hours_week=_hours_week(item.opening_hours),
        radius_warning=unreachable_radius_warning(
            [item.lon, item.lat], item.trigger_radius_m, item.walk.path, _("This stop")
        ),
    )


def _hours_week(value: str) -> list[OpeningDay] | None:
    """Return the coming week as the opening_hours parser reads it ([] when empty, None when unreadable)."""
    if not value:
        return []
    if opening_hours_problems(value, "opening_hours"):
        return None
    today = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return opening_hours_week(value, today - timedelta(days=today.weekday()))


@bp.get("/walks/<walk>/history")
def walk_history_page(walk: str) -> ResponseReturnValue:
    item = get_walk(get_session(), walk)
    authors = {u.id: u.email for u in list_users(get_session())}
    return render_template(
        "editor/walk_history.html",
        walk=item,
        etag=etag_of(item),
        authors=authors,
        entries=walk_history(get_session(), item),
    )


@bp.post("/walks/<walk>/restore")
def restore_walk(walk: str) -> ResponseReturnValue:
    session = get_session()
    item = get_walk(session, walk)
    number = request.form.get("revision", type=int)
    restore_walk_revision(session, item, number or 0, request.form.get("if_match"), signed_in_user().id)
    commit_save(session, item)
    return redirect(url_for("editor.walk_history_page", walk=walk, restored=number), 303)


@bp.get("/walks/<walk>/stops/<stop>/history")
def stop_history_page(walk: str, stop: str) -> ResponseReturnValue:
    item = get_stop(get_session(), walk, stop)
    authors = {u.id: u.email for u in list_users(get_session())}
    return render_template(
        "editor/history.html",
        walk=item.walk,
        stop=item,
        etag=etag_of(item),
        entries=stop_history(get_session(), item),
        authors=authors,
    )


@bp.post("/walks/<walk>/stops/<stop>/restore")
def restore_stop(walk: str, stop: str) -> ResponseReturnValue:
    session = get_session()
    item = get_stop(session, walk, stop)
    number = request.form.get("revision", type=int)
    restore_revision(session, item, number or 0, request.form.get("if_match"), signed_in_user().id)
    session.commit()
    return redirect(url_for("editor.stop_history_page", walk=walk, stop=stop, restored=number), 303)


@bp.get("/walks/<walk>/stops/<stop>/preview")
def stop_preview(walk: str, stop: str) -> ResponseReturnValue:
    """Show the stop as a tourist would see it (draft or not), in the chosen language."""
    item = get_stop(get_session(), walk, stop)
    lang = request.args.get("lang") if request.args.get("lang") in item.walk.languages else item.walk.default_language
    order = [s.slug for s in item.walk.stops].index(item.slug) + 1
    return render_template(
        "editor/preview.html",
        walk=item.walk,
        stop=item,
        lang=lang,
        pick=pick_text,
        props=stop_properties(item, order),
        ruby_parts=ruby_parts,
    )


@bp.post("/walks/<walk>/stops/new")
def create_stop_form(walk: str) -> ResponseReturnValue:
    session = get_session()
    item = get_walk(session, walk)
    typed = {name: request.form.get(name, "") for name in ("slug", "name", "lat", "lon")}
    data = {"lat": typed["lat"], "lon": typed["lon"], "name": {item.default_language: typed["name"]}}
    try:
        stop = create_stop(session, item, typed["slug"], data, signed_in_user().id)
    except ValidationError as exc:  # the walk page again, with what was typed and each message at its field
        session.rollback()
        return _walk_page(
            walk,
            status=exc.status,
            new_stop=typed,
            new_stop_problems=problems_by_field(exc.problems, ("slug", "name", "lat", "lon")),
        )
    session.commit()
    return redirect(url_for("editor.stop_page", walk=walk, stop=stop.slug), 303)
