// @vitest-environment node
import 'fake-indexeddb/auto'
import { describe, expect, it, vi } from 'vitest'
import { ApiError, NetworkError } from '@/api/client'
import { actionJob, newIssueJob } from '@/submission/jobs'
import { SyncEngine } from './engine'
import { Outbox } from './outbox'
import { freshDb, fakeServer, photo } from './testing'

const fields = { category: 'debris', lat: 26.86, lon: 112.6, accuracy_m: 8, location_text: '金龙小区11栋', description: '' }
const info = { label: { zh: '乱堆乱放', en: 'Debris' }, place: '' }
const api = (status: number, code: string, message = code) => new ApiError(status, code, message, null, true)

function setup(owner: number | null = 7) {
  let now = 1_000_000
  const timers: { fn: () => void; ms: number }[] = []
  const outbox = new Outbox(freshDb())
  const server = fakeServer()
  const listener = { changed: vi.fn(), sent: vi.fn(), progress: vi.fn(), status: vi.fn() }
  let who = owner
  const engine = new SyncEngine({
    outbox,
    transport: server,
    owner: () => who,
    listener,
    now: () => now,
    random: () => 0.5,
    setTimer: (fn, ms) => timers.push({ fn, ms }) - 1,
    clearTimer: () => undefined,
  })
  return {
    outbox,
    server,
    engine,
    listener,
    timers,
    advance: (ms: number) => (now += ms),
    login: (id: number | null) => (who = id),
    add: (id: string, photos = [photo(1), photo(2)]) => outbox.put(7, newIssueJob(id, fields, photos), info),
  }
}

