// The list of stops: the text alternative to the map (order, name, distance from me, visited).
import { el } from "./element.js";
import { formatDistance, formatNumber, t } from "./i18n.js";
import { stopLink } from "./router.js";

// stops: [{slug, order, name, summary}], visited: Set, distanceTo(stop) -> metres | null
export function renderStopList(list, stops, { visited, nextSlug, distanceTo, walkSlug }) {
  list.replaceChildren(
    ...stops.map((stop) => {
      const distance = distanceTo(stop);
      const isVisited = visited.has(stop.slug);
      return el(
        "li",
        {
          class: `stop-list__item${isVisited ? " is-visited" : ""}${stop.slug === nextSlug ? " is-next" : ""}`,
          "data-stop": stop.slug,
        },
        el(
          "a",
          { href: stopLink(stop.slug, walkSlug), class: "stop-list__link" },
          el("span", { class: "stop-list__order", "aria-hidden": "true", text: formatNumber(stop.order) }),
          el(
            "span",
            { class: "stop-list__text" },
            el("span", { class: "stop-list__name", text: stop.name }),
            el("span", { class: "visually-hidden", text: ` (${t("list.number", { n: formatNumber(stop.order) })})` }),
            el(
              "span",
              { class: "stop-list__meta" },
              distance === null
                ? null
                : el("span", {
                    class: "stop-list__distance",
                    text: t("list.distance", { distance: formatDistance(distance) }),
                  }),
              isVisited ? el("span", { class: "stop-list__visited", text: `✓ ${t("stop.visited")}` }) : null,
              stop.slug === nextSlug && !isVisited
                ? el("span", { class: "stop-list__next", text: t("list.next") })
                : null,
            ),
          ),
        ),
      );
    }),
  );
}
