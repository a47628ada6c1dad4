// The stop page: map, toolbar, uploads, live completeness, and saving with If-Match.

import { getJSON } from './api.js';
import { attachCompleteness } from './completeness.js';
import { JsonForm } from './json-form.js';
import { attachMediaFields } from './media-fields.js';
import { attachToolbars } from './rich-text.js';
import { StopMap } from './stop-map.js';

const form = document.getElementById('stop-form');
const saver = new JsonForm(form);
attachToolbars(form);
attachCompleteness(form, document.getElementById('completeness'));
attachMediaFields(form, (text, isProblem) => saver.say(text, isProblem));

const map = new StopMap(document.getElementById('stop-map'), document.getElementById('lat'),
  document.getElementById('lon'), {
    placeButton: document.getElementById('place-mode'),
    undoButton: document.getElementById('undo-move'),
    hereButton: document.getElementById('use-my-position'),
    status: document.getElementById('map-status'),
  });
map.addBasemap(form.dataset.publicWalkUrl);
getJSON(form.dataset.walkUrl)
  .then(({ walk, stops }) => map.showWalk(walk, stops, form.dataset.stop))
  .catch(() => {}); // the map still works for placing the stop without the walk drawn
