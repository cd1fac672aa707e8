// Small DOM builders: text always goes in as text, links only with http(s), mailto or site-relative targets.

/** h('a', { href: '/x', class: 'y' }, 'text', childNode) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
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
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
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

export const $ = (sel, root = document) => root.querySelector(sel);
