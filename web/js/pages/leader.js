// The full 局长致辞: the current message, or an earlier one by id.
import { get } from '../api.js';
import { h, clear, $ } from '../dom.js';
import { day } from '../format.js';
import { setMeta, breadcrumb, urls, start } from '../layout.js';
import { setHtml } from '../sanitize.js';

export const view = {
  code: () => null,

  /** params: id, or none for the current message. */
  async load(params) {
    const id = params.get('id');
    return get(id ? `/api/v1/leadership-messages/${encodeURIComponent(id)}` : '/api/v1/leadership-messages/current');
  },

  render(m, site, params) {
    breadcrumb($('#crumbs'), [{ name: m.title }]);
    setMeta(site, { title: m.title, path: params?.get('id') ? urls.leader(m.id) : urls.leader(), columnName: m.title, articleTitle: m.title, description: m.excerpt });
    const art = clear($('#article'));
    const byline = [m.leaderTitle, m.leaderName].filter(Boolean).join('\u3000');
    art.append(h('h1', { class: 'article-title' }, m.title),
      h('p', { class: 'article-meta' }, byline ? h('span', {}, byline) : null, h('span', {}, h('time', { datetime: m.publishAt }, day(m.publishAt)))));
    if (m.photo) art.append(h('figure', { class: 'leader-photo' }, h('img', { src: m.photo.url, alt: m.photo.alt || m.leaderName, width: '240', height: '320' })));
    const body = h('div', { class: 'article-body' });
    setHtml(body, m.bodyHtml);
    art.append(body);
  },
};

start(view);
