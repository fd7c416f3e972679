import type { ActionBody, NewIssueBody } from '@/api/types'
import type { ActionJob, CreateIssueJob, JobPhoto } from './types'

/** A random UUID v4; crypto.randomUUID where there is one (only in secure contexts), else from getRandomValues. */
export function uuid(): string {
  const c = globalThis.crypto
  if (c && typeof c.randomUUID === 'function') return c.randomUUID()
  const b = new Uint8Array(16)
  c.getRandomValues(b)
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

export function newIssueJob(
  id: string,
  issue: Omit<NewIssueBody, 'client_id' | 'photo_ids'>,
  photos: JobPhoto[],
  now = new Date(),
): CreateIssueJob {
  return { type: 'create_issue', id, createdAt: now.toISOString(), issue, photos }
}

export function actionJob(
  id: string,
  issueId: string,
  action: Omit<ActionBody, 'client_id' | 'photo_ids' | 'acted_at'>,
  photos: JobPhoto[] = [],
  now = new Date(),
): ActionJob {
  return { type: 'action', id, createdAt: now.toISOString(), issueId, action, photos }
}
