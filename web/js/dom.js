// Small DOM builders: text always goes in as text, links only with http(s), mailto or site-relative targets.
// They build into the browser's document, or into the one the publisher hands over (useDocument) when it renders a
// page to a file under Node.

let current = globalThis.document;

/** The document pages are built into; the publisher sets one per page it writes. */
export function useDocument(d) {
  current = d;
}

export function doc() {
  return current;
}

/** h('a', { href: '/x', class: 'y' }, 'text', childNode) */
export function h(tag, attrs = {}, ...children) {
  const el = current.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'href' || k === 'src') {
      const safe = safeUrl(v);
      if (safe) el.setAttribute(k, safe);
    } else if (k === 'class') {
      el.className = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(typeof c === 'object' && typeof c.nodeType === 'number' ? c : current.createTextNode(String(c)));
  }
  return el;
}

export function safeUrl(url) {
  const s = String(url).trim();
  if (s.startsWith('/') && !s.startsWith('//')) return s;
  if (/^(https?:|mailto:)/i.test(s)) return s;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(s) && !s.startsWith('//')) return s;
  return null;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export const $ = (sel, root = current) => root.querySelector(sel);
