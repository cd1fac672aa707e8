// The only way HTML reaches the page: DOMPurify under the same allowlist as the server, returned as TrustedHTML so
// the page's CSP (require-trusted-types-for 'script') accepts nothing else.
import DOMPurify from '../vendor/purify.es.mjs';

const CONFIG = {
  ALLOWED_TAGS: ['p', 'br', 'hr', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'b', 'i', 'u', 's', 'sub', 'sup',
    'blockquote', 'q', 'cite', 'code', 'pre', 'ul', 'ol', 'li', 'a', 'img', 'figure', 'figcaption', 'table', 'thead',
    'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'abbr', 'span', 'div'],
  ALLOWED_ATTR: ['href', 'title', 'src', 'alt', 'width', 'height', 'colspan', 'rowspan', 'scope', 'lang', 'dir', 'rel'],
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|\/(?!\/)|[^a-z:/]*$)/i,
  ALLOW_DATA_ATTR: false,
  RETURN_TRUSTED_TYPE: true,
};

/** Replaces the children of el with the sanitized html. */
export function setHtml(el, html) {
  el.innerHTML = DOMPurify.sanitize(html || '', CONFIG);
}

/** Search highlights: escaped text whose only markup is <mark>. */
export function setMarked(el, html) {
  el.innerHTML = DOMPurify.sanitize(html || '', { ALLOWED_TAGS: ['mark'], ALLOWED_ATTR: [], RETURN_TRUSTED_TYPE: true });
}
