#!/usr/bin/env node
// The publisher: writes the portal as static pages, as Chinese government CMSes publish, with the very modules that
// render the pages in the browser (web/js), run here against a DOM of linkedom's.
//
//   node publisher/publish.mjs build --api http://127.0.0.1:5080 --out data/site   every page, with a progress bar
//   node publisher/publish.mjs watch --api http://127.0.0.1:5080 --out data/site   a build when the folder has none,
//                                                                                    then every change from /api/v1/sync
//
// Every file is written beside its place and renamed over it, so a visitor never reads half a page. The folder's
// .publish/state.json keeps the sync cursor and, per article, its address and neighbours, so a change rewrites only
// the pages it touches: the article, its previous and next, its columns' pages, the home page; a change to settings,
// columns, partners, links, focus items or the leadership message rewrites everything.
import { parseHTML } from 'linkedom';
import sanitizeHtml from 'sanitize-html';
import { promises as fs, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useDocument } from '../web/js/dom.js';
import { get, useApiBase, ApiError } from '../web/js/api.js';
import { useSanitizer, ALLOWED_TAGS, ALLOWED_ATTR } from '../web/js/sanitize.js';
import { renderChrome, urls } from '../web/js/layout.js';
import { view as homeView } from '../web/js/pages/home.js';
import { view as listView } from '../web/js/pages/list.js';
import { view as articleView } from '../web/js/pages/article.js';
import { view as leaderView } from '../web/js/pages/leader.js';
import { view as searchView } from '../web/js/pages/search.js';
import { view as notFoundView } from '../web/js/pages/notfound.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WEB = path.resolve(HERE, '..', 'web');
const ASSETS = ['css', 'js', 'vendor', 'favicon.ico', 'favicon.svg', 'robots.txt', 'uploads'];
const CONCURRENCY = 8;

// ---- the sanitizer the browser's DOMPurify stands for here: the same allowlist as the server's and the browser's
useSanitizer((html, marksOnly) => sanitizeHtml(html, marksOnly
  ? { allowedTags: ['mark'], allowedAttributes: {} }
  : {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { '*': ALLOWED_ATTR },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
  }));

// ---- arguments
const args = process.argv.slice(2);
const command = args[0];
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
if (!['build', 'watch'].includes(command)) {
  console.error('usage: node publisher/publish.mjs build|watch --api http://127.0.0.1:5080 --out data/site [--interval-ms 300]');
  process.exit(2);
}
const API = option('api', 'http://127.0.0.1:5080').replace(/\/+$/, '');
const OUT = path.resolve(option('out', 'data/site'));
const INTERVAL = Number(option('interval-ms', '300'));
const STATE_FILE = path.join(OUT, '.publish', 'state.json');
// started by the API (Cms:Publisher:Run): go when it goes, even when it was killed without a word
const PARENT = args.includes('--exit-with-parent') ? process.ppid : null;
useApiBase(API, { 'User-Agent': 'cms-publisher/1' }, 4);

// ---- files
const templates = {};
async function template(name) {
  templates[name] ??= await fs.readFile(path.join(WEB, name), 'utf8');
  return templates[name];
}

let written = 0;
/** Writes rel under OUT by rename, unless it already holds exactly this; true when it changed. */
async function writeFile(rel, content) {
  const full = path.join(OUT, rel);
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  try {
    const old = await fs.readFile(full);
    if (old.equals(bytes)) return false;
  } catch { /* new file */ }
  await fs.mkdir(path.dirname(full), { recursive: true });
  const tmp = `${full}.${process.pid}.tmp`;
  await fs.writeFile(tmp, bytes);
  await fs.rename(tmp, full);
  written++;
  return true;
}

async function removeFile(rel) {
  try {
    await fs.unlink(path.join(OUT, rel));
    return true;
  } catch {
    return false;
  }
}

/** The file an address is served from: a folder address is its index.html (and index.shtml, the agency's name for it). */
function filesOf(url) {
  const rel = decodeURIComponent(url.replace(/^\/+/, ''));
  if (rel === '' || rel.endsWith('/')) return [`${rel}index.html`, `${rel}index.shtml`];
  return [rel];
}

async function copyAssets() {
  for (const name of ASSETS) {
    const from = path.join(WEB, name);
    if (!existsSync(from)) continue;
    await copyTree(from, name);
  }
}

async function copyTree(from, rel) {
  const st = await fs.stat(from);
  if (st.isDirectory()) {
    for (const entry of await fs.readdir(from)) await copyTree(path.join(from, entry), path.join(rel, entry));
  } else {
    await writeFile(rel, await fs.readFile(from));
  }
}

