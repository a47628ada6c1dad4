"""What the handout and the planner show about a tour, as plain values for templates and JSON."""

from datetime import datetime, timedelta

from ..domain.languages import pick_text, ruby_parts
from ..domain.walks.opening_hours import is_open
from ..domain.tours.planning import Tour, TourPlan, TourStop
from .texts import format_date, format_distance, format_duration, texts


def map_labels(tour: Tour) -> dict[str, str]:
    words = texts(tour.language)
    return {"map": words["map"], "start": words["start"], "end": words["end"]}


def export_labels(plan: TourPlan) -> dict[str, str]:
    """Return the words the GPX file uses, in the tour's language."""
    words = texts(plan.tour.language)
    return {**map_labels(plan.tour), "summary": summary_line(plan), "link": words["link"],
            "track": words["track"]}


def summary_line(plan: TourPlan) -> str:
    language = plan.tour.language
    count = len(plan.tour.stops)
    return texts(language)["summary_one" if count == 1 else "summary"].format(
        count=count, distance=format_distance(plan.distance_m, language),
        total=format_duration(plan.total_minutes, language))


def stop_names(stop: TourStop, language: str) -> dict[str, str]:
    """Return the stop's name in `language`, and its Japanese name with reading where that helps."""
    name = pick_text(stop.name, language)
    japanese = stop.name.get("ja") or ""
    reading = stop.name_reading.get("ja") or ""
    if language == "ja":
        base, rest = ruby_parts(name, reading if japanese else "")
        return {"name": name, "reading": reading if japanese else "", "japanese": "", "japanese_reading": "",
                "ruby_base": base, "ruby_rest": rest}
    shown = japanese if japanese and japanese != name else ""
    base, rest = ruby_parts(shown, reading if shown else "")
    return {"name": name, "reading": "", "japanese": shown, "japanese_reading": reading if shown else "",
            "ruby_base": base, "ruby_rest": rest}


def _clock(tour: Tour, minutes: int) -> str:
    if tour.start_time is None:
        return f"+{format_duration(minutes, tour.language)}"
    moment = datetime.combine(datetime(2000, 1, 1), tour.start_time) + timedelta(minutes=minutes)
    return moment.strftime("%H:%M")


def handout_stops(plan: TourPlan) -> list[dict]:
    """Return each stop as the handout prints it: names, texts, position, hours, arrival, next leg."""
    tour = plan.tour
    language = tour.language
    words = texts(language)
    legs_from = {leg.origin: leg for leg in plan.legs}
    stops = []
    for index, stop in enumerate(tour.stops):
        leg = legs_from.get(index)
        next_leg = ""
        if leg is not None:
            values = {"distance": format_distance(leg.distance_m, language),
                      "minutes": max(1, round(leg.minutes)), "number": index + 2}
            next_leg = words["to_end" if leg.destination == "end" else "next_leg"].format(**values)
        stops.append({
            "number": index + 1, "slug": stop.slug, **stop_names(stop, language),
            "summary": pick_text(stop.summary, language), "address": stop.address,
            "lat": f"{stop.lat:.5f}", "lon": f"{stop.lon:.5f}",
            **_hours(tour, stop, plan.arrivals[index]),
            "accessibility": pick_text(stop.accessibility, language),
            "arrival": _clock(tour, plan.arrivals[index]), "next_leg": next_leg,
        })
    return stops


def _hours(tour: Tour, stop: TourStop, arrival_minutes: int) -> dict[str, str]:
    """Return what the handout says about a stop's opening hours: at the arrival time when it can tell."""
    if not stop.opening_hours:
        return {"opening_hours": "", "hours_state": ""}
    words = texts(tour.language)
    if tour.day and tour.start_time:
        arrival = datetime.combine(tour.day, tour.start_time) + timedelta(minutes=arrival_minutes)
        state = is_open(stop.opening_hours, arrival)
        if state is not None:
            key = "open_at" if state else "closed_at"
            return {"opening_hours": words[key].format(time=arrival.strftime("%H:%M"), hours=stop.opening_hours),
                    "hours_state": "open" if state else "closed"}
    return {"opening_hours": words["opening_hours"].format(hours=stop.opening_hours), "hours_state": "check"}


def handout_header(plan: TourPlan) -> dict:
    tour = plan.tour
    language = tour.language
    words = texts(language)
    first = plan.legs[0] if plan.legs and plan.legs[0].origin == "start" else None
    return {
        "title": tour.display_title(),
        "walk_title": pick_text(tour.walk_title, language),
        "date": format_date(tour.day, language) if tour.day else "",
        "start_time": tour.start_time.strftime("%H:%M") if tour.start_time else "",
        "summary": summary_line(plan),
        "approximate": words["approximate_route"] if tour.path_accuracy == "schematic" else "",
        "breakdown": words["breakdown"].format(
            walking=f"{words['walking']} {format_duration(plan.walking_minutes, language)}",
            at_stops=f"{words['at_stops']} {format_duration(plan.visit_minutes, language)}"),
        "start": tour.start.label or words["start"] if tour.start else "",
        "end": tour.end.label or words["end"] if tour.end else "",
        "from_start": words["from_start"].format(distance=format_distance(first.distance_m, language),
                                                 minutes=max(1, round(first.minutes))) if first else "",
    }
