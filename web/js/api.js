// The one fetch wrapper: JSON in, RFC 9457 problem+json understood, network failures and timeouts reported as
// status 0. The publisher points it at the API's address (useApiBase) when it runs under Node.
import { API_BASE, API_TIMEOUT_SECONDS } from './config.js';

let base = API_BASE;
let extraHeaders = {};
let retries = 0;

/**
 * The publisher's API address, the headers it names itself with, and how many times a request that got no answer
 * (a connection closed under it, a timeout) is tried again. A browser tries once and says so.
 */
export function useApiBase(origin, headers = {}, tries = 0) {
  base = origin;
  extraHeaders = headers;
  retries = tries;
}

export class ApiError extends Error {
  constructor(status, problem, timedOut = false) {
    super(problem?.detail || problem?.title || (status === 0 ? 'The content service cannot be reached.' : `HTTP ${status}`));
    this.status = status;
    this.problem = problem;
    this.timedOut = timedOut;
  }
}

export async function get(path, params = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await getOnce(path, params);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 0 || attempt >= retries) throw err;
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
}

async function getOnce(path, params) {
  const url = new URL(base + path, base || globalThis.location?.origin);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json', ...extraHeaders }, signal: AbortSignal.timeout(API_TIMEOUT_SECONDS * 1000) });
  } catch (err) {
    const e = new ApiError(0, null, err?.name === 'TimeoutError');
    e.url = url.pathname + url.search;
    e.reason = err?.cause?.code || err?.name || '';
    throw e;
  }
  if (!res.ok) {
    let problem = null;
    if ((res.headers.get('Content-Type') || '').includes('json')) {
      try { problem = await res.json(); } catch { problem = null; }
    }
    throw new ApiError(res.status, problem);
  }
  return res.json();
}
