// The tour planner: the URL holds the tour, the server computes the plan, this page shows it.
import { TourState } from "./tour-state.js";
import { PlannerMap } from "./planner-map.js";
import { formatDistance, renderTour, renderWalkStops, summaryText } from "./tour-lists.js";
import { SavePanel } from "./save-panel.js";
import { _ } from "./i18n.js";

const root = document.getElementById("planner");
const $ = (id) => document.getElementById(id);
const state = new TourState(location.search);
const INPUTS = ["start_label", "start", "end_label", "end", "pace", "stay", "date", "time", "title"];
// Field problems come as "field: message"; the field's name is for code, the message for people.
const FIELD = /^(\w+): /;
let plan = null;
let pending = 0;

if (!state.get("walk") && $("walk").value) state.set("walk", $("walk").value);
const map = new PlannerMap($("planner-map"), root.dataset.basemapModule);
const savePanel = new SavePanel(root, state, () => plan);

function fieldId(name) {
  return (
    { start_label: "start-label", end_label: "end-label", start: "start-position", end: "end-position" }[name] || name
  );
}

function fillInputs() {
  $("walk").value = state.get("walk");
  for (const name of INPUTS) {
    const input = $(fieldId(name));
    if (input && document.activeElement !== input) input.value = state.get(name) || input.defaultValue;
  }
}