// ---- pages
/** Renders one view into its template, the way the browser would, and returns the page's HTML. */
async function render(templateName, view, data, site, params, code) {
  const { document } = parseHTML(await template(templateName));
  useDocument(document);
  renderChrome(site, code, '');
  view.render(data, site, params);
  document.body.setAttribute('data-rendered', 'publisher');
  document.body.setAttribute('data-state', 'ready');
  return `<!doctype html>\n${document.documentElement.outerHTML}\n`;
}

async function writePage(url, html) {
  await copyMedia(html);
  let changed = false;
  for (const rel of filesOf(url)) changed = (await writeFile(rel, html)) || changed;
  return changed;
}

// ---- media: the images and attachments a page uses are copied beside it, so the site works from any static host and
// while the API is down. Their names are content hashes: a file once there never changes.
const MEDIA_URL = /\/media\/[0-9a-f]{32}(?:-[0-9]{1,5})?\.[a-z0-9]{2,5}/g;
const mediaHere = new Set();
async function copyMedia(html) {
  for (const url of new Set(html.match(MEDIA_URL) || [])) {
    if (mediaHere.has(url)) continue;
    const rel = url.slice(1);
    if (!existsSync(path.join(OUT, rel))) {
      const res = await fetch(API + url, { headers: { 'User-Agent': 'cms-publisher/1' } });
      if (!res.ok) {
        console.error(`publisher: ${url} answered ${res.status}; the page links to it all the same`);
        continue;
      }
      await writeFile(rel, Buffer.from(await res.arrayBuffer()));
    }
    mediaHere.add(url);
  }
}

const P = (o = {}) => new URLSearchParams(Object.entries(o).filter(([, v]) => v != null).map(([k, v]) => [k, String(v)]));

async function publishHome(ctx) {
  const data = await homeView.load(P(), ctx.site);
  await writePage('/', await render('index.html', homeView, data, ctx.site, P(), ''));
  await writeFile('index.shtml', await fs.readFile(path.join(OUT, 'index.html')));
}

async function publishFixedPages(ctx) {
  await writePage('/search.html', await render('search.html', searchView, null, ctx.site, P(), null));
  await writePage('/404.html', await render('404.html', notFoundView, null, ctx.site, P(), null));
  try {
    const m = await leaderView.load(P(), ctx.site);
    await writePage(urls.leader(), await render('leader.html', leaderView, m, ctx.site, P(), null));
    await writePage(urls.leader(m.id), await render('leader.html', leaderView, m, ctx.site, P({ id: m.id }), null));
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
    for (const rel of filesOf(urls.leader())) await removeFile(rel);
  }
}

/** One list page of a column: its number of pages and the article ids it lists, or null when the column is gone. */
async function publishColumnPage(ctx, code, n) {
  let data;
  try {
    data = await listView.load(P({ c: code, page: n }), ctx.site);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      await removeColumn(ctx, code, 0);
      return null;
    }
    throw err;
  }
  const total = data.list?.page.totalPages || 1;
  if (data.list && data.list.page.number !== n) return { total, ids: [] };   // past the end: the column shrank
  await writePage(urls.column(code, n), await render('list.html', listView, data, ctx.site, P({ c: code, page: n }), code));
  return { total, ids: (data.list?.items || []).map((a) => a.id) };
}

/** Every page of a column, page 1 first; pages past the new last one are removed. Returns the article ids listed. */
async function publishColumn(ctx, code) {
  const ids = [];
  let total = 1;
  for (let n = 1; n <= total; n++) {
    const done = await publishColumnPage(ctx, code, n);
    if (!done) return ids;
    total = done.total;
    ids.push(...done.ids);
  }
  await removeColumn(ctx, code, total);
  return ids;
}

/**
 * The rest of a column after its first page, a few pages at a time between polls of the sync feed, so that the next
 * publish never waits behind the many pages one publish shifts by one place. state.pending: code → next page.
 */
async function publishPending(ctx, budget) {
  const pending = ctx.state.pending;
  for (const code of Object.keys(pending)) {
    while (budget-- > 0) {
      const n = pending[code];
      const done = await publishColumnPage(ctx, code, n);
      if (!done || n >= done.total) {
        if (done) await removeColumn(ctx, code, done.total);
        delete pending[code];
        break;
      }
      pending[code] = n + 1;
    }
    if (budget <= 0) return;
  }
}

