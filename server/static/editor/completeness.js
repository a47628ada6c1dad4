// Keep the "what is missing" list in step with the form as the person types.

import { readForm } from "./form-data.js";

export function missingByLanguage(data, languages) {
  const missing = Object.fromEntries(languages.map((lang) => [lang, []]));
  ["name", "summary", "body", "accessibility"].forEach((field) => {
    languages.forEach((lang) => {
      const text = ((data[field] || {})[lang] || "").replace(/<[^>]*>/g, "").trim();
      if (!text) missing[lang].push(field);
    });
  });
  (data.images || []).forEach((image, index) => {
    languages.forEach((lang) => {
      if (!image.alt[lang]) missing[lang].push(`image ${index + 1} alt text`);
    });
  });
  Object.entries(data.audio || {}).forEach(([lang, audio]) => {
    if (missing[lang] && !audio.transcript) missing[lang].push("audio transcript");
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
      state.textContent = missing[lang].length ? `missing ${missing[lang].join(", ")}` : "complete";
      item.replaceChildren(strong, ": ", state);
    });
  };
  form.addEventListener("input", update);
}
