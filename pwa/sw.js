// Kotoji's service worker: the app shell from a versioned cache, walks from their own caches.
// The server writes the shell version below; a new version installs beside the running one and
// waits until the walker taps "Update" (never mid-walk).
// A module worker: the cache names, their parsing and hashing are the page's too (js/offline-caches.js).
import { partialAnswer } from "/sw/byte-range.js"; // the worker's alone: the page never imports it
import {
  byVersionDescending,
  DATA_CACHE,
  sha256Hex,
  SHELL_PREFIX,
  shellCacheName,
  WALK_PREFIX,
} from "/js/offline-caches.js";

const SHELL_VERSION = "__KOTOJI_SHELL_VERSION__";
const SHELL_CACHE = shellCacheName(SHELL_VERSION);
const NETWORK_PATIENCE_MS = 4000; // on a weak signal, show the stored copy rather than wait longer

self.addEventListener("install", (event) => event.waitUntil(precacheShell()));

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      const stale = names.filter((name) => name.startsWith(SHELL_PREFIX) && name !== SHELL_CACHE);
      await Promise.all(stale.map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
  if (event.data && event.data.type === "GET_VERSION")
    event.source.postMessage({ type: "VERSION", version: SHELL_VERSION });
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (url.pathname === "/" || url.pathname === "/index.html") event.respondWith(shellFirst("/", request));
    return; // the editor, guide and OGC pages are not part of the app
  }
  if (request.cache === "no-store") return; // the walk download asks the server itself
  if (url.pathname.startsWith("/api/walks")) event.respondWith(networkFirst(request));
  else if (/^\/(media|tiles|vendor)\//.test(url.pathname)) event.respondWith(cacheFirst(request));
  else event.respondWith(shellFirst(url.pathname + url.search, request));
});

async function precacheShell() {
  const manifest = await (await fetch("/shell-manifest.json", { cache: "no-store" })).json();
  if (manifest.version !== SHELL_VERSION) throw new Error("the site is being updated; the browser will try again");
  const cache = await caches.open(SHELL_CACHE);
  await Promise.all(
    manifest.files.map(async (file) => {
      const response = await fetch(file.url, { cache: "no-cache" });
      const body = await response.clone().arrayBuffer();
      if (!response.ok || (await sha256Hex(body)) !== file.sha256) {
        throw new Error(`${file.url} does not match the shell manifest`);
      }
      await cache.put(file.url, response);
    }),
  );
}

// Anything not in the shell (an editor's script, say) goes to the network untouched, headers and all.
async function shellFirst(key, request) {
  const cache = await caches.open(SHELL_CACHE);
  return (await cache.match(key)) || fetch(request);
}

// A stored file is whole; an audio player seeking in it asks for a range, which is cut from it here
// (so a walker can skip back in a story with mobile data off).
async function cacheFirst(request) {
  const stored = await matchStored(request);
  if (!stored) return fetch(request);
  const range = request.headers.get("Range");
  return range && stored.status === 200 ? partialAnswer(stored, range) : stored;
}

async function networkFirst(request) {
  // no-cache: ask the server every time (a cheap 304 when nothing changed), so "online" means the
  // server answered, not that the browser's HTTP cache still had a fresh copy.
  const network = fetch(request, { cache: "no-cache" }).then(async (response) => {
    if (response.ok) await (await caches.open(DATA_CACHE)).put(request, response.clone());
    return response;
  });
  network.catch(() => {}); // handled below; keeps a late failure from being reported as unhandled
  const patience = new Promise((resolve) => setTimeout(resolve, NETWORK_PATIENCE_MS));
  try {
    const response = await Promise.race([network, patience]);
    if (response) return response;
  } catch (error) {
    // No network: fall through to the stored copy.
  }
  const stored = await matchStored(request);
  if (stored) return markedAsStored(stored);
  return network; // nothing stored: wait for (or fail with) the network
}

// Downloaded walks first (newest version first), then the copies seen online, then the shell.
async function matchStored(request) {
  const names = await caches.keys();
  const walks = names.filter((name) => name.startsWith(WALK_PREFIX)).sort(byVersionDescending);
  for (const name of [...walks, DATA_CACHE, SHELL_CACHE]) {
    if (!names.includes(name)) continue;
    const found = await (await caches.open(name)).match(request, { ignoreVary: true });
    if (found) return found;
  }
  return undefined;
}

// The page tells the walker the truth: this answer came from the phone, not from the server.
async function markedAsStored(response) {
  const headers = new Headers(response.headers);
  headers.set("X-Kotoji-Stored-Copy", "1");
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
}
