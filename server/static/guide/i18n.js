// The interface's words in the page's language: the server's gettext catalog, fetched as JSON.
// Messages are the catalog's ids with {name} placeholders; numbers and plurals go through Intl.

const root = document.documentElement;
export const language = root.lang || "en";

async function loadCatalog() {
  const url = root.dataset.messagesUrl;
  if (!url) return {};
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    return response.ok ? (await response.json()).messages : {};
  } catch {
    return {}; // offline or failing: the English ids still make a usable page
  }
}

const messages = await loadCatalog();
const plurals = new Intl.PluralRules(language);

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// Return `message` in the page's language with {name} placeholders filled from `values`.
export function _(message, values = {}) {
  const text = messages[message];
  return fill(typeof text === "string" && text ? text : message, values);
}

// Return the singular or plural form for `count` ({count} is filled in too).
export function n_(singular, plural, count, values = {}) {
  const forms = messages[singular];
  const all = { count: formatNumber(count), ...values };
  if (Array.isArray(forms) && forms.length && forms.every(Boolean)) {
    const index = forms.length === 1 ? 0 : plurals.select(count) === "one" ? 0 : 1;
    return fill(forms[Math.min(index, forms.length - 1)], all);
  }
  return fill(count === 1 ? singular : plural, all);
}

export function formatNumber(value, options = {}) {
  return new Intl.NumberFormat(language, options).format(value);
}
