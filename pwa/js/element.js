// Build DOM nodes from data without ever parsing a string as HTML.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

// Put sanitized story HTML from the server into `target` through an inert <template>.
// The server already allows only p, a, em, strong, ul, ol, li, br, h3, ruby, rt, rp; this is a second fence.
const ALLOWED = new Set(["P", "A", "EM", "STRONG", "UL", "OL", "LI", "BR", "H3", "RUBY", "RT", "RP"]);

export function appendStoryHtml(target, html) {
  const template = document.createElement("template");
  template.innerHTML = html || "";
  for (const node of [...template.content.querySelectorAll("*")]) {
    if (!ALLOWED.has(node.tagName)) {
      node.remove();
      continue;
    }
    for (const attribute of [...node.attributes]) {
      const safeLink = attribute.name === "href" && /^(https:|mailto:)/i.test(attribute.value.trim());
      if (!safeLink) node.removeAttribute(attribute.name);
    }
    if (node.tagName === "A") node.setAttribute("rel", "noopener noreferrer");
  }
  target.append(template.content);
}
