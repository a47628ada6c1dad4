// Kotoji's tourist app: start the pieces and show the view the address asks for.
import { applyUpdate, registerServiceWorker } from "./app-update.js";
import { noteUnreachable, render as renderConnection, showConnectionStatus } from "./connection-status.js";
import { language, languageEvents, setLanguage, t, translateDocument } from "./i18n.js";
import { renderHome } from "./home-view.js";
import { parseRoute, walkLink } from "./router.js";
import { renderStopPage } from "./stop-page.js";
import { findStop, loadWalk, loadWalkIndex } from "./walk-data.js";
import { markVisited, visitedStops } from "./walk-progress.js";
import { stopsToShow, WalkView } from "./walk-view.js";
import { WalkingSession } from "./walking-session.js";

const $ = (selector) => document.querySelector(selector);
const views = { home: $("#home-view"), walk: $("#walk-view"), stop: $("#stop-view") };
const session = new WalkingSession();
const walkView = new WalkView(views.walk, session);
let currentWalk = { slug: localStorage.getItem("kotoji:last-walk"), tour: null };

function showView(name) {
  $("#loading").hidden = true;
  $("#problem").hidden = true;
  for (const [key, view] of Object.entries(views)) view.hidden = key !== name;
  document.body.dataset.view = name;
}

function showProblem(message) {
  $("#loading").hidden = true;
  $("#problem").hidden = false;
  $("#problem").textContent = message;
}

async function showHome() {
  const walks = await loadWalkIndex();
  renderHome($("#walk-cards"), walks);
  showView("home");
}

async function showWalk(route) {
  const data = await loadWalk(route.walk);
  currentWalk = { slug: route.walk, tour: route.tour || null, details: route.details || {} };
  localStorage.setItem("kotoji:last-walk", route.walk);
  showView("walk");
  await walkView.show(data, currentWalk.tour, currentWalk.details);
}

async function showStop(route, { focus = true } = {}) {
  const found = await findStop(route.stop, route.walk || currentWalk.slug);
  if (!found) {
    showProblem(t("stop.not_found"));
    return;
  }
  if (found.walk.slug !== currentWalk.slug) currentWalk = { slug: found.walk.slug, tour: null };
  const shown = walkView.data?.walk.slug === found.walk.slug ? walkView.stops : stopsToShow(found.stops, null);
  showView("stop");
  renderStopPage(views.stop, found.stop, {
    stops: shown, walkSlug: found.walk.slug, visited: visitedStops(found.walk.slug),
    way: session.wayTo({ coordinates: found.stop.geometry.coordinates }),
    backLink: walkLink(found.walk.slug, currentWalk.tour),
    onHere: (slug) => {
      markVisited(found.walk.slug, slug);
      showStop(route, { focus: false });
    },
  });
  if (focus) $("#stop-title").focus();
}

async function route() {
  const target = parseRoute(window.location.hash);
  if (target.lang) setLanguage(target.lang);
  try {
    if (target.view === "walk") await showWalk(target);
    else if (target.view === "stop") await showStop(target);
    else await showHome();
  } catch (error) {
    console.warn(error);
    if (error.status === 404) showProblem(t("walk.not_found"));
    else if (error.status || !(error instanceof TypeError && /fetch/i.test(error.message))) showProblem(t("app.failed"));
    else {
      noteUnreachable();
      showProblem(t("app.unreachable"));
    }
  }
}

function startLanguageSwitch() {
  const select = $("#language");
  select.value = language();
  select.addEventListener("change", () => setLanguage(select.value));
  languageEvents.addEventListener("change", () => {
    select.value = language();
    renderConnection();
    route();
  });
}

session.addEventListener("arrive", (event) => {
  window.location.hash = `#/stop/${encodeURIComponent(session.walk)}/${encodeURIComponent(event.detail)}`;
});
walkView.onHere = (slug) => markVisited(currentWalk.slug, slug);

translateDocument();
showConnectionStatus($("#connection"));
startLanguageSwitch();
window.addEventListener("hashchange", route);
route();
// After the first screen is up: precaching the shell must not compete with it for the network.
window.addEventListener("load", () => {
  registerServiceWorker((registration) => {
    $("#update-banner").hidden = false;
    $("#update-app").onclick = () => applyUpdate(registration);
  }).catch((error) => console.warn("service worker not installed", error));
}, { once: true });
