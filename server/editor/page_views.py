"""The editor's pages: walks, a walk's stops, a stop's form, its history, a tourist's preview."""

from datetime import datetime, timedelta

from flask import redirect, render_template, request, url_for
from markupsafe import Markup

from ..auth import current_user
from ..db import get_session
from ..domain.publishing.documents import stop_properties
from ..domain.editing.saves import create_stop, etag_of, reorder_stops
from ..domain.errors import DomainError
from ..domain.editing.history import restore_revision, stop_history
from ..domain.languages import LANGUAGES, pick_text, ruby_parts
from ..domain.publishing.release import publication_problems, publish, stop_completeness, unpublish
from ..domain.editing.rich_text import sanitize_html
from ..domain.accounts.admin import list_users
from ..domain.walks.lookup import get_stop, get_walk, list_walks
from ..domain.walks.validation import opening_hours_problems, opening_hours_week, unreachable_radius_warning
from .blueprint import bp


@bp.app_template_filter("story")
def story(html: str) -> Markup:
    """Mark a stored story as safe HTML, sanitizing it once more on the way out."""
    return Markup(sanitize_html(html))


@bp.get("/")
def walks():
    return render_template("editor/walks.html", walks=list_walks(get_session()))


def _walk_page(walk_slug, problems=(), status=200):
    walk = get_walk(get_session(), walk_slug)
    completeness = {s.slug: stop_completeness(s, walk.languages) for s in walk.stops}
    return render_template("editor/walk.html", walk=walk, etag=etag_of(walk), completeness=completeness,
                           problems=list(problems), readiness=publication_problems(walk)), status


@bp.get("/walks/<walk>")
def walk_page(walk):
    return _walk_page(walk)


@bp.post("/walks/<walk>/move")
def move_stop(walk):
    """Move one stop up or down (a plain form, so reordering needs no script)."""
    session = get_session()
    item = get_walk(session, walk)
    order = [s.slug for s in item.stops]
    slug, step = request.form.get("stop", ""), -1 if request.form.get("direction") == "up" else 1
    if slug in order and 0 <= order.index(slug) + step < len(order):
        i = order.index(slug)
        order[i], order[i + step] = order[i + step], order[i]
    reorder_stops(session, item, order, request.form.get("if_match"), current_user().id)
    session.commit()
    return redirect(url_for("editor.walk_page", walk=walk, _anchor=f"stop-{slug}"), 303)


@bp.post("/walks/<walk>/publish")
def publish_walk_form(walk):
    session = get_session()
    try:
        version = publish(session, walk, current_user().id)
    except DomainError as exc:
        session.rollback()
        return _walk_page(walk, getattr(exc, "problems", [exc.message]), exc.status)
    session.commit()
    return redirect(url_for("editor.walk_page", walk=walk, published=version), 303)


@bp.post("/walks/<walk>/unpublish")
def unpublish_walk_form(walk):
    session = get_session()
    unpublish(session, walk, current_user().id)
    session.commit()
    return redirect(url_for("editor.walk_page", walk=walk), 303)


@bp.get("/walks/<walk>/stops/<stop>")
def stop_page(walk, stop):
    item = get_stop(get_session(), walk, stop)
    twins = [s for w in list_walks(get_session()) if w.slug != walk for s in w.stops]
    return render_template("editor/stop.html", walk=item.walk, stop=item, etag=etag_of(item), twins=twins,
                           completeness=stop_completeness(item, item.walk.languages), languages=LANGUAGES,
                           hours_week=_hours_week(item.opening_hours),
                           radius_warning=unreachable_radius_warning([item.lon, item.lat], item.trigger_radius_m,
                                                                     item.walk.path, "This stop"))


def _hours_week(value: str) -> list[dict] | None:
    """Return the coming week as the opening_hours parser reads it ([] when empty, None when unreadable)."""
    if not value:
        return []
    if opening_hours_problems(value, "opening_hours"):
        return None
    today = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return opening_hours_week(value, today - timedelta(days=today.weekday()))


@bp.get("/walks/<walk>/stops/<stop>/history")
def stop_history_page(walk, stop):
    item = get_stop(get_session(), walk, stop)
    authors = {u.id: u.email for u in list_users(get_session())}
    return render_template("editor/history.html", walk=item.walk, stop=item, etag=etag_of(item),
                           entries=stop_history(get_session(), item), authors=authors)


@bp.post("/walks/<walk>/stops/<stop>/restore")
def restore_stop(walk, stop):
    session = get_session()
    item = get_stop(session, walk, stop)
    number = request.form.get("revision", type=int)
    restore_revision(session, item, number or 0, request.form.get("if_match"), current_user().id)
    session.commit()
    return redirect(url_for("editor.stop_history_page", walk=walk, stop=stop, restored=number), 303)


@bp.get("/walks/<walk>/stops/<stop>/preview")
def stop_preview(walk, stop):
    """Show the stop as a tourist would see it (draft or not), in the chosen language."""
    item = get_stop(get_session(), walk, stop)
    lang = request.args.get("lang") if request.args.get("lang") in item.walk.languages else item.walk.default_language
    order = [s.slug for s in item.walk.stops].index(item.slug) + 1
    return render_template("editor/preview.html", walk=item.walk, stop=item, lang=lang, pick=pick_text,
                           props=stop_properties(item, order), ruby_parts=ruby_parts)


@bp.post("/walks/<walk>/stops/new")
def create_stop_form(walk):
    session = get_session()
    item = get_walk(session, walk)
    data = {"lat": request.form.get("lat", ""), "lon": request.form.get("lon", ""),
            "name": {item.default_language: request.form.get("name", "")}}
    stop = create_stop(session, item, request.form.get("slug", ""), data, current_user().id)
    session.commit()
    return redirect(url_for("editor.stop_page", walk=walk, stop=stop.slug), 303)
