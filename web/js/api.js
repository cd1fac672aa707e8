// The one fetch wrapper: JSON in, RFC 9457 problem+json understood, network failures reported as status 0.
import { API_BASE } from './config.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || (status === 0 ? 'The content service cannot be reached.' : `HTTP ${status}`));
    this.status = status;
    this.problem = problem;
  }
}

export async function get(path, params = {}) {
  const url = new URL(API_BASE + path, window.location.origin);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch {
    throw new ApiError(0, null);
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
