// The start page: the published walks, each with its length, duration and number of stops.
import { el } from "./element.js";
import { cityName, formatDistance, pickText, t } from "./i18n.js";
import { walkLink } from "./router.js";

export function renderHome(list, walks) {
  list.replaceChildren(
    ...walks.map((walk) =>
      el(
        "li",
        { class: "walk-card" },
        el("h2", {}, el("a", { href: walkLink(walk.slug), text: pickText(walk.title)[0] })),
        el("p", {
          class: "walk-card__facts",
          text:
            t("home.facts", {
              city: cityName(walk.city),
              count: walk.stop_count,
              length: formatDistance(walk.length_m),
              minutes: walk.duration_minutes,
            }) + (walk.path_accuracy === "schematic" ? ` (${t("home.approximate")})` : ""),
        }),
      ),
    ),
  );
}
