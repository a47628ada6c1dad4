// The walk page: its texts form saves as JSON with If-Match (the rest are plain forms).
import { JsonForm } from "./json-form.js";

const form = document.getElementById("walk-form");
if (form) new JsonForm(form);
