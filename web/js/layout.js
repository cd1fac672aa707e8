// What every page shares: the header with navigation and search, the side column (局长致辞 teaser, 合作伙伴,
// 相关链接), the footer from the site settings, the meta tags inspections read, and loading/error states.
import { get, ApiError } from './api.js';
import { API_BASE } from './config.js';
import { h, clear, $ } from './dom.js';

let sitePromise;

/** The site bundle (settings, navigation, partners, links, focus items, leadership teaser), fetched once. */
export function loadSite() {
  sitePromise ??= get('/api/v1/site');
  return sitePromise;
}

export const urls = {
  home: () => '/',
  column: (code, page) => `/list.html?c=${encodeURIComponent(code)}${page > 1 ? `&page=${page}` : ''}`,
  article: (slug) => `/article.html?a=${encodeURIComponent(slug)}`,
  leader: (id) => (id ? `/leader.html?id=${id}` : '/leader.html'),
  search: (q) => `/search.html?q=${encodeURIComponent(q)}`,
};

/** Where a column entry of the navigation leads. */
export function columnHref(c) {
  if (c.kind === 'link' && c.externalUrl) return c.externalUrl;
  return urls.column(c.code);
}

function renderHeader(site, currentCode) {
  const header = $('#site-header');
  if (!header) return;
  const name = site?.settings?.siteName || '商务部投资促进事务局';
  const nav = h('ul', {});
  nav.append(h('li', {}, h('a', { href: '/', 'aria-current': currentCode === '' ? 'page' : null }, '首页')));
  for (const c of site?.navigation || []) {
    nav.append(h('li', {}, h('a', { href: columnHref(c), 'aria-current': c.code === currentCode ? 'page' : null }, c.name)));
  }
  const q = new URLSearchParams(window.location.search).get('q') || '';
  clear(header).append(
    h('div', { class: 'masthead' },
      h('a', { class: 'site-name', href: '/' }, name),
      h('form', { class: 'search-box', action: '/search.html', method: 'get', role: 'search' },
        h('label', { for: 'site-q', class: 'visually-hidden' }, '站内搜索'),
        h('input', { id: 'site-q', name: 'q', type: 'search', value: q, placeholder: '请输入关键词', maxlength: '100' }),
        h('button', { type: 'submit' }, '搜索'))),
    h('nav', { class: 'site-nav', 'aria-label': '栏目导航' }, nav));
}

function renderFooter(site) {
  const footer = $('#site-footer');
  if (!footer) return;
  clear(footer);
  const s = site?.settings;
  if (!s) return;
  const line = (...items) => h('p', {}, ...items.filter(Boolean).flatMap((x, i) => (i ? ['\u3000', x] : [x])));
  const field = (label, value) => (value ? h('span', {}, `${label}：${value}`) : null);
  const icp = s.icpNumber ? h('a', { href: s.icpUrl || 'https://beian.miit.gov.cn/', rel: 'noopener noreferrer', target: '_blank' }, s.icpNumber) : null;
  const police = s.publicSecurityFilingText
    ? (s.publicSecurityRecordCode
      ? h('a', { href: `http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=${encodeURIComponent(s.publicSecurityRecordCode)}`, rel: 'noopener noreferrer', target: '_blank' }, s.publicSecurityFilingText)
      : h('span', {}, s.publicSecurityFilingText))
    : null;
  footer.append(
    line(field('版权所有', s.copyrightHolder), field('地址', s.address), field('邮编', s.postcode)),
    line(field('技术支持', s.techSupport), field('电话', s.phone), field('邮箱', s.email)),
    line(icp, police, field('网站标识码', s.siteIdCode)));
}

/** 局长致辞 teaser, 合作伙伴 and 相关链接, into #side when the page has one. */
export function renderSide(site) {
  const side = $('#side');
  if (!side) return;
  clear(side);
  const l = site?.leadership;
  if (l) {
    side.append(h('section', { class: 'box leader-teaser', 'aria-labelledby': 'leader-h' },
      h('h2', { id: 'leader-h' }, l.title || '局长致辞'),
      h('p', {}, l.excerpt, h('a', { href: urls.leader(l.id), class: 'more-full' }, '【查看全文】'))));
  }
  if (site?.partners?.length) {
    const ul = h('ul', { class: 'partners' });
    for (const p of site.partners) {
      const label = p.logo ? h('img', { src: p.logo.url, alt: p.logo.alt || p.name, loading: 'lazy' }) : p.name;
      ul.append(h('li', {}, p.url ? h('a', { href: p.url, rel: 'noopener noreferrer', target: '_blank' }, label) : label));
    }
    fallbackImages(ul);
    side.append(h('section', { class: 'box', 'aria-labelledby': 'partners-h' }, h('h2', { id: 'partners-h' }, '合作伙伴'), ul));
  }
  if (site?.links?.length) {
    const box = h('section', { class: 'box links', 'aria-labelledby': 'links-h' }, h('h2', { id: 'links-h' }, '相关链接'));
    for (const g of site.links) {
      const ul = h('ul', {});
      for (const link of g.links) {
        ul.append(h('li', {}, h('a', { href: link.url, rel: 'noopener noreferrer', target: link.openInNewWindow ? '_blank' : null }, link.name)));
      }
      box.append(h('h3', {}, g.group), ul);
    }
    side.append(box);
  }
}

