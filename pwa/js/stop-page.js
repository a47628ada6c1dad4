// A stop's page: story, images, audio with transcript, read aloud, hours, access, twin, share.
import { appendStoryHtml, el } from "./element.js";
import { compassPoint } from "./geo.js";
import { formatDistance, formatNumber, language, pickText, t } from "./i18n.js";
import { formatOpeningHours, openingState } from "./opening-hours.js";
import { canReadAloud, readAloud, stopReading } from "./read-aloud.js";
import { stopLink } from "./router.js";
import { shareLink } from "./share-link.js";
import { twinSection } from "./twin-link.js";
import { audioTrack } from "./stop-audio.js";

// A node holding a content text, marked with the language it is really in (fallbacks differ).
function text(tag, texts, attributes = {}) {
  const [value, lang] = pickText(texts);
  return el(tag, { ...attributes, lang: lang !== language() ? lang : null, text: value });
}

function section(titleKey, ...content) {
  return el("section", { class: "stop__section" }, el("h2", { text: t(titleKey) }), ...content);
}

// context: {walk (document), walkSlug, stops (walk order), visited: Set, way: {distance, bearing}|null,
//           nowPlaying (track|null), backLink}
// The page talks by events on `container`: "here" (stop slug), "listen" (track), "photo" {images, index, opener}.
export function renderStopPage(container, feature, context) {
  stopReading();
  const stop = feature.properties;
  const [name] = pickText(stop.name);
  const [body, bodyLang] = pickText(stop.body);
  const index = context.stops.findIndex((item) => item.slug === feature.id);
  const visited = context.visited.has(feature.id);
  const story = el("div", { class: "stop__story", lang: bodyLang !== language() ? bodyLang : null });
  appendStoryHtml(story, body);

  const status = el("p", { class: "stop__feedback", role: "status" });
  const readButton = el("button", {
    type: "button",
    class: "button",
    "aria-pressed": "false",
    text: t("stop.read_aloud"),
  });
  const doneReading = () => {
    readButton.setAttribute("aria-pressed", "false");
    readButton.textContent = t("stop.read_aloud");
  };
  readButton.addEventListener("click", async () => {
    if (readButton.getAttribute("aria-pressed") === "true") {
      stopReading();
      doneReading();
      return;
    }
    readButton.setAttribute("aria-pressed", "true");
    readButton.textContent = t("stop.stop_reading");
    const [summary] = pickText(stop.summary);
    if (!(await readAloud([name, summary, story.textContent].join(". "), bodyLang, doneReading))) {
      doneReading();
      status.textContent = t("stop.no_voice", { language: t(`language.${bodyLang}`) });
    }
  });
  const hereButton = el("button", {
    type: "button",
    class: "button button--primary",
    text: visited ? t("stop.visited") : t("walking.here"),
    disabled: visited,
  });
  const tell = (name, detail) => container.dispatchEvent(new CustomEvent(name, { detail }));
  hereButton.addEventListener("click", () => tell("here", feature.id));
  const shareButton = el("button", { type: "button", class: "button", text: t("stop.share") });
  shareButton.addEventListener("click", async () => {
    const url = new URL(stopLink(feature.id), window.location.href).href;
    const outcome = await shareLink(name, url);
    status.textContent = outcome === "copied" ? t("stop.link_copied") : outcome === "failed" ? url : "";
  });

  const way = context.way
    ? el("p", {
        class: "stop__way",
        text: t("stop.way", {
          distance: formatDistance(context.way.distance),
          direction: t(`compass.${compassPoint(context.way.bearing).point}`),
        }),
      })
    : null;

  const parts = [
    el("p", { class: "stop__back" }, el("a", { href: context.backLink, text: t("stop.back") })),
    el(
      "header",
      { class: "stop__header" },
      el("p", {
        class: "stop__order",
        text:
          index >= 0 ? t("stop.order", { n: formatNumber(index + 1), total: formatNumber(context.stops.length) }) : "",
      }),
      title(stop),
      visited ? el("p", { class: "stop__visited", text: `✓ ${t("stop.visited")}` }) : null,
    ),
    text("p", stop.summary, { class: "stop__summary" }),
    way,
    stop.position_confidence === "low" ? el("p", { class: "stop__approximate", text: t("stop.approximate") }) : null,
    el("div", { class: "button-row" }, canReadAloud ? readButton : null, hereButton, shareButton),
    status,
    ...stop.images.map((image, i) =>
      el(
        "figure",
        { class: "stop__figure" },
        el(
          "button",
          {
            type: "button",
            class: "stop__photo",
            "aria-label": t("gallery.open", { alt: pickText(image.alt)[0] }),
            onclick: (event) => tell("photo", { images: stop.images, index: i, opener: event.currentTarget }),
          },
          el("img", { src: image.url, alt: pickText(image.alt)[0], loading: "lazy", decoding: "async" }),
        ),
        image.credit ? el("figcaption", { text: image.credit }) : null,
      ),
    ),
    story,
    audioSection(audioTrack(feature, context.walk), context, tell),
    stop.opening_hours ? hoursSection(stop.opening_hours, context.walk?.country) : null,
    pickText(stop.accessibility)[0] ? section("stop.accessibility", text("p", stop.accessibility)) : null,
    stop.address ? section("stop.address", el("p", { text: stop.address })) : null,
    stop.twin ? twinSection(stop.twin, section) : null,
    sourcesSection(stop.sources),
    neighbours(context.stops, index, context.walkSlug),
  ];
  container.replaceChildren(...parts.filter(Boolean));
}

