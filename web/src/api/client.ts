// The one HTTP client: same origin, session cookie, CSRF header on unsafe requests, the
// current language in Accept-Language, and two kinds of failure that screens tell apart:
// NetworkError (nothing came back: offline, timeout, proxy cut) and ApiError (the server
// answered with an HTTP error, parsed from {"error": {"code", "message", "details"}}).

export type FieldErrors = Record<string, string[]>

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: unknown
  /** True when the message came from the server (already in the user's language). */
  readonly fromServer: boolean
  /** Seconds, from Retry-After (429). */
  readonly retryAfter: number | null

  constructor(status: number, code: string, message: string, details: unknown, fromServer: boolean, retryAfter: number | null = null) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details
    this.fromServer = fromServer
    this.retryAfter = retryAfter
  }

  /** Per-field messages of a 422, when the server sent them. */
  get fieldErrors(): FieldErrors {
    const d = this.details
    if (!d || typeof d !== 'object' || Array.isArray(d)) return {}
    const out: FieldErrors = {}
    for (const [key, value] of Object.entries(d as Record<string, unknown>)) {
      if (Array.isArray(value)) out[key] = value.map(String)
      else if (typeof value === 'string') out[key] = [value]
    }
    return out
  }
}

export type NetworkFailure = 'offline' | 'timeout' | 'aborted'

export class NetworkError extends Error {
  readonly kind: NetworkFailure
  constructor(kind: NetworkFailure, message = kind) {
    super(message)
    this.name = 'NetworkError'
    this.kind = kind
  }
}

export function isApiError(e: unknown, code?: string): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code)
}

export function isNetworkError(e: unknown): e is NetworkError {
  return e instanceof NetworkError
}

export interface ClientHooks {
  /** 'zh-CN' or 'en'. */
  locale(): string
  csrfToken(): string | null
  /** Fetch a fresh CSRF token (GET /me) after a csrf_failed answer; null when logged out. */
  refreshCsrf(): Promise<string | null>
  /** The session is gone (401 on anything but login and /me). */
  unauthorized(): void
}

let hooks: ClientHooks = {
  locale: () => 'zh-CN',
  csrfToken: () => null,
  refreshCsrf: async () => null,
  unauthorized: () => {},
}

export function configureClient(h: Partial<ClientHooks>): void {
  hooks = { ...hooks, ...h }
}

export const API_BASE = '/api/v1'
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const NO_401_HOOK = ['/auth/login', '/auth/logout', '/me']

export type Query = Record<string, string | number | boolean | null | undefined>

export function buildUrl(path: string, query?: Query): string {
  const url = API_BASE + path
  if (!query) return url
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    params.set(key, String(value))
  }
  const qs = params.toString()
  return qs ? `${url}?${qs}` : url
}

export function commonHeaders(method: string): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': hooks.locale() === 'en' ? 'en' : 'zh-CN,zh;q=0.9',
    'X-Requested-With': 'XMLHttpRequest',
  }
  const token = hooks.csrfToken()
  if (UNSAFE.has(method) && token) headers['X-CSRF-Token'] = token
  return headers
}

/** Turn an HTTP error answer into an ApiError, whatever its body (JSON, a proxy's HTML, nothing). */
export function toApiError(status: number, bodyText: string, retryAfterHeader: string | null = null): ApiError {
  const retryAfter = retryAfterHeader && /^\d+$/.test(retryAfterHeader) ? Number(retryAfterHeader) : null
  try {
    const body = JSON.parse(bodyText) as { error?: { code?: unknown; message?: unknown; details?: unknown } }
    const err = body?.error
    if (err && typeof err.code === 'string') {
      const message = typeof err.message === 'string' && err.message ? err.message : err.code
      return new ApiError(status, err.code, message, err.details ?? null, typeof err.message === 'string' && !!err.message, retryAfter)
    }
  } catch {
    // not JSON: a proxy or a crash page; fall through
  }
  return new ApiError(status, `http_${status}`, `HTTP ${status}`, null, false, retryAfter)
}

