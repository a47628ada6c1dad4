// Talk to the editor's JSON API: every write carries the CSRF token, every save its If-Match.

import { _ } from "./i18n.js";

const csrfToken = () => document.querySelector('meta[name="csrf-token"]').content;

export async function sendJSON(url, method, body, etag) {
  const headers = { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrfToken() };
  if (etag) headers["If-Match"] = etag;
  const response = await fetch(url, { method, headers, body: JSON.stringify(body), credentials: "same-origin" });
  const data = await response
    .json()
    .catch(() => ({ message: _("The server answered {status}.", { status: response.status }) }));
  return { status: response.status, data, etag: response.headers.get("ETag") };
}

export async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (!response.ok) throw new Error(_("Could not load {url} ({status})", { url, status: response.status }));
  return response.json();
}

export async function uploadFile(url, file, kind) {
  const body = new FormData();
  body.append("file", file);
  if (kind) body.append("kind", kind); // the slot it was chosen for: the server refuses anything else
  const response = await fetch(url, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: { Accept: "application/json", "X-CSRF-Token": csrfToken() },
  });
  const data = await response
    .json()
    .catch(() => ({ message: _("The server answered {status}.", { status: response.status }) }));
  return { status: response.status, data };
}
