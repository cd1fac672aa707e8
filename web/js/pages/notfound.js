// Not found. On web/ as it is (no publisher), an article address /article/{column}/{yyyyMM}/{id}.shtml is no file:
// the page looks the article up and goes on to the script-rendered page. The published site has those files.
import { get, ApiError } from '../api.js';
import { $ } from '../dom.js';
import { setMeta, status, start } from '../layout.js';

export const view = {
  code: () => null,

  async load() {
    return null;
  },

  render(_, site) {
    setMeta(site, { title: '页面不存在' });
    $('#missing').hidden = false;
  },

  async enhance() {
    const legacy = window.location.pathname.match(/^\/article\/[a-z0-9_-]+\/\d{6}\/(\d{1,19})\.s?html?$/);
    if (!legacy || document.body.dataset.rendered) return;
    status('正在查找原文……');
    try {
      const key = legacy[1];
      const a = await get(key.length === 14 ? `/api/v1/articles/legacy/${key}` : `/api/v1/articles/${key}`);
      window.location.replace(`/article.html?a=${encodeURIComponent(a.slug)}`);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
    }
  },
};

start(view);
