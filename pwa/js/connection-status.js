// Say truthfully whether the app is talking to the server or living off the copy on the phone.
// navigator.onLine only knows about the network interface; the service worker marks answers it
// gave from storage (X-Kotoji-Stored-Copy), which is what the walker needs to know.
import { t } from "./i18n.js";
import { reachEvents } from "./server-reach.js";

let reachedServer = navigator.onLine;
let element = null;

export function showConnectionStatus(target) {
  element = target;
  window.addEventListener("online", render);
  window.addEventListener("offline", () => {
    reachedServer = false;
    render();
  });
  render();
}

reachEvents.addEventListener("response", (event) => {
  reachedServer = navigator.onLine && !event.detail.stored;
  render();
});
reachEvents.addEventListener("unreachable", () => {
  reachedServer = false;
  render();
});

export function isOnline() {
  return navigator.onLine && reachedServer;
}

export function render() {
  if (!element) return;
  const online = isOnline();
  element.textContent = online ? t("status.online") : t("status.offline");
  element.classList.toggle("is-offline", !online);
  element.dataset.state = online ? "online" : "offline";
}
