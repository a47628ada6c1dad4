// The link to a stop's twin in the sister city's walk. It opens when the twin can be shown (online,
// or that walk is on the phone); otherwise it says why, right where the walker tapped, and offers
// to download the twin walk while the server can be reached.
import { el } from "./element.js";
import { compassPoint } from "./geo.js";
import { cityName, formatBytes, formatNumber, pickText, t } from "./i18n.js";
import { stopLink } from "./router.js";
import { findStop } from "./walk-data.js";
import { downloadedManifest, downloadWalk, fetchLatestManifest } from "./walk-download.js";

export function twinSection(twin, section) {
  const [twinName] = pickText(twin.name);
  const city = cityName(twin.city);
  const { point, arrow } = compassPoint(twin.bearing_deg);
  const href = stopLink(twin.stop, twin.walk);
  const note = el("div", { class: "stop__twin-note" });
  const link = el("a", { href, text: `${twinName} (${city})` });
  link.addEventListener("click", async (event) => {
    event.preventDefault();
    if (await findStop(twin.stop, twin.walk)) {
      window.location.hash = href;
      return;
    }
    const message = el("p", { role: "alert", class: "notice notice--problem", text: t("twin.unreachable", { city }) });
    note.replaceChildren(message);
    message.scrollIntoView({ block: "nearest" });
  });
  showAvailability(note, twin.walk, city);
  return section(
    "stop.twin",
    el("p", {}, link),
    el(
      "p",
      { class: "stop__twin-way" },
      el("span", { "aria-hidden": "true", text: `${arrow} ` }),
      t("stop.twin_way", {
        distance: t("distance.km", { value: formatNumber(twin.distance_km) }),
        direction: t(`compass.${point}`),
        degrees: formatNumber(twin.bearing_deg),
      }),
    ),
    note,
  );
}

// Say whether the twin's walk is on the phone; offer it while the server answers.
async function showAvailability(note, walk, city) {
  if (await downloadedManifest(walk)) return;
  const latest = await fetchLatestManifest(walk);
  if (!latest) {
    note.replaceChildren(el("p", { class: "stop__twin-absent", text: t("twin.not_on_phone_offline", { city }) }));
    return;
  }
  const status = el("p", { class: "stop__twin-absent", role: "status", text: t("twin.not_on_phone", { city }) });
  const button = el("button", {
    type: "button",
    class: "button stop__twin-download",
    text: t("twin.download", { city, size: formatBytes(latest.total_bytes) }),
  });
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await downloadWalk(
        latest,
        (done, total) =>
          (status.textContent = t("download.progress_text", { done: formatBytes(done), total: formatBytes(total) })),
      );
      status.textContent = t("twin.downloaded", { city });
      button.remove();
    } catch (error) {
      console.warn(error);
      status.textContent = t("download.failed");
      button.disabled = false;
    }
  });
  note.replaceChildren(status, button);
}
