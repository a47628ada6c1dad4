// Keep a whole walk on the phone: every URL of its offline manifest in a cache of its own.
// Each version gets a new cache ("kotoji-walk-<walk>-v<version>"); the manifest is stored last,
// so its presence means "complete", and an older copy is deleted only once the new one is whole.

import { byVersionDescending, parseWalkCacheName, sha256Hex, walkCacheName } from "./offline-caches.js";
import { reportResponse, reportUnreachable } from "./server-reach.js";

const PARALLEL_FETCHES = 4;
const manifestUrl = (walk) => `/api/walks/${encodeURIComponent(walk)}/offline`;

async function walkCacheNames(walk) {
  const names = await caches.keys();
  return names.filter((name) => parseWalkCacheName(name)?.walk === walk);
}

// The newest offline manifest from the server (null when the server cannot be reached).
export async function fetchLatestManifest(walk) {
  try {
    // no-store: the service worker lets this through to the server, never answering from storage
    const response = await fetch(manifestUrl(walk), { cache: "no-store" });
    reportResponse(response);
    return response.ok ? await response.json() : null;
  } catch {
    reportUnreachable();
    return null;
  }
}

// The manifest of the complete copy on this phone, or null: the manifest is stored last, and every
// file it lists must still be there (a browser may drop entries, or a tool may have).
export async function downloadedManifest(walk) {
  const names = await walkCacheNames(walk);
  names.sort(byVersionDescending);
  for (const name of names) {
    const cache = await caches.open(name);
    const stored = await cache.match(manifestUrl(walk));
    if (!stored) continue;
    const manifest = await stored.json();
    const held = new Set(
      (await cache.keys()).map((request) => new URL(request.url).pathname + new URL(request.url).search),
    );
    if (
      manifest.urls.every((entry) =>
        held.has(new URL(entry.url, window.location.href).pathname + new URL(entry.url, window.location.href).search),
      )
    )
      return manifest;
  }
  return null;
}

export async function askForPersistentStorage() {
  if (!navigator.storage || !navigator.storage.persist) return false;
  if (await navigator.storage.persisted()) return true;
  return navigator.storage.persist();
}

// Store every URL of `manifest`, checking each against its sha256; onProgress(doneBytes, totalBytes).
export async function downloadWalk(manifest, onProgress) {
  const name = walkCacheName(manifest.walk, manifest.version);
  await caches.delete(name); // leftovers of an interrupted attempt
  const cache = await caches.open(name);
  const queue = [...manifest.urls];
  let received = 0;
  const worker = async () => {
    while (queue.length) {
      const entry = queue.shift();
      const response = await fetch(entry.url, { cache: "no-store" });
      if (!response.ok) throw new Error(`${entry.url}: ${response.status}`);
      // read as it comes, so the bar moves with the bytes (a long audio file would look stuck)
      const chunks = [];
      const reader = response.body.getReader();
      for (let part = await reader.read(); !part.done; part = await reader.read()) {
        chunks.push(part.value);
        received += part.value.byteLength;
        onProgress(Math.min(received, manifest.total_bytes), manifest.total_bytes);
      }
      const body = await new Blob(chunks).arrayBuffer();
      if ((await sha256Hex(body)) !== entry.sha256) throw new Error(`changed while downloading: ${entry.url}`);
      const headers = new Headers(response.headers);
      headers.delete("Content-Encoding"); // the body kept is the decoded one
      headers.delete("Content-Length");
      await cache.put(
        entry.url,
        new Response(body, { status: response.status, statusText: response.statusText, headers }),
      );
    }
  };
  try {
    await Promise.all(Array.from({ length: PARALLEL_FETCHES }, worker));
    const walkList = await fetch("/api/walks", { cache: "no-store" });
    if (walkList.ok) await cache.put("/api/walks", walkList);
    await cache.put(
      manifestUrl(manifest.walk),
      new Response(JSON.stringify(manifest), {
        headers: { "Content-Type": "application/json" },
      }),
    );
  } catch (error) {
    await caches.delete(name);
    throw error;
  }
  for (const old of await walkCacheNames(manifest.walk)) if (old !== name) await caches.delete(old);
  localStorage.setItem(downloadedKey(manifest.walk), String(manifest.version));
}

// Remembered apart from the cache: if the browser evicts the cache (Safari does after 7 days
// without a visit), the app can say so and offer the download again.
const downloadedKey = (walk) => `kotoji:downloaded:${walk}`;

export function wasDownloaded(walk) {
  return localStorage.getItem(downloadedKey(walk)) !== null;
}

export async function removeDownload(walk) {
  localStorage.removeItem(downloadedKey(walk));
  for (const name of await walkCacheNames(walk)) await caches.delete(name);
}

// Every complete walk on this phone, with what its bytes are: [{walk, manifest, audio: {lang: bytes}, other}].
export async function listDownloads() {
  const walks = new Set();
  for (const name of await caches.keys()) {
    const parsed = parseWalkCacheName(name);
    if (parsed) walks.add(parsed.walk);
  }
  const found = [];
  for (const walk of walks) {
    const manifest = await downloadedManifest(walk);
    if (!manifest) continue;
    const stops = await caches.match(`/api/walks/${encodeURIComponent(walk)}/stops`);
    const audioLanguage = new Map();
    for (const feature of stops ? (await stops.json()).features : []) {
      for (const [lang, item] of Object.entries(feature.properties.audio || {})) audioLanguage.set(item.url, lang);
    }
    const audio = {};
    let other = 0;
    for (const entry of manifest.urls) {
      const lang = audioLanguage.get(entry.url);
      if (lang) audio[lang] = (audio[lang] || 0) + entry.bytes;
      else other += entry.bytes;
    }
    found.push({ walk, manifest, audio, other });
  }
  return found;
}
