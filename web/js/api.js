// The one fetch wrapper: JSON in, RFC 9457 problem+json understood, network failures and timeouts reported as
// status 0. The publisher points it at the API's address (useApiBase) when it runs under Node.
import { API_BASE, API_TIMEOUT_SECONDS } from './config.js';

let base = API_BASE;
let extraHeaders = {};

/** The publisher's API address and the headers it names itself with. */
export function useApiBase(origin, headers = {}) {
  base = origin;
  extraHeaders = headers;
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
  const url = new URL(base + path, base || globalThis.location?.origin);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json', ...extraHeaders }, signal: AbortSignal.timeout(API_TIMEOUT_SECONDS * 1000) });
  } catch (err) {
    throw new ApiError(0, null, err?.name === 'TimeoutError');
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
