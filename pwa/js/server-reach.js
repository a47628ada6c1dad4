// Did the server answer? The data modules say so here as events; connection-status.js shows it.
// (Data never calls the interface: the interface listens.)
export const reachEvents = new EventTarget();

// An answer came: from the server, or from the copy the service worker keeps (X-Kotoji-Stored-Copy).
export function reportResponse(response) {
  reachEvents.dispatchEvent(
    new CustomEvent("response", { detail: { stored: response.headers.has("X-Kotoji-Stored-Copy") } }),
  );
}

export function reportUnreachable() {
  reachEvents.dispatchEvent(new Event("unreachable"));
}
