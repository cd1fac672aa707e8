// Home: focus carousel, the latest articles of each home column, and the shared side column.
import { get } from '../api.js';
import { CAROUSEL_SECONDS } from '../config.js';
import { h, clear, $ } from '../dom.js';
import { day } from '../format.js';
import { setMeta, urls, start } from '../layout.js';

function flatten(nodes) {
  return nodes.flatMap((n) => [n, ...flatten(n.children || [])]);
}

export const view = {
  code: () => '',

  async load() {
    const tree = await get('/api/v1/categories');
    const columns = flatten(tree).filter((c) => c.showOnHome);
    const lists = await Promise.all(columns.map((c) => get('/api/v1/articles', { category: c.code, pageSize: c.homeItemCount })));
    return { columns, lists };
  },

  render({ columns, lists }, site) {
    setMeta(site, { title: '', path: '/', columnName: '首页', description: site.settings?.seoDescription });
    renderFocus($('#focus'), site.focusItems || []);
    const boxes = clear($('#columns'));
    columns.forEach((c, i) => boxes.append(columnBox(c, lists[i].items)));
  },

  enhance() {
    carousel($('#focus'));
  },
};

function columnBox(c, items) {
  const id = `col-${c.code}`;
  const ul = h('ul', { class: 'news' });
  for (const a of items) {
    ul.append(h('li', {}, h('a', { href: urls.article(a) }, a.title), h('time', { datetime: a.publishAt }, day(a.publishAt))));
  }
  if (!items.length) ul.append(h('li', { class: 'empty' }, '暂无信息'));
  return h('section', { class: 'box column-box', 'aria-labelledby': id },
    h('div', { class: 'box-head' }, h('h2', { id }, c.name), h('a', { href: urls.column(c.code), class: 'more', 'aria-label': `${c.name}更多` }, '更多>>')),
    ul);
}

/** The slides, the first one showing; the controls are in the page but hidden until script can run them. */
function renderFocus(root, items) {
  clear(root);
  root.hidden = !items.length;
  if (!items.length) return;
  const slides = items.map((f, i) => {
    const href = f.article ? urls.article(f.article) : f.linkUrl;
    const img = h('img', { src: f.image.url, alt: f.image.alt || f.title, width: '800', height: '360' });
    const caption = href ? h('a', { href }, f.title) : f.title;
    return h('div', { class: 'slide', role: 'group', 'aria-roledescription': '幻灯片', 'aria-label': `${i + 1} / ${items.length}`, hidden: i > 0 },
      href ? h('a', { href, tabindex: '-1', 'aria-hidden': 'true' }, img) : img, h('p', { class: 'caption' }, caption));
  });
  root.append(h('div', { class: 'slides', 'aria-live': 'off' }, ...slides));
  if (items.length > 1) {
    root.append(h('div', { class: 'controls', hidden: true },
      h('button', { type: 'button', class: 'prev', 'aria-label': '上一张' }, '‹'),
      h('button', { type: 'button', class: 'pause' }, '暂停轮播'),
      h('button', { type: 'button', class: 'next', 'aria-label': '下一张' }, '›'),
      h('span', { class: 'dots' }, ...items.map((f, i) => h('button', { type: 'button', class: 'dot', 'aria-label': `第${i + 1}张：${f.title}` })))));
  }
}

/**
 * The focus carousel: buttons for previous, next and pause; it pauses while hovered or focused, when the tab is
 * hidden, and from the start when the visitor prefers reduced motion. One timer at most, ever.
 */
function carousel(root) {
  const slides = [...root.querySelectorAll('.slide')];
  const controls = root.querySelector('.controls');
  if (slides.length < 2 || !controls) return;
  const live = root.querySelector('.slides');
  const pause = controls.querySelector('.pause');
  const dots = [...controls.querySelectorAll('.dot')];
  let current = 0;
  let timer = null;
  let playing = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  let held = false;

  function show(i) {
    current = (i + slides.length) % slides.length;
    slides.forEach((s, k) => { s.hidden = k !== current; });
    dots.forEach((d, k) => d.setAttribute('aria-current', k === current ? 'true' : 'false'));
  }
  function sync() {
    const run = playing && !held && !document.hidden;
    if (run && timer === null) timer = window.setInterval(() => show(current + 1), CAROUSEL_SECONDS * 1000);
    if (!run && timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
    pause.textContent = playing ? '暂停轮播' : '开始轮播';
    live.setAttribute('aria-live', playing ? 'off' : 'polite');
    root.dataset.playing = String(timer !== null);
  }
  controls.querySelector('.prev').addEventListener('click', () => show(current - 1));
  controls.querySelector('.next').addEventListener('click', () => show(current + 1));
  pause.addEventListener('click', () => { playing = !playing; sync(); });
  dots.forEach((d, i) => d.addEventListener('click', () => show(i)));
  root.addEventListener('mouseenter', () => { held = true; sync(); });
  root.addEventListener('mouseleave', () => { held = false; sync(); });
  root.addEventListener('focusin', () => { held = true; sync(); });
  root.addEventListener('focusout', (e) => { if (!root.contains(e.relatedTarget)) { held = false; sync(); } });
  document.addEventListener('visibilitychange', sync);
  controls.hidden = false;
  show(0);
  sync();
}

start(view);