export interface RequestOptions {
  query?: Query
  json?: unknown
  signal?: AbortSignal
  /** Milliseconds before giving up with NetworkError('timeout'). */
  timeoutMs?: number
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}, retried = false): Promise<T> {
  const headers = commonHeaders(method)
  let body: BodyInit | undefined
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.json)
  }
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, opts.timeoutMs ?? 30_000)
  const onAbort = () => controller.abort()
  opts.signal?.addEventListener('abort', onAbort)
  let response: Response
  try {
    response = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: controller.signal,
    })
  } catch {
    throw new NetworkError(timedOut ? 'timeout' : opts.signal?.aborted ? 'aborted' : 'offline')
  } finally {
    clearTimeout(timer)
    opts.signal?.removeEventListener('abort', onAbort)
  }
  let text: string
  try {
    text = await response.text()
  } catch {
    throw new NetworkError(timedOut ? 'timeout' : 'offline')
  }
  if (!response.ok) {
    const error = toApiError(response.status, text, response.headers.get('Retry-After'))
    if (error.code === 'csrf_failed' && !retried && UNSAFE.has(method)) {
      if (await hooks.refreshCsrf()) return request<T>(method, path, opts, true)
    }
    if (response.status === 401 && !NO_401_HOOK.includes(path)) hooks.unauthorized()
    throw error
  }
  if (!text) return undefined as T
  try {
    return JSON.parse(text) as T
  } catch {
    throw new ApiError(response.status, 'bad_response', 'Unreadable answer from the server', null, false)
  }
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal })
export const post = <T>(path: string, json?: unknown) => request<T>('POST', path, { json: json ?? {} })

export interface UploadOptions {
  onProgress?: (loaded: number, total: number) => void
  signal?: AbortSignal
  /** Milliseconds without any progress before giving up. */
  stallMs?: number
}

/**
 * POST a multipart form with upload progress (fetch has none): XMLHttpRequest, same
 * headers and the same error parsing as request().
 */
export function upload<T>(path: string, form: FormData, opts: UploadOptions = {}, retried = false): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', buildUrl(path))
    for (const [key, value] of Object.entries(commonHeaders('POST'))) xhr.setRequestHeader(key, value)
    let stallTimer: ReturnType<typeof setTimeout> | undefined
    const stall = opts.stallMs ?? 60_000
    const armStall = () => {
      clearTimeout(stallTimer)
      stallTimer = setTimeout(() => xhr.abort(), stall)
    }
    let stalled = true
    const finish = () => {
      clearTimeout(stallTimer)
      opts.signal?.removeEventListener('abort', onAbort)
    }
    const onAbort = () => {
      stalled = false
      xhr.abort()
    }
    opts.signal?.addEventListener('abort', onAbort)
    xhr.upload.onprogress = (e) => {
      armStall()
      if (e.lengthComputable) opts.onProgress?.(e.loaded, e.total)
    }
    xhr.onprogress = armStall
    xhr.onerror = () => {
      finish()
      reject(new NetworkError('offline'))
    }
    xhr.ontimeout = xhr.onerror
    xhr.onabort = () => {
      finish()
      reject(new NetworkError(stalled && !opts.signal?.aborted ? 'timeout' : 'aborted'))
    }
    xhr.onload = () => {
      finish()
      const text = xhr.responseText
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(text) as T)
        } catch {
          reject(new ApiError(xhr.status, 'bad_response', 'Unreadable answer from the server', null, false))
        }
        return
      }
      if (xhr.status === 0) {
        reject(new NetworkError('offline'))
        return
      }
      const error = toApiError(xhr.status, text, xhr.getResponseHeader('Retry-After'))
      if (error.code === 'csrf_failed' && !retried) {
        hooks.refreshCsrf().then(
          (token) => (token ? upload<T>(path, form, opts, true).then(resolve, reject) : reject(error)),
          () => reject(error),
        )
        return
      }
      if (xhr.status === 401) hooks.unauthorized()
      reject(error)
    }
    armStall()
    xhr.send(form)
  })
}
