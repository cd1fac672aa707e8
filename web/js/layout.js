// What every page shares: the header with navigation and search, the side column (局长致辞 teaser, 合作伙伴,
// 相关链接), the footer from the site settings, the meta tags inspections read, and loading/error states.
// The same functions run in the browser and in the publisher (under Node, into a document of its own), so a page
// is written once: start() renders it in the browser, the publisher renders the same view to a file.
import { get, ApiError } from './api.js';
import { API_BASE } from './config.js';
import { h, clear, $, doc } from './dom.js';
import { setHtml } from './sanitize.js';

let sitePromise;

/** The site bundle (settings, navigation, partners, links, focus items, leadership teaser), fetched once. */
export function loadSite() {
  sitePromise ??= get('/api/v1/site');
  return sitePromise;
}

/** The portal's addresses, as the API's url fields give them and the publisher writes them. */
export const urls = {
  home: () => '/',
  column: (code, page) => `/article/${encodeURIComponent(code)}/${page > 1 ? `index_${page}.shtml` : ''}`,
  article: (a) => a.url || `/article.html?a=${encodeURIComponent(a.slug)}`,
  leader: (id) => (id ? `/leader/${id}.shtml` : '/leader/'),
  search: (q, page) => `/search.html?q=${encodeURIComponent(q)}${page > 1 ? `&page=${page}` : ''}`,
};

/** Where a column entry of the navigation leads. */
export function columnHref(c) {
  if (c.kind === 'link' && c.externalUrl) return c.externalUrl;
  return urls.column(c.code);
}

function renderHeader(site, currentCode, query) {
  const header = $('#site-header');
  if (!header) return;
  const name = site?.settings?.siteName || '商务部投资促进事务局';
  const nav = h('ul', {});
  nav.append(h('li', {}, h('a', { href: '/', 'aria-current': currentCode === '' ? 'page' : null }, '首页')));
  for (const c of site?.navigation || []) {
    nav.append(h('li', {}, h('a', { href: columnHref(c), 'data-code': c.code, 'aria-current': c.code === currentCode ? 'page' : null }, c.name)));
  }
  clear(header).append(
    h('div', { class: 'masthead' },
      h('a', { class: 'site-name', href: '/' }, name),
      h('div', { class: 'tools' },
        h('a', { class: 'care-switch', href: '#care' }, '关怀版'), h('span', { id: 'care', hidden: true }),
        h('form', { class: 'search-box', action: '/search.html', method: 'get', role: 'search' },
          h('label', { for: 'site-q', class: 'visually-hidden' }, '站内搜索'),
          h('input', { id: 'site-q', name: 'q', type: 'search', value: query || '', placeholder: '请输入关键词', maxlength: '100' }),
          h('button', { type: 'submit' }, '搜索')))),
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
  // 党政机关 label (the issuing authority's own badge markup), when the settings have one
  if (s.partyGovLabelHtml) {
    const label = h('div', { class: 'party-gov-label' });
    setHtml(label, s.partyGovLabelHtml);
    footer.append(label);
  }
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
      h('p', {}, l.excerpt, h('a', { href: urls.leader(), class: 'more-full' }, '【查看全文】'))));
  }
  if (site?.partners?.length) {
    const ul = h('ul', { class: 'partners' });
    for (const p of site.partners) {
      const label = p.logo ? h('img', { src: p.logo.url, alt: p.logo.alt || p.name, loading: 'lazy', width: '160', height: '48' }) : p.name;
      ul.append(h('li', {}, p.url ? h('a', { href: p.url, rel: 'noopener noreferrer', target: '_blank' }, label) : label));
    }
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

/** fallbackImages over the page's own content and side column. */
function imagesFallBack(d) {
  for (const root of d.querySelectorAll('main, #side')) fallbackImages(root);
}

/** A broken image turns into its alt text, so a missing upload never leaves an empty box (browser only). */
export function fallbackImages(root) {
  for (const img of root.querySelectorAll('img')) {
    const swap = () => img.replaceWith(h('span', { class: 'img-missing' }, img.alt));
    if (img.complete && img.naturalWidth === 0 && img.getAttribute('src')) swap();
    else img.addEventListener('error', swap, { once: true });
  }
}

/** The page title, the canonical address and the meta tags government-site inspections read. */
export function setMeta(site, m = {}) {
  const d = doc();
  const s = site?.settings || {};
  d.title = [m.title, s.siteName].filter(Boolean).join('_') || '商务部投资促进事务局';
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
    // a page without a description of its own says what it is: the column of the site, or the site
    description: m.description || s.seoDescription || [s.siteName, m.columnName && m.columnName !== '首页' ? m.columnName : null].filter(Boolean).join('：'),
    keywords: m.keywords || s.seoKeywords,
  };
  for (const [name, content] of Object.entries(tags)) {
    let el = d.head.querySelector(`meta[name="${name}"]`);
    if (!content) {
      el?.remove();
      continue;
    }
    if (!el) {
      el = h('meta', { name });
      d.head.append(el);
    }
    el.setAttribute('content', content);
  }
  d.head.querySelector('link[rel="canonical"]')?.remove();
  if (m.path && s.siteDomain) d.head.append(h('link', { rel: 'canonical', href: `https://${s.siteDomain}${m.path}` }));
}