/** A broken image turns into its alt text, so a missing upload never leaves an empty box. */
export function fallbackImages(root) {
  for (const img of root.querySelectorAll('img')) {
    img.addEventListener('error', () => img.replaceWith(h('span', { class: 'img-missing' }, img.alt)), { once: true });
  }
}

/** The page title and the meta tags government-site inspections read. */
export function setMeta(site, m = {}) {
  const s = site?.settings || {};
  document.title = [m.title, s.siteName].filter(Boolean).join('_') || '商务部投资促进事务局';
  const tags = {
    SiteName: s.siteName,
    SiteDomain: s.siteDomain,
    SiteIDCode: s.siteIdCode,
    ColumnName: m.columnName,
    ColumnDescription: m.columnDescription,
    ColumnKeywords: m.columnKeywords,
    ColumnType: m.columnType,
    ArticleTitle: m.articleTitle,
    PubDate: m.pubDate,
    ContentSource: m.contentSource,
    Author: m.author,
    description: m.description || s.seoDescription,
    keywords: m.keywords || s.seoKeywords,
  };
  for (const [name, content] of Object.entries(tags)) {
    let el = document.head.querySelector(`meta[name="${name}"]`);
    if (!content) {
      el?.remove();
      continue;
    }
    if (!el) {
      el = h('meta', { name });
      document.head.append(el);
    }
    el.setAttribute('content', content);
  }
}

/** Shows a message in the page's status line; errors say what happened in words a visitor understands. */
export function status(message, kind = 'info') {
  const el = $('#status');
  if (!el) return;
  el.textContent = message || '';
  el.className = `status ${kind}`;
  el.hidden = !message;
}

export function showError(err) {
  if (err instanceof ApiError && err.status === 0) {
    status('暂时无法连接内容服务,请稍后刷新重试。The content service cannot be reached; please try again later.', 'error');
  } else if (err instanceof ApiError && err.status === 404) {
    status('您访问的内容不存在或已下线。This page does not exist or was taken offline.', 'error');
  } else {
    status('页面加载出错,请稍后重试。Something went wrong loading this page.', 'error');
  }
  document.body.dataset.state = 'error';
}

/**
 * Renders the shared chrome, then the page. The header and footer appear even when the page's own content fails.
 * render(site) returns a promise; its errors become the page's error state.
 */
export async function page(currentCode, render) {
  status('正在加载…… Loading…');
  let site = null;
  try {
    site = await loadSite();
  } catch (err) {
    renderHeader(null, currentCode);
    showError(err);
    return;
  }
  renderHeader(site, currentCode);
  renderFooter(site);
  feedLinks(site?.settings?.siteName || '', null);
  renderSide(site);
  try {
    await render(site);
    status('');
    document.body.dataset.state = 'ready';
  } catch (err) {
    showError(err);
  }
}

/** <link rel="alternate"> for the site's feeds, or a column's when code is given, so readers discover them. */
export function feedLinks(siteName, code, columnName) {
  const base = code ? `${API_BASE}/feeds/${encodeURIComponent(code)}` : `${API_BASE}/feeds`;
  const title = code ? `${siteName} - ${columnName}` : siteName;
  for (const [file, type, label] of [['rss.xml', 'application/rss+xml', 'RSS'], ['atom.xml', 'application/atom+xml', 'Atom'], ['feed.json', 'application/feed+json', 'JSON Feed']]) {
    document.head.append(h('link', { rel: 'alternate', type, title: `${title} (${label})`, href: `${base}/${file}` }));
  }
}

/** Marks the navigation entry of the column a page belongs to (known only once the page's data arrives). */
export function markColumn(codes) {
  for (const a of document.querySelectorAll('.site-nav a')) {
    const code = new URL(a.href, window.location.origin).searchParams.get('c');
    if (code && codes.includes(code)) a.setAttribute('aria-current', 'page');
    else if (a.getAttribute('href') !== '/') a.removeAttribute('aria-current');
  }
}

/** 当前位置:首页 > 栏目 > … */
export function breadcrumb(el, trail) {
  clear(el).append(h('span', {}, '当前位置：'), h('a', { href: '/' }, '首页'));
  for (const c of trail) {
    el.append(h('span', { class: 'sep', 'aria-hidden': 'true' }, ' > '),
      c.href ? h('a', { href: c.href }, c.name) : h('span', { 'aria-current': 'page' }, c.name));
  }
}
