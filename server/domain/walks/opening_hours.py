"""Is a place open at a given moment? The common subset of OpenStreetMap's opening_hours syntax.

Understood: "24/7", rules separated by ";" of weekday ranges and time ranges ("Mo-Fr 10:00-18:00",
"Sa,Su 10:00-12:00,13:00-17:00", "Tu off", "10:00-18:00" for every day), later rules replacing
earlier ones for their days, as in OSM. Anything else (months, public holidays, comments) makes
the answer "unknown" rather than a guess: a guide is then told to check the hours themselves.
"""

import re
from datetime import datetime, time

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
DAY_SPEC = re.compile(
    r"^(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?"
    r"(?:,(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?)*$"
)
TIME_SPAN = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


def is_open(hours: str, moment: datetime) -> bool | None:
    """Return True/False for open/closed at `moment` (local time), or None when the hours say too little."""
    text = (hours or "").strip()
    if not text:
        return None
    if text == "24/7":
        return True
    weekday = DAYS[moment.weekday()]
    spans_today: list[tuple[time, time]] | None = None
    for rule in filter(None, (part.strip() for part in text.split(";"))):
        parsed = _rule(rule)
        if parsed is None:
            if rule.startswith("PH"):
                continue  # public holidays: not known here; the other rules still hold on ordinary days
            return None
        days, spans = parsed
        if weekday in days:
            spans_today = spans
    if spans_today is None:
        return False  # no rule names this day: closed
    now = moment.time()
    return any(start <= now < end if start < end else (now >= start or now < end) for start, end in spans_today)


def _rule(rule: str) -> tuple[set[str], list[tuple[time, time]]] | None:
    """Return (days, time spans) of one rule; an empty list of spans means closed ("off")."""
    parts = rule.split()
    days = set(DAYS)
    if parts and DAY_SPEC.match(parts[0]):
        days = _days(parts.pop(0))
    if len(parts) != 1:
        return None
    if parts[0] in ("off", "closed"):
        return days, []
    spans = []
    for span in parts[0].split(","):
        match = TIME_SPAN.match(span)
        if not match:
            return None
        h1, m1, h2, m2 = map(int, match.groups())
        if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59:
            return None
        spans.append((_time(h1, m1), _time(h2, m2)))
    return days, spans


def _days(spec: str) -> set[str]:
    chosen = set()
    for part in spec.split(","):
        first, _, last = part.partition("-")
        start, end = DAYS.index(first), DAYS.index(last or first)
        index = start
        while True:
            chosen.add(DAYS[index])
            if index == end:
                break
            index = (index + 1) % 7  # "Sa-Mo" wraps round the week
    return chosen


def _time(hours: int, minutes: int) -> time:
    return time.max if hours == 24 else time(hours, minutes)
