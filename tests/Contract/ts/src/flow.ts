// The editorial flow through the TypeScript client @hey-api/openapi-ts generates from openapi.yaml: no hand-written HTTP.
// Compiled with tsc --strict; run as: node dist/flow.js BASE_URL ADMIN_KEY. The exit code is the number of failed steps.
import { client } from './client/client.gen';
import {
  adminGetArticle, createArticle, deleteArticle, getArticle, getSite, listArticles, patchArticle, publishArticle,
  takeArticleOffline, updateArticle,
} from './client/sdk.gen';
import type { AdminArticle, ApiProblem } from './client/types.gen';

// the two bits of Node.js this program uses, so no @types/node is needed
declare const process: { argv: string[]; exit(code: number): never };

const [baseUrl, key] = process.argv.slice(2);
client.setConfig({ baseUrl, headers: { 'X-Api-Key': key } });

let failures = 0;
async function step(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    console.log(`ok   ${name}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}: ${e instanceof Error ? e.message : JSON.stringify(e)}`);
  }
}

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

/** The HTTP answer the client saw. */
function res(r: { response?: Response }): Response {
  if (!r.response) throw new Error('no response');
  return r.response;
}

/** The answer's typed data, or the typed problem as an error. */
function ok<T>(r: { data?: T; error?: unknown; response?: Response }): T {
  if (r.error !== undefined || r.data === undefined) {
    const p = r.error as ApiProblem | undefined;
    throw new Error(`${res(r).status} ${p?.detail ?? ''} ${(p?.errors ?? []).map((e) => `${e.name}: ${e.reason}`).join('; ')}`);
  }
  return r.data;
}

function etagOf(r: { response?: Response }): string {
  const tag = res(r).headers.get('ETag');
  if (!tag) throw new Error('no ETag header');
  return tag;
}

const seedTitle = '“产城融合•场景营城”——2021中博会•产城中国市长论坛成功举办';
const slug = `ts-flow-${Date.now().toString(36)}`;
let seedETag = '';
let id = 0;
let etag = '';
let staleETag = '';

async function main(): Promise<void> {
  await step('read the site', async () => {
    const site = ok(await getSite());
    expect(site.settings?.siteName === '商务部投资促进事务局', `site name ${site.settings?.siteName}`);
    expect(site.navigation.length > 0, 'navigation');
  });
  await step('list column c', async () => {
    const page = ok(await listArticles({ query: { category: 'c', pageSize: 10 } }));
    expect(page.items.length > 0 && page.page.totalItems > 0, 'items');
    expect(page.items.every((i) => i.category.code === 'c'), 'column');
  });
  await step('read the seed article, nulls included', async () => {
    const r = await getArticle({ path: { idOrSlug: '2021-cczg-mayors-forum' } });
    const a = ok(r);
    expect(a.title === seedTitle, `title ${a.title}`);
    expect(a.legacyId === '20210503064097' && a.source === '商务部投资促进事务局' && a.articleType === 'original', 'provenance');
    expect(a.subtitle === null && a.validity === null && a.coverImage === null, 'null fields read as null');
    expect(a.breadcrumb.length > 0 && a.category.code === 'c', 'breadcrumb');
    seedETag = etagOf(r);
  });
  await step('conditional GET answers 304', async () => {
    const r = await getArticle({ path: { idOrSlug: '2021-cczg-mayors-forum' }, headers: { 'If-None-Match': seedETag } });
    expect(res(r).status === 304, `status ${res(r).status}`);
  });
  await step('create a draft', async () => {
    const r = await createArticle({
      body: {
        slug,
        categoryId: 2,
        title: '“产城中国”投资联盟在太原成立',
        bodyHtml: '<p>5月21日下午,2021中博会•产城中国市长论坛在山西太原市成功举办。</p>',
        source: '商务部投资促进事务局',
        articleType: 'original',
        tags: ['中博会', '产城中国'],
        coverImage: null,
        validity: null,
      },
    });
    const created: AdminArticle = ok(r);
    expect(res(r).status === 201, `status ${res(r).status}`);
    expect(created.status === 'draft' && created.title === '“产城中国”投资联盟在太原成立', 'stored as sent');
    id = created.id;
    etag = etagOf(r);
  });
  await step('publish', async () => {
    const r = await publishArticle({ path: { id } });
    expect(ok(r).status === 'published', 'published');
    staleETag = etag;
    etag = etagOf(r);
  });
  await step('replace with PUT and If-Match', async () => {
    const r = await updateArticle({
      path: { id },
      headers: { 'If-Match': etag },
      body: {
        slug,
        categoryId: 2,
        title: '“产城中国”投资联盟成立',
        bodyHtml: '<p>会上成立了产城中国投资联盟。</p>',
        source: '商务部投资促进事务局',
        articleType: 'original',
        tags: ['中博会'],
      },
    });
    const put = ok(r);
    expect(put.title === '“产城中国”投资联盟成立' && put.status === 'published', 'replaced and still public');
    etag = etagOf(r);
  });
  await step('change one field with PATCH and If-Match', async () => {
    const r = await patchArticle({ path: { id }, headers: { 'If-Match': etag }, body: { summary: '产城中国投资联盟成立。' } });
    const patched = ok(r);
    expect(patched.summary === '产城中国投资联盟成立。', 'summary');
    expect(patched.title === '“产城中国”投资联盟成立' && patched.tags.join() === '中博会', 'the other fields untouched');
    etag = etagOf(r);
  });
  await step('a stale If-Match is a typed 412', async () => {
    const r = await patchArticle({ path: { id }, headers: { 'If-Match': staleETag }, body: { title: '不该写入' } });
    expect(res(r).status === 412, `status ${res(r).status}`);
    const problem: ApiProblem | undefined = r.error;
    expect(problem?.status === 412 && problem.errors.some((e) => e.name === 'If-Match'), 'problem names If-Match');
  });
  await step('take offline', async () => {
    const r = await takeArticleOffline({ path: { id } });
    expect(ok(r).status === 'offline', 'offline');
    etag = etagOf(r);
  });
  await step('delete', async () => {
    const r = await deleteArticle({ path: { id }, headers: { 'If-Match': etag } });
    expect(res(r).status === 204, `status ${res(r).status}`);
    const gone = await adminGetArticle({ path: { id } });
    expect(res(gone).status === 404 && gone.error?.status === 404, 'gone');
  });

  console.log(`${11 - failures} of 11 steps passed`);
}

// CommonJS output (the generated client imports its files without extensions), so no top-level await
main().then(() => process.exit(failures), (e: unknown) => {
  console.log(`FAIL ${String(e)}`);
  process.exit(99);
});
