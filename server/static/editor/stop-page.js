// The stop page: map, toolbar, uploads, live completeness, and saving with If-Match.

import { getJSON } from "./api.js";
import { attachCompleteness } from "./completeness.js";
import { _ } from "./i18n.js";
import { JsonForm } from "./json-form.js";
import { attachMediaFields } from "./media-fields.js";
import { attachToolbars } from "./rich-text.js";
import { StopMap } from "./stop-map.js";

const form = document.getElementById("stop-form");
const saver = new JsonForm(form);

// "Delete this stop…" names the version on screen: after a save here, that is the newly saved one.
const deleteLink = document.getElementById("delete-stop-link");
deleteLink?.addEventListener("click", () => {
  const url = new URL(deleteLink.href);
  url.searchParams.set("if_match", form.dataset.etag);
  deleteLink.href = url.href;
});
attachToolbars(form);
attachCompleteness(form, document.getElementById("completeness"));
attachMediaFields(form, (text, isProblem) => saver.say(text, isProblem));

// Sources: a plain list of rows; the server validates them on save.
const sources = document.getElementById("sources");
let sourceCount = sources.children.length;
function sourceRow() {
  sourceCount += 1;
  const row = document.createElement("li");
  row.dataset.source = "";
  for (const [field, label, type] of [
    ["title", _("Title"), "text"],
    ["publisher", _("Publisher"), "text"],
    ["url", _("Address (URL)"), "url"],
    ["date", _("Date"), "text"],
  ]) {
    const input = document.createElement("input");
    input.id = `source-${sourceCount}-${field}`;
    input.type = type;
    input.dataset.sourceField = field;
    const labelEl = document.createElement("label");
    labelEl.htmlFor = input.id;
    labelEl.textContent = label;
    row.append(labelEl, input);
  }
  const remove = document.createElement("button");
  remove.type = "button";
  remove.dataset.removeSource = "";
  remove.textContent = _("Remove source");
  row.append(remove);
  return row;
}
document.getElementById("add-source").addEventListener("click", () => {
  const row = sourceRow();
  sources.append(row);
  row.querySelector("input").focus();
});
sources.addEventListener("click", (event) => {
  const button = event.target.closest("[data-remove-source]");
  if (button) button.closest("[data-source]").remove();
});

const map = new StopMap(
  document.getElementById("stop-map"),
  document.getElementById("lat"),
  document.getElementById("lon"),
  {
    placeButton: document.getElementById("place-mode"),
    undoButton: document.getElementById("undo-move"),
    hereButton: document.getElementById("use-my-position"),
    status: document.getElementById("map-status"),
  },
);
map.addBasemap(form.dataset.publicWalkUrl);
getJSON(form.dataset.walkUrl)
  .then(({ walk, stops }) => map.showWalk(walk, stops, form.dataset.stop))
  .catch(() => {}); // the map still works for placing the stop without the walk drawn
