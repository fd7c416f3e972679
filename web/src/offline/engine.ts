// The sync engine, owned by the app: it drains the outbox oldest first, one item at a time,
// each photo in its own request (remembered as soon as the server confirms it), then the
// issue or the action with the job's id as client_id (the server dedups on it).
//
// Decisions (policy.ts): no answer or a 5xx → the item waits and is tried again with backoff;
// a 4xx → the item stops with its reason and the others go on; a 401 → everything waits for
// the person to log in again. An item leaves the outbox only once the server confirmed it
// and every one of its photos. It never trusts navigator.onLine: it just tries.
import type { IssueDetail } from '@/api/types'
import type { Transport } from '@/submission/direct'
import type { Job, PhotoProgress, Progress } from '@/submission/types'
import type { OutboxRecord, StoredError } from './db'
import type { Outbox } from './outbox'
import { BACKOFF_MAX_MS, backoffMs, decide, storedError } from './policy'

export type SendResult =
  | { kind: 'sent'; issue: IssueDetail }
  | { kind: 'retry'; network: boolean; error: unknown; stored: StoredError }
  | { kind: 'stopped'; error: unknown; stored: StoredError }
  | { kind: 'auth'; error: unknown }
  /** Another item is being sent: this one waits its turn in the outbox. */
  | { kind: 'busy' }
  /** Not in the outbox any more (discarded meanwhile). */
  | { kind: 'gone' }

export interface EngineListener {
  /** The outbox changed (an item added, sent, failed, removed). */
  changed(): void
  progress(id: string, p: Progress | null): void
  sent(id: string, issue: IssueDetail, record: OutboxRecord): void
  /** busy / needsLogin / reachable / lastSuccessAt changed. */
  status(): void
}

export interface EngineOptions {
  outbox: Outbox
  transport: Transport
  /** The logged-in user's id (only their items are sent), null when logged out. */
  owner: () => number | null
  listener?: Partial<EngineListener>
  now?: () => number
  random?: () => number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

/** Shortest wait the timer uses, so a stuck item never spins. */
export const MIN_TIMER_MS = 2_000

export class SyncEngine {
  /** The id of the item being sent now. */
  current: string | null = null
  /** A 401: nothing is sent until the person logs in again. */
  needsLogin = false
  /** false after a request got no answer at all; true after any answer. null: not known yet. */
  reachable: boolean | null = null
  lastSuccessAt: number | null = null

  private readonly o: Required<Omit<EngineOptions, 'listener'>> & { listener: Partial<EngineListener> }
  private draining: Promise<void> | null = null
  private again = false
  private forceAgain = false
  private timer: unknown = null
  private networkFailures = 0
  /** After a pass found no network: timer passes wait until then (triggers do not). */
  private networkRetryAt = 0
  /** Items left waiting behind an earlier item of the same issue in the last pass. */
  private held = new Set<string>()

  constructor(options: EngineOptions) {
    this.o = {
      now: () => Date.now(),
      random: Math.random,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      listener: {},
      ...options,
    }
  }

  get busy(): boolean {
    return this.draining !== null
  }

  /**
   * Send what is due, oldest first. `force` (start, 立即同步, back online, back to the front):
   * everything waiting is due now, whatever its backoff. Calls during a pass join it.
   */
  drain(force = false): Promise<void> {
    if (this.draining) {
      this.again = true
      this.forceAgain ||= force
      return this.draining
    }
    this.draining = this.pass(force).finally(() => {
      this.draining = null
      this.o.listener.status?.()
    })
    this.o.listener.status?.()
    return this.draining
  }

  /** Send one item now (a screen's 提交), unless another is being sent: then it waits its turn. */
  async send(id: string, onProgress?: (p: Progress) => void, job?: Job): Promise<SendResult> {
    if (this.draining || this.needsLogin) {
      this.again = true
      return this.needsLogin ? { kind: 'auth', error: null } : { kind: 'busy' }
    }
    let release!: () => void
    this.draining = new Promise<void>((r) => (release = r))
    this.o.listener.status?.()
    let result: SendResult
    try {
      const record = await this.o.outbox.get(id)
      if (record && job) record.job = job // the screen's own object: it sees the photo ids too
      result = record ? await this.sendRecord(record, onProgress) : { kind: 'gone' }
    } finally {
      this.draining = null
      release()
      this.o.listener.status?.()
    }
    if (result.kind === 'sent' || this.again) void this.drain(this.forceAgain)
    else void this.schedule()
    return result
  }

  /** The person logged in again: go on. */
  resume(): void {
    if (this.needsLogin) {
      this.needsLogin = false
      this.o.listener.status?.()
    }
    void this.drain(true)
  }

  /** Logged out: no timer (the items stay for the next login of the same person). */
  stop(): void {
    this.clearTimer()
  }

  private clearTimer(): void {
    if (this.timer !== null) this.o.clearTimer(this.timer)
    this.timer = null
  }

  private async pass(force: boolean): Promise<void> {
    this.clearTimer()
    try {
      let forced = force
      do {
        this.again = false
        const owner = this.o.owner()
        if (owner === null || this.needsLogin) return
        if (!forced && this.o.now() < this.networkRetryAt) return
        if (forced) await this.o.outbox.dueNow(owner)
        forced = this.forceAgain
        this.forceAgain = false
        const stop = await this.sendDue(await this.o.outbox.list(owner))
        if (stop === 'auth') return
        if (stop === 'network' && !this.again) return
      } while (this.again)
    } finally {
      await this.schedule()
    }
  }

