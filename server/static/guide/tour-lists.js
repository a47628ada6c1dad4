// The planner's two lists: the walk's stops (tick to choose) and the tour (reorder, remove, notes).
// Built with DOM nodes and textContent only: stop names never become HTML.

export function formatDistance(metres) {
  return metres < 1000 ? `${Math.round(metres / 10) * 10} m` : `${(metres / 1000).toFixed(1)} km`;
}

export function formatMinutes(minutes) {
  const whole = Math.round(minutes);
  const hours = Math.floor(whole / 60);
  return hours ? `${hours} h ${whole % 60} min` : `${whole} min`;
}

function element(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

function nameNode(stop) {
  const parts = [element("span", { className: "stop-name", textContent: stop.name })];
  if (stop.reading) parts.push(element("span", { className: "reading", lang: "ja", textContent: `（${stop.reading}）` }));
  return parts;
}

export function renderWalkStops(list, plan, onToggle) {
  const chosen = new Set(plan.stops.map((s) => s.slug));
  list.replaceChildren(...plan.walk_stops.map((stop) => {
    const box = element("input", { type: "checkbox", id: `choose-${stop.slug}`, checked: chosen.has(stop.slug) });
    box.addEventListener("change", () => onToggle(stop.slug));
    const label = element("label", { htmlFor: box.id }, [`${stop.order}. `, ...nameNode(stop)]);
    return element("li", {}, [box, label]);
  }));
}

function legText(leg) {
  const how = leg.follows_path ? "along the route" : "estimated";
  return `→ ${formatDistance(leg.distance_m)} · ${formatMinutes(leg.minutes)} walking (${how})`;
}

export function renderTour(list, plan, { onMove, onRemove, notes, onNote }) {
  const legsFrom = new Map(plan.legs.map((leg) => [String(leg.from), leg]));
  const last = plan.stops.length - 1;
  list.replaceChildren(...plan.stops.map((stop, index) => {
    const buttons = [
      ["↑", `Move ${stop.name} up`, () => onMove(stop.slug, -1), index === 0],
      ["↓", `Move ${stop.name} down`, () => onMove(stop.slug, 1), index === last],
      ["✕", `Remove ${stop.name} from the tour`, () => onRemove(stop.slug), false],
    ].map(([text, label, action, disabled]) => {
      const button = element("button", { type: "button", textContent: text, disabled, title: label });
      button.setAttribute("aria-label", label);
      button.dataset.action = text;
      button.addEventListener("click", action);
      return button;
    });
    const item = element("li", { className: "tour-stop" }, [
      element("div", { className: "tour-stop-head" }, [
        element("span", { className: "number", textContent: String(stop.number) }),
        element("span", { className: "names" }, nameNode(stop)),
        element("span", { className: "arrival", textContent: `+${formatMinutes(stop.arrival_minutes)}` }),
        element("span", { className: "move" }, buttons),
      ]),
    ]);
    item.dataset.slug = stop.slug;
    if (notes) {
      const id = `note-${stop.slug}`;
      const area = element("textarea", { id, rows: 2, maxLength: 2000, value: notes[stop.slug] || "" });
      area.addEventListener("input", () => onNote(stop.slug, area.value));
      item.append(element("label", { htmlFor: id, className: "note-label", textContent: "Private note" }), area);
    }
    const leg = legsFrom.get(String(index));
    if (leg) item.append(element("p", { className: "leg", textContent: legText(leg) }));
    return item;
  }));
}

export function summaryText(plan) {
  if (!plan.stops.length) return "No stops chosen yet.";
  const first = plan.legs.length && plan.legs[0].from === "start" ? plan.legs[0] : null;
  const parts = [
    `${plan.stops.length} stop${plan.stops.length === 1 ? "" : "s"}`,
    `${formatDistance(plan.distance_m)} on foot`,
    `walking ${formatMinutes(plan.walking_minutes)} at ${plan.pace_kmh} km/h`,
    `${formatMinutes(plan.visit_minutes)} at the stops`,
    `total about ${formatMinutes(plan.total_minutes)}`,
  ];
  if (first) parts.push(`first ${formatDistance(first.distance_m)} from the start point`);
  const approximate = plan.path_accuracy === "schematic"
    ? " Approximate route: the walk's path is drawn by hand, so distances and times are estimates (±15%)." : "";
  return parts.join(" · ") + "." + approximate;
}