/** The column has `keep` list pages now: the pages after them are removed (all of them when 0), and the state says so. */
async function removeColumn(ctx, code, keep) {
  const dir = path.join(OUT, 'article', code);
  if (keep > 0) ctx.state.columns[code] = keep;
  else delete ctx.state.columns[code];
  let entries = [];
  try { entries = await fs.readdir(dir); } catch { return; }
  for (const e of entries) {
    const m = e.match(/^index_(\d+)\.shtml$/);
    if ((m && Number(m[1]) > keep) || (keep === 0 && /^index\.s?html$/.test(e))) await fs.unlink(path.join(dir, e)).catch(() => {});
  }
}

/** One article page; its neighbours and columns are recorded for the next change. Null when it is not public. */
async function publishArticle(ctx, id) {
  let a;
  try {
    a = await articleView.load(P({ id }), ctx.site);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
  const old = ctx.state.articles[id];
  await writePage(a.url, await render('article.html', articleView, a, ctx.site, P({ id }), null));
  if (old && old.url !== a.url) for (const rel of filesOf(old.url)) await removeFile(rel);
  // every column whose lists show it: its own and the columns above it, and the extra columns it is filed under
  const codes = [...new Set([...a.breadcrumb.map((b) => b.code), ...a.extraCategories.map((c) => c.code)])];
  ctx.state.articles[id] = { url: a.url, codes, prev: a.previous?.id ?? null, next: a.next?.id ?? null };
  return a;
}

async function withdrawArticle(ctx, id) {
  const old = ctx.state.articles[id];
  if (!old) return;
  for (const rel of filesOf(old.url)) await removeFile(rel);
  delete ctx.state.articles[id];
}

/** Runs fn over items, CONCURRENCY at a time (the API does the waiting; rendering is synchronous). */
async function pool(items, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

function flatten(nodes) {
  return nodes.flatMap((n) => [n, ...flatten(n.children || [])]);
}

// ---- progress
function progress(label, done, total) {
  if (!process.stderr.isTTY && done !== total && done % Math.max(1, Math.floor(total / 10)) !== 0) return;
  const width = 30;
  const filled = total ? Math.floor((done * width) / total) : width;
  const pct = total ? Math.floor((done * 100) / total) : 100;
  process.stderr.write(`\r  ${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${done}/${total}   ${process.stderr.isTTY ? '' : '\n'}`);
  if (done === total && process.stderr.isTTY) process.stderr.write('\n');
}

// ---- state
async function loadState() {
  try {
    return JSON.parse(await fs.readFile(STATE_FILE, 'utf8'));
  } catch {
    return null;
  }
}

async function saveState(state) {
  await fs.mkdir(path.dirname(STATE_FILE), { recursive: true });
  const tmp = `${STATE_FILE}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(state));
  await fs.rename(tmp, STATE_FILE);
}

/**
 * The site bundle the last build or change fetched. A change to anything in it (settings, columns, partners, links,
 * focus items, the leadership message) rebuilds everything, which fetches it again.
 */
let lastSite = null;

// ---- a full build
async function build(previous, cursor) {
  const started = Date.now();
  written = 0;
  lastSite = await get('/api/v1/site');
  const ctx = { site: lastSite, state: { version: 1, cursor, articles: {}, columns: {}, pending: {} } };
  await fs.mkdir(OUT, { recursive: true });
  await copyAssets();
  await publishHome(ctx);
  await publishFixedPages(ctx);

  const columns = flatten(await get('/api/v1/categories')).filter((c) => c.kind !== 'link' || !c.externalUrl);
  const first = await get('/api/v1/articles', { page: 1, pageSize: 100 });
  const listPages = columns.length;
  let done = 0;
  for (const c of columns) {
    await publishColumn(ctx, c.code);
    progress('栏目', ++done, listPages);
  }
  // every public article, from the site-wide list (newest first), 100 at a time
  const ids = first.items.map((a) => a.id);
  for (let n = 2; n <= first.page.totalPages; n++) {
    const p = await get('/api/v1/articles', { page: n, pageSize: 100 });
    ids.push(...p.items.map((a) => a.id));
  }
  done = 0;
  await pool(ids, async (id) => {
    await publishArticle(ctx, id);
    progress('文章', ++done, ids.length);
  });
  // pages of articles and columns that are no longer public
  for (const [id, old] of Object.entries(previous?.articles || {})) {
    if (!ctx.state.articles[id]) for (const rel of filesOf(old.url)) await removeFile(rel);
  }
  for (const code of Object.keys(previous?.columns || {})) {
    if (!(code in ctx.state.columns)) await removeColumn(ctx, code, 0);
  }
  await saveState(ctx.state);
  const seconds = (Date.now() - started) / 1000;
  const pages = ids.length + Object.values(ctx.state.columns).reduce((s, n) => s + n, 0) + 4;
  console.log(`published ${pages} pages (${ids.length} articles) in ${seconds.toFixed(1)} s: ${(pages / Math.max(seconds, 0.001)).toFixed(0)} pages/s, ${written} files written, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  return ctx.state;
}

/** A cursor at the API's current position: changes after it are what the next build has not seen. */
async function currentCursor() {
  return (await get('/api/v1/sync', { snapshot: 'false' })).nextCursor;
}

// ---- following changes
async function apply(state, items) {
  lastSite = await get('/api/v1/site');
  const ctx = { site: lastSite, state };
  // a column's list shows the articles of the columns below it too
  const parents = {};
  (function walk(nodes, up) {
    for (const n of nodes) {
      parents[n.code] = up;
      walk(n.children || [], [...up, n.code]);
    }
  })(await get('/api/v1/categories'), []);
  const changed = new Set();
  const removed = new Set();
  for (const item of items) {
    // a media item changes no page by itself: a page that uses it changes when its content does (and copies it then)
    if (item.entity === 'media') continue;
    if (item.entity !== 'article') return 'full';
    (item.op === 'delete' ? removed : changed).add(item.id);
  }
  const neighbours = new Set();
  const columns = new Set();
  const touch = (old) => {
    if (!old) return;
    old.codes.forEach((c) => [c, ...(parents[c] || [])].forEach((k) => columns.add(k)));
    if (old.prev) neighbours.add(old.prev);
    if (old.next) neighbours.add(old.next);
  };
  for (const id of removed) {
    touch(state.articles[id]);
    await withdrawArticle(ctx, id);
  }
  for (const id of changed) {
    const old = state.articles[id];
    touch(old);
    const a = await publishArticle(ctx, id);
    if (!a) {
      await withdrawArticle(ctx, id);
      continue;
    }
    touch(state.articles[id]);
  }
  await publishHome(ctx);
  for (const id of [...neighbours].filter((n) => !changed.has(n) && !removed.has(n))) {
    if (!(await publishArticle(ctx, id))) await withdrawArticle(ctx, id);
  }
  // page 1 of each column now, the pages after it between the next polls
  state.pending ??= {};
  for (const code of columns) {
    const first = await publishColumnPage(ctx, code, 1);
    if (!first) {
      delete state.pending[code];
      continue;
    }
    if (first.total > 1) state.pending[code] = 2;
    else {
      await removeColumn(ctx, code, 1);
      delete state.pending[code];
    }
  }
  return 'done';
}

async function watch() {
  let state = await loadState();
  if (!state) {
    const cursor = await currentCursor();
    state = await build(null, cursor);
  }
  console.log(`publisher following ${API}/api/v1/sync into ${OUT}`);
  for (;;) {
    if (PARENT !== null && process.ppid !== PARENT) {
      console.log('publisher: the API that started it is gone; stopping');
      process.exit(0);
    }
    let page;
    try {
      page = await get('/api/v1/sync', { cursor: state.cursor, limit: 200 });
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 410)) {
        console.log('publisher: the sync cursor is no longer valid (a restore?); rebuilding everything');
        state = await build(state, await currentCursor());
        continue;
      }
      console.error(`publisher: ${err.message}${err.url ? ` (${err.url}: ${err.reason})` : ''}; trying again in 2 s`);
      await sleep(2000);
      continue;
    }
    if (page.items.length) {
      const started = Date.now();
      try {
        if ((await apply(state, page.items)) === 'full') state = await build(state, page.nextCursor);
        state.cursor = page.nextCursor;
        await saveState(state);
        console.log(`publisher: ${page.items.length} change(s) published in ${Date.now() - started} ms`);
      } catch (err) {
        console.error(`publisher: ${err.message}; trying again in 2 s`);
        await sleep(2000);
        continue;
      }
    }
    if (!page.items.length && Object.keys(state.pending || {}).length) {
      try {
        await publishPending({ site: lastSite ?? await get('/api/v1/site'), state }, 10);
        await saveState(state);
      } catch (err) {
        console.error(`publisher: ${err.message}; trying again in 2 s`);
        await sleep(2000);
      }
      continue;
    }
    if (!page.hasMore) await sleep(INTERVAL);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

try {
  if (command === 'build') {
    const previous = await loadState();
    await build(previous, await currentCursor());
  } else {
    await watch();
  }
} catch (err) {
  console.error(`publisher: ${err.message}${err.url ? ` (${err.url}${err.reason ? `: ${err.reason}` : ''})` : ''}`);
  process.exit(1);
}
