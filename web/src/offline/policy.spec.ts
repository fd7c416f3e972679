import { describe, expect, it } from 'vitest'
import { ApiError, NetworkError } from '@/api/client'
import { BACKOFF_MAX_MS, backoffMs, decide } from './policy'

const api = (status: number, code = `http_${status}`, retryAfter: number | null = null) => new ApiError(status, code, code, null, true, retryAfter)

describe('decide: retry, stop or log in again', () => {
  it.each([
    ['no answer', new NetworkError('offline'), 'retry'],
    ['a timeout', new NetworkError('timeout'), 'retry'],
    ['500', api(500), 'retry'],
    ['502 from a proxy', api(502), 'retry'],
    ['503', api(503), 'retry'],
    ['429', api(429, 'rate_limited'), 'retry'],
    ['408', api(408), 'retry'],
    ['an unreadable 200', new ApiError(200, 'bad_response', 'x', null, false), 'retry'],
    ['401', api(401, 'not_authenticated'), 'auth'],
    ['403 csrf after the client refreshed once', api(403, 'csrf_failed'), 'auth'],
    ['403 role', api(403, 'role_not_allowed'), 'stop'],
    ['409 stale', api(409, 'stale_version'), 'stop'],
    ['409 transition', api(409, 'transition_not_allowed'), 'stop'],
    ['422 unknown category', api(422, 'unknown_category'), 'stop'],
    ['422 invalid photos', api(422, 'invalid_photos'), 'stop'],
    ['413', api(413, 'photo_too_large'), 'stop'],
    ['415', api(415, 'unsupported_media_type'), 'stop'],
    ['an unexpected error', new Error('boom'), 'retry'],
  ])('%s → %s', (_name, error, kind) => {
    expect(decide(error).kind).toBe(kind)
  })

  it('tells a missing network from a server in trouble, and honours Retry-After', () => {
    expect(decide(new NetworkError('offline'))).toEqual({ kind: 'retry', network: true, afterMs: null })
    expect(decide(api(503))).toEqual({ kind: 'retry', network: false, afterMs: null })
    expect(decide(api(429, 'rate_limited', 30))).toEqual({ kind: 'retry', network: false, afterMs: 30_000 })
  })
})

describe('backoff', () => {
  it('doubles from 5 s and stops at 5 minutes', () => {
    const mid = () => 0.5 // no jitter
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, mid))).toEqual([5_000, 10_000, 20_000, 40_000, 80_000])
    expect(backoffMs(30, mid)).toBe(BACKOFF_MAX_MS)
  })

  it('jitters by ±20 %', () => {
    expect(backoffMs(1, () => 0)).toBe(4_000)
    expect(backoffMs(1, () => 1)).toBe(6_000)
  })
})
