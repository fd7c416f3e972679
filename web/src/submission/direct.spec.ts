import { describe, expect, it, vi } from 'vitest'
import { NetworkError } from '@/api/client'
import type { IssueDetail, Photo } from '@/api/types'
import { createDirectSubmitter, type Transport } from './direct'
import { actionJob, newIssueJob, uuid } from './jobs'
import { SubmissionError, type JobPhoto, type Progress } from './types'

const issue = { id: 'issue-1', status: 'assigned', version: 2 } as unknown as IssueDetail
const photo = (n: number): JobPhoto => ({
  clientId: `p${n}`,
  kind: 'before',
  blob: new Blob([`photo ${n}`], { type: 'image/jpeg' }),
  fileName: `${n}.jpg`,
  facts: {},
})

function fakeTransport(overrides: Partial<Transport> = {}): Transport & { uploads: string[] } {
  const uploads: string[] = []
  return {
    uploads,
    uploadPhoto: vi.fn(async (p: JobPhoto, onProgress: (f: number) => void) => {
      uploads.push(p.clientId)
      onProgress(0.5)
      onProgress(1)
      return { id: `server-${p.clientId}` } as Photo
    }),
    createIssue: vi.fn(async () => issue),
    act: vi.fn(async () => issue),
    ...overrides,
  }
}

const fields = { category: 'debris', lat: 26.85, lon: 112.6, accuracy_m: 8, location_text: '金龙小区11栋', description: '' }

describe('direct submitter', () => {
  it('uploads each photo in its own request, then creates the issue with the client id and photo ids', async () => {
    const transport = fakeTransport()
    const events: Progress[] = []
    const job = newIssueJob('11111111-1111-4111-8111-111111111111', fields, [photo(1), photo(2), photo(3)])
    const out = await createDirectSubmitter(transport).submit(job, (p) => events.push(p))
    expect(out).toEqual({ state: 'sent', issue })
    expect(transport.uploads).toEqual(['p1', 'p2', 'p3'])
    expect(transport.createIssue).toHaveBeenCalledWith({
      ...fields,
      client_id: '11111111-1111-4111-8111-111111111111',
      photo_ids: ['server-p1', 'server-p2', 'server-p3'],
    })
    expect(events.some((e) => e.photos[0].state === 'uploading' && e.photos[0].fraction === 0.5)).toBe(true)
    expect(events.at(-1)?.stage).toBe('done')
    expect(events.at(-1)?.photos.every((p) => p.state === 'done')).toBe(true)
  })

  it('stops at a failed photo and, sent again, uploads only what the server does not have', async () => {
    let fail = true
    const transport = fakeTransport()
    const upload = transport.uploadPhoto
    transport.uploadPhoto = vi.fn(async (p: JobPhoto, cb: (f: number) => void) => {
      if (p.clientId === 'p2' && fail) throw new NetworkError('offline')
      return upload(p, cb)
    })
    const submitter = createDirectSubmitter(transport)
    const job = newIssueJob(uuid(), fields, [photo(1), photo(2), photo(3)])
    const failure = await submitter.submit(job).catch((e) => e)
    expect(failure).toBeInstanceOf(SubmissionError)
    expect(failure.step).toBe('photo')
    expect(failure.photoIndex).toBe(1)
    expect(failure.cause).toBeInstanceOf(NetworkError)
    expect(transport.createIssue).not.toHaveBeenCalled()

    fail = false
    await submitter.submit(job)
    expect(transport.uploads).toEqual(['p1', 'p2', 'p3']) // p1 not sent twice
    expect(transport.createIssue).toHaveBeenCalledTimes(1)
  })

  it('reports a refused save with step "save" and keeps the job resumable', async () => {
    const transport = fakeTransport({ createIssue: vi.fn().mockRejectedValueOnce(new Error('boom')).mockResolvedValueOnce(issue) })
    const submitter = createDirectSubmitter(transport)
    const job = newIssueJob(uuid(), fields, [photo(1)])
    await expect(submitter.submit(job)).rejects.toMatchObject({ step: 'save' })
    await expect(submitter.submit(job)).resolves.toMatchObject({ state: 'sent' })
    expect(transport.uploads).toEqual(['p1'])
    const ids = (transport.createIssue as ReturnType<typeof vi.fn>).mock.calls.map((c) => c[0].client_id)
    expect(ids[0]).toBe(ids[1]) // the same client id: the server dedups
  })

  it('sends an action with its client id, photos and the time it was done', async () => {
    const transport = fakeTransport()
    const now = new Date('2026-11-22T08:00:00Z')
    const job = actionJob('22222222-2222-4222-8222-222222222222', 'issue-1', { action: 'rectify', version: 3, note: '已清理' }, [{ ...photo(9), kind: 'after' }], now)
    await createDirectSubmitter(transport).submit(job)
    expect(transport.act).toHaveBeenCalledWith('issue-1', {
      action: 'rectify',
      version: 3,
      note: '已清理',
      client_id: '22222222-2222-4222-8222-222222222222',
      photo_ids: ['server-p9'],
      acted_at: '2026-11-22T08:00:00.000Z',
    })
  })

  it('runs jobs one after another, in order', async () => {
    const order: string[] = []
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const transport = fakeTransport({
      act: vi.fn(async (_id: string, body) => {
        order.push(`start ${body.note}`)
        if (body.note === 'a') await gate
        order.push(`end ${body.note}`)
        return issue
      }),
    })
    const submitter = createDirectSubmitter(transport)
    const a = submitter.submit(actionJob(uuid(), 'i', { action: 'reject', version: 1, note: 'a' }))
    const b = submitter.submit(actionJob(uuid(), 'i', { action: 'reject', version: 1, note: 'b' }))
    await Promise.resolve()
    release()
    await Promise.all([a, b])
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b'])
  })

  it('makes v4 UUIDs', () => {
    expect(uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})