describe('sync engine', () => {
  it('uploads each photo in its own request, then creates the issue with the job id; removes it only then', async () => {
    const { outbox, server, engine, listener, add } = setup()
    await add('job-a', [photo(1), photo(2), photo(3)])
    await engine.drain()
    expect(server.calls).toEqual(['upload 1.jpg', 'upload 2.jpg', 'upload 3.jpg', 'create job-a'])
    expect(server.createIssue).toHaveBeenCalledWith(expect.objectContaining({ client_id: 'job-a', photo_ids: [expect.any(String), expect.any(String), expect.any(String)] }))
    expect(await outbox.list(7)).toEqual([])
    expect(listener.sent).toHaveBeenCalledTimes(1)
    expect(engine.lastSuccessAt).toBe(1_000_000)
  })

  it('a failed photo keeps the item with the photos already confirmed; the retry sends only the rest', async () => {
    const { outbox, server, engine, add, advance } = setup()
    await add('job-a', [photo(1), photo(2), photo(3)])
    server.failNext('upload 2.jpg', new NetworkError('offline'))
    await engine.drain()
    const kept = await outbox.get('job-a')
    expect(kept?.job.photos.map((p) => !!p.photoId)).toEqual([true, false, false])
    expect(kept).toMatchObject({ state: 'waiting', attempts: 1, error: { kind: 'network', step: 'photo', photoIndex: 1 } })
    expect(kept!.nextAt).toBe(1_000_000 + 5_000)
    expect(engine.reachable).toBe(false)

    advance(5_000)
    await engine.drain()
    expect(server.calls).toEqual(['upload 1.jpg', 'upload 2.jpg', 'upload 2.jpg', 'upload 3.jpg', 'create job-a'])
    expect(await outbox.list(7)).toEqual([])
    expect(engine.reachable).toBe(true)
  })

  it('a lost answer to the create is retried with the same client id: one issue', async () => {
    const { outbox, server, engine, add } = setup()
    await add('job-a')
    server.failNext('create job-a', new NetworkError('offline'), true) // the server did it; the phone never heard
    await engine.drain()
    expect(server.issues.size).toBe(1)
    expect(await outbox.get('job-a')).toBeDefined()
    await engine.drain(true)
    expect(server.calls.filter((c) => c.startsWith('create'))).toEqual(['create job-a', 'create job-a'])
    expect(server.issues.size).toBe(1)
    expect(server.calls.filter((c) => c.startsWith('upload'))).toHaveLength(2) // photos not sent twice
    expect(await outbox.list(7)).toEqual([])
  })

  it('no network stops the pass (the rest would fail too) and retries on a timer with backoff', async () => {
    const { outbox, server, engine, add, timers, advance } = setup()
    await add('job-a', [photo(1)])
    await add('job-b', [photo(2)])
    server.failNext('upload 1.jpg', new NetworkError('offline'))
    await engine.drain()
    expect(server.calls).toEqual(['upload 1.jpg'])
    expect((await outbox.get('job-b'))?.attempts).toBe(0)
    expect(timers.at(-1)?.ms).toBe(5_000)

    // a timer pass before the backoff is over does nothing
    await engine.drain()
    expect(server.calls).toHaveLength(1)

    advance(5_000)
    timers.at(-1)!.fn()
    await vi.waitFor(async () => expect(await outbox.list(7)).toEqual([]))
    expect(server.issues.size).toBe(2)
  })

  it('a 5xx waits with growing backoff and does not hold the others', async () => {
    const { outbox, server, engine, add, advance } = setup()
    await add('job-a', [photo(1)])
    await add('job-b', [photo(2)])
    server.failNext('create job-a', api(503, 'http_503'))
    await engine.drain()
    expect(await outbox.get('job-b')).toBeUndefined() // sent
    const a = await outbox.get('job-a')
    expect(a).toMatchObject({ state: 'waiting', attempts: 1, error: { kind: 'server', status: 503 } })
    expect(a!.nextAt - 1_000_000).toBe(5_000)
    server.failNext('create job-a', api(500, 'http_500'))
    advance(5_000)
    await engine.drain()
    expect((await outbox.get('job-a'))!.nextAt - 1_005_000).toBe(10_000)
  })

  it('a 4xx stops that item with its reason and the others go on; it stays until fixed or discarded', async () => {
    const { outbox, server, engine, add } = setup()
    await add('job-a', [photo(1)])
    await add('job-b', [photo(2)])
    await add('job-c', [photo(3)])
    server.failNext('create job-b', api(422, 'unknown_category', '该问题类别已停用'))
    await engine.drain()
    const left = await outbox.list(7)
    expect(left.map((r) => r.id)).toEqual(['job-b'])
    expect(left[0]).toMatchObject({ state: 'stopped', error: { kind: 'refused', status: 422, code: 'unknown_category', message: '该问题类别已停用', fromServer: true, step: 'save' } })

    await engine.drain(true) // 立即同步 does not resend a refused item
    expect(server.calls.filter((c) => c === 'create job-b')).toHaveLength(1)

    await outbox.retry('job-b', (job) => {
      if (job.type === 'create_issue') job.issue.category = 'exposed_garbage'
    })
    await engine.drain()
    expect(await outbox.list(7)).toEqual([])
    expect(server.createIssue).toHaveBeenLastCalledWith(expect.objectContaining({ client_id: 'job-b', category: 'exposed_garbage' }))
  })

  it('a 401 keeps the whole queue and waits for the person to log in again', async () => {
    const { outbox, server, engine, add, login } = setup()
    await add('job-a', [photo(1)])
    await add('job-b', [photo(2)])
    server.failNext('upload 1.jpg', api(401, 'not_authenticated'))
    await engine.drain()
    expect(engine.needsLogin).toBe(true)
    expect(server.calls).toEqual(['upload 1.jpg'])
    const kept = await outbox.list(7)
    expect(kept.map((r) => [r.id, r.state])).toEqual([
      ['job-a', 'waiting'],
      ['job-b', 'waiting'],
    ])
    expect(kept[0].error?.kind).toBe('auth')

    login(null) // the app forgets the session …
    await engine.drain(true)
    expect(server.calls).toHaveLength(1)
    login(7) // … and the same person logs in again
    engine.resume()
    await vi.waitFor(async () => expect(await outbox.list(7)).toEqual([]))
    expect(engine.needsLogin).toBe(false)
    expect(server.issues.size).toBe(2)
  })

  it("sends only the logged-in person's items", async () => {
    const { outbox, server, engine } = setup(8)
    await outbox.put(7, newIssueJob('job-a', fields, [photo(1)]), info)
    await engine.drain(true)
    expect(server.calls).toEqual([])
  })

  it('keeps the order of actions on one issue: a later one waits while an earlier one is not through', async () => {
    const { outbox, server, engine, advance } = setup()
    await outbox.put(7, actionJob('act-1', 'issue-9', { action: 'rectify', version: 3, note: 'a' }, [photo(1, 'after')]), info)
    await outbox.put(7, actionJob('act-2', 'issue-9', { action: 'request_extension', version: 4, note: 'b' }), info)
    await outbox.put(7, actionJob('act-3', 'issue-5', { action: 'verify', version: 2 }), info)
    server.failNext('act issue-9 rectify', api(502, 'http_502'))
    await engine.drain()
    expect(server.calls.filter((c) => c.startsWith('act'))).toEqual(['act issue-9 rectify act-1', 'act issue-5 verify act-3'])
    expect((await outbox.list(7)).map((r) => r.id)).toEqual(['act-1', 'act-2'])
    advance(10_000)
    await engine.drain()
    expect(server.calls.filter((c) => c.startsWith('act')).slice(2)).toEqual(['act issue-9 rectify act-1', 'act issue-9 request_extension act-2'])
  })

  it('sends an action with its photos, its client id and the time it was done (acted_at)', async () => {
    const { outbox, server, engine } = setup()
    const job = actionJob('act-1', 'issue-9', { action: 'rectify', version: 3, note: '已清理' }, [photo(1, 'after')], new Date('2026-11-22T08:00:00Z'))
    await outbox.put(7, job, info)
    await engine.drain()
    expect(server.act).toHaveBeenCalledWith('issue-9', expect.objectContaining({ action: 'rectify', version: 3, client_id: 'act-1', acted_at: '2026-11-22T08:00:00.000Z', photo_ids: [expect.any(String)] }))
  })

  it('never reports success while the server does not show every photo', async () => {
    const { outbox, server, engine, add } = setup()
    await add('job-a', [photo(1), photo(2)])
    server.createIssue = vi.fn(async () => ({ id: 'x', photos: [{ id: 'srv-0001' }] }) as never)
    await engine.drain()
    expect(await outbox.get('job-a')).toMatchObject({ state: 'stopped', error: { code: 'photos_missing', photoIndex: 1 } })
  })

  it('one item at a time: a screen asking while a pass runs waits its turn', async () => {
    const { engine, server, add } = setup()
    await add('job-a', [photo(1)])
    await add('job-b', [photo(2)])
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const upload = server.uploadPhoto
    server.uploadPhoto = vi.fn(async (p, cb) => {
      await gate
      return upload(p, cb)
    })
    const pass = engine.drain()
    expect(engine.busy).toBe(true)
    expect(await engine.send('job-b')).toEqual({ kind: 'busy' })
    release()
    await pass
    await vi.waitFor(() => expect(server.issues.size).toBe(2))
  })
})
