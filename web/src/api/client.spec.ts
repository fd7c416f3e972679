import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, NetworkError, buildUrl, configureClient, request, toApiError } from './client'
import { issueQueryParams } from './issues'
import { photoForm } from './photos'

function respond(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers })
}

describe('toApiError', () => {
  it('reads the error shape', () => {
    const e = toApiError(422, JSON.stringify({ error: { code: 'validation_failed', message: '请检查', details: { note: ['required'] } } }))
    expect(e).toBeInstanceOf(ApiError)
    expect(e.code).toBe('validation_failed')
    expect(e.message).toBe('请检查')
    expect(e.fromServer).toBe(true)
    expect(e.fieldErrors).toEqual({ note: ['required'] })
  })
  it('survives a proxy page and keeps Retry-After', () => {
    const e = toApiError(502, '<html>Bad gateway</html>', '120')
    expect(e.code).toBe('http_502')
    expect(e.fromServer).toBe(false)
    expect(e.retryAfter).toBe(120)
  })
})

describe('request', () => {
  let fetchMock: ReturnType<typeof vi.fn>
  let token: string | null
  beforeEach(() => {
    fetchMock = vi.fn()
    vi.stubGlobal('fetch', fetchMock)
    token = 'tok-1'
    configureClient({ locale: () => 'zh-CN', csrfToken: () => token, refreshCsrf: async () => null, unauthorized: () => {} })
  })
  afterEach(() => vi.unstubAllGlobals())

  it('sends the CSRF token and language on unsafe requests only, same origin with cookies', async () => {
    fetchMock.mockResolvedValueOnce(respond(200, { ok: 1 })).mockResolvedValueOnce(respond(200, { ok: 2 }))
    await request('POST', '/issues', { json: { a: 1 } })
    await request('GET', '/issues', { query: { status: 'assigned', page: 2, q: '' } })
    const [url1, init1] = fetchMock.mock.calls[0]
    expect(url1).toBe('/api/v1/issues')
    expect(init1.credentials).toBe('same-origin')
    expect(init1.headers['X-CSRF-Token']).toBe('tok-1')
    expect(init1.headers['Accept-Language']).toMatch(/^zh-CN/)
    expect(init1.headers['Content-Type']).toBe('application/json')
    expect(init1.body).toBe('{"a":1}')
    const [url2, init2] = fetchMock.mock.calls[1]
    expect(url2).toBe('/api/v1/issues?status=assigned&page=2')
    expect(init2.headers['X-CSRF-Token']).toBeUndefined()
  })

  it('asks for English when the app is in English', async () => {
    configureClient({ locale: () => 'en' })
    fetchMock.mockResolvedValueOnce(respond(200, {}))
    await request('GET', '/me')
    expect(fetchMock.mock.calls[0][1].headers['Accept-Language']).toBe('en')
  })

  it('turns a failed fetch into NetworkError, an HTTP error into ApiError', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    await expect(request('GET', '/issues')).rejects.toBeInstanceOf(NetworkError)
    fetchMock.mockResolvedValueOnce(respond(409, { error: { code: 'stale_version', message: '冲突', details: null } }))
    await expect(request('POST', '/issues/x/actions', { json: {} })).rejects.toMatchObject({ status: 409, code: 'stale_version' })
  })

  it('gives up after the timeout', async () => {
    fetchMock.mockImplementationOnce(
      (_u: string, init: RequestInit) =>
        new Promise((_r, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    )
    await expect(request('GET', '/issues', { timeoutMs: 10 })).rejects.toMatchObject({ kind: 'timeout' })
  })

  it('fetches a fresh CSRF token once and retries', async () => {
    configureClient({ refreshCsrf: async () => (token = 'tok-2') })
    fetchMock
      .mockResolvedValueOnce(respond(403, { error: { code: 'csrf_failed', message: '页面已过期', details: null } }))
      .mockResolvedValueOnce(respond(200, { done: true }))
    await expect(request('POST', '/issues', { json: {} })).resolves.toEqual({ done: true })
    expect(fetchMock.mock.calls[1][1].headers['X-CSRF-Token']).toBe('tok-2')
  })

  it('tells the app when the session is gone, except for login and /me', async () => {
    const unauthorized = vi.fn()
    configureClient({ unauthorized })
    const e401 = () => respond(401, { error: { code: 'not_authenticated', message: '请先登录', details: null } })
    fetchMock.mockResolvedValueOnce(e401()).mockResolvedValueOnce(e401())
    await expect(request('GET', '/issues')).rejects.toBeInstanceOf(ApiError)
    await expect(request('GET', '/me')).rejects.toBeInstanceOf(ApiError)
    expect(unauthorized).toHaveBeenCalledTimes(1)
  })
})

describe('resource helpers', () => {
  it('builds the issue list query', () => {
    expect(
      issueQueryParams({ status: ['assigned', 'rectified'], sort: 'distance', near: { lat: 26.85, lon: 112.6 }, overdue: false, q: '  ' }),
    ).toMatchObject({ status: 'assigned,rectified', sort: 'distance', near: '26.850000,112.600000', overdue: false, q: undefined })
    expect(buildUrl('/issues', { overdue: false })).toBe('/api/v1/issues?overdue=false')
  })
  it('puts the photo facts beside the file, leaving empty ones out', () => {
    const form = photoForm({
      clientId: 'c1',
      kind: 'after',
      blob: new Blob(['x'], { type: 'image/jpeg' }),
      fileName: 'a.jpg',
      facts: { device_lat: 26.8, device_lon: 112.6, exif_taken_at: undefined },
    })
    expect(form.get('client_id')).toBe('c1')
    expect(form.get('kind')).toBe('after')
    expect(form.get('device_lat')).toBe('26.8')
    expect(form.has('exif_taken_at')).toBe(false)
    expect(form.get('file')).toBeInstanceOf(Blob)
  })
})
