"""What the handout and the planner show about a tour, as plain values for templates and JSON."""

from datetime import datetime, timedelta

from flask_babel import format_date, format_decimal, ngettext
from flask_babel import gettext as _

from ..domain.json_types import JSONObject
from ..domain.languages import pick_text, ruby_parts
from ..domain.tours.planning import Tour, TourPlan, TourStop
from ..domain.walks.opening_hours import is_open

# Everything here speaks the current locale: views wrap handout, GPX and map in the tour's language
# (`force_locale`), since they are for the group, while the planner speaks the guide's language.


def format_distance(metres: float) -> str:
    """Return metres below a kilometre, else kilometres with one decimal, as the language writes them."""
    if metres < 1000:
        return str(_("%(metres)s m", metres=format_decimal(round(metres / 10) * 10)))
    return str(_("%(km)s km", km=format_decimal(metres / 1000, format="0.0")))


def format_duration(minutes: float) -> str:
    """Return a duration as '1 h 25 min' (or the language's words)."""
    hours, rest = divmod(int(minutes), 60)
    if hours:
        return str(_("%(hours)d h %(minutes)d min", hours=hours, minutes=rest))
    return str(_("%(minutes)d min", minutes=rest))


def map_labels(tour: Tour) -> dict[str, str]:
    return {"map": _("Map of the tour"), "start": _("Start"), "end": _("End")}


def export_labels(plan: TourPlan) -> dict[str, str]:
    """Return the words the GPX file uses, in the current (the tour's) language."""
    return {
        **map_labels(plan.tour),
        "summary": summary_line(plan),
        "link": _("Open this tour in Kotoji"),
        "track": _("Along the walk's route"),
        "straight": _("These legs are straight lines, not along a known path:"),
    }


def summary_line(plan: TourPlan) -> str:
    count = len(plan.tour.stops)
    # flask_babel leaves its functions unannotated: str() says what they return.
    return str(
        ngettext(
            "%(num)d stop · %(distance)s · about %(total)s",
            "%(num)d stops · %(distance)s · about %(total)s",
            count,
            distance=format_distance(plan.distance_m),
            total=format_duration(plan.total_minutes),
        )
    )


def stop_names(stop: TourStop, language: str) -> dict[str, str]:
    """Return the stop's name in `language`, and its Japanese name with reading where that helps."""
    name = pick_text(stop.name, language)
    japanese = stop.name.get("ja") or ""
    reading = stop.name_reading.get("ja") or ""
    if language == "ja":
        base, rest = ruby_parts(name, reading if japanese else "")
        return {
            "name": name,
            "reading": reading if japanese else "",
            "japanese": "",
            "japanese_reading": "",
            "ruby_base": base,
            "ruby_rest": rest,
        }
    shown = japanese if japanese and japanese != name else ""
    base, rest = ruby_parts(shown, reading if shown else "")
    return {
        "name": name,
        "reading": "",
        "japanese": shown,
        "japanese_reading": reading if shown else "",
        "ruby_base": base,
        "ruby_rest": rest,
    }


def clock_time(tour: Tour, minutes: int) -> str:
    """Return the clock time `minutes` after the tour's start time, or '' when it has none."""
    if tour.start_time is None:
        return ""
    moment = datetime.combine(datetime(2000, 1, 1), tour.start_time) + timedelta(minutes=minutes)
    return moment.strftime("%H:%M")


def handout_stops(plan: TourPlan) -> list[JSONObject]:
    """Return each stop as the handout prints it: names, texts, position, hours, arrival, next leg."""
    tour = plan.tour
    language = tour.language
    legs_from = {leg.origin: leg for leg in plan.legs}
    stops = []
    for index, stop in enumerate(tour.stops):
        leg = legs_from.get(index)
        next_leg = ""
        if leg is not None:
            values = {"distance": format_distance(leg.distance_m), "minutes": max(1, round(leg.minutes))}
            while isinstance(leg.destination, str) and leg.destination.startswith("w"):
                waypoint = tour.waypoints[int(leg.destination[1:])]
                after = legs_from.get(leg.destination)
                values = {"distance": format_distance(leg.distance_m), "minutes": max(1, round(leg.minutes))}
                next_leg += (
                    _("Then walk %(distance)s (about %(minutes)d min) to %(place)s.", place=waypoint.label, **values)
                    + " "
                )
                if after is None:
                    break
                leg = after
                values = {"distance": format_distance(leg.distance_m), "minutes": max(1, round(leg.minutes))}
            if isinstance(leg.destination, str) and leg.destination.startswith("w"):
                pass
            elif leg.destination == "end":
                next_leg += _("Then walk %(distance)s (about %(minutes)d min) to the end point.", **values)
            else:
                next_leg += _(
                    "Then walk %(distance)s (about %(minutes)d min) to stop %(number)d.", number=index + 2, **values
                )
        stops.append(
            {
                "number": index + 1,
                "slug": stop.slug,
                **stop_names(stop, language),
                "summary": pick_text(stop.summary, language),
                "address": stop.address,
                "lat": f"{stop.lat:.5f}",
                "lon": f"{stop.lon:.5f}",
                **_hours(tour, stop, plan.arrivals[index]),
                "accessibility": pick_text(stop.accessibility, language),
                "arrival": clock_time(tour, plan.arrivals[index]) or f"+{format_duration(plan.arrivals[index])}",
                "next_leg": next_leg,
            }
        )
    return stops


def _hours(tour: Tour, stop: TourStop, arrival_minutes: int) -> dict[str, str]:
    """Return what the handout says about a stop's opening hours: at the arrival time when it can tell."""
    if not stop.opening_hours:
        return {"opening_hours": "", "hours_state": ""}
    if tour.day and tour.start_time:
        arrival = datetime.combine(tour.day, tour.start_time) + timedelta(minutes=arrival_minutes)
        state = is_open(stop.opening_hours, arrival)
        if state is not None:
            values = {"time": arrival.strftime("%H:%M"), "hours": stop.opening_hours}
            text = (
                _("Open when you arrive at %(time)s (opening hours: %(hours)s).", **values)
                if state
                else _("Closed when you arrive at %(time)s (opening hours: %(hours)s).", **values)
            )
            return {"opening_hours": text, "hours_state": "open" if state else "closed"}
    return {
        "opening_hours": _("Opening hours: %(hours)s. Check them before the visit.", hours=stop.opening_hours),
        "hours_state": "check",
    }


def handout_header(plan: TourPlan) -> JSONObject:
    tour = plan.tour
    language = tour.language
    first = plan.legs[0] if plan.legs and plan.legs[0].origin == "start" else None
    return {
        "title": tour.display_title(),
        "walk_title": pick_text(tour.walk_title, language),
        "date": format_date(tour.day, "long") if tour.day else "",
        "start_time": tour.start_time.strftime("%H:%M") if tour.start_time else "",
        "summary": summary_line(plan),
        "approximate": _(
            "Approximate route: the path is drawn by hand, not checked along the streets; "
            "distances and times are estimates (±15%%)."
        )
        if tour.path_accuracy == "schematic"
        else "",
        "breakdown": _(
            "(walking %(walking)s, at the stops %(at_stops)s)",
            walking=format_duration(plan.walking_minutes),
            at_stops=format_duration(plan.visit_minutes),
        ),
        "start": tour.start.label or _("Start") if tour.start else "",
        "end": tour.end.label or _("End") if tour.end else "",
        "from_start": _(
            "From the start point: %(distance)s, about %(minutes)d min.",
            distance=format_distance(first.distance_m),
            minutes=max(1, round(first.minutes)),
        )
        if first
        else "",
    }
