// @vitest-environment node
import 'fake-indexeddb/auto'
import { describe, expect, it, vi } from 'vitest'
import type { IssueDetail, IssueSummary } from '@/api/types'
import { issueThumbKey, OfflineCache, photoThumbKey } from './cache'
import { freshDb } from './testing'

const summary = (id: string, thumb: string | null = `/api/v1/photos/${id}/thumb?sig=abc&exp=1`) =>
  ({ id, version: 1, status: 'assigned', thumbnail_url: thumb, category: { code: 'debris' } }) as unknown as IssueSummary

describe('offline reading cache', () => {
  it('keeps thumbnail bytes once (never the signed link), lists and details per person', async () => {
    const fetchBlob = vi.fn(async (url: string) => new Blob([url], { type: 'image/jpeg' }))
    const cache = new OfflineCache(freshDb(), fetchBlob)
    await cache.saveList(7, 'todo', [summary('a'), summary('b', null)], 2, 1000)
    expect(await cache.saveThumb(7, issueThumbKey('a'), 'a', '/api/v1/photos/a/thumb?sig=abc&exp=1')).toBe(true)
    expect(await cache.saveThumb(7, issueThumbKey('a'), 'a', '/api/v1/photos/a/thumb?sig=NEW&exp=2')).toBe(false) // a new signature: same bytes
    expect(await cache.saveThumb(7, issueThumbKey('b'), 'b', null)).toBe(false)
    expect(fetchBlob).toHaveBeenCalledTimes(1)
    expect(await (await cache.thumb(7, issueThumbKey('a')))?.text()).toContain('sig=abc')
    expect(await cache.thumb(8, issueThumbKey('a'))).toBeUndefined()
    expect((await cache.list(7, 'todo'))?.items.map((i) => i.id)).toEqual(['a', 'b'])
    expect(await cache.list(8, 'todo')).toBeUndefined()
  })

  it('knows every kept issue (newest copy), prunes what no list mentions, forgets a person on logout', async () => {
    const cache = new OfflineCache(freshDb(), async () => new Blob(['x'], { type: 'image/jpeg' }))
    await cache.saveList(7, 'todo', [summary('a')], 1, 1000)
    await cache.saveDetail(7, { ...summary('a'), version: 2, photos: [], events: [], available_actions: [] } as unknown as IssueDetail, 2000)
    await cache.saveDetail(7, { ...summary('gone'), photos: [], events: [], available_actions: [] } as unknown as IssueDetail, 2000)
    await cache.saveThumb(7, photoThumbKey('p1'), 'gone', '/x')
    await cache.saveThumb(7, photoThumbKey('p2'), 'a', '/y')
    const known = await cache.known(7)
    expect(known.find((i) => i.id === 'a')?.version).toBe(2)
    await cache.prune(7)
    expect(await cache.detail(7, 'gone')).toBeUndefined()
    expect(await cache.thumb(7, photoThumbKey('p1'))).toBeUndefined()
    expect(await cache.thumb(7, photoThumbKey('p2'))).toBeDefined()
    await cache.clear(7)
    expect(await cache.known(7)).toEqual([])
  })
})
