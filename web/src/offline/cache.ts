// What a person last saw, kept for offline reading: their 待复查 / 待整改 / 我的上报 lists,
// the details behind them (so a re-check or a rectification can be done offline) and the
// thumbnails as bytes. Photo links are signed and expire after 15 minutes: the bytes are
// kept, never the link, and shown through object URLs.
import type { IssueDetail, IssueSummary } from '@/api/types'
import type { CachedList, Db } from './db'

export type FetchBlob = (url: string) => Promise<Blob>

export async function fetchImage(url: string): Promise<Blob> {
  const response = await fetch(url, { credentials: 'same-origin' })
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  const blob = await response.blob()
  if (!blob.type.startsWith('image/')) throw new Error('not an image')
  return blob
}

export const issueThumbKey = (issueId: string) => `issue:${issueId}`
export const photoThumbKey = (photoId: string) => `photo:${photoId}`

export class OfflineCache {
  private urls = new Map<string, string>()

  constructor(
    private readonly open: () => Promise<Db>,
    private readonly fetchBlob: FetchBlob = fetchImage,
  ) {}

  async saveList(owner: number, name: string, items: IssueSummary[], total: number, now = Date.now()): Promise<void> {
    await (await this.open()).put('lists', { key: `${owner}:${name}`, owner, name, items, total, at: now })
  }

  async list(owner: number, name: string): Promise<CachedList | undefined> {
    return (await this.open()).get('lists', `${owner}:${name}`)
  }

  async saveDetail(owner: number, issue: IssueDetail, now = Date.now()): Promise<void> {
    await (await this.open()).put('details', { key: `${owner}:${issue.id}`, owner, issue, at: now })
  }

  async detail(owner: number, id: string): Promise<{ issue: IssueDetail; at: number } | undefined> {
    return (await this.open()).get('details', `${owner}:${id}`)
  }

  /** Keep the bytes behind `url` under `key` (once: a thumbnail never changes). */
  async saveThumb(owner: number, key: string, issueId: string, url: string | null, now = Date.now()): Promise<boolean> {
    if (!url) return false
    const db = await this.open()
    if (await db.getKey('thumbs', `${owner}:${key}`)) return false
    const blob = await this.fetchBlob(url)
    await db.put('thumbs', { key: `${owner}:${key}`, owner, issueId, blob, at: now })
    return true
  }

  async thumb(owner: number, key: string): Promise<Blob | undefined> {
    return (await (await this.open()).get('thumbs', `${owner}:${key}`))?.blob
  }

  /** An object URL for a kept thumbnail (made once per key), or null. */
  async thumbUrl(owner: number, key: string): Promise<string | null> {
    const k = `${owner}:${key}`
    const known = this.urls.get(k)
    if (known) return known
    const blob = await this.thumb(owner, key)
    if (!blob || typeof URL.createObjectURL !== 'function') return null
    const url = URL.createObjectURL(blob)
    this.urls.set(k, url)
    return url
  }

  /** Every issue this person has seen in a kept list or detail (newest copy of each). */
  async known(owner: number): Promise<IssueSummary[]> {
    const db = await this.open()
    const byId = new Map<string, { issue: IssueSummary; at: number }>()
    const keep = (issue: IssueSummary, at: number) => {
      const seen = byId.get(issue.id)
      if (!seen || seen.at < at) byId.set(issue.id, { issue, at })
    }
    for (const l of await db.getAllFromIndex('lists', 'owner', owner)) for (const i of l.items) keep(i, l.at)
    for (const d of await db.getAllFromIndex('details', 'owner', owner)) keep(d.issue, d.at)
    return [...byId.values()].map((v) => v.issue)
  }

  /** Drop details and thumbnails of issues no kept list mentions any more. */
  async prune(owner: number): Promise<void> {
    const db = await this.open()
    const listed = new Set<string>()
    for (const l of await db.getAllFromIndex('lists', 'owner', owner)) for (const i of l.items) listed.add(i.id)
    const tx = db.transaction(['details', 'thumbs'], 'readwrite')
    for (const d of await tx.objectStore('details').index('owner').getAll(owner)) {
      if (!listed.has(d.issue.id)) await tx.objectStore('details').delete(d.key)
    }
    for (const t of await tx.objectStore('thumbs').index('owner').getAll(owner)) {
      if (!listed.has(t.issueId)) await tx.objectStore('thumbs').delete(t.key)
    }
    await tx.done
  }

  /** Forget everything kept for this person (logging out). */
  async clear(owner: number): Promise<void> {
    const db = await this.open()
    const tx = db.transaction(['lists', 'details', 'thumbs'], 'readwrite')
    for (const store of ['lists', 'details', 'thumbs'] as const) {
      for (const key of await tx.objectStore(store).index('owner').getAllKeys(owner)) await tx.objectStore(store).delete(key)
    }
    await tx.done
    for (const [k, url] of this.urls) {
      if (k.startsWith(`${owner}:`)) {
        URL.revokeObjectURL(url)
        this.urls.delete(k)
      }
    }
  }
}
