// Search, the one page that needs the API while a visitor reads: results with the matches marked, numbered pages in
// the address. The published page holds the header, form and footer; results come from the API, and when the API is
// down or slow the page says so.
import { get } from '../api.js';
import { h, clear, $ } from '../dom.js';
import { day } from '../format.js';
import { setMeta, urls, breadcrumb, start, errorText } from '../layout.js';
import { setMarked } from '../sanitize.js';
import { pager } from './list.js';

const MAX_WINDOW = 1000;

export const view = {
  code: () => null,

  async load() {
    return null;
  },

  /** The page without results: what the publisher writes. */
  render(_, site) {
    breadcrumb($('#crumbs'), [{ name: '站内搜索' }]);
    setMeta(site, { title: '站内搜索', path: '/search.html', columnName: '站内搜索' });
    clear($('#results')).append(h('noscript', {}, h('p', {}, '站内搜索需要浏览器启用脚本；也可从栏目导航浏览全部信息。')));
  },

  async enhance(params) {
    const q = (params.get('q') || '').trim().slice(0, 100);
    const pageNo = Math.max(1, Math.min(Number.parseInt(params.get('page') || '1', 10) || 1, MAX_WINDOW / 20));
    const input = $('#site-q');
    if (input && q) input.value = q;
    const out = clear($('#results'));
    if (!q) {
      out.append(h('p', {}, '请输入关键词。'));
      return;
    }
    document.title = document.title.replace(/^站内搜索/, `搜索：${q}`);
    out.append(h('p', { class: 'search-count', role: 'status' }, '正在搜索……'));
    let result;
    try {
      result = await get('/api/v1/search', { q, page: pageNo });
    } catch (err) {
      clear(out).append(h('p', { class: 'status error', role: 'alert' }, `搜索服务暂时不可用：${errorText(err)}`));
      return;
    }
    clear(out);
    const total = result.page.totalItems;
    // a search counts up to a cap and then says so ("1000 条以上"), as large search engines do
    const count = result.page.totalItemsExact === false ? `${total} 条以上` : `${total} 条`;
    const said = h('p', { class: 'search-count' }, total ? '' : `没有找到与“${q}”相关的信息。`);
    if (total) said.append('“', h('span', { class: 'query' }, q), `”共找到 ${count}结果`);
    out.append(said);
    const ul = h('ul', { class: 'search-hits' });
    for (const hit of result.items) {
      const title = h('a', { href: urls.article(hit) });
      setMarked(title, hit.titleHtml);
      const snippet = h('p', { class: 'snippet' });
      setMarked(snippet, hit.snippetHtml);
      ul.append(h('li', {}, h('h2', {}, title), snippet,
        h('p', { class: 'hit-meta' }, `${hit.category.name}\u3000`, h('time', { datetime: hit.publishAt }, day(hit.publishAt)))));
    }
    out.append(ul);
    const pages = Math.min(result.page.totalPages, MAX_WINDOW / result.page.size);
    out.append(pager({ number: result.page.number, totalPages: pages, totalItems: null }, (n) => urls.search(q, n)));
  },
};


start(view);