  /** One pass over the items; why it stopped early, if it did. */
  private async sendDue(items: OutboxRecord[]): Promise<'auth' | 'network' | null> {
    // An action not sent holds back later actions on the same issue (their order matters).
    const blocked = new Set<string>()
    this.held = new Set()
    for (const record of items) {
      const issueId = record.job.type === 'action' ? record.job.issueId : null
      if (issueId && blocked.has(issueId)) {
        this.held.add(record.id)
        continue
      }
      if (record.state === 'stopped' || record.nextAt > this.o.now()) {
        if (issueId) blocked.add(issueId)
        continue
      }
      const result = await this.sendRecord(record)
      if (result.kind === 'sent' || result.kind === 'gone') continue
      if (issueId) blocked.add(issueId)
      if (result.kind === 'auth') return 'auth'
      if (result.kind === 'retry' && result.network) return 'network' // no connection: the rest would fail too
    }
    return null
  }

  private async schedule(): Promise<void> {
    this.clearTimer()
    const owner = this.o.owner()
    if (owner === null || this.needsLogin) return
    const waiting = (await this.o.outbox.list(owner)).filter((r) => r.state === 'waiting' && !this.held.has(r.id))
    if (!waiting.length) return
    const now = this.o.now()
    const due = Math.max(Math.min(...waiting.map((r) => r.nextAt)), this.networkRetryAt)
    const delay = Math.min(BACKOFF_MAX_MS, Math.max(MIN_TIMER_MS, due - now))
    this.timer = this.o.setTimer(() => {
      this.timer = null
      void this.drain()
    }, delay)
  }

  private async sendRecord(record: OutboxRecord, onProgress?: (p: Progress) => void): Promise<SendResult> {
    const { outbox, transport, listener } = this.o
    const job = record.job
    this.current = record.id
    const photos: PhotoProgress[] = job.photos.map((p) => ({
      clientId: p.clientId,
      state: p.photoId ? 'done' : 'waiting',
      fraction: p.photoId ? 1 : 0,
    }))
    const emit = (stage: Progress['stage']) => {
      const p: Progress = { jobId: job.id, stage, photos: photos.map((x) => ({ ...x })) }
      onProgress?.(p)
      listener.progress?.(record.id, p)
    }
    try {
      emit('photos')
      for (const [index, photo] of job.photos.entries()) {
        if (photo.photoId) continue
        photos[index].state = 'uploading'
        emit('photos')
        try {
          const saved = await transport.uploadPhoto(photo, (fraction) => {
            photos[index].fraction = Math.min(1, Math.max(0, fraction))
            emit('photos')
          })
          photo.photoId = saved.id
          this.answered()
          if (!(await outbox.photoConfirmed(record.id, photo.clientId, saved.id))) return { kind: 'gone' }
          photos[index].state = 'done'
          photos[index].fraction = 1
          emit('photos')
          listener.changed?.()
        } catch (e) {
          photos[index].state = 'failed'
          emit('failed')
          return await this.failed(record, e, 'photo', index)
        }
      }
      emit('saving')
      const photoIds = job.photos.map((p) => p.photoId as string)
      let issue: IssueDetail
      try {
        issue =
          job.type === 'create_issue'
            ? await transport.createIssue({ ...job.issue, client_id: job.id, photo_ids: photoIds })
            : await transport.act(job.issueId, { ...job.action, client_id: job.id, photo_ids: photoIds, acted_at: job.createdAt })
      } catch (e) {
        emit('failed')
        return await this.failed(record, e, 'save', null)
      }
      this.answered()
      const known = new Set((issue.photos ?? []).map((p) => p.id))
      const missing = photoIds.findIndex((id) => !known.has(id))
      if (missing >= 0) {
        // Never report success while a photo is not on the issue: keep it, say so.
        const stored: StoredError = { kind: 'refused', status: null, code: 'photos_missing', message: '', fromServer: false, step: 'photo', photoIndex: missing, at: this.o.now() }
        await outbox.failed(record.id, stored, true, 0)
        listener.changed?.()
        return { kind: 'stopped', error: new Error('photos_missing'), stored }
      }
      await outbox.remove(record.id)
      this.lastSuccessAt = this.o.now()
      emit('done')
      listener.sent?.(record.id, issue, record)
      listener.changed?.()
      return { kind: 'sent', issue }
    } finally {
      this.current = null
      listener.progress?.(record.id, null)
      listener.status?.()
    }
  }

  private answered(): void {
    this.networkFailures = 0
    this.networkRetryAt = 0
    this.reachable = true
  }

  private async failed(record: OutboxRecord, error: unknown, step: 'photo' | 'save', index: number | null): Promise<SendResult> {
    const now = this.o.now()
    const decision = decide(error)
    const stored = storedError(error, step, index, decision, now)
    const { outbox, listener } = this.o
    if (decision.kind === 'auth') {
      this.reachable = true
      this.needsLogin = true
      await outbox.update(record.id, (r) => (r.error = stored))
      listener.changed?.()
      return { kind: 'auth', error }
    }
    if (decision.kind === 'stop') {
      this.answered()
      await outbox.failed(record.id, stored, true, 0)
      listener.changed?.()
      return { kind: 'stopped', error, stored }
    }
    const wait = decision.afterMs ?? backoffMs(record.attempts + 1, this.o.random)
    if (decision.network) {
      this.reachable = false
      this.networkFailures += 1
      this.networkRetryAt = now + backoffMs(this.networkFailures, this.o.random)
    } else {
      this.answered()
    }
    await outbox.failed(record.id, stored, false, now + wait)
    listener.changed?.()
    return { kind: 'retry', network: decision.network, error, stored }
  }
}
