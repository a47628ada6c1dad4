// After a 412: show the stored version beside the person's own, field by field, and let them
// choose per field; nothing is lost whichever they pick.

import { flatten, setPath } from './form-data.js';

const show = (value) => (value === undefined || value === null || value === '' ? '—'
  : typeof value === 'object' ? JSON.stringify(value) : String(value));

export function differences(mine, theirs) {
  const a = flatten(mine);
  const b = flatten(theirs);
  return Object.keys(a).filter((path) => JSON.stringify(a[path] ?? '') !== JSON.stringify(b[path] ?? ''))
    .map((path) => ({ path, mine: a[path], theirs: b[path] }));
}

export function showMerge(container, { mine, theirs, message, onSave }) {
  const rows = differences(mine, theirs);
  container.replaceChildren();
  const heading = document.createElement('h2');
  heading.textContent = 'Someone else saved meanwhile: compare and merge';
  heading.tabIndex = -1;
  const intro = document.createElement('p');
  intro.textContent = `${message} ${rows.length} field(s) differ. Choose which version to keep for each.`;
  const table = document.createElement('table');
  table.className = 'merge-table';
  table.innerHTML = '<thead><tr><th scope="col">Field</th><th scope="col">Your version</th>'
    + '<th scope="col">Saved version</th></tr></thead>';
  const body = document.createElement('tbody');
  rows.forEach((row, index) => {
    const tr = document.createElement('tr');
    const field = document.createElement('th');
    field.scope = 'row';
    field.textContent = row.path;
    tr.append(field);
    [['mine', row.mine], ['theirs', row.theirs]].forEach(([side, value]) => {
      const cell = document.createElement('td');
      const label = document.createElement('label');
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = `merge-${index}`;
      radio.value = side;
      radio.checked = side === 'mine';
      const text = document.createElement('span');
      text.className = 'merge-value';
      text.textContent = show(value);
      label.append(radio, ' ', text);
      cell.append(label);
      tr.append(cell);
    });
    body.append(tr);
  });
  table.append(body);
  const save = document.createElement('button');
  save.type = 'button';
  save.textContent = 'Save the merged version';
  save.addEventListener('click', () => {
    const merged = structuredClone(mine);
    rows.forEach((row, index) => {
      const choice = container.querySelector(`input[name="merge-${index}"]:checked`).value;
      if (choice === 'theirs') setPath(merged, row.path, row.theirs);
    });
    onSave(merged);
  });
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.className = 'secondary';
  reload.textContent = 'Discard mine and load the saved version';
  reload.addEventListener('click', () => window.location.reload());
  container.append(heading, intro, table, save, reload);
  container.hidden = false;
  heading.focus();
}
