// Read the address after "#": the app's views and the links others make to them.
//   #/                              the walks
//   #/walk/<walk>                   a walk: map, list, walking, download
//   #/tour/<walk>/<stop>,<stop>?lang=xx   a guide's tour: exactly those stops, in that order
//        (&title=, &start_label=, &end_label=, &date=, &time=: the guide's plan, shown with the tour)
//   #/stop/<stop>  or  #/stop/<walk>/<stop>   a stop page
export function parseRoute(hash) {
  const [path, query = ""] = hash.replace(/^#/, "").split("?");
  const parts = path
    .split("/")
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
  const params = new URLSearchParams(query);
  const lang = params.get("lang");
  if (parts[0] === "walk" && parts.length === 2) return { view: "walk", walk: parts[1], lang };
  if (parts[0] === "tour" && parts.length === 3) {
    const details = Object.fromEntries(
      ["title", "start_label", "end_label", "date", "time"]
        .filter((name) => params.get(name))
        .map((name) => [name, params.get(name).slice(0, 120)]),
    );
    return { view: "walk", walk: parts[1], tour: parts[2].split(",").filter(Boolean), details, lang };
  }
  if (parts[0] === "stop" && parts.length === 2) return { view: "stop", stop: parts[1], lang };
  if (parts[0] === "stop" && parts.length === 3) return { view: "stop", walk: parts[1], stop: parts[2], lang };
  return { view: "home", lang };
}

export function stopLink(slug, walk) {
  return walk ? `#/stop/${encodeURIComponent(walk)}/${encodeURIComponent(slug)}` : `#/stop/${encodeURIComponent(slug)}`;
}

export function walkLink(walk, tour) {
  return tour
    ? `#/tour/${encodeURIComponent(walk)}/${tour.map(encodeURIComponent).join(",")}`
    : `#/walk/${encodeURIComponent(walk)}`;
}
