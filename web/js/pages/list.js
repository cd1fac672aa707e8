// A column: breadcrumb, its articles with dates and a numbered pager (首页 上一页 1 2 3 … 下一页 尾页) whose page
// is in the address, so reload and back/forward keep it. Single-page columns show their page; topic indexes their topics.
import { get } from '../api.js';
import { LIST_PAGE_SIZE } from '../config.js';
import { h, clear, $ } from '../dom.js';
import { day } from '../format.js';
import { page, setMeta, urls, breadcrumb, markColumn, columnHref, feedLinks } from '../layout.js';
import { setHtml } from '../sanitize.js';

const params = new URLSearchParams(window.location.search);
const code = params.get('c') || '';
const pageNo = Math.max(1, Number.parseInt(params.get('page') || '1', 10) || 1);

page(code, async (site) => {
  const col = await get(`/api/v1/categories/${encodeURIComponent(code)}`);
  const c = col.column;
  markColumn(col.breadcrumb.map((b) => b.code));
  breadcrumb($('#crumbs'), col.breadcrumb.map((b, i) => ({ name: b.name, href: i < col.breadcrumb.length - 1 ? urls.column(b.code) : null })));
  $('#title').textContent = c.name;
  setMeta(site, {
    title: pageNo > 1 ? `${c.name}(第${pageNo}页)` : c.name,
    columnName: c.name, columnDescription: c.description, columnKeywords: c.keywords, columnType: c.columnType,
    description: c.description, keywords: c.keywords,
  });
  const body = $('#content');
  clear(body);
  if (c.kind === 'page') {
    const div = h('div', { class: 'article-body' });
    setHtml(div, col.pageBodyHtml);
    body.append(div);
    return;
  }
  if (c.kind === 'link' && c.externalUrl) {
    body.append(h('p', {}, h('a', { href: c.externalUrl }, `前往 ${c.name}`)));
    return;
  }
  if (c.children?.length) {
    const ul = h('ul', { class: 'subcolumns' });
    for (const child of c.children) ul.append(h('li', {}, h('a', { href: columnHref(child) }, child.name)));
    body.append(h('nav', { 'aria-label': '子栏目' }, ul));
  }
  feedLinks(site.settings?.siteName || '', code, c.name);
  const list = await get('/api/v1/articles', { category: code, page: pageNo, pageSize: LIST_PAGE_SIZE });
  const ul = h('ul', { class: 'news list' });
  for (const a of list.items) {
    ul.append(h('li', {}, h('a', { href: urls.article(a.slug) }, a.title), h('time', { datetime: a.publishAt }, day(a.publishAt))));
  }
  if (!list.items.length) ul.append(h('li', { class: 'empty' }, pageNo > 1 ? '没有更多信息。' : '暂无信息。'));
  body.append(ul, pager(list.page));
});

function pager({ number, totalPages, totalItems }) {
  const nav = h('nav', { class: 'pager', 'aria-label': '分页' });
  if (totalPages <= 1) return nav;
  const link = (n, text, label) => (n < 1 || n > totalPages || n === number
    ? h('span', { class: 'disabled', 'aria-disabled': 'true' }, text)
    : h('a', { href: urls.column(code, n), 'aria-label': label }, text));
  nav.append(link(1, '首页', '首页'), link(number - 1, '上一页', '上一页'));
  let last = 0;
  for (let n = 1; n <= totalPages; n++) {
    if (n !== 1 && n !== totalPages && Math.abs(n - number) > 2) continue;
    if (n - last > 1) nav.append(h('span', { class: 'gap', 'aria-hidden': 'true' }, '…'));
    nav.append(n === number
      ? h('span', { class: 'current', 'aria-current': 'page' }, String(n))
      : h('a', { href: urls.column(code, n), 'aria-label': `第 ${n} 页` }, String(n)));
    last = n;
  }
  nav.append(link(number + 1, '下一页', '下一页'), link(totalPages, '尾页', '尾页'),
    h('span', { class: 'count' }, `共 ${totalItems} 条,第 ${number}/${totalPages} 页`));
  return nav;
}
