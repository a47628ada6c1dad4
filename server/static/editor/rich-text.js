// A small rich-text toolbar for the stories, and the markup cleaning that keeps them in the
// allow-list the server enforces (p, a, em, strong, ul, ol, li, br, h3, ruby, rt, rp).

import { _ } from "./i18n.js";

const RENAME = {
  B: "strong",
  STRONG: "strong",
  I: "em",
  EM: "em",
  DIV: "p",
  P: "p",
  H1: "h3",
  H2: "h3",
  H3: "h3",
  H4: "h3",
  UL: "ul",
  OL: "ol",
  LI: "li",
  A: "a",
  BR: "br",
  RUBY: "ruby",
  RT: "rt",
  RP: "rp",
};

function cleanNode(node, doc) {
  if (node.nodeType === Node.TEXT_NODE) return doc.createTextNode(node.textContent);
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const name = RENAME[node.tagName];
  const children = [...node.childNodes].map((child) => cleanNode(child, doc)).filter(Boolean);
  if (!name) {
    const fragment = doc.createDocumentFragment();
    children.forEach((child) => fragment.append(child));
    return fragment;
  }
  const element = doc.createElement(name);
  if (name === "a") {
    const href = node.getAttribute("href") || "";
    if (/^(https:|mailto:)/i.test(href)) element.setAttribute("href", href);
  }
  children.forEach((child) => element.append(child));
  return element;
}

export function cleanStoryHtml(area) {
  const doc = document.implementation.createHTMLDocument("");
  const holder = doc.createElement("div");
  [...area.childNodes].forEach((child) => {
    const clean = cleanNode(child, doc);
    if (clean) holder.append(clean);
  });
  // Loose text at the top level becomes a paragraph, as the allow-list expects.
  [...holder.childNodes].forEach((child) => {
    if (child.nodeType === Node.TEXT_NODE && child.textContent.trim()) {
      const p = doc.createElement("p");
      child.replaceWith(p);
      p.append(child);
    }
  });
  return holder.innerHTML.trim();
}

function run(area, command) {
  area.focus();
  if (command === "heading") {
    document.execCommand("formatBlock", false, "h3");
  } else if (command === "createLink") {
    const url = window.prompt(_("Link address (https://…)"));
    if (url && /^(https:|mailto:)/i.test(url.trim())) document.execCommand("createLink", false, url.trim());
  } else {
    document.execCommand(command, false);
  }
  area.dispatchEvent(new Event("input", { bubbles: true }));
}

export function attachToolbars(root) {
  document.execCommand("defaultParagraphSeparator", false, "p");
  root.querySelectorAll(".toolbar[data-for]").forEach((toolbar) => {
    const area = document.getElementById(toolbar.dataset.for);
    toolbar.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-command]");
      if (button) run(area, button.dataset.command);
    });
  });
}

// Rebuild story HTML as nodes of this page: parsed inertly, kept to the allow-list element by element.
export function storyNodes(html) {
  const parsed = new DOMParser().parseFromString(String(html || ""), "text/html");
  const fragment = document.createDocumentFragment();
  [...parsed.body.childNodes].forEach((child) => {
    const clean = cleanNode(child, document);
    if (clean) fragment.append(clean);
  });
  return fragment;
}

// Show stored story HTML as formatted text (for merges and diffs): links shown but not followed.
export function renderStory(html) {
  const fragment = storyNodes(html);
  fragment.querySelectorAll("a").forEach((link) => {
    link.title = link.getAttribute("href") || "";
    link.removeAttribute("href");
  });
  return fragment;
}