/** Shows a message in the page's status line; errors say what happened in words a visitor understands. */
export function status(message, kind = 'info') {
  const el = $('#status');
  if (!el) return;
  el.textContent = message || '';
  el.className = `status ${kind}`;
  el.hidden = !message;
}

export function errorText(err) {
  if (err instanceof ApiError && err.status === 0) {
    return err.timedOut ? '内容服务响应超时，请稍后刷新重试。' : '暂时无法连接内容服务，请稍后刷新重试。';
  }
  if (err instanceof ApiError && err.status === 404) return '您访问的内容不存在或已下线。';
  return '页面加载出错，请稍后重试。';
}

export function showError(err) {
  status(errorText(err), 'error');
  doc().body.dataset.state = 'error';
}

/** Header, footer, side column and the site's feed links: everything a page has besides its own content. */
export function renderChrome(site, currentCode, query) {
  renderHeader(site, currentCode, query);
  renderFooter(site);
  feedLinks(site?.settings?.siteName || '', null);
  renderSide(site);
}

/**
 * The browser's side of a page. A published page (body[data-rendered]) already holds everything: its view only adds
 * what needs a browser (view.enhance). A page from web/ as it is renders in the browser: site bundle, chrome, then the
 * view's load and render; the header and footer appear even when the page's own content fails.
 */
export async function start(view) {
  if (typeof window === 'undefined') return;   // imported by the publisher
  const params = new URLSearchParams(window.location.search);
  const d = doc();
  const care = careMode();
  if (d.body.dataset.rendered) {
    imagesFallBack(d);
    try {
      await view.enhance?.(params);
      d.body.dataset.state = 'ready';
    } catch (err) {
      showError(err);
    }
    return;
  }
  status('正在加载……');
  let site = null;
  try {
    site = await loadSite();
  } catch (err) {
    renderHeader(null, view.code?.(params) ?? null, params.get('q'));
    showError(err);
    return;
  }
  renderChrome(site, view.code?.(params) ?? null, params.get('q'));
  care();
  try {
    const data = await view.load(params, site);
    view.render(data, site, params);
    imagesFallBack(d);
    await view.enhance?.(params);
    status('');
    d.body.dataset.state = 'ready';
  } catch (err) {
    showError(err);
  }
}

/** <link rel="alternate"> for the site's feeds, or a column's when code is given, so readers discover them. */
export function feedLinks(siteName, code, columnName) {
  const d = doc();
  const base = code ? `${API_BASE}/feeds/${encodeURIComponent(code)}` : `${API_BASE}/feeds`;
  const title = code ? `${siteName} - ${columnName}` : siteName;
  for (const [file, type, label] of [['rss.xml', 'application/rss+xml', 'RSS'], ['atom.xml', 'application/atom+xml', 'Atom'], ['feed.json', 'application/feed+json', 'JSON Feed']]) {
    const href = `${base}/${file}`;
    if (d.head.querySelector(`link[rel="alternate"][href="${href}"]`)) continue;
    d.head.append(h('link', { rel: 'alternate', type, title: `${title} (${label})`, href }));
  }
}

/** Marks the navigation entry of the column a page belongs to. */
export function markColumn(codes) {
  for (const a of doc().querySelectorAll('.site-nav a')) {
    const code = a.getAttribute('data-code');
    if (code && codes.includes(code)) a.setAttribute('aria-current', 'page');
    else if (a.getAttribute('href') !== '/') a.removeAttribute('aria-current');
  }
}

/** 当前位置：首页 > 栏目 > … */
export function breadcrumb(el, trail) {
  clear(el).append(h('span', {}, '当前位置：'), h('a', { href: '/' }, '首页'));
  for (const c of trail) {
    el.append(h('span', { class: 'sep', 'aria-hidden': 'true' }, ' > '),
      c.href ? h('a', { href: c.href }, c.name) : h('span', { 'aria-current': 'page' }, c.name));
  }
}

/**
 * 关怀版: larger type, higher contrast, bigger targets. The switch is a link to #care, so without script the :target
 * rule of the stylesheet applies on that page; with script the choice is kept (localStorage) across pages.
 */
function careMode() {
  const d = doc();
  let on = false;
  try { on = window.localStorage.getItem('cms-care') === '1'; } catch { on = false; }
  const apply = () => {
    d.documentElement.classList.toggle('care', on);
    const a = d.querySelector('.care-switch');
    if (a) {
      a.textContent = on ? '标准版' : '关怀版';
    }
  };
  d.addEventListener('click', (e) => {
    const a = e.target.closest?.('.care-switch');
    if (!a) return;
    e.preventDefault();
    on = !on;
    try { window.localStorage.setItem('cms-care', on ? '1' : '0'); } catch { /* private mode: this page only */ }
    apply();
  });
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', apply, { once: true });
  else apply();
  return apply;
}
