// The planner's two lists: the walk's stops (tick to choose) and the tour (reorder, remove, minutes, notes).
// Built with DOM nodes and textContent only: stop names never become HTML.
import { _, formatNumber, n_ } from "./i18n.js";

export function formatDistance(metres) {
  if (metres < 1000) return _("{metres} m", { metres: formatNumber(Math.round(metres / 10) * 10) });
  const km = formatNumber(metres / 1000, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return _("{km} km", { km });
}

export function formatMinutes(minutes) {
  const whole = Math.round(minutes);
  const hours = Math.floor(whole / 60);
  return hours ? _("{hours} h {minutes} min", { hours, minutes: whole % 60 }) : _("{minutes} min", { minutes: whole });
}

function element(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

function nameNode(stop) {
  const parts = [element("span", { className: "stop-name", textContent: stop.name })];
  if (stop.reading)
    parts.push(element("span", { className: "reading", lang: "ja", textContent: `（${stop.reading}）` }));
  return parts;
}

export function renderWalkStops(list, plan, onToggle) {
  const chosen = new Set(plan.stops.map((s) => s.slug));
  list.replaceChildren(
    ...plan.walk_stops.map((stop) => {
      const box = element("input", { type: "checkbox", id: `choose-${stop.slug}`, checked: chosen.has(stop.slug) });
      box.addEventListener("change", () => onToggle(stop.slug));
      const label = element("label", { htmlFor: box.id }, [`${stop.order}. `, ...nameNode(stop)]);
      return element("li", {}, [box, label]);
    }),
  );
}

function legText(leg) {
  const values = { distance: formatDistance(leg.distance_m), minutes: formatMinutes(leg.minutes) };
  return leg.follows_path
    ? _("→ {distance} · {minutes} walking (along the route)", values)
    : _("→ {distance} · {minutes} walking (estimated)", values);
}

function arrivalText(stop) {
  return stop.arrival_clock
    ? _("arrive {time}", { time: stop.arrival_clock })
    : `+${formatMinutes(stop.arrival_minutes)}`;
}

export function renderTour(list, plan, { onMove, onRemove, onStay, notes, notesReadOnly, onNote }) {
  const legsFrom = new Map(plan.legs.map((leg) => [String(leg.from), leg]));
  const last = plan.stops.length - 1;
  list.replaceChildren(
    ...plan.stops.map((stop, index) => {
      const buttons = [
        ["↑", _("Move {name} up", { name: stop.name }), () => onMove(stop.slug, -1), index === 0],
        ["↓", _("Move {name} down", { name: stop.name }), () => onMove(stop.slug, 1), index === last],
        ["✕", _("Remove {name} from the tour", { name: stop.name }), () => onRemove(stop.slug), false],
      ].map(([text, label, action, disabled]) => {
        const button = element("button", { type: "button", textContent: text, disabled, title: label });
        button.setAttribute("aria-label", label);
        button.dataset.action = text;
        button.addEventListener("click", action);
        return button;
      });
      const stayId = `stay-${stop.slug}`;
      const stay = element("input", {
        id: stayId,
        type: "number",
        min: 0,
        max: 180,
        step: 1,
        value: stop.stay_minutes,
        className: "stay",
      });
      stay.addEventListener("change", () => onStay(stop.slug, stay.value));
      const item = element("li", { className: "tour-stop" }, [
        element("div", { className: "tour-stop-head" }, [
          element("span", { className: "number", textContent: String(stop.number) }),
          element("span", { className: "names" }, nameNode(stop)),
          element("span", { className: "arrival", textContent: arrivalText(stop) }),
          element("span", { className: "move" }, buttons),
        ]),
        element("label", { htmlFor: stayId, className: "stay-label", textContent: _("Minutes here") }),
        stay,
      ]);
      item.dataset.slug = stop.slug;
      if (notes) {
        const id = `note-${stop.slug}`;
        const area = element("textarea", {
          id,
          rows: 2,
          maxLength: 2000,
          value: notes[stop.slug] || "",
          readOnly: Boolean(notesReadOnly), // a tour shared with me: its owner's notes, to read
        });
        area.addEventListener("input", () => onNote(stop.slug, area.value));
        item.append(element("label", { htmlFor: id, className: "note-label", textContent: _("Private note") }), area);
      }
      const leg = legsFrom.get(String(index));
      if (leg) item.append(element("p", { className: "leg", textContent: legText(leg) }));
      return item;
    }),
  );
}

export function summaryText(plan) {
  if (!plan.stops.length) return _("No stops chosen yet.");
  const first = plan.legs.length && plan.legs[0].from === "start" ? plan.legs[0] : null;
  const parts = [
    n_("{count} stop", "{count} stops", plan.stops.length),
    _("{distance} on foot", { distance: formatDistance(plan.distance_m) }),
    _("walking {minutes} at {pace} km/h", {
      minutes: formatMinutes(plan.walking_minutes),
      pace: formatNumber(plan.pace_kmh),
    }),
    _("{minutes} at the stops", { minutes: formatMinutes(plan.visit_minutes) }),
    _("total about {minutes}", { minutes: formatMinutes(plan.total_minutes) }),
  ];
  if (plan.end_clock) parts.push(_("ends about {time}", { time: plan.end_clock }));
  if (first) parts.push(_("first {distance} from the start point", { distance: formatDistance(first.distance_m) }));
  const approximate =
    plan.path_accuracy === "schematic"
      ? " " +
        _(
          "Approximate route: the path is drawn by hand, not checked along the streets; distances and times are estimates (±15%).",
        )
      : "";
  return _("{parts}.", { parts: parts.join(" · ") }) + approximate;
}
