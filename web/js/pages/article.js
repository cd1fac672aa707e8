// An article as the MOFCOM template shows it: breadcrumb 当前位置：首页 > 栏目, title, subtitle, the line
// 文章来源 / 文章类型 / 内容分类 with the date, the body, attachments, previous/next and the 版权与免责声明.
import { get, ApiError } from '../api.js';
import { h, clear, $ } from '../dom.js';
import { minute, size } from '../format.js';
import { setMeta, urls, breadcrumb, markColumn, feedLinks, start } from '../layout.js';
import { setHtml } from '../sanitize.js';

export const view = {
  code: () => null,

  /** params: a (slug) or id; the publisher passes the id. */
  async load(params) {
    // a preview address (/preview.html?t=…): the draft it was made for, shown as it will be published
    const token = params.get('t');
    if (token) return get(`/api/v1/preview/${encodeURIComponent(token)}`);
    const key = params.get('a') || params.get('id') || '';
    if (!key) throw new ApiError(404, null);
    return get(`/api/v1/articles/${encodeURIComponent(key)}`);
  },

  render(a, site) {
    markColumn(a.breadcrumb.map((b) => b.code));
    feedLinks(site.settings?.siteName || '', a.category.code, a.category.name);
    breadcrumb($('#crumbs'), a.breadcrumb.map((b) => ({ name: b.name, href: urls.column(b.code) })));
    setMeta(site, {
      title: a.title,
      path: a.url,
      columnName: a.category.name,
      articleTitle: a.title,
      pubDate: minute(a.publishAt),
      contentSource: a.source,
      author: a.author,
      description: a.summary,
      keywords: a.tags.join(','),
    });

    const art = clear($('#article'));
    if (a.preview) {
      const d = art.ownerDocument;
      if (!d.head.querySelector('meta[name="robots"]')) d.head.append(h('meta', { name: 'robots', content: 'noindex, nofollow' }));
      d.title = `【预览】${d.title}`;
      art.append(h('p', { class: 'preview-banner', role: 'note' }, '预览：这是尚未发布的稿件，仅供审核，请勿转发。'));
    }
    art.append(h('h1', { class: 'article-title' }, a.title));
    if (a.subtitle) art.append(h('p', { class: 'subtitle' }, a.subtitle));
    art.append(h('p', { class: 'article-meta' },
      a.source ? h('span', {}, `文章来源：${a.source}`) : null,
      h('span', {}, `文章类型：${a.articleTypeLabel}`),
      a.contentCategory ? h('span', {}, `内容分类：${a.contentCategory}`) : null,
      h('span', {}, '发布时间：', a.publishAt ? h('time', { datetime: a.publishAt }, minute(a.publishAt)) : '发布时确定')));
    if (a.validity && a.validity !== 'valid') {
      const label = { amended: '已修改', repealed: '已废止', expired: '已失效' }[a.validity];
      art.append(h('p', { class: 'validity' }, `本文件${label}。`, a.validityNote ?? ''));
    }
    const body = h('div', { class: 'article-body' });
    setHtml(body, a.bodyHtml);
    art.append(body);

    if (a.attachments.length) {
      const ul = h('ul', {});
      for (const f of a.attachments) {
        const about = [fileType(f), f.size ? size(f.size) : ''].filter(Boolean).join('，');
        ul.append(h('li', {}, h('a', { href: f.url, download: f.name || '' }, f.name), about ? `（${about}）` : ''));
      }
      art.append(h('section', { class: 'attachments', 'aria-labelledby': 'att-h' }, h('h2', { id: 'att-h' }, '附件'), ul));
    }
    if (a.originalUrl) art.append(h('p', { class: 'original' }, '原文链接：', h('a', { href: a.originalUrl, rel: 'noopener noreferrer' }, a.originalUrl)));

    const pn = h('nav', { class: 'prev-next', 'aria-label': '上一篇和下一篇' });
    pn.append(h('p', {}, '上一篇：', a.previous ? h('a', { href: urls.article(a.previous) }, a.previous.title) : '没有了'));
    pn.append(h('p', {}, '下一篇：', a.next ? h('a', { href: urls.article(a.next) }, a.next.title) : '没有了'));
    art.append(pn);

    const s = site.settings;
    if (s?.disclaimerHtml) {
      const text = h('div', {});
      setHtml(text, s.disclaimerHtml);
      clear($('#disclaimer')).append(h('h2', {}, s.disclaimerTitle), text);
    }
  },
};

start(view);

const TYPES = { pdf: 'PDF', doc: 'Word', docx: 'Word', xls: 'Excel', xlsx: 'Excel', ppt: 'PowerPoint', pptx: 'PowerPoint', zip: 'ZIP', txt: '文本', jpg: '图片', jpeg: '图片', png: '图片', gif: '图片', webp: '图片' };
/** What kind of file an attachment is, from its name (the library keeps the uploaded name's extension true to the content). */
function fileType(f) {
  const ext = /\.([a-z0-9]+)$/i.exec(f.name || f.url || '')?.[1]?.toLowerCase();
  return (ext && TYPES[ext]) || '';
}
