// The outbox Submitter installed with setSubmitter(): a screen's 提交 first writes the job to
// IndexedDB, then tries to send it at once. Sent → 'sent'. No network or a server in trouble →
// 'queued' (the sync engine goes on). Refused (4xx) while the person is still on the form →
// the error goes back to the form, which holds everything to fix it, and the item leaves the
// outbox (a stopped copy there as well would be sent twice once fixed).
import type { Job, Outcome, Progress, Submitter } from '@/submission/types'
import { SubmissionError } from '@/submission/types'
import type { SyncEngine } from './engine'
import type { Outbox, QueueInfo } from './outbox'

export interface OutboxSubmitterOptions {
  outbox: Outbox
  engine: SyncEngine
  owner: () => number | null
  /** How the item is named in the outbox list. */
  describe: (job: Job) => QueueInfo
  /** An item was queued (e.g. register Background Sync, ask for persistent storage). */
  queued?: (job: Job) => void
  /** Where IndexedDB cannot be used at all (private mode on old Safari): send directly. */
  fallback?: Submitter
}

export class NotLoggedIn extends Error {
  constructor() {
    super('not_logged_in')
    this.name = 'NotLoggedIn'
  }
}

export function createOutboxSubmitter(o: OutboxSubmitterOptions): Submitter {
  async function submit(job: Job, onProgress?: (p: Progress) => void): Promise<Outcome> {
    const owner = o.owner()
    if (owner === null) throw new SubmissionError(new NotLoggedIn(), 'save')
    try {
      await o.outbox.put(owner, job, o.describe(job)) // kept before any network attempt
    } catch (e) {
      if (o.fallback) return o.fallback.submit(job, onProgress)
      throw new SubmissionError(e as Error, 'save')
    }
    onProgress?.({ jobId: job.id, stage: 'queued', photos: job.photos.map((p) => ({ clientId: p.clientId, state: p.photoId ? 'done' : 'waiting', fraction: p.photoId ? 1 : 0 })) })
    const result = await o.engine.send(job.id, onProgress, job)
    switch (result.kind) {
      case 'sent':
        return { state: 'sent', issue: result.issue }
      case 'stopped':
        await o.outbox.remove(job.id)
        throw new SubmissionError(result.error as Error, result.stored.step, result.stored.photoIndex)
      default:
        o.queued?.(job)
        return { state: 'queued', jobId: job.id }
    }
  }
  return { submit }
}
