"""The path editor's words in the staff member's language, handed to path-editor.js with the page.

The script fills the {name} placeholders; every message is here so the gettext catalog holds them all.
"""

from flask_babel import gettext as _


def path_editor_words() -> dict[str, str]:
    return {
        "summary": _("{length} · about {minutes} min on foot at {pace} m per minute · {points} points"),
        "summary_one": _("{length} · about {minutes} min on foot at {pace} m per minute · 1 point"),
        "empty": _("This walk has no path yet: click the map to add its first point."),
        "add_hint": _("Click the map to add a point at the end of the path."),
        "added": _("Point {n} added."),
        "moved": _("Point {n} moved."),
        "inserted": _("Point {n} inserted."),
        "deleted": _("Point {n} deleted."),
        "select_first": _("Select a point first: click it, or use the [ and ] keys."),
        "selected": _("Point {n} of {count} selected: arrow keys move it, Delete removes it."),
        "undone": _("Undone: {what}"),
        "nothing_to_undo": _("Nothing to undo."),
        "discarded": _("Unsaved changes discarded."),
        "reversed": _("The path now runs the other way."),
        "split": _("A point was added where the path passes stop {stop}; the path can now bend there."),
        "split_far": _("Stop {stop} is {offset} m from the path: move a point to it instead."),
        "routing": _("Following the streets…"),
        "leg_added": _("Points {from} to {to} added."),
        "routed": _("Followed the streets: {length} along {points} points."),
        "far": _("Stop {stop} is {offset} m from the path (its trigger radius allows {allowed} m)."),
        "order": _(
            "The path reaches stop {stop} before stop {previous}, but the walk visits them the other way round."
        ),
        "no_warnings": _("Every stop is on the path, in walking order."),
        "unsaved": _("Unsaved changes to the path."),
        "saving": _("Saving…"),
        "saved": _("Saved as walk revision {revision}. It goes public with the next publication."),
        "unchanged": _("Nothing to save: the path is as stored."),
        "refused": _("Not saved:"),
        "conflict": _(
            "Not saved: someone else changed the path meanwhile ({who}, {when}). Your drawing is still here: "
            "load theirs, or save yours over it."
        ),
        "theirs_loaded": _("Their path is loaded. Undo brings yours back."),
        "preview_on": _("Preview: the path and stops as visitors will see them. Nothing is saved yet."),
        "preview_off": _("Back to editing."),
        "point_title": _("Point {n}"),
        "midpoint_title": _("Drag to insert a point here"),
        "accuracy_routed": _("Every leg follows the streets: it will be saved as “routed”."),
        "accuracy_schematic": _("Some legs are drawn by hand: it will be saved as “schematic”."),
        "network_error": _("The server could not be reached; nothing was saved. Try again."),
    }


def no_route_message(why: str, reason: str = "") -> str:
    """Say why a leg was drawn straight: no basemap at all, or the router's `reason`."""
    # Flask-Babel ships no type information, so its gettext returns Any to mypy: the annotation says str.
    message: str
    if why == "no_basemap":
        message = _("No basemap is installed, so the streets cannot be followed: a straight segment was drawn.")
    else:
        message = _("The streets could not be followed here: %(reason)s A straight segment was drawn.", reason=reason)
    return message
