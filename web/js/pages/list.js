// A column: breadcrumb, its articles with dates and a numbered pager (首页 上一页 1 2 3 … 下一页 尾页) whose page
// is in the address. Single-page columns show their page; topic indexes their topics.
import { get } from '../api.js';
import { LIST_PAGE_SIZE } from '../config.js';
import { h, clear, $ } from '../dom.js';
import { day } from '../format.js';
import { setMeta, urls, breadcrumb, markColumn, columnHref, feedLinks, start } from '../layout.js';
import { setHtml } from '../sanitize.js';

/** A page number from an address: 1 for anything that is not a whole number from 1 up. */
export function pageNumber(text) {
  return /^[1-9][0-9]{0,6}$/.test(text || '') ? Number(text) : 1;
}

export const view = {
  code: (params) => params.get('c') || '',

  /** params: c (the column code) and page. A page past the last one shows the last one. */
  async load(params) {
    const code = params.get('c') || '';
    const col = await get(`/api/v1/categories/${encodeURIComponent(code)}`);
    const kind = col.column.kind;
    if (kind === 'page' || (kind === 'link' && col.column.externalUrl)) return { col, list: null };
    let pageNo = pageNumber(params.get('page'));
    let list = await get('/api/v1/articles', { category: code, page: pageNo, pageSize: LIST_PAGE_SIZE });
    if (pageNo > 1 && pageNo > list.page.totalPages) {
      pageNo = Math.max(1, list.page.totalPages);
      list = await get('/api/v1/articles', { category: code, page: pageNo, pageSize: LIST_PAGE_SIZE });
    }
    return { col, list };
  },

  render({ col, list }, site) {
    const c = col.column;
    const pageNo = list?.page.number ?? 1;
    markColumn(col.breadcrumb.map((b) => b.code));
    breadcrumb($('#crumbs'), col.breadcrumb.map((b, i) => ({ name: b.name, href: i < col.breadcrumb.length - 1 ? urls.column(b.code) : null })));
    $('#title').textContent = c.name;
    setMeta(site, {
      title: pageNo > 1 ? `${c.name}（第${pageNo}页）` : c.name,
      path: urls.column(c.code, pageNo),
      columnName: c.name, columnDescription: c.description, columnKeywords: c.keywords, columnType: c.columnType,
      description: c.description, keywords: c.keywords,
    });
    const body = clear($('#content'));
    if (c.kind === 'page') {
      const div = h('div', { class: 'article-body' });
      setHtml(div, col.pageBodyHtml);
      body.append(div);
      return;
    }
    if (c.kind === 'link' && c.externalUrl) {
      body.append(h('p', {}, h('a', { href: c.externalUrl }, `前往${c.name}`)));
      return;
    }
    if (c.children?.length) {
      const ul = h('ul', { class: 'subcolumns' });
      for (const child of c.children) ul.append(h('li', {}, h('a', { href: columnHref(child) }, child.name)));
      body.append(h('nav', { 'aria-label': '子栏目' }, ul));
    }
    feedLinks(site.settings?.siteName || '', c.code, c.name);
    const ul = h('ul', { class: 'news list' });
    for (const a of list.items) {
      ul.append(h('li', {}, h('a', { href: urls.article(a) }, a.title), h('time', { datetime: a.publishAt }, day(a.publishAt))));
    }
    if (!list.items.length) ul.append(h('li', { class: 'empty' }, '暂无信息。'));
    body.append(ul, pager(list.page, (n) => urls.column(c.code, n)));
  },
};

/** 首页 上一页 1 … 4 5 6 … 20 下一页 尾页 共 N 条，第 x/y 页: the first and last pages and two either side of this one. */
export function pager({ number, totalPages, totalItems }, href) {
  const nav = h('nav', { class: 'pager', 'aria-label': '分页' });
  if (totalPages <= 1) return nav;
  const link = (n, text) => (n < 1 || n > totalPages || n === number
    ? h('span', { class: 'disabled', 'aria-disabled': 'true' }, text)
    : h('a', { href: href(n) }, text));
  nav.append(link(1, '首页'), link(number - 1, '上一页'));
  let last = 0;
  for (let n = 1; n <= totalPages; n++) {
    if (n !== 1 && n !== totalPages && Math.abs(n - number) > 2) continue;
    if (n - last > 1) nav.append(h('span', { class: 'gap', 'aria-hidden': 'true' }, '…'));
    nav.append(n === number
      ? h('span', { class: 'current', 'aria-current': 'page' }, String(n))
      : h('a', { href: href(n), 'aria-label': `第${n}页` }, String(n)));
    last = n;
  }
  nav.append(link(number + 1, '下一页'), link(totalPages, '尾页'));
  if (totalItems != null) nav.append(h('span', { class: 'count' }, `共${totalItems}条，第${number}/${totalPages}页`));
  return nav;
}

start(view);
