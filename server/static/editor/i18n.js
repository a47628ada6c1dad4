// The editor's words in the page's language: the same gettext catalog and helpers as the guide tools
// (one module, served by the guide blueprint), so both sets of scripts read the catalog the same way.
export { _, formatNumber, language, n_ } from "/guide/static/i18n.js";
