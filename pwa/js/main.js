// Kotoji's tourist app: start the pieces and show the view the address asks for.
import { applyUpdate, registerServiceWorker } from "./app-update.js";
import { ArrivalNotice } from "./arrival-notice.js";
import { AudioPlayer } from "./audio-player.js";
import { render as renderConnection, showConnectionStatus } from "./connection-status.js";
import { language, languageEvents, setLanguage, t, translateDocument } from "./i18n.js";
import { renderHome } from "./home-view.js";
import { PhotoGallery } from "./photo-gallery.js";
import { PlayerBar } from "./player-bar.js";
import { parseRoute, walkLink } from "./router.js";
import { bindSettingCheckbox, setting } from "./settings.js";
import { audioTrack } from "./stop-audio.js";
import { reportUnreachable } from "./server-reach.js";
import { renderStopPage } from "./stop-page.js";
import { renderStorage } from "./storage-panel.js";
import { findStop, loadWalk, loadWalkIndex } from "./walk-data.js";
import { markVisited, visitedStops } from "./walk-progress.js";
import { stopsToShow, WalkView } from "./walk-view.js";
import { WalkingSession } from "./walking-session.js";

const $ = (selector) => document.querySelector(selector);
const views = { home: $("#home-view"), walk: $("#walk-view"), stop: $("#stop-view") };
const session = new WalkingSession();
const walkView = new WalkView(views.walk, session);
const player = new AudioPlayer($("#player-audio"));
const arrival = new ArrivalNotice($("#arrival"));
const gallery = new PhotoGallery($("#gallery"));
let currentWalk = { slug: localStorage.getItem("kotoji:last-walk"), tour: null };

function showView(name) {
  $("#loading").hidden = true;
  $("#problem").hidden = true;
  for (const [key, view] of Object.entries(views)) view.hidden = key !== name;
  document.body.dataset.view = name;
}

// An error is a screen of its own: the previous screen goes, a way back comes.
function showProblem(message) {
  showView(null);
  $("#problem").hidden = false;
  $("#problem-text").textContent = message;
}

async function showHome() {
  const walks = await loadWalkIndex();
  renderHome($("#walk-cards"), walks);
  showView("home");
  renderStorage($("#storage"), walks).catch((error) => console.warn("storage overview unavailable", error));
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
  // built again each time: names follow the language now chosen
  const shown = stopsToShow(found.stops, currentWalk.slug === found.walk.slug ? currentWalk.tour : null);
  showView("stop");
  renderStopPage(views.stop, found.stop, {
    stops: shown,
    walk: found.walk,
    walkSlug: found.walk.slug,
    visited: visitedStops(found.walk.slug),
    nowPlaying: player.track,
    way: session.wayTo({ coordinates: found.stop.geometry.coordinates }),
    backLink: walkLink(found.walk.slug, currentWalk.tour),
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
    else if (error.status || !(error instanceof TypeError && /fetch/i.test(error.message)))
      showProblem(t("app.failed"));
    else {
      reportUnreachable();
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

// Arriving never cuts what is playing: the stop's audio is queued, or plays if nothing does and the
// walker asked for it; the arrival is announced either way.
session.addEventListener("arrive", async (event) => {
  const walkSlug = session.walk;
  const data = await loadWalk(walkSlug).catch(() => null);
  const feature = data?.stops.find((item) => item.id === event.detail);
  const track = feature ? audioTrack(feature, data.walk) : null;
  let audio = "none";
  if (track && !player.playing && setting("playOnArrival")) {
    player.load(track, { play: true });
    audio = "playing";
  } else if (track) {
    player.enqueue(track);
    audio = "queued";
  }
  arrival.announce(feature?.properties.name || {}, audio);
  window.location.hash = `#/stop/${encodeURIComponent(walkSlug)}/${encodeURIComponent(event.detail)}`;
});
// A track heard to the end: the queued one follows when the walker wants audio to play by itself.
player.audio.addEventListener("ended", () => {
  if (player.queued && setting("playOnArrival")) player.playQueued();
});
walkView.addEventListener("here", (event) => markVisited(currentWalk.slug, event.detail));
views.stop.addEventListener("here", (event) => {
  markVisited(currentWalk.slug, event.detail);
  showStop(parseRoute(window.location.hash), { focus: false });
});
views.stop.addEventListener("listen", (event) => player.load(event.detail, { play: true }));
views.stop.addEventListener("photo", ({ detail }) => gallery.open(detail.images, detail.index, detail.opener));

new PlayerBar($("#player"), player);
bindSettingCheckbox($("#play-on-arrival"), "playOnArrival");
bindSettingCheckbox($("#battery-saver"), "batterySaver");
translateDocument();
showConnectionStatus($("#connection"));
startLanguageSwitch();
window.addEventListener("hashchange", route);
// Opened again from the home screen mid-walk: back to that walk, not to the list of walks.
const interrupted = WalkingSession.interrupted();
if (interrupted?.link && parseRoute(window.location.hash).view === "home")
  history.replaceState(null, "", interrupted.link);
route();
// After the first screen is up: precaching the shell must not compete with it for the network.
window.addEventListener(
  "load",
  () => {
    registerServiceWorker((registration) => {
      $("#update-banner").hidden = false;
      $("#update-app").onclick = () => applyUpdate(registration);
    }).catch((error) => console.warn("service worker not installed", error));
  },
  { once: true },
);
