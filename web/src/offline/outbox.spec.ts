// @vitest-environment node
import 'fake-indexeddb/auto'
import { describe, expect, it, vi } from 'vitest'
import { actionJob, newIssueJob } from '@/submission/jobs'
import { Outbox } from './outbox'
import { freshDb, photo } from './testing'

const fields = { category: 'debris', lat: 26.86, lon: 112.6, accuracy_m: 8, location_text: '金龙小区11栋', description: '' }
const info = { label: { zh: '乱堆乱放', en: 'Debris' }, place: '金龙小区11栋' }

describe('outbox', () => {
  it('keeps jobs with their photo blobs, per person, oldest first', async () => {
    const changed = vi.fn()
    const outbox = new Outbox(freshDb(), changed)
    await outbox.put(7, newIssueJob('a', fields, [photo(1), photo(2)]), info, 1000)
    await outbox.put(8, newIssueJob('b', fields, [photo(3)]), info, 1001)
    await outbox.put(7, actionJob('c', 'issue-1', { action: 'verify', version: 2 }), info, 999)
    const mine = await outbox.list(7)
    expect(mine.map((r) => r.id)).toEqual(['a', 'c']) // made unique and increasing: put order wins over a clock step back
    expect(await mine[0].job.photos[1].blob.text()).toBe('photo 2')
    expect(mine[0]).toMatchObject({ owner: 7, state: 'waiting', attempts: 0, nextAt: 0, error: null, label: info.label })
    expect(await outbox.count(8)).toBe(1)
    expect(changed).toHaveBeenCalledTimes(3)
  })

  it('remembers each confirmed photo at once, and a draft sent again keeps its place and those ids', async () => {
    const outbox = new Outbox(freshDb())
    await outbox.put(7, newIssueJob('a', fields, [photo(1), photo(2)]), info, 1000)
    await outbox.put(7, newIssueJob('b', fields, [photo(3)]), info, 2000)
    await outbox.photoConfirmed('a', photo(1).clientId, 'srv-1')
    await outbox.failed('a', { kind: 'refused', status: 422, code: 'x', message: 'no', fromServer: true, step: 'save', photoIndex: null, at: 1 }, true, 0)
    // the person fixes the form and sends the same draft again (same client id)
    await outbox.put(7, newIssueJob('a', { ...fields, category: 'exposed_garbage' }, [photo(1), photo(2)]), info, 3000)
    const [a, b] = await outbox.list(7)
    expect(a.id).toBe('a')
    expect(b.id).toBe('b')
    expect(a.state).toBe('waiting')
    expect(a.error).toBeNull()
    expect(a.job.photos.map((p) => p.photoId)).toEqual(['srv-1', undefined])
    expect(a.job.type === 'create_issue' && a.job.issue.category).toBe('exposed_garbage')
  })

  it('records failures: stopped items stay until retried or removed', async () => {
    const outbox = new Outbox(freshDb())
    await outbox.put(7, newIssueJob('a', fields, [photo(1)]), info)
    const err = { kind: 'server' as const, status: 503, code: 'http_503', message: '', fromServer: false, step: 'save' as const, photoIndex: null, at: 5 }
    await outbox.failed('a', err, false, 60_000)
    expect(await outbox.get('a')).toMatchObject({ state: 'waiting', attempts: 1, nextAt: 60_000 })
    await outbox.dueNow(7)
    expect((await outbox.get('a'))?.nextAt).toBe(0)
    await outbox.failed('a', { ...err, kind: 'refused', status: 422 }, true, 0)
    expect(await outbox.get('a')).toMatchObject({ state: 'stopped', attempts: 2 })
    await outbox.retry('a')
    expect(await outbox.get('a')).toMatchObject({ state: 'waiting', nextAt: 0, error: null })
    await outbox.remove('a')
    expect(await outbox.list(7)).toEqual([])
  })

  it('keeps drafts (photos as blobs) per person and form', async () => {
    const outbox = new Outbox(freshDb())
    const d = { clientId: 'p1', name: 'a.jpg', blob: new Blob(['x'], { type: 'image/jpeg' }), fileName: 'a.jpg', exif: {}, fix: null, ready: true, shrunk: true }
    await outbox.saveDraft(7, '7:report', [d])
    expect((await outbox.draft(7, '7:report'))[0].clientId).toBe('p1')
    expect(await outbox.draft(8, '7:report')).toEqual([]) // not someone else's
    await outbox.saveDraft(7, '7:report', [])
    expect(await outbox.draft(7, '7:report')).toEqual([])
  })
})