async function refresh() {
  const ticket = ++pending;
  history.replaceState(null, "", `?${state.query()}`);
  const response = await fetch(`${root.dataset.planUrl}?${state.query()}`, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (ticket !== pending) return; // a newer request is on its way
  showProblems(response.ok ? [] : body.problems || [body.message]);
  if (response.ok) show(body);
}

function showProblems(problems) {
  $("form-error").textContent = problems.join(" ");
  for (const kind of ["start", "end"]) {
    const problem = problems.find((p) => p.startsWith(`${kind}:`)) || "";
    $(`${kind}-error`).textContent = problem.replace(FIELD, "");
    $(`${kind}-position`).setAttribute("aria-invalid", problem ? "true" : "false");
  }
}

function show(body) {
  plan = body;
  fillLanguages(body);
  renderWalkStops($("walk-stops"), body, (slug) => state.toggle(slug));
  renderTour($("tour-stops"), body, {
    onMove: (slug, step) => {
      if (state.move(slug, step)) focusAfterMove(slug, step);
    },
    onRemove: (slug) => state.toggle(slug),
    onStay: (slug, minutes) => state.setStay(slug, minutes, body.stay_minutes),
    notes: savePanel.notes,
    notesReadOnly: savePanel.readOnly,
    onNote: (slug, text) => savePanel.setNote(slug, text),
  });
  $("summary").textContent = summaryText(body);
  fillOrderFrom(body);
  $("loop").checked = state.get("loop") === "1";
  $("loop").disabled = !body.start;
  $("order-goal").textContent = orderGoal(body);
  showWaypoints(body);
  map.show(body, body.walk.path);
  showShare(body);
  savePanel.show(body);
}

let refocus = null;
function focusAfterMove(slug, step) {
  refocus = { slug, action: step < 0 ? "↑" : "↓" };
}

function restoreFocus() {
  if (!refocus) return;
  const item = document.querySelector(`#tour-stops li[data-slug="${CSS.escape(refocus.slug)}"]`);
  const button =
    item &&
    (item.querySelector(`button[data-action="${refocus.action}"]:not(:disabled)`) ||
      item.querySelector("button:not(:disabled)"));
  if (button) button.focus();
  refocus = null;
}

function fillLanguages(body) {
  const select = $("lang");
  const names = { nl: "Nederlands", en: "English", ja: "日本語" }; // each language by its own name
  select.replaceChildren(...body.walk.languages.map((code) => new Option(names[code] || code, code)));
  select.value = body.language;
}

// The first option ("") follows the plan: the start point when the guide set one, else the first stop.
// A stop chosen by hand stays chosen only while the plan's start stays the same (B6: a start point
// entered afterwards wins over an earlier default).
let orderStartKey = null;
function fillOrderFrom(body) {
  const select = $("order-from");
  const previous = select.value;
  const startKey = body.start ? body.start.coordinates.join(",") : "";
  const options = [];
  if (body.start) {
    options.push(
      new Option(
        body.start.label ? _("The start point ({name})", { name: body.start.label }) : _("The start point"),
        "",
      ),
    );
  } else {
    options.push(new Option(_("The tour's first stop as it is"), ""));
  }
  for (const stop of body.stops) options.push(new Option(`${stop.number}. ${stop.name}`, stop.slug));
  select.replaceChildren(...options);
  if (startKey === orderStartKey && [...select.options].some((o) => o.value === previous)) select.value = previous;
  else select.value = "";
  orderStartKey = startKey;
  $("best-order").disabled = body.stops.length < 2;
}

// The guide's own places: listed with a remove button; added from the small form under the list.
function showWaypoints(body) {
  const after = $("waypoint-after");
  const previous = after.value;
  after.replaceChildren(
    new Option(_("the start (before the first stop)"), ""),
    ...body.stops.map((stop) => new Option(`${stop.number}. ${stop.name}`, stop.slug)),
  );
  if ([...after.options].some((o) => o.value === previous)) after.value = previous;
  const names = new Map(body.stops.map((stop) => [stop.slug, `${stop.number}. ${stop.name}`]));
  $("waypoint-list").replaceChildren(
    ...body.waypoints.map((waypoint, index) => {
      const item = document.createElement("li");
      const where = waypoint.after
        ? _("after {stop}", { stop: names.get(waypoint.after) || waypoint.after })
        : _("before the first stop");
      item.textContent = waypoint.minutes
        ? _("{name} ({where}, {minutes} min)", { name: waypoint.label, where, minutes: waypoint.minutes })
        : _("{name} ({where})", { name: waypoint.label, where });
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "✕";
      remove.setAttribute("aria-label", _("Remove the waypoint {name}", { name: waypoint.label }));
      remove.addEventListener("click", () => {
        state.set(
          "waypoints",
          waypointItems()
            .filter((_item, other) => other !== index)
            .join(";"),
        );
      });
      item.append(" ", remove);
      return item;
    }),
  );
}

function waypointItems() {
  return state.get("waypoints").split(";").filter(Boolean);
}

function addWaypoint() {
  const name = $("waypoint-label").value.replace(/[|;]/g, " ").trim();
  const position = $("waypoint-position").value.trim();
  if (!name || !/^-?\d{1,2}([.,]\d+)?\s*[;,\s]\s*-?\d{1,3}([.,]\d+)?$/.test(position)) {
    $("waypoint-error").textContent = _("Give the waypoint a name and a position (or pick it on the map).");
    return;
  }
  $("waypoint-error").textContent = "";
  const item = [name, position, $("waypoint-after").value, $("waypoint-minutes").value || "0"].join("|");
  state.set("waypoints", [...waypointItems(), item].join(";"));
  $("waypoint-label").value = "";
  $("waypoint-position").value = "";
}

// Say what "best order" will optimise: from where, to where.
function orderGoal(body) {
  const chosen = $("order-from").value;
  const stop = body.stops.find((s) => s.slug === chosen);
  const from = stop ? stop.name : body.start ? body.start.label || _("the start point") : _("the first stop");
  if (state.get("loop") === "1" && body.start)
    return _("Shortest closed loop from {from} back to the start point.", { from });
  if (body.end)
    return _("Shortest walk from {from} to the end point ({to}).", { from, to: body.end.label || _("end") });
  return _("Shortest walk from {from}, ending at whichever stop is best.", { from });
}

function showShare(body) {
  const ready = body.stops.length > 0;
  $("share-link").value = body.link;
  $("qr").hidden = !ready;
  if (ready) $("qr").src = body.urls.qr;
  for (const [id, url] of [
    ["handout-link", body.urls.handout],
    ["gpx-link", body.urls.gpx],
    ["map-link", body.urls.map],
    ["map-download", `${body.urls.map}&download=1`],
  ]) {
    const link = $(id);
    link.href = ready ? url : "#";
    link.setAttribute("aria-disabled", String(!ready));
    link.tabIndex = ready ? 0 : -1;
  }
}

async function bestOrder() {
  const from = $("order-from").value;
  const query = `${state.query()}${from ? `&from=${encodeURIComponent(from)}` : ""}`;
  const response = await fetch(`${root.dataset.bestOrderUrl}?${query}`, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) {
    showProblems(body.problems || [body.message]);
    return;
  }
  const saved = plan ? plan.distance_m - body.distance_m : 0;
  const order = body.stops.map((s) => s.slug);
  if (order.join(",") === state.stops.join(",")) {
    orderMessage = _("Your order is already the shortest found. {goal}", { goal: orderGoal(body) });
    showOrderMessage();
    return;
  }
  orderMessage =
    saved >= 0
      ? _("Best order found: {distance} shorter. {goal}", { distance: formatDistance(saved), goal: orderGoal(body) })
      : _("Best order from this start: {distance} longer than before, because of where it starts.", {
          distance: formatDistance(-saved),
        });
  state.stops = order;
}

// The message about the last "best order" lasts until the tour changes again.
let orderMessage = "";
function showOrderMessage() {
  $("order-status").textContent = orderMessage;
  orderMessage = "";
}

state.addEventListener("change", () => {
  showOrderMessage();
  refresh().then(restoreFocus);
});
$("walk").addEventListener("change", () => {
  state.params.delete("stops");
  state.params.delete("lang");
  state.set("walk", $("walk").value);
});
$("lang").addEventListener("change", () => state.set("lang", $("lang").value));
$("loop").addEventListener("change", () => state.set("loop", $("loop").checked ? "1" : ""));
$("order-from").addEventListener("change", () => {
  if (plan) $("order-goal").textContent = orderGoal(plan);
});
for (const name of INPUTS) {
  $(fieldId(name)).addEventListener("change", (event) => state.set(name, event.target.value));
}
$("best-order").addEventListener("click", bestOrder);
$("add-all").addEventListener("click", () => {
  if (plan) state.stops = plan.walk_stops.map((s) => s.slug);
});
$("clear-tour").addEventListener("click", () => {
  state.stops = [];
});
for (const button of document.querySelectorAll("[data-pick]")) {
  button.addEventListener("click", () => {
    const active = button.getAttribute("aria-pressed") === "true";
    document.querySelectorAll("[data-pick]").forEach((b) => b.setAttribute("aria-pressed", "false"));
    button.setAttribute("aria-pressed", String(!active));
    map.pick(active ? null : button.dataset.pick);
  });
}
for (const button of document.querySelectorAll("[data-clear]")) {
  button.addEventListener("click", () => {
    state.params.delete(`${button.dataset.clear}_label`);
    state.set(button.dataset.clear, "");
    fillInputs();
  });
}
map.addEventListener("toggle", (event) => state.toggle(event.detail));
$("add-waypoint").addEventListener("click", addWaypoint);
map.addEventListener("point", (event) => {
  const { kind, lat, lon } = event.detail;
  document.querySelectorAll("[data-pick]").forEach((b) => b.setAttribute("aria-pressed", "false"));
  if (kind === "waypoint") {
    $("waypoint-position").value = `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
    $("waypoint-position").focus();
    return;
  }
  state.set(kind, `${lat.toFixed(5)}, ${lon.toFixed(5)}`);
  fillInputs();
});
$("copy-link").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText($("share-link").value);
    $("copy-status").textContent = _("Link copied.");
  } catch {
    $("share-link").select();
    $("copy-status").textContent = _("Select the link and copy it.");
  }
});

fillInputs();
savePanel.load().then(refresh);
