// Offline first (DESIGN.md §5, issue #4): install the outbox submitter and start the sync
// engine. The app drains its own queue — on start, when it comes back to the front
// (visibilitychange, pageshow), on `online`, on the engine's timer and on 立即同步 — and
// Background Sync, where the browser has it, only wakes the app to do the same.
import { watch } from 'vue'
import type { Pinia } from 'pinia'
import { useReferenceStore } from '@/stores/categories'
import { useIssuesStore } from '@/stores/issues'
import { useOutboxStore } from '@/stores/outbox'
import { useSessionStore } from '@/stores/session'
import { httpTransport, setSubmitter, type Job } from '@/submission'
import { createDirectSubmitter } from '@/submission/direct'
import type { QueueInfo } from './outbox'
import { currentOwner, listen, outbox, setOwner } from './runtime'
import { engine } from './sync'
import { askPersistence } from './storage'
import { createOutboxSubmitter } from './submitter'

export const SYNC_TAG = 'xuncha-outbox'

export function startOffline(pinia: Pinia): void {
  const session = useSessionStore(pinia)
  const store = useOutboxStore(pinia)
  const issues = useIssuesStore(pinia)
  const reference = useReferenceStore(pinia)

  listen({
    changed: () => void store.refresh(),
    progress: (id, p) => store.setProgress(id, p),
    status: () => store.status(),
    sent: (_id, issue) => issues.written(issue),
  })

  function describe(job: Job): QueueInfo {
    if (job.type === 'create_issue') {
      const c = reference.categoryByCode.get(job.issue.category)
      return { label: { zh: c?.name_zh ?? job.issue.category, en: c?.name_en ?? job.issue.category }, place: job.issue.location_text || job.issue.description }
    }
    const issue = issues.cachedDetail(job.issueId)
    const c = job.about?.category ? reference.categoryByCode.get(job.about.category) : null
    return {
      label: { zh: issue?.category.name_zh ?? c?.name_zh ?? '', en: issue?.category.name_en ?? c?.name_en ?? '' },
      place: job.about?.place ?? (issue ? issue.location_text || issue.description : ''),
    }
  }

  setSubmitter(
    createOutboxSubmitter({
      outbox,
      engine,
      owner: currentOwner,
      describe,
      queued: registerBackgroundSync,
      fallback: createDirectSubmitter(httpTransport),
    }),
  )

  watch(
    () => session.user?.id ?? null,
    (id) => {
      setOwner(id)
      store.reset()
      void store.refresh()
      if (id === null) {
        engine.stop() // the items stay for this person's next login
        return
      }
      void askPersistence()
      engine.resume()
    },
    { immediate: true, flush: 'sync' }, // before any screen of the new user sets up
  )

  const wake = () => {
    if (currentOwner() !== null) void engine.drain(true)
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') wake()
  })
  window.addEventListener('pageshow', (e) => {
    if (e.persisted) wake() // back from the bfcache; a fresh load is covered by the login watch
  })
  window.addEventListener('online', wake)
  navigator.serviceWorker?.addEventListener('message', (e: MessageEvent) => {
    if (e.data && e.data.type === 'xuncha-sync') wake()
  })
}

interface SyncManagerLike {
  register(tag: string): Promise<void>
}

/** Ask the browser to wake us when the network is back (Chrome on Android; Safari has no such thing). */
function registerBackgroundSync(): void {
  if (!('serviceWorker' in navigator) || !navigator.serviceWorker.controller) return
  void navigator.serviceWorker.ready
    .then((reg) => (reg as ServiceWorkerRegistration & { sync?: SyncManagerLike }).sync?.register(SYNC_TAG))
    .catch(() => undefined)
}
