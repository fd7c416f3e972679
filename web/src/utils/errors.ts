// Any failure → one sentence a person understands, in the current language. Never raw JSON.
import { ApiError, NetworkError } from '@/api/client'
import { SubmissionError } from '@/submission/types'
import type { Translate } from './format'

export function errorText(e: unknown, t: Translate): string {
  if (e instanceof SubmissionError) {
    const reason = errorText(e.cause, t)
    return e.step === 'photo' && e.photoIndex !== null ? t('errors.photoFailed', { n: e.photoIndex + 1, reason }) : reason
  }
  if (e instanceof NetworkError) return e.kind === 'timeout' ? t('errors.timeout') : t('errors.offline')
  if (e instanceof ApiError) {
    if (e.code === 'stale_version') return t('errors.staleVersion')
    if (e.code === 'not_authenticated') return t('errors.sessionExpired')
    if (e.fromServer) return e.message // the server's own sentence, already in our language
    if (e.status === 404) return t('errors.notFound')
    return t('errors.server', { status: e.status })
  }
  return t('errors.unknown')
}
