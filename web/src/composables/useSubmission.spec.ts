import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { NetworkError } from '@/api/client'
import type { IssueDetail } from '@/api/types'
import { actionJob, setSubmitter, SubmissionError, type Submitter } from '@/submission'
import { useIssuesStore } from '@/stores/issues'
import { useSubmission } from './useSubmission'

describe('useSubmission', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('runs a job through whatever submitter is installed and refreshes the lists', async () => {
    const issue = { id: 'i1', version: 5 } as IssueDetail
    const fake: Submitter = {
      submit: vi.fn(async (job, onProgress) => {
        onProgress?.({ jobId: job.id, stage: 'saving', photos: [] })
        return { state: 'sent' as const, issue }
      }),
    }
    setSubmitter(fake)
    const store = useIssuesStore()
    store.list('todo').loaded = true
    const s = useSubmission()
    const out = await s.run(actionJob('c1', 'i1', { action: 'verify', version: 4 }))
    expect(out).toEqual({ state: 'sent', issue })
    expect(s.progress.value?.stage).toBe('saving')
    expect(store.list('todo').stale).toBe(true)
    expect(store.cachedDetail('i1')?.version).toBe(5)
  })

  it('accepts a queued outcome (the outbox of issue #4) and keeps errors for the screen', async () => {
    setSubmitter({ submit: async (job) => ({ state: 'queued', jobId: job.id }) })
    const s = useSubmission()
    await expect(s.run(actionJob('c2', 'i1', { action: 'verify', version: 4 }))).resolves.toEqual({ state: 'queued', jobId: 'c2' })

    const failure = new SubmissionError(new NetworkError('offline'), 'save')
    setSubmitter({ submit: async () => Promise.reject(failure) })
    await expect(s.run(actionJob('c3', 'i1', { action: 'verify', version: 4 }))).resolves.toBeNull()
    expect(s.error.value).toBe(failure)
    expect(s.running.value).toBe(false)
  })
})
