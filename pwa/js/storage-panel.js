// "On this phone": each downloaded walk with its size, split by audio language, the total, and remove.
import { el } from "./element.js";
import { formatBytes, pickText, t } from "./i18n.js";
import { listDownloads, removeDownload } from "./walk-download.js";

export async function renderStorage(root, walks) {
  const list = root.querySelector("#storage-list");
  const downloads = await listDownloads();
  const titles = new Map(walks.map((walk) => [walk.slug, pickText(walk.title)[0]]));
  root.hidden = downloads.length === 0;
  list.replaceChildren(
    ...downloads.map((item) => storageItem(item, titles.get(item.walk) || item.walk, () => renderStorage(root, walks))),
  );
  const total = downloads.reduce((sum, item) => sum + item.manifest.total_bytes, 0);
  let text = t("storage.total", { size: formatBytes(total) });
  const estimate = await navigator.storage?.estimate?.().catch(() => null);
  if (estimate?.quota)
    text += ` ${t("storage.quota", { used: formatBytes(estimate.usage || 0), quota: formatBytes(estimate.quota) })}`;
  root.querySelector("#storage-total").textContent = text;
}

function storageItem({ walk, manifest, audio, other }, title, refresh) {
  const parts = Object.entries(audio).map(([lang, bytes]) =>
    t("storage.audio", { language: t(`language.${lang}`), size: formatBytes(bytes) }),
  );
  parts.push(t("storage.other", { size: formatBytes(other) }));
  const confirm = el(
    "p",
    { class: "download__confirm", hidden: true },
    t("download.remove_question"),
    " ",
    el("button", {
      type: "button",
      class: "button storage__remove-yes",
      text: t("download.remove_yes"),
      onclick: async () => {
        await removeDownload(walk);
        refresh();
      },
    }),
    " ",
    el("button", {
      type: "button",
      class: "button button--primary",
      text: t("download.remove_no"),
      onclick: () => {
        confirm.hidden = true;
        remove.hidden = false;
      },
    }),
  );
  const remove = el("button", {
    type: "button",
    class: "button storage__remove",
    text: t("download.remove"),
    onclick: () => {
      confirm.hidden = false;
      remove.hidden = true;
    },
  });
  return el(
    "li",
    { class: "storage__item", "data-walk": walk },
    el("p", {
      class: "storage__title",
      text: t("storage.walk", { title, size: formatBytes(manifest.total_bytes), version: manifest.version }),
    }),
    el("p", { class: "storage__parts", text: parts.join(" · ") }),
    remove,
    confirm,
  );
}
