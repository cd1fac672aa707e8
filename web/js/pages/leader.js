// The full 局长致辞: the current message, or an earlier one by id.
import { get } from '../api.js';
import { h, clear, $ } from '../dom.js';
import { day } from '../format.js';
import { page, setMeta, breadcrumb, fallbackImages } from '../layout.js';
import { setHtml } from '../sanitize.js';

const id = new URLSearchParams(window.location.search).get('id');

page(null, async (site) => {
  const m = await get(id ? `/api/v1/leadership-messages/${encodeURIComponent(id)}` : '/api/v1/leadership-messages/current');
  breadcrumb($('#crumbs'), [{ name: m.title }]);
  setMeta(site, { title: m.title, columnName: m.title, articleTitle: m.title, description: m.excerpt });
  const art = clear($('#article'));
  art.append(h('h1', { class: 'article-title' }, m.title),
    h('p', { class: 'article-meta' }, h('span', {}, `${m.leaderTitle}　${m.leaderName}`), h('span', {}, h('time', { datetime: m.publishAt }, day(m.publishAt)))));
  if (m.photo) {
    const fig = h('figure', { class: 'leader-photo' }, h('img', { src: m.photo.url, alt: m.photo.alt || m.leaderName }));
    fallbackImages(fig);
    art.append(fig);
  }
  const body = h('div', { class: 'article-body' });
  setHtml(body, m.bodyHtml);
  art.append(body);
});
