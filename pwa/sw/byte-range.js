// Answer an audio player's Range request from a whole stored answer, as the server would (206 with
// Content-Range; 416 beyond the end; several ranges or an unreadable header get the whole file).
// Players seek by asking for byte ranges; offline, only the service worker can answer them, from the
// walk's cache, where each file is kept whole. No DOM here: it runs in the service worker.
const ONE_RANGE = /^\s*bytes\s*=\s*(?:(\d{1,15})\s*-\s*(\d{0,15})|-\s*(\d{1,15}))\s*$/;

// [first, last] inclusive, "unsatisfiable", or null for the whole file.
export function requestedRange(header, length) {
  const match = ONE_RANGE.exec(header || "");
  if (!match) return null;
  const [, first, last, suffix] = match;
  if (suffix !== undefined) {
    const size = Number(suffix);
    if (size === 0 || length === 0) return "unsatisfiable";
    return [Math.max(length - size, 0), length - 1];
  }
  const start = Number(first);
  if (last && Number(last) < start) return null; // an invalid range is ignored, as the server does
  if (start >= length) return "unsatisfiable";
  return [start, Math.min(last ? Number(last) : length - 1, length - 1)];
}

// `stored` is a whole 200 answer; return what the Range header asks of it.
export async function partialAnswer(stored, rangeHeader) {
  const body = await stored.arrayBuffer();
  const part = requestedRange(rangeHeader, body.byteLength);
  const headers = new Headers(stored.headers);
  headers.set("Accept-Ranges", "bytes");
  if (part === null) {
    headers.set("Content-Length", String(body.byteLength));
    return new Response(body, { status: 200, statusText: "OK", headers });
  }
  if (part === "unsatisfiable") {
    return new Response("", {
      status: 416,
      statusText: "Range Not Satisfiable",
      headers: { "Content-Range": `bytes */${body.byteLength}` },
    });
  }
  const [first, last] = part;
  headers.set("Content-Range", `bytes ${first}-${last}/${body.byteLength}`);
  headers.set("Content-Length", String(last - first + 1));
  return new Response(body.slice(first, last + 1), { status: 206, statusText: "Partial Content", headers });
}
