"""A stop's history: readable differences between revisions and one-click restore (itself a revision)."""

import difflib
import html
import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.audit import record_event
from ..errors import NotFound
from ..json_types import JSONObject
from ..messages import N_, _, status_names
from ..models import Revision, Stop
from ..walks.lookup import STOP_FIELDS
from .saves import check_if_match, save_stop

# Word diffs compare every changed word with every other (difflib's worst case is worse still):
# past this many pairs (~40 ms) the changed part is shown as one removal and one addition.
MAX_DIFF_PAIRS = 100_000
# The walking order belongs to the walk (reordering is a walk revision), so history leaves it out.
IGNORED = {"position", "slug"}
LABELS = {
    "lat": N_("latitude"),
    "lon": N_("longitude"),
    "trigger_radius_m": N_("trigger radius (m)"),
    "position_confidence": N_("position confidence"),
    "name_reading": N_("reading"),
    "opening_hours": N_("opening hours"),
    "staff_note": N_("staff note"),
    "name": N_("name"),
    "summary": N_("summary"),
    "body": N_("story"),
    "accessibility": N_("accessibility"),
    "address": N_("address"),
    "status": N_("status"),
    "sources": N_("sources"),
    "twin": N_("twin stop"),
    "deleted": N_("deleted"),
}


def story_text(markup: str) -> str:
    """Return a story's text as a reader sees it: blocks on lines of their own, no tags."""
    text = re.sub(r"(?i)<br\s*/?>|</(p|li|h3|ul|ol)>", "\n", markup or "")
    text = re.sub(r"<[^>]*>", "", text)
    return re.sub(r"\n{2,}", "\n", html.unescape(text)).strip()


def _flatten(state: JSONObject) -> dict[str, str]:
    """Return {label: text} for every field, one entry per language for texts per language."""
    flat = {}
    for name in [*STOP_FIELDS, "twin", "deleted"]:
        if name in IGNORED or name not in state:
            continue
        value = state[name]
        label = _(LABELS[name]) if name in LABELS else name.replace("_", " ")
        if name == "status":
            value = status_names().get(value, value)
        if name == "images":
            for n, image in enumerate(value or [], start=1):
                flat[_("image %(number)d", number=n)] = image.get("file", "")
                for lang, alt in (image.get("alt") or {}).items():
                    flat[_("image %(number)d alt text (%(language)s)", number=n, language=lang)] = alt
                flat[_("image %(number)d credit", number=n)] = image.get("credit", "")
        elif name == "audio":
            for lang, item in (value or {}).items():
                flat[_("audio (%(language)s)", language=lang)] = item.get("file", "")
                flat[_("audio transcript (%(language)s)", language=lang)] = item.get("transcript", "")
        elif name == "deleted":
            flat[label] = _("yes") if value else ""
        elif isinstance(value, dict):
            for lang, text in value.items():
                flat[f"{label} ({lang})"] = story_text(text) if name == "body" else str(text)
        else:
            flat[label] = "" if value is None else str(value)
    return flat


# Words of alphabetic scripts stay whole; Japanese (and any script written without spaces) is compared
# character by character, so adding a sentence shows that sentence, not the whole text re-added.
TOKENS = re.compile(r"\s+|[0-9A-Za-z\u00C0-\u024F\u0370-\u052F'’-]+|[^\s]")


def _word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Return [(op, text)] with op in 'same', 'removed', 'added', word by word (character by character in Japanese)."""
    a, b = TOKENS.findall(before), TOKENS.findall(after)
    # An edit usually touches a small part of a long text: the common start and end cost linear time.
    head = next((n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    tail = next(
        (n for n, (x, y) in enumerate(zip(reversed(a[head:]), reversed(b[head:]), strict=False)) if x != y),
        min(len(a), len(b)) - head,
    )
    middle_a, middle_b = a[head : len(a) - tail], b[head : len(b) - tail]
    if len(middle_a) * len(middle_b) > MAX_DIFF_PAIRS:
        # shown whole rather than in minutes
        opcodes: Sequence[tuple[str, int, int, int, int]] = [("replace", 0, len(middle_a), 0, len(middle_b))]
    else:
        opcodes = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=False).get_opcodes()
    segments = [("same", "".join(a[:head]))] if head else []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            segments.append(("same", "".join(middle_a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("removed", "".join(middle_a[i1:i2])))
        if j2 > j1:
            segments.append(("added", "".join(middle_b[j1:j2])))
    if tail:
        segments.append(("same", "".join(a[len(a) - tail :])))
    return segments


def diff_states(before: JSONObject | None, after: JSONObject) -> list[JSONObject]:
    """Return the changed fields: label, old and new text, and a word-level diff."""
    old, new = _flatten(before or {}), _flatten(after)
    changes = []
    for label in [*new, *(k for k in old if k not in new)]:
        if old.get(label, "") != new.get(label, ""):
            changes.append(
                {
                    "field": label,
                    "before": old.get(label, ""),
                    "after": new.get(label, ""),
                    "segments": _word_diff(old.get(label, ""), new.get(label, "")),
                }
            )
    return changes


def stop_history(session: Session, stop: Stop) -> list[JSONObject]:
    """Return the stop's revisions, newest first, each with what it changed."""
    revisions = list(
        session.scalars(
            select(Revision)
            .where(Revision.entity == "stop", Revision.entity_id == stop.id)
            .order_by(Revision.number.asc())
        )
    )
    entries, previous = [], None
    for revision in revisions:
        entries.append({"revision": revision, "changes": diff_states(previous, revision.state)})
        previous = revision.state
    return entries[::-1]


def get_revision(session: Session, stop: Stop, number: int) -> Revision:
    revision = session.scalar(
        select(Revision).where(Revision.entity == "stop", Revision.entity_id == stop.id, Revision.number == number)
    )
    if revision is None:
        raise NotFound(_("The stop '%(stop)s' has no revision %(number)s.", stop=stop.slug, number=number))
    return revision


def restore_revision(session: Session, stop: Stop, number: int, if_match: str | None, user_id: int | None) -> bool:
    """Make the stop equal to revision `number` again, as a new revision; False if it already is."""
    check_if_match(stop, if_match)
    old = get_revision(session, stop, number).state
    data = {name: old[name] for name in (*STOP_FIELDS, "twin") if name not in IGNORED and name in old}
    changed = save_stop(session, stop, data, if_match, user_id, message=f"restored revision {number}")
    if changed:
        record_event(session, user_id, "stop.restore", "stop", f"{stop.walk.slug}/{stop.slug}", revision=number)
    return changed
