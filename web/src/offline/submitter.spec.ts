// @vitest-environment node
import 'fake-indexeddb/auto'
import { describe, expect, it, vi } from 'vitest'
import { ApiError, NetworkError } from '@/api/client'
import { newIssueJob } from '@/submission/jobs'
import { SubmissionError } from '@/submission/types'
import { SyncEngine } from './engine'
import { Outbox } from './outbox'
import { createOutboxSubmitter } from './submitter'
import { freshDb, fakeServer, photo } from './testing'

const fields = { category: 'debris', lat: 26.86, lon: 112.6, accuracy_m: 8, location_text: '', description: '' }

function setup() {
  const outbox = new Outbox(freshDb())
  const server = fakeServer()
  const engine = new SyncEngine({ outbox, transport: server, owner: () => 7, setTimer: () => 0, clearTimer: () => undefined })
  const queued = vi.fn()
  const submitter = createOutboxSubmitter({ outbox, engine, owner: () => 7, describe: () => ({ label: { zh: 'x', en: 'x' }, place: '' }), queued })
  return { outbox, server, engine, submitter, queued }
}

describe('outbox submitter', () => {
  it('writes the job to IndexedDB before the first request, and sends it at once', async () => {
    const { outbox, server, submitter } = setup()
    const seen: boolean[] = []
    const upload = server.uploadPhoto
    server.uploadPhoto = vi.fn(async (p, cb) => {
      seen.push((await outbox.get('job-a')) !== undefined)
      return upload(p, cb)
    })
    const job = newIssueJob('job-a', fields, [photo(1), photo(2)])
    const out = await submitter.submit(job)
    expect(seen).toEqual([true, true])
    expect(out.state).toBe('sent')
    expect(await outbox.list(7)).toEqual([])
  })

  it('no network: queued, kept in the outbox, with the photos already confirmed', async () => {
    const { outbox, server, submitter, queued } = setup()
    server.failNext('upload 2.jpg', new NetworkError('offline'))
    const job = newIssueJob('job-a', fields, [photo(1), photo(2)])
    expect(await submitter.submit(job)).toEqual({ state: 'queued', jobId: 'job-a' })
    expect(queued).toHaveBeenCalledWith(job)
    expect(job.photos.map((p) => !!p.photoId)).toEqual([true, false]) // the screen's job knows too
    const kept = await outbox.get('job-a')
    expect(kept?.job.photos.map((p) => !!p.photoId)).toEqual([true, false])
  })

  it('refused while the person is on the form: the error goes back to the form and the item leaves the outbox', async () => {
    const { outbox, server, submitter } = setup()
    server.failNext('create job-a', new ApiError(422, 'validation_failed', '请先获取位置', null, true))
    const job = newIssueJob('job-a', fields, [photo(1)])
    const failure = await submitter.submit(job).catch((e) => e)
    expect(failure).toBeInstanceOf(SubmissionError)
    expect(failure.step).toBe('save')
    expect(failure.cause.code).toBe('validation_failed')
    expect(await outbox.list(7)).toEqual([])
    expect(job.photos[0].photoId).toBeDefined() // a fixed resend does not upload it again
  })

  it('a refused photo says which one', async () => {
    const { server, submitter } = setup()
    server.failNext('upload 2.jpg', new ApiError(422, 'corrupt_photo', '照片文件已损坏', null, true))
    const failure = await submitter.submit(newIssueJob('job-a', fields, [photo(1), photo(2)])).catch((e) => e)
    expect(failure).toMatchObject({ step: 'photo', photoIndex: 1 })
  })

  it('without a usable IndexedDB it sends directly rather than lose the report', async () => {
    const outbox = new Outbox(() => Promise.reject(new Error('IndexedDB unavailable')))
    const engine = new SyncEngine({ outbox, transport: fakeServer(), owner: () => 7, setTimer: () => 0, clearTimer: () => undefined })
    const fallback = { submit: vi.fn(async () => ({ state: 'sent' as const, issue: {} as never })) }
    const submitter = createOutboxSubmitter({ outbox, engine, owner: () => 7, describe: () => ({ label: { zh: '', en: '' }, place: '' }), fallback })
    const job = newIssueJob('job-a', fields, [photo(1)])
    expect((await submitter.submit(job)).state).toBe('sent')
    expect(fallback.submit).toHaveBeenCalledWith(job, undefined)
  })

  it('while another item is being sent, a new one is queued at once and follows', async () => {
    const { engine, server, submitter, outbox } = setup()
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    await outbox.put(7, newIssueJob('old', fields, [photo(1)]), { label: { zh: '', en: '' }, place: '' })
    const upload = server.uploadPhoto
    server.uploadPhoto = vi.fn(async (p, cb) => {
      if (p.fileName === '1.jpg') await gate
      return upload(p, cb)
    })
    const pass = engine.drain()
    expect(await submitter.submit(newIssueJob('new', fields, [photo(2)]))).toEqual({ state: 'queued', jobId: 'new' })
    release()
    await pass
    await vi.waitFor(async () => expect(await outbox.list(7)).toEqual([]))
    expect(server.issues.size).toBe(2)
  })
})
