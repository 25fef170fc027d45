import { currentLang } from '../i18n/index.ts';

/** One field problem as the server reports it: `path` is the dotted field name ("name", "members.0.userId"). */
export interface FieldProblem {
  path: string;
  message: string;
}

/** Any non-2xx answer: `{"error":{code,message,fields}}`, the message already in the current language. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldProblem[];

  constructor(status: number, code: string, message: string, fields: FieldProblem[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** `?a=1&b=x`, leaving out empty values. */
export function queryString(params: Query | undefined): string {
  if (!params) return '';
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

type Listener = (err: ApiError) => void;
const authListeners = new Set<Listener>();

/** Called on 401 unauthenticated and on the 403s that mean "finish a forced step first". */
export function onAuthProblem(listener: Listener): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

const AUTH_CODES = new Set(['unauthenticated', 'password_change_required', 'second_factor_setup_required']);

async function toApiError(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  let fields: FieldProblem[] = [];
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; fields?: FieldProblem[] } };
    if (body.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
      fields = Array.isArray(body.error.fields) ? body.error.fields : [];
    }
  } catch {
    // not JSON (a proxy's error page): keep the status text
  }
  return new ApiError(res.status, code, message, fields);
}

function headers(extra?: Record<string, string>): Record<string, string> {
  return { Accept: 'application/json', 'Accept-Language': currentLang(), ...extra };
}

/** Sends a request to the API and returns the parsed JSON body; throws ApiError on any error answer. */
export async function request<T>(method: string, path: string, body?: unknown, query?: Query, extraHeaders?: Record<string, string>): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path + queryString(query), {
      method,
      credentials: 'same-origin',
      headers: headers({ ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...extraHeaders }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) {
    const err = await toApiError(res);
    if (AUTH_CODES.has(err.code) && !path.startsWith('/api/auth/login')) for (const l of authListeners) l(err);
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  del: <T>(path: string, query?: Query) => request<T>('DELETE', path, undefined, query),
};

/** The file name from `Content-Disposition` (RFC 6266 `filename*=UTF-8''…` first, then `filename="…"`). */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(disposition);
  if (star?.[2]) {
    try {
      return decodeURIComponent(star[2].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain?.[1]?.trim() || fallback;
}

/** Fetches a file (an Excel export with the current filters) and saves it under the server's file name. */
export async function download(path: string, query?: Query, fallbackName = 'export.xlsx'): Promise<string> {
  const res = await fetch(path + queryString(query), { credentials: 'same-origin', headers: headers() });
  if (!res.ok) throw await toApiError(res);
  const blob = await res.blob();
  const name = fileNameFrom(res.headers.get('Content-Disposition'), fallbackName);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return name;
}
