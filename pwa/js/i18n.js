// Interface language: chosen from the browser, switchable, remembered; content falls back per field.
import en from "./i18n/en.js";
import ja from "./i18n/ja.js";
import nl from "./i18n/nl.js";

export const LANGUAGES = ["nl", "en", "ja"];
const MESSAGES = { nl, en, ja };
// A missing text falls back field by field: a Japanese reader gets English before Dutch.
const FALLBACK = { ja: ["ja", "en", "nl"], en: ["en", "nl", "ja"], nl: ["nl", "en", "ja"] };
const STORAGE_KEY = "kotoji:language";
export const languageEvents = new EventTarget();

let current = chooseLanguage();

function chooseLanguage() {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (LANGUAGES.includes(saved)) return saved;
  for (const tag of navigator.languages || [navigator.language]) {
    const base = String(tag).slice(0, 2).toLowerCase();
    if (LANGUAGES.includes(base)) return base;
  }
  return "en";
}

export function language() {
  return current;
}

export function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  localStorage.setItem(STORAGE_KEY, lang);
  if (lang === current) return;
  current = lang;
  translateDocument();
  languageEvents.dispatchEvent(new Event("change"));
}

// The message for `key` with {placeholders} filled in. A message given as plural forms
// ({one, other}) is chosen by Intl.PluralRules from `values.count`; numbers are formatted.
export function t(key, values = {}) {
  let message = MESSAGES[current][key] ?? MESSAGES.en[key] ?? key;
  if (typeof message === "object")
    message = message[new Intl.PluralRules(current).select(Number(values.count))] ?? message.other;
  const shown = (value) => (typeof value === "number" ? formatNumber(value) : String(value));
  return message.replace(/\{(\w+)\}/g, (match, name) => (name in values ? shown(values[name]) : match));
}

// A city's name as readers of the current language know it (the data holds the local name).
export function cityName(city) {
  const key = `city.${String(city).toLowerCase()}`;
  return t(key) === key ? city : t(key);
}

// [text, language it is in] of a content field such as {"nl": ..., "en": ...}.
export function pickText(texts) {
  for (const lang of FALLBACK[current]) {
    if (texts && texts[lang]) return [texts[lang], lang];
  }
  return ["", current];
}

export function formatNumber(value, options = {}) {
  return new Intl.NumberFormat(current, options).format(value);
}

export function formatDistance(metres) {
  if (metres < 1000) return t("distance.m", { value: formatNumber(Math.round(metres / 5) * 5) });
  return t("distance.km", { value: formatNumber(metres / 1000, { maximumFractionDigits: metres < 10000 ? 1 : 0 }) });
}

export function formatBytes(bytes) {
  if (bytes < 1024 * 1024) return t("size.kb", { value: formatNumber(Math.max(1, Math.round(bytes / 1024))) });
  return t("size.mb", { value: formatNumber(bytes / 1024 / 1024, { maximumFractionDigits: 1 }) });
}

// Fill every [data-i18n] element (and [data-i18n-label] aria-label) of the page.
export function translateDocument(root = document) {
  document.documentElement.lang = current;
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-label]"))
    node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  document.title = t("app.title");
}
