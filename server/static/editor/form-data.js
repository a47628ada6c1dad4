// Read an editor form into the JSON the server expects, and write values back by path.

import { cleanStoryHtml, storyNodes } from "./rich-text.js";

const outside = (el) => !el.closest("[data-image], [data-audio]");

function fieldValue(el) {
  if (el.hasAttribute("data-rich")) return cleanStoryHtml(el);
  const value = el.value.trim();
  if (el.dataset.type === "number") {
    const number = Number(value.replace(",", "."));
    return value !== "" && Number.isFinite(number) ? number : value;
  }
  if (el.hasAttribute("data-nullable") && value === "") return null;
  return value;
}

// Put values read by readForm back into the form's own fields (images and audio stay as they are).
export function writeForm(form, data) {
  form.querySelectorAll("[data-field]").forEach((el) => {
    if (!outside(el)) return;
    const { field, lang } = el.dataset;
    if (!(field in data)) return;
    const raw = lang ? (data[field] || {})[lang] : data[field];
    const value = raw === null || raw === undefined ? "" : String(raw);
    if (el.hasAttribute("data-rich")) el.replaceChildren(storyNodes(value));
    else el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  });
}

export function readForm(form) {
  const data = {};
  form.querySelectorAll("[data-field]").forEach((el) => {
    if (!outside(el)) return;
    const { field, lang } = el.dataset;
    if (lang) {
      data[field] = data[field] || {};
      const value = fieldValue(el);
      if (value) data[field][lang] = value;
    } else {
      data[field] = fieldValue(el);
    }
  });
  const images = form.querySelectorAll("[data-image]");
  if (form.querySelector("#images")) {
    data.images = [...images].map((item) => {
      const alt = {};
      item.querySelectorAll("[data-alt]").forEach((input) => {
        if (input.value.trim()) alt[input.dataset.alt] = input.value.trim();
      });
      return {
        media: item.dataset.media,
        file: item.dataset.file,
        alt,
        credit: item.querySelector("[data-credit]").value.trim(),
      };
    });
  }
  if (form.querySelector("#sources")) {
    data.sources = [...form.querySelectorAll("[data-source]")]
      .map((item) => {
        const source = {};
        item.querySelectorAll("[data-source-field]").forEach((input) => {
          source[input.dataset.sourceField] = input.value.trim();
        });
        return source;
      })
      .filter((source) => Object.values(source).some(Boolean));
  }
  const audios = form.querySelectorAll("[data-audio]");
  if (audios.length) {
    data.audio = {};
    audios.forEach((item) => {
      if (!item.dataset.media) return;
      data.audio[item.dataset.audio] = {
        media: item.dataset.media,
        file: item.dataset.file,
        transcript: item.querySelector("[data-transcript]").value.trim(),
      };
    });
  }
  return data;
}

// Flatten {name: {nl: "x"}} to {"name.nl": "x"}; lists and media entries stay whole.
export function flatten(data, prefix = "", out = {}) {
  Object.entries(data || {}).forEach(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const nested = value && typeof value === "object" && !Array.isArray(value) && !("media" in value);
    if (nested && ["name", "name_reading", "summary", "body", "accessibility", "title", "intro"].includes(path)) {
      flatten(value, path, out);
    } else {
      out[path] = value;
    }
  });
  return out;
}

export function setPath(data, path, value) {
  const [head, tail] = path.split(".");
  if (tail === undefined) {
    data[head] = value;
  } else {
    data[head] = { ...(data[head] || {}) };
    if (value === undefined || value === "") delete data[head][tail];
    else data[head][tail] = value;
  }
}
