// Not found. Old MOFCOM-style addresses, /article/{column}/{yyyyMM}/{14-digit id}.shtml, go on to their article.
import { get, ApiError } from '../api.js';
import { $ } from '../dom.js';
import { page, setMeta, urls, status } from '../layout.js';

const legacy = window.location.pathname.match(/^\/article\/[a-z0-9_/]+\/\d{6}\/(\d{14})\.s?html?$/);

page(null, async (site) => {
  setMeta(site, { title: '页面不存在' });
  if (legacy) {
    status('正在查找原文…… Looking up the article…');
    try {
      const a = await get(`/api/v1/articles/legacy/${legacy[1]}`);
      window.location.replace(urls.article(a.slug));
      return;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
    }
  }
  $('#missing').hidden = false;
});
