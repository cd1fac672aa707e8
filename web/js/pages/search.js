// Search: results from the search API with the matches marked, numbered pages in the address.
import { get } from '../api.js';
import { h, clear, $ } from '../dom.js';
import { day } from '../format.js';
import { page, setMeta, urls, breadcrumb } from '../layout.js';
import { setMarked } from '../sanitize.js';

const params = new URLSearchParams(window.location.search);
const q = (params.get('q') || '').trim().slice(0, 100);
const pageNo = Math.max(1, Number.parseInt(params.get('page') || '1', 10) || 1);

page(null, async (site) => {
  breadcrumb($('#crumbs'), [{ name: '站内搜索' }]);
  setMeta(site, { title: q ? `搜索:${q}` : '站内搜索', columnName: '站内搜索' });
  const out = clear($('#results'));
  if (!q) {
    out.append(h('p', {}, '请输入关键词。'));
    return;
  }
  const result = await get('/api/v1/search', { q, page: pageNo });
  const total = result.page.totalItems;
  // a search counts up to a cap and then says so ("1000+"), as large search engines do
  const count = result.page.totalItemsExact === false ? `${total} 条以上` : `${total} 条`;
  out.append(h('p', { class: 'search-count' }, total ? `“${q}”共找到 ${count}结果` : `没有找到与“${q}”相关的信息。`));
  const ul = h('ul', { class: 'search-hits' });
  for (const hit of result.items) {
    const title = h('a', { href: urls.article(hit.slug) });
    setMarked(title, hit.titleHtml);
    const snippet = h('p', { class: 'snippet' });
    setMarked(snippet, hit.snippetHtml);
    ul.append(h('li', {}, h('h2', {}, title), snippet,
      h('p', { class: 'hit-meta' }, `${hit.category.name}　`, h('time', { datetime: hit.publishAt }, day(hit.publishAt)))));
  }
  out.append(ul);
  const pages = result.page.totalPages;
  if (pages > 1) {
    const nav = h('nav', { class: 'pager', 'aria-label': '分页' });
    for (let n = 1; n <= Math.min(pages, 10); n++) {
      nav.append(n === pageNo ? h('span', { class: 'current', 'aria-current': 'page' }, String(n))
        : h('a', { href: `${urls.search(q)}&page=${n}` }, String(n)));
    }
    out.append(nav);
  }
});
