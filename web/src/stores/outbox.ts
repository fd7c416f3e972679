// What the outbox holds and what the sync engine is doing, for the screens: the badge, the
// sync bar, the list with per-item status, 立即同步, and fixing or discarding a refused item.
import { computed, reactive, ref, shallowRef } from 'vue'
import { defineStore } from 'pinia'
import { getIssue } from '@/api/issues'
import type { ActionName } from '@/api/types'
import type { StoredError } from '@/offline/db'
import { currentOwner, outbox } from '@/offline/runtime'
import { engine } from '@/offline/sync'
import type { Progress } from '@/submission/types'

export interface OutboxItem {
  id: string
  type: 'create_issue' | 'action'
  action: ActionName | null
  issueId: string | null
  category: string | null
  label: { zh: string; en: string }
  place: string
  createdAt: string
  state: 'waiting' | 'stopped'
  attempts: number
  nextAt: number
  error: StoredError | null
  photosTotal: number
  photosDone: number
  /** An object URL of the first photo (revoked when the item goes). */
  thumb: string | null
}

const LAST_SYNC_KEY = 'xuncha.lastSync'

function readLastSync(): number | null {
  try {
    const v = Number(localStorage.getItem(LAST_SYNC_KEY))
    return Number.isFinite(v) && v > 0 ? v : null
  } catch {
    return null
  }
}

export const useOutboxStore = defineStore('outbox', () => {
  const items = ref<OutboxItem[]>([])
  const progress = reactive<Record<string, Progress>>({})
  const current = ref<string | null>(null)
  const busy = ref(false)
  const needsLogin = ref(false)
  /** false: the last request got no answer at all (more honest than navigator.onLine). */
  const reachable = ref<boolean | null>(null)
  const lastSuccessAt = ref<number | null>(readLastSync())
  const loaded = ref(false)
  const error = shallowRef<unknown>(null)
  const thumbs = new Map<string, string>()

  const count = computed(() => items.value.length)
  const stoppedCount = computed(() => items.value.filter((i) => i.state === 'stopped').length)
  const pendingActions = computed(() => {
    const map = new Map<string, ActionName>()
    for (const i of items.value) if (i.issueId && i.action) map.set(i.issueId, i.action)
    return map
  })

  let refreshing: Promise<void> | null = null
  let refreshAgain = false

  /** Read the outbox again (coalesced: many changes in a row make one read). */
  function refresh(): Promise<void> {
    if (refreshing) {
      refreshAgain = true
      return refreshing
    }
    refreshing = (async () => {
      do {
        refreshAgain = false
        await read()
      } while (refreshAgain)
    })().finally(() => (refreshing = null))
    return refreshing
  }

  async function read(): Promise<void> {
    const owner = currentOwner()
    if (owner === null) {
      items.value = []
      return
    }
    try {
      const records = await outbox.list(owner)
      const seen = new Set<string>()
      items.value = records.map((r) => {
        seen.add(r.id)
        let thumb = thumbs.get(r.id) ?? null
        if (!thumb && r.job.photos[0] && typeof URL.createObjectURL === 'function') {
          thumb = URL.createObjectURL(r.job.photos[0].blob)
          thumbs.set(r.id, thumb)
        }
        return {
          id: r.id,
          type: r.job.type,
          action: r.job.type === 'action' ? r.job.action.action : null,
          issueId: r.job.type === 'action' ? r.job.issueId : null,
          category: r.job.type === 'create_issue' ? r.job.issue.category : null,
          label: r.label,
          place: r.place,
          createdAt: r.job.createdAt,
          state: r.state,
          attempts: r.attempts,
          nextAt: r.nextAt,
          error: r.error,
          photosTotal: r.job.photos.length,
          photosDone: r.job.photos.filter((p) => p.photoId).length,
          thumb,
        }
      })
      for (const [id, url] of thumbs) {
        if (!seen.has(id)) {
          URL.revokeObjectURL(url)
          thumbs.delete(id)
        }
      }
      error.value = null
    } catch (e) {
      error.value = e // IndexedDB unavailable (private mode on old Safari): shown in 我的
    } finally {
      loaded.value = true
    }
  }

  function status(): void {
    busy.value = engine.busy
    current.value = engine.current
    needsLogin.value = engine.needsLogin
    reachable.value = engine.reachable
    if (engine.lastSuccessAt && engine.lastSuccessAt !== lastSuccessAt.value) {
      lastSuccessAt.value = engine.lastSuccessAt
      try {
        localStorage.setItem(LAST_SYNC_KEY, String(engine.lastSuccessAt))
      } catch {
        // not remembered across starts: fine
      }
    }
  }

  function setProgress(id: string, p: Progress | null): void {
    if (p) progress[id] = p
    else delete progress[id]
  }

  /** 立即同步: everything waiting is tried now, whatever its backoff. */
  function syncNow(): Promise<void> {
    return engine.drain(true)
  }

  async function retry(id: string): Promise<void> {
    await outbox.retry(id)
    void engine.drain(true)
  }

  async function discard(id: string): Promise<void> {
    if (engine.current === id) return
    await outbox.remove(id)
  }

  /** A category disabled meanwhile: report under another one. */
  async function changeCategory(id: string, category: string, label: { zh: string; en: string }): Promise<void> {
    await outbox.update(id, (r) => {
      if (r.job.type === 'create_issue') r.job.issue.category = category
      r.label = label
    })
    await retry(id)
  }

  /** A photo the server will not take (damaged, too large): send the item without it. */
  async function dropPhoto(id: string, index: number): Promise<void> {
    await outbox.update(id, (r) => {
      if (r.job.photos.length > 1) r.job.photos.splice(index, 1)
    })
    await retry(id)
  }

  /**
   * The issue changed since this was done offline (409): take its current version and send
   * again if the action is still possible; true when it was re-queued.
   */
  async function rebase(id: string): Promise<boolean> {
    const record = await outbox.get(id)
    if (!record || record.job.type !== 'action') return false
    const issue = await getIssue(record.job.issueId)
    const action = record.job.action.action
    if (!issue.available_actions.includes(action)) return false
    await outbox.update(id, (r) => {
      if (r.job.type === 'action') r.job.action.version = issue.version
    })
    await retry(id)
    return true
  }

  function reset(): void {
    items.value = []
    for (const url of thumbs.values()) URL.revokeObjectURL(url)
    thumbs.clear()
    for (const k of Object.keys(progress)) delete progress[k]
  }

  return {
    items,
    progress,
    current,
    busy,
    needsLogin,
    reachable,
    lastSuccessAt,
    loaded,
    error,
    count,
    stoppedCount,
    pendingActions,
    refresh,
    status,
    setProgress,
    syncNow,
    retry,
    discard,
    changeCategory,
    dropPhoto,
    rebase,
    reset,
  }
})
