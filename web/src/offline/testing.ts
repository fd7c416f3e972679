// Test helpers for the offline specs: a fresh IndexedDB (fake-indexeddb) per test and a fake
// server that dedups on client ids like the real one.
import { vi } from 'vitest'
import type { ActionBody, IssueDetail, NewIssueBody, Photo } from '@/api/types'
import type { Transport } from '@/submission/direct'
import type { JobPhoto } from '@/submission/types'
import { openXunchaDb, type Db } from './db'

let n = 0
export function freshDb(): () => Promise<Db> {
  const p = openXunchaDb(`xuncha-test-${++n}-${Math.random()}`)
  return () => p
}

export const photo = (i: number, kind: 'before' | 'after' = 'before'): JobPhoto => ({
  clientId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  kind,
  blob: new Blob([`photo ${i}`], { type: 'image/jpeg' }),
  fileName: `${i}.jpg`,
  facts: {},
})

export interface FakeServer extends Transport {
  photos: Map<string, string>
  issues: Map<string, IssueDetail>
  calls: string[]
  /** Throw this (once) on the next call whose label starts with the key, e.g. 'upload p2', 'create', 'act'. */
  failNext(prefix: string, error: unknown, afterDoing?: boolean): void
}

export function fakeServer(): FakeServer {
  const photos = new Map<string, string>()
  const issues = new Map<string, IssueDetail>()
  const calls: string[] = []
  const failures: { prefix: string; error: unknown; afterDoing: boolean }[] = []
  let seq = 0

  function maybeFail(label: string, phase: 'before' | 'after'): void {
    const i = failures.findIndex((f) => label.startsWith(f.prefix) && f.afterDoing === (phase === 'after'))
    if (i >= 0) {
      const [f] = failures.splice(i, 1)
      throw f.error
    }
  }
  const detail = (id: string, photoIds: string[], version = 1): IssueDetail =>
    ({ id, version, status: 'assigned', photos: photoIds.map((p) => ({ id: p }) as Photo), events: [], available_actions: [] }) as unknown as IssueDetail

  const server: FakeServer = {
    photos,
    issues,
    calls,
    failNext(prefix, error, afterDoing = false) {
      failures.push({ prefix, error, afterDoing })
    },
    uploadPhoto: vi.fn(async (p: JobPhoto, onProgress: (f: number) => void) => {
      const label = `upload ${p.fileName}`
      calls.push(label)
      maybeFail(label, 'before')
      onProgress(1)
      if (!photos.has(p.clientId)) photos.set(p.clientId, `srv-${p.clientId.slice(-4)}`)
      maybeFail(label, 'after')
      return { id: photos.get(p.clientId) } as Photo
    }),
    createIssue: vi.fn(async (body: NewIssueBody) => {
      const label = `create ${body.client_id}`
      calls.push(label)
      maybeFail(label, 'before')
      if (!issues.has(body.client_id)) issues.set(body.client_id, detail(`issue-${++seq}`, body.photo_ids))
      maybeFail(label, 'after')
      return issues.get(body.client_id) as IssueDetail
    }),
    act: vi.fn(async (issueId: string, body: ActionBody) => {
      const label = `act ${issueId} ${body.action} ${body.client_id}`
      calls.push(label)
      maybeFail(label, 'before')
      const key = body.client_id as string
      if (!issues.has(key)) issues.set(key, detail(issueId, body.photo_ids ?? [], 2))
      maybeFail(label, 'after')
      return issues.get(key) as IssueDetail
    }),
  }
  return server
}
