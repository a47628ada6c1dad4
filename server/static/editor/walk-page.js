// The walk page: its texts form saves as JSON with If-Match (the rest are plain forms), and the
// path editor draws the walking path on the map.
import { JsonForm } from "./json-form.js";
import { PathEditor } from "./path-editor.js";

const form = document.getElementById("walk-form");
if (form) new JsonForm(form);

const pathSection = document.getElementById("path-editor");
if (pathSection) {
  const words = JSON.parse(document.getElementById("path-editor-words").textContent);
  const editor = new PathEditor(pathSection, words);
  editor.load().catch((error) => editor.say(`${words.network_error} (${error.message})`));
  editor.addBasemap(pathSection.dataset.publicWalkUrl);
}
