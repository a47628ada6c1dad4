// After a 412: the server has merged both edits three ways (against the version both started from).
// Fields only one side changed are already taken from that side; the panel asks only about fields
// both changed, with no choice made in advance, and says who saved the other version and when.

import { _, language, n_ } from "./i18n.js";
import { renderStory } from "./rich-text.js";

const show = (value) =>
  value === undefined || value === null || value === ""
    ? "—"
    : typeof value === "object"
      ? JSON.stringify(value)
      : String(value);

export function describeOther({ saved_by: who, saved_at: when, current_etag: etag }) {
  const time = when ? new Date(when).toLocaleString(language) : _("a moment ago");
  const number = /-r(\d+)"/.exec(etag || "");
  const values = { who: who || _("Someone"), revision: number ? number[1] : "", time };
  return number
    ? _("{who} saved revision {revision} at {time}", values)
    : _("{who} saved a newer version at {time}", values);
}

export function mergeSummary(merge) {
  const theirs = merge.theirs.join(", ");
  const mine = merge.mine.join(", ");
  if (theirs && mine) return _("Kept their changes to {theirs} and your changes to {mine}.", { theirs, mine });
  if (theirs) return _("Kept their changes to {theirs}.", { theirs });
  if (mine) return _("Kept your changes to {mine}.", { mine });
  return "";
}

function valueCell(row, side, value) {
  const cell = document.createElement("td");
  const label = document.createElement("label");
  const radio = document.createElement("input");
  radio.type = "radio";
  radio.name = `merge-${row}`;
  radio.value = side;
  const text = document.createElement("span");
  text.className = "merge-value";
  return { cell, label, radio, text, value };
}

function fill(text, conflict, value) {
  if (conflict.rich && value) text.append(renderStory(value));
  else text.textContent = show(value);
}

export function setConflict(body, conflict, value) {
  const { field, lang } = conflict;
  if (field === "position") {
    [body.lat, body.lon] = value;
  } else if (lang) {
    body[field] = { ...(body[field] || {}) };
    if (value === null || value === undefined || value === "") delete body[field][lang];
    else body[field][lang] = value;
  } else {
    body[field] = value;
  }
}

export function showMerge(container, { answer, onSave }) {
  const { merge } = answer;
  container.replaceChildren();
  const heading = document.createElement("h2");
  heading.textContent = _("Someone else saved meanwhile: compare and merge the fields you both changed");
  heading.tabIndex = -1;
  const intro = document.createElement("p");
  intro.textContent = n_(
    "{other}. {summary} You both changed {count} field: choose which version to keep.",
    "{other}. {summary} You both changed {count} fields: choose which version to keep for each.",
    merge.conflicts.length,
    { other: describeOther(answer), summary: mergeSummary(merge) },
  );
  const table = document.createElement("table");
  table.className = "merge-table";
  const head = document.createElement("thead");
  const headRow = document.createElement("tr");
  const theirs = answer.saved_by ? _("{who}'s version", { who: answer.saved_by }) : _("Their version");
  [_("Field"), _("Before you both edited"), _("Your version"), theirs].forEach((words) => {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = words;
    headRow.append(th);
  });
  head.append(headRow);
  const body = document.createElement("tbody");
  merge.conflicts.forEach((conflict, index) => {
    const tr = document.createElement("tr");
    const field = document.createElement("th");
    field.scope = "row";
    field.textContent = conflict.label;
    const before = document.createElement("td");
    const beforeText = document.createElement("span");
    beforeText.className = "merge-value merge-base";
    fill(beforeText, conflict, conflict.base);
    before.append(beforeText);
    tr.append(field, before);
    [
      ["mine", conflict.mine],
      ["theirs", conflict.theirs],
    ].forEach(([side, value]) => {
      const parts = valueCell(index, side, value);
      fill(parts.text, conflict, value);
      parts.label.append(parts.radio, " ", parts.text);
      parts.cell.append(parts.label);
      tr.append(parts.cell);
    });
    body.append(tr);
  });
  table.append(head, body);
  const problem = document.createElement("p");
  problem.className = "problem";
  problem.setAttribute("role", "alert");
  const save = document.createElement("button");
  save.type = "button";
  save.textContent = _("Save the merged version");
  save.addEventListener("click", () => {
    const merged = structuredClone(merge.merged);
    const open = [];
    merge.conflicts.forEach((conflict, index) => {
      const choice = container.querySelector(`input[name="merge-${index}"]:checked`);
      if (!choice) open.push(conflict.label);
      else setConflict(merged, conflict, choice.value === "mine" ? conflict.mine : conflict.theirs);
    });
    if (open.length) {
      problem.textContent = _("Choose a version for: {fields}.", { fields: open.join(", ") });
      return;
    }
    problem.textContent = "";
    onSave(merged);
  });
  const reload = document.createElement("button");
  reload.type = "button";
  reload.className = "secondary";
  reload.textContent = _("Discard mine and load the saved version");
  reload.addEventListener("click", () => window.location.reload());
  container.append(heading, intro, table, problem, save, reload);
  container.hidden = false;
  heading.focus();
}
