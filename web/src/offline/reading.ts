// Offline reading for the issues store: keep the lists a person needs in the field (and the
// details and thumbnails behind them), and give them back when the network is gone.
import { getIssue } from '@/api/issues'
import { isNetworkError } from '@/api/client'
import type { IssueDetail, IssueQuery, IssueSummary } from '@/api/types'
import { issueThumbKey, photoThumbKey } from './cache'
import { cache, currentOwner } from './runtime'

/** Lists kept for offline reading; those in DETAILED also keep every detail (to act offline). */
export const OFFLINE_LISTS = new Set(['todo', 'review', 'mine'])
const DETAILED = new Set(['todo', 'review'])
const MAX_DETAILS = 60

let chain: Promise<unknown> = Promise.resolve()

/** Keep a list just loaded; then, in the background, its thumbnails and (todo/review) details. */
export function keepList(name: string, items: IssueSummary[], total: number): void {
  const owner = currentOwner()
  if (owner === null || !OFFLINE_LISTS.has(name)) return
  const copy = JSON.parse(JSON.stringify(items)) as IssueSummary[]
  chain = chain
    .then(async () => {
      await cache.saveList(owner, name, copy, total)
      await prefetch(owner, copy, DETAILED.has(name))
      await cache.prune(owner)
    })
    .catch(() => undefined) // a failed prefetch is tried again with the next load
}

async function prefetch(owner: number, items: IssueSummary[], details: boolean): Promise<void> {
  for (const [n, item] of items.entries()) {
    try {
      await cache.saveThumb(owner, issueThumbKey(item.id), item.id, item.thumbnail_url)
      if (!details || n >= MAX_DETAILS) continue
      const kept = await cache.detail(owner, item.id)
      if (kept && kept.issue.version === item.version) continue
      const issue = await getIssue(item.id)
      await keepDetailNow(owner, issue)
    } catch (e) {
      if (isNetworkError(e)) return // gone offline: the rest waits for the next load
    }
  }
}

async function keepDetailNow(owner: number, issue: IssueDetail): Promise<void> {
  await cache.saveDetail(owner, JSON.parse(JSON.stringify(issue)) as IssueDetail)
  for (const photo of issue.photos.slice(0, 12)) {
    await cache.saveThumb(owner, photoThumbKey(photo.id), issue.id, photo.urls.thumb).catch(() => false)
  }
}

export function keepDetail(issue: IssueDetail): void {
  const owner = currentOwner()
  if (owner === null) return
  chain = chain.then(() => keepDetailNow(owner, issue)).catch(() => undefined)
}

/** A kept list with its thumbnails as object URLs, filtered like the query would. */
export async function recallList(name: string, query: IssueQuery): Promise<{ items: IssueSummary[]; total: number; at: number } | null> {
  const owner = currentOwner()
  if (owner === null || !OFFLINE_LISTS.has(name)) return null
  const kept = await cache.list(owner, name).catch(() => undefined)
  if (!kept) return null
  const now = Date.now()
  const items = kept.items.filter(
    (i) =>
      (!query.category || i.category.code === query.category) &&
      (query.overdue === undefined || (i.status === 'assigned' && !!i.deadline_at && Date.parse(i.deadline_at) < now) === query.overdue),
  )
  return { items: await withThumbs(owner, items), total: items.length, at: kept.at }
}

export async function withThumbs(owner: number, items: IssueSummary[]): Promise<IssueSummary[]> {
  return Promise.all(items.map(async (i) => ({ ...i, thumbnail_url: await cache.thumbUrl(owner, issueThumbKey(i.id)).catch(() => null) })))
}

/** A kept detail, its photo links replaced by the kept thumbnails; `offline_at` says when it was kept. */
export async function recallDetail(id: string): Promise<IssueDetail | null> {
  const owner = currentOwner()
  if (owner === null) return null
  const kept = await cache.detail(owner, id).catch(() => undefined)
  if (!kept) return null
  const photos = await Promise.all(
    kept.issue.photos.map(async (p) => {
      const url = (await cache.thumbUrl(owner, photoThumbKey(p.id)).catch(() => null)) ?? ''
      return { ...p, urls: { display: url, thumb: url, original: url } }
    }),
  )
  const thumb = await cache.thumbUrl(owner, issueThumbKey(id)).catch(() => null)
  return { ...kept.issue, photos, thumbnail_url: thumb, offline_at: kept.at }
}

/** Issues known on this phone (for duplicates offline). */
export async function knownIssues(): Promise<IssueSummary[]> {
  const owner = currentOwner()
  if (owner === null) return []
  return withThumbs(owner, await cache.known(owner).catch(() => []))
}

/** Remember the answer of /issues/nearby too: it is what is known around here. */
export function keepNearby(items: IssueSummary[]): void {
  const owner = currentOwner()
  if (owner === null || !items.length) return
  const copy = JSON.parse(JSON.stringify(items)) as IssueSummary[]
  chain = chain
    .then(async () => {
      const before = (await cache.list(owner, 'nearby'))?.items ?? []
      const merged = [...copy, ...before.filter((b) => !copy.some((c) => c.id === b.id))].slice(0, 100)
      await cache.saveList(owner, 'nearby', merged, merged.length)
      for (const item of copy) await cache.saveThumb(owner, issueThumbKey(item.id), item.id, item.thumbnail_url).catch(() => false)
    })
    .catch(() => undefined)
}

export async function forgetCache(owner: number): Promise<void> {
  await cache.clear(owner).catch(() => undefined)
}