// The name, with its kana reading as <ruby> over the part before a full-width parenthesis.
function title(stop) {
  const attributes = { id: "stop-title", tabindex: "-1" };
  const [value, lang] = pickText(stop.name);
  const reading = stop.name_reading?.[language()];
  if (!reading || lang !== language()) return text("h1", stop.name, attributes);
  const cut = value.indexOf("（");
  const base = cut >= 0 ? value.slice(0, cut) : value;
  return el(
    "h1",
    attributes,
    el("ruby", {}, base, el("rp", { text: "（" }), el("rt", { text: reading }), el("rp", { text: "）" })),
    cut >= 0 ? value.slice(cut) : "",
  );
}

function sourcesSection(sources) {
  if (!sources?.length) return null;
  return el(
    "details",
    { class: "stop__sources" },
    el("summary", { text: t("stop.sources") }),
    el(
      "ul",
      {},
      ...sources.map((source) =>
        el(
          "li",
          {},
          /^https?:\/\//.test(source.url || "")
            ? el("a", { href: source.url, rel: "noopener noreferrer", text: source.title })
            : source.title,
          `, ${source.publisher}${source.date ? ` (${source.date})` : ""}`,
        ),
      ),
    ),
  );
}

// The stop's audio goes to the app's one player (player-bar.js), which outlives this page.
function audioSection(track, context, tell) {
  if (!track) return null;
  const playing = context.nowPlaying?.url === track.url;
  const listen = el("button", {
    type: "button",
    class: "button button--primary stop__listen",
    text: t(playing ? "stop.in_player" : "stop.listen"),
  });
  listen.addEventListener("click", () => {
    tell("listen", track);
    listen.textContent = t("stop.in_player");
  });
  return section(
    "stop.audio",
    el("p", { class: "button-row" }, listen),
    track.lang !== language()
      ? el("p", {
          class: "stop__audio-language",
          text: t("stop.audio_language", { language: t(`language.${track.lang}`) }),
        })
      : null,
    track.transcript
      ? el(
          "details",
          { class: "stop__transcript" },
          el("summary", { text: t("stop.transcript") }),
          el("p", { lang: track.lang, text: track.transcript }),
        )
      : null,
  );
}

function hoursSection(hours, country) {
  const now = openingState(hours, country);
  return section(
    "stop.hours",
    now ? el("p", { class: "stop__open-now", "data-state": now.state, text: now.text }) : null,
    el("p", { text: formatOpeningHours(hours) }),
  );
}

function neighbours(stops, index, walkSlug) {
  if (index < 0) return null;
  const link = (stop, key) =>
    stop
      ? el(
          "a",
          { href: stopLink(stop.slug, walkSlug), rel: key === "stop.previous" ? "prev" : "next" },
          t("stop.neighbour_link", { label: t(key), name: stop.name }),
        )
      : null;
  return el(
    "nav",
    { class: "stop__neighbours", "aria-label": t("stop.neighbours") },
    link(stops[index - 1], "stop.previous"),
    link(stops[index + 1], "stop.next"),
  );
}
