// Keep the "what is missing" list in step with the form as the person types.

import { readForm } from "./form-data.js";
import { _ } from "./i18n.js";

// The field names as the page's language says them (the same words as the server's list).
const FIELD_NAMES = () => ({
  name: _("name"),
  summary: _("summary"),
  body: _("story"),
  accessibility: _("accessibility"),
});

export function missingByLanguage(data, languages) {
  const missing = Object.fromEntries(languages.map((lang) => [lang, []]));
  const names = FIELD_NAMES();
  Object.keys(names).forEach((field) => {
    languages.forEach((lang) => {
      const text = ((data[field] || {})[lang] || "").replace(/<[^>]*>/g, "").trim();
      if (!text) missing[lang].push(names[field]);
    });
  });
  (data.images || []).forEach((image, index) => {
    languages.forEach((lang) => {
      if (!image.alt[lang]) missing[lang].push(_("image {number} alt text", { number: index + 1 }));
    });
  });
  Object.entries(data.audio || {}).forEach(([lang, audio]) => {
    if (missing[lang] && !audio.transcript) missing[lang].push(_("audio transcript"));
  });
  return missing;
}

export function attachCompleteness(form, list) {
  const languages = form.dataset.languages.split(",");
  const update = () => {
    const missing = missingByLanguage(readForm(form), languages);
    languages.forEach((lang) => {
      const item = list.querySelector(`[data-completeness="${lang}"]`);
      const strong = document.createElement("strong");
      strong.textContent = lang;
      const state = document.createElement("span");
      state.className = missing[lang].length ? "incomplete" : "complete";
      state.textContent = missing[lang].length
        ? _("missing: {fields}", { fields: missing[lang].join(", ") })
        : _("complete");
      item.replaceChildren(strong, ": ", state);
    });
  };
  form.addEventListener("input", update);
}
