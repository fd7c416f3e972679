import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import * as api from '@/api/issues'
import type { IssueDetail, IssueSummary, Page } from '@/api/types'
import { useIssuesStore } from './issues'

vi.mock('@/api/issues', () => ({ listIssues: vi.fn(), getIssue: vi.fn() }))

const summary = (id: string) => ({ id, status: 'assigned' }) as IssueSummary
const page = (ids: string[], total: number, n = 1): Page<IssueSummary> => ({ items: ids.map(summary), total, page: n, per_page: 20 })

describe('issues store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.mocked(api.listIssues).mockReset()
  })

  it('loads a list, pages on, and knows when it is finished', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `i${i}`)
    vi.mocked(api.listIssues).mockResolvedValueOnce(page(ids, 25)).mockResolvedValueOnce(page(['i20', 'i21', 'i22', 'i23', 'i24'], 25, 2))
    const s = useIssuesStore()
    await s.load('todo', { status: ['assigned'], sort: 'deadline' })
    expect(s.list('todo').items).toHaveLength(20)
    expect(s.list('todo').finished).toBe(false)
    await s.load('todo', { status: ['assigned'], sort: 'deadline' }, true)
    expect(vi.mocked(api.listIssues).mock.calls[1][0]).toMatchObject({ status: ['assigned'], page: 2, per_page: 20 })
    expect(s.list('todo').items).toHaveLength(25)
    expect(s.list('todo').finished).toBe(true)
  })

  it('keeps the items and the error when a reload fails', async () => {
    vi.mocked(api.listIssues).mockResolvedValueOnce(page(['a'], 1)).mockRejectedValueOnce(new Error('down'))
    const s = useIssuesStore()
    await s.load('mine', { reporter: 'me' })
    await s.load('mine', { reporter: 'me' })
    expect(s.list('mine').items.map((i) => i.id)).toEqual(['a'])
    expect(s.list('mine').error).toBeInstanceOf(Error)
    expect(s.list('mine').loading).toBe(false)
  })

  it('ignores an answer that a newer load overtook', async () => {
    let first!: (p: Page<IssueSummary>) => void
    vi.mocked(api.listIssues)
      .mockImplementationOnce(() => new Promise((r) => (first = r)))
      .mockResolvedValueOnce(page(['new'], 1))
    const s = useIssuesStore()
    const a = s.load('issues', { q: 'old' })
    await s.load('issues', { q: 'new' })
    first(page(['old'], 1))
    await a
    expect(s.list('issues').items.map((i) => i.id)).toEqual(['new'])
  })

  it('marks every list stale after a write and keeps the written issue', async () => {
    vi.mocked(api.listIssues).mockResolvedValue(page(['a'], 1))
    const s = useIssuesStore()
    await s.load('todo', {})
    s.written({ id: 'a', version: 4 } as IssueDetail)
    expect(s.list('todo').stale).toBe(true)
    expect(s.cachedDetail('a')?.version).toBe(4)
    await expect(s.loadDetail('a')).resolves.toMatchObject({ version: 4 })
    expect(api.getIssue).not.toHaveBeenCalled()
  })
})
