// The 消息 centre (issue #7): the unread badge and the list of messages, with paging.
//
// The badge is asked for every 60 s while the page is visible, and at once on focus, on
// visibilitychange back to visible, on `online` and on pageshow; never while logged out, hidden
// or offline. Opening the list refreshes it too (the list's answer carries the unread count).
// Marking read is shown at once; answers that a local change overtook are not applied, and
// loads wait for the writes still under way, so the badge never jumps back.
import { computed, ref, shallowRef, watch } from 'vue'
import { defineStore } from 'pinia'
import * as api from '@/api/notifications'
import type { Notification } from '@/api/notifications'
import { useSessionStore } from '@/stores/session'

export const POLL_MS = 60_000
export const PER_PAGE = 20

function pageVisible(): boolean {
  return typeof document === 'undefined' || document.visibilityState !== 'hidden'
}

function online(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false
}

export const useNotificationsStore = defineStore('notifications', () => {
  const session = useSessionStore()
  const unread = ref(0)
  const items = ref<Notification[]>([])
  const total = ref(0)
  const page = ref(0)
  const loading = ref(false)
  const loaded = ref(false)
  const finished = ref(false)
  /** The last list load failed (items already shown stay). */
  const error = shallowRef<unknown>(null)
  const running = ref(false)

  /** Whose messages these are: null when logged out. */
  const owner = computed(() => (session.state === 'authenticated' ? (session.user?.id ?? null) : null))

  let listSeq = 0
  let edits = 0 // bumped by every local change; an answer started before one is stale
  let counting: Promise<void> | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  const writes = new Set<Promise<unknown>>()

  function canAsk(): boolean {
    return owner.value !== null && pageVisible() && online()
  }

  async function settled(): Promise<void> {
    while (writes.size) await Promise.allSettled([...writes])
  }

  function track<T>(p: Promise<T>): Promise<T> {
    writes.add(p)
    const done = () => writes.delete(p)
    p.then(done, done)
    return p
  }

  /** Ask the server for the unread count (coalesced: one request at a time). */
  function refreshCount(): Promise<void> {
    if (!canAsk()) return Promise.resolve()
    counting ??= (async () => {
      await settled()
      const who = owner.value
      const at = edits
      try {
        const answer = await api.unreadCount()
        if (owner.value === who && edits === at) unread.value = answer.unread
      } catch {
        // offline, or the session ended (the client logs out on 401): the badge stays as it was
      }
    })().finally(() => (counting = null))
    return counting
  }

  function schedule(): void {
    if (timer !== null) clearTimeout(timer)
    timer = null
    if (!running.value || !canAsk()) return
    timer = setTimeout(() => {
      timer = null
      void refreshCount().finally(schedule)
    }, POLL_MS)
  }

  /** Focus, visible again, online, back from the bfcache: ask now, then every POLL_MS. */
  function wake(): void {
    if (!running.value) return
    if (!pageVisible()) {
      schedule() // hidden: stops the timer
      return
    }
    void refreshCount()
    schedule()
  }

  /** Start polling (idempotent); follows the session: nothing while logged out. */
  function start(): void {
    if (running.value) return
    running.value = true
    window.addEventListener('focus', wake)
    window.addEventListener('online', wake)
    window.addEventListener('pageshow', wake)
    document.addEventListener('visibilitychange', wake)
    wake()
  }

  function stop(): void {
    running.value = false
    if (timer !== null) clearTimeout(timer)
    timer = null
    window.removeEventListener('focus', wake)
    window.removeEventListener('online', wake)
    window.removeEventListener('pageshow', wake)
    document.removeEventListener('visibilitychange', wake)
  }

  // Logging out (or in as someone else) forgets the last person's messages.
  watch(owner, (now, before) => {
    if (now !== before) reset()
    if (now !== null) wake()
    else schedule()
  })

  /** Page 1 (replacing the list), or the next page when `more`. */
  async function load(more = false): Promise<void> {
    if (owner.value === null) return
    const mine = ++listSeq
    const next = more ? page.value + 1 : 1
    loading.value = true
    error.value = null
    await settled()
    const who = owner.value
    const at = edits
    try {
      const result = await api.listNotifications({ page: next, per_page: PER_PAGE })
      if (listSeq !== mine || owner.value !== who) return
      const have = new Set(more ? items.value.map((n) => n.id) : [])
      items.value = more ? [...items.value, ...result.items.filter((n) => !have.has(n.id))] : result.items
      total.value = result.total
      page.value = next
      finished.value = items.value.length >= result.total || result.items.length < PER_PAGE
      loaded.value = true
      if (edits === at) unread.value = result.unread
    } catch (e) {
      if (listSeq !== mine) return
      error.value = e
      finished.value = true // no infinite scroll against a broken link
    } finally {
      if (listSeq === mine) loading.value = false
    }
  }

  function setRead(id: number, readAt: string | null): void {
    items.value = items.value.map((n) => (n.id === id ? { ...n, read_at: readAt, is_read: readAt !== null } : n))
  }

  /** Mark one message read: shown at once, undone if the server refuses. */
  async function markRead(notification: Notification): Promise<boolean> {
    if (notification.is_read) return true
    edits++
    setRead(notification.id, new Date().toISOString())
    unread.value = Math.max(0, unread.value - 1)
    try {
      const saved = await track(api.markRead(notification.id))
      items.value = items.value.map((n) => (n.id === saved.id ? saved : n))
      return true
    } catch {
      edits++
      setRead(notification.id, null)
      unread.value += 1
      return false
    }
  }

  /** 全部已读; throws (ApiError / NetworkError) for the screen to explain. */
  async function markAllRead(): Promise<void> {
    const answer = await track(api.markAllRead())
    edits++
    const now = new Date().toISOString()
    items.value = items.value.map((n) => (n.is_read ? n : { ...n, read_at: now, is_read: true }))
    unread.value = answer.unread
  }

  function reset(): void {
    listSeq++
    edits++
    unread.value = 0
    items.value = []
    total.value = 0
    page.value = 0
    loading.value = false
    loaded.value = false
    finished.value = false
    error.value = null
  }

  return {
    unread,
    items,
    total,
    page,
    loading,
    loaded,
    finished,
    error,
    running,
    start,
    stop,
    refreshCount,
    load,
    markRead,
    markAllRead,
    reset,
  }
})
