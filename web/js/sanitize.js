// The only way HTML reaches the page: DOMPurify under the same allowlist as the server, returned as TrustedHTML so
// the page's CSP (require-trusted-types-for 'script') accepts nothing else. The publisher, which has no browser,
// hands in a sanitizer of its own with the same allowlist (useSanitizer).
import DOMPurify from '../vendor/purify.es.mjs';

export const ALLOWED_TAGS = ['p', 'br', 'hr', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'b', 'i', 'u', 's', 'sub', 'sup',
  'blockquote', 'q', 'cite', 'code', 'pre', 'ul', 'ol', 'li', 'a', 'img', 'figure', 'figcaption', 'table', 'thead',
  'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'abbr', 'span', 'div'];
export const ALLOWED_ATTR = ['href', 'title', 'src', 'srcset', 'sizes', 'alt', 'width', 'height', 'colspan', 'rowspan', 'scope', 'lang', 'dir', 'rel'];
export const ALLOWED_URI_REGEXP = /^(?:(?:https?|mailto):|\/(?!\/)|[^a-z:/]*$)/i;

const CONFIG = { ALLOWED_TAGS, ALLOWED_ATTR, ALLOWED_URI_REGEXP, ALLOW_DATA_ATTR: false, RETURN_TRUSTED_TYPE: true };
const MARK_CONFIG = { ALLOWED_TAGS: ['mark'], ALLOWED_ATTR: [], RETURN_TRUSTED_TYPE: true };

let sanitizer = (html, marksOnly) => DOMPurify.sanitize(html, marksOnly ? MARK_CONFIG : CONFIG);

/** fn(html, marksOnly) → safe HTML string. */
export function useSanitizer(fn) {
  sanitizer = fn;
}

/** Replaces the children of el with the sanitized html. */
export function setHtml(el, html) {
  el.innerHTML = sanitizer(html || '', false);
}

/** Search highlights: escaped text whose only markup is <mark>. */
export function setMarked(el, html) {
  el.innerHTML = sanitizer(html || '', true);
}
