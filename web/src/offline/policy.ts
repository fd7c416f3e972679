// What to do after a failed attempt, and when to try again. Pure: the sync engine's decisions.
import { ApiError, NetworkError } from '@/api/client'
import type { StoredError } from './db'

export type Decision =
  /** Nothing came back, or the server was in trouble: try again later (backoff). */
  | { kind: 'retry'; network: boolean; afterMs: number | null }
  /** The server refused it (4xx): stop this item, say why, let the person fix or discard it. */
  | { kind: 'stop' }
  /** The session is gone: keep everything and ask the person to log in again. */
  | { kind: 'auth' }

/** Answers that say "later", not "no". */
const TRANSIENT = new Set([408, 425, 429])

export function decide(error: unknown): Decision {
  if (error instanceof NetworkError) return { kind: 'retry', network: true, afterMs: null }
  if (error instanceof ApiError) {
    if (error.status === 401) return { kind: 'auth' }
    // The client already fetched a fresh CSRF token once; still refused means no session.
    if (error.status === 403 && error.code === 'csrf_failed') return { kind: 'auth' }
    if (error.status >= 500 || TRANSIENT.has(error.status) || error.code === 'bad_response') {
      return { kind: 'retry', network: false, afterMs: error.retryAfter !== null ? error.retryAfter * 1000 : null }
    }
    if (error.status >= 400) return { kind: 'stop' }
    return { kind: 'retry', network: false, afterMs: null }
  }
  // Anything else (a storage hiccup, a bug in a photo): keep it and try again later.
  return { kind: 'retry', network: false, afterMs: null }
}

export const BACKOFF_BASE_MS = 5_000
export const BACKOFF_MAX_MS = 5 * 60_000

/**
 * Wait before attempt n+1 after `attempts` failures: 5 s, 10 s, 20 s … up to 5 minutes, with
 * ±20 % jitter so that phones coming back online together do not knock at the same moment.
 */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1))
  return Math.round(exp * (0.8 + 0.4 * random()))
}

export function storedError(error: unknown, step: 'photo' | 'save', photoIndex: number | null, decision: Decision, now: number): StoredError {
  const api = error instanceof ApiError ? error : null
  const kind: StoredError['kind'] =
    decision.kind === 'auth' ? 'auth' : decision.kind === 'stop' ? 'refused' : decision.network ? 'network' : 'server'
  return {
    kind,
    status: api?.status ?? null,
    code: api?.code ?? (error instanceof NetworkError ? error.kind : null),
    message: error instanceof Error ? error.message : String(error),
    fromServer: api?.fromServer ?? false,
    step,
    photoIndex,
    at: now,
  }
}
