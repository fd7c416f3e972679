// The outbox: every write a person made, kept in IndexedDB from before the first network
// attempt until the server confirmed it and every one of its photos. Drafts of open forms
// (their photos as Blobs) live here too, saved before the camera opens.
import type { Job } from '@/submission/types'
import type { Db, DraftPhoto, DraftRecord, OutboxRecord, StoredError } from './db'

export interface QueueInfo {
  label: { zh: string; en: string }
  place: string
}

export class Outbox {
  private lastSeq = 0
  /** `changed` hears every write to the outbox (the store reloads its list). */
  constructor(
    private readonly open: () => Promise<Db>,
    private readonly changed: () => void = () => {},
  ) {}

  private nextSeq(now: number): number {
    this.lastSeq = Math.max(now, this.lastSeq + 1)
    return this.lastSeq
  }

  /**
   * Keep a job (a new one, or the same draft sent again: its record is refreshed but keeps
   * its place in the line and the photo ids the server already confirmed).
   */
  async put(owner: number, job: Job, info: QueueInfo, now = Date.now()): Promise<OutboxRecord> {
    const db = await this.open()
    const tx = db.transaction('outbox', 'readwrite')
    const old = await tx.store.get(job.id)
    if (old) {
      for (const p of job.photos) p.photoId ??= old.job.photos.find((q) => q.clientId === p.clientId)?.photoId
    }
    const record: OutboxRecord = {
      id: job.id,
      owner,
      seq: old?.seq ?? this.nextSeq(now),
      job,
      state: 'waiting',
      attempts: 0,
      nextAt: 0,
      error: null,
      label: info.label,
      place: info.place,
    }
    await tx.store.put(record)
    await tx.done
    this.changed()
    return record
  }

  async get(id: string): Promise<OutboxRecord | undefined> {
    return (await this.open()).get('outbox', id)
  }

  /** One person's items, oldest first. */
  async list(owner: number): Promise<OutboxRecord[]> {
    const all = await (await this.open()).getAllFromIndex('outbox', 'owner', owner)
    return all.sort((a, b) => a.seq - b.seq)
  }

  async count(owner: number): Promise<number> {
    return (await this.open()).countFromIndex('outbox', 'owner', owner)
  }

  /** Change a kept record (read-modify-write in one transaction); undefined when it is gone. */
  async update(id: string, change: (r: OutboxRecord) => void): Promise<OutboxRecord | undefined> {
    const db = await this.open()
    const tx = db.transaction('outbox', 'readwrite')
    const record = await tx.store.get(id)
    if (record) {
      change(record)
      await tx.store.put(record)
    }
    await tx.done
    if (record) this.changed()
    return record
  }

  /** The server confirmed one photo: remember its id at once, so no retry uploads it again. */
  photoConfirmed(id: string, clientId: string, photoId: string): Promise<OutboxRecord | undefined> {
    return this.update(id, (r) => {
      const photo = r.job.photos.find((p) => p.clientId === clientId)
      if (photo) photo.photoId = photoId
    })
  }

  failed(id: string, error: StoredError, stop: boolean, nextAt: number): Promise<OutboxRecord | undefined> {
    return this.update(id, (r) => {
      r.error = error
      r.attempts += 1
      r.state = stop ? 'stopped' : 'waiting'
      r.nextAt = stop ? 0 : nextAt
    })
  }

  /** Send again now (the person fixed it, or tapped 重试). */
  retry(id: string, change?: (job: Job) => void): Promise<OutboxRecord | undefined> {
    return this.update(id, (r) => {
      change?.(r.job)
      r.state = 'waiting'
      r.nextAt = 0
      r.error = null
    })
  }

  /** Everything waiting becomes due now (立即同步). */
  async dueNow(owner: number): Promise<void> {
    const db = await this.open()
    const tx = db.transaction('outbox', 'readwrite')
    for (const r of await tx.store.index('owner').getAll(owner)) {
      if (r.state === 'waiting' && r.nextAt !== 0) await tx.store.put({ ...r, nextAt: 0 })
    }
    await tx.done
  }

  async remove(id: string): Promise<void> {
    await (await this.open()).delete('outbox', id)
    this.changed()
  }

  // ------------------------------------------------------------------ drafts

  async saveDraft(owner: number, key: string, photos: DraftPhoto[], now = Date.now()): Promise<void> {
    const db = await this.open()
    if (!photos.length) await db.delete('drafts', key)
    else await db.put('drafts', { key, owner, photos, savedAt: now } satisfies DraftRecord)
  }

  async draft(owner: number, key: string): Promise<DraftPhoto[]> {
    const record = await (await this.open()).get('drafts', key)
    return record && record.owner === owner ? record.photos : []
  }

  async dropDraft(key: string): Promise<void> {
    await (await this.open()).delete('drafts', key)
  }
}
