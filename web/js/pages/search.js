// Search: uses the search API where the server has it; until then it says so plainly.
import { get, ApiError } from '../api.js';
import { h, clear, $ } from '../dom.js';
import { day } from '../format.js';
import { page, setMeta, urls, breadcrumb } from '../layout.js';

const q = (new URLSearchParams(window.location.search).get('q') || '').trim();

page(null, async (site) => {
  breadcrumb($('#crumbs'), [{ name: '站内搜索' }]);
  setMeta(site, { title: q ? `搜索:${q}` : '站内搜索', columnName: '站内搜索' });
  const out = clear($('#results'));
  if (!q) {
    out.append(h('p', {}, '请输入关键词。'));
    return;
  }
  let result;
  try {
    result = await get('/api/v1/search', { q });
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 405)) {
      out.append(h('p', { class: 'notice' }, '站内搜索功能即将开放,敬请期待。Search is not available yet.'));
      return;
    }
    throw err;
  }
  out.append(h('p', {}, `“${q}”共找到 ${result.page?.totalItems ?? result.items.length} 条结果`));
  const ul = h('ul', { class: 'news list' });
  for (const hit of result.items) {
    ul.append(h('li', {}, h('a', { href: urls.article(hit.slug) }, hit.title), h('time', { datetime: hit.publishAt }, day(hit.publishAt))));
  }
  out.append(ul);
});
