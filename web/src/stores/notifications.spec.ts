import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { NetworkError } from '@/api/client'
import * as api from '@/api/notifications'
import type { Notification, NotificationPage } from '@/api/notifications'
import type { User } from '@/api/types'
import { useSessionStore } from './session'
import { PER_PAGE, POLL_MS, useNotificationsStore } from './notifications'

vi.mock('@/api/auth', () => ({ login: vi.fn(), logout: vi.fn(), me: vi.fn() }))
vi.mock('@/api/notifications', () => ({ listNotifications: vi.fn(), unreadCount: vi.fn(), markRead: vi.fn(), markAllRead: vi.fn() }))

const staff = (id = 7): User => ({
  id,
  username: 'staff_jinlong',
  display_name: '李社区',
  role: 'community_staff',
  org_unit: { id: 3, code: 'jinlong', name: '金龙社区', kind: 'community' },
})

const message = (id: number, read = false): Notification => ({
  id,
  kind: 'dispatched',
  title: `新问题待整改 ${id}`,
  body: '有一个问题派发到本社区。\n位置：金龙小区7栋',
  title_zh: `新问题待整改 ${id}`,
  body_zh: '',
  title_en: '',
  body_en: '',
  link: `/issues/X${id}`,
  created_at: '2025-11-23T09:00:00Z',
  read_at: read ? '2025-11-23T10:00:00Z' : null,
  is_read: read,
  issue: null,
})

const pageOf = (ids: number[], total: number, unread: number, n = 1): NotificationPage => ({
  items: ids.map((id) => message(id)),
  total,
  page: n,
  per_page: PER_PAGE,
  unread,
})

let visibility: DocumentVisibilityState = 'visible'
let onLine = true

function logIn(id = 7): void {
  const session = useSessionStore()
  session.user = staff(id)
  session.state = 'authenticated'
}

/** Let pending promises (and the watchers they trigger) run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve()
  await nextTick()
}

describe('notifications store', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    setActivePinia(createPinia())
    localStorage.clear()
    visibility = 'visible'
    onLine = true
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility })
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => onLine })
    for (const f of [api.listNotifications, api.unreadCount, api.markRead, api.markAllRead]) vi.mocked(f).mockReset()
    vi.mocked(api.unreadCount).mockResolvedValue({ unread: 3 })
  })

  afterEach(() => {
    useNotificationsStore().stop()
    vi.useRealTimers()
  })

  it('asks for the unread count at once and every 60 s while visible', async () => {
    logIn()
    const s = useNotificationsStore()
    s.start()
    await flush()
    expect(s.unread).toBe(3)
    expect(api.unreadCount).toHaveBeenCalledTimes(1)
    vi.mocked(api.unreadCount).mockResolvedValue({ unread: 4 })
    await vi.advanceTimersByTimeAsync(POLL_MS)
    expect(api.unreadCount).toHaveBeenCalledTimes(2)
    expect(s.unread).toBe(4)
    await vi.advanceTimersByTimeAsync(POLL_MS)
    expect(api.unreadCount).toHaveBeenCalledTimes(3)
  })

  it('stops while the page is hidden and asks again when it comes back or gets focus', async () => {
    logIn()
    const s = useNotificationsStore()
    s.start()
    await flush()
    visibility = 'hidden'
    document.dispatchEvent(new Event('visibilitychange'))
    await vi.advanceTimersByTimeAsync(POLL_MS * 3)
    expect(api.unreadCount).toHaveBeenCalledTimes(1)
    visibility = 'visible'
    document.dispatchEvent(new Event('visibilitychange'))
    await flush()
    expect(api.unreadCount).toHaveBeenCalledTimes(2)
    window.dispatchEvent(new Event('focus'))
    await flush()
    expect(api.unreadCount).toHaveBeenCalledTimes(3)
  })

  it('never asks while logged out, and forgets everything on logout', async () => {
    const s = useNotificationsStore()
    s.start()
    await vi.advanceTimersByTimeAsync(POLL_MS * 2)
    expect(api.unreadCount).not.toHaveBeenCalled()

    logIn()
    await flush()
    expect(s.unread).toBe(3)
    useSessionStore().state = 'anonymous'
    useSessionStore().user = null
    await flush()
    expect(s.unread).toBe(0)
    await vi.advanceTimersByTimeAsync(POLL_MS * 2)
    expect(api.unreadCount).toHaveBeenCalledTimes(1)
  })

  it('does not poll offline and asks again when the network is back', async () => {
    onLine = false
    logIn()
    const s = useNotificationsStore()
    s.start()
    await vi.advanceTimersByTimeAsync(POLL_MS * 2)
    expect(api.unreadCount).not.toHaveBeenCalled()
    onLine = true
    window.dispatchEvent(new Event('online'))
    await flush()
    expect(api.unreadCount).toHaveBeenCalledTimes(1)
    expect(s.unread).toBe(3)
  })

  it('keeps the badge when a poll gets no answer', async () => {
    logIn()
    const s = useNotificationsStore()
    s.start()
    await flush()
    vi.mocked(api.unreadCount).mockRejectedValueOnce(new NetworkError('offline'))
    await vi.advanceTimersByTimeAsync(POLL_MS)
    expect(s.unread).toBe(3)
    await vi.advanceTimersByTimeAsync(POLL_MS) // and keeps polling
    expect(api.unreadCount).toHaveBeenCalledTimes(3)
  })

  it('loads the list page by page and takes the unread count from it', async () => {
    logIn()
    const first = Array.from({ length: PER_PAGE }, (_, i) => 30 - i)
    vi.mocked(api.listNotifications).mockResolvedValueOnce(pageOf(first, 25, 5)).mockResolvedValueOnce(pageOf([10, 9, 8, 7, 6], 25, 5, 2))
    const s = useNotificationsStore()
    await s.load()
    expect(s.items).toHaveLength(PER_PAGE)
    expect(s.unread).toBe(5)
    expect(s.finished).toBe(false)
    await s.load(true)
    expect(vi.mocked(api.listNotifications).mock.calls[1][0]).toEqual({ page: 2, per_page: PER_PAGE })
    expect(s.items).toHaveLength(25)
    expect(s.finished).toBe(true)
  })

  it('keeps the items and the error when a reload fails', async () => {
    logIn()
    vi.mocked(api.listNotifications).mockResolvedValueOnce(pageOf([1], 1, 1)).mockRejectedValueOnce(new NetworkError('offline'))
    const s = useNotificationsStore()
    await s.load()
    await s.load()
    expect(s.items.map((n) => n.id)).toEqual([1])
    expect(s.error).toBeInstanceOf(NetworkError)
    expect(s.loading).toBe(false)
  })

  it('marks one read at once, and a count asked for before that does not bring the badge back', async () => {
    logIn()
    vi.mocked(api.listNotifications).mockResolvedValueOnce(pageOf([2, 1], 2, 2))
    const s = useNotificationsStore()
    await s.load()
    let answer!: (v: { unread: number }) => void
    vi.mocked(api.unreadCount).mockImplementationOnce(() => new Promise((r) => (answer = r)))
    const counting = s.refreshCount()
    await flush()
    vi.mocked(api.markRead).mockResolvedValueOnce(message(2, true))
    const marking = s.markRead(s.items[0])
    expect(s.unread).toBe(1)
    expect(s.items[0].is_read).toBe(true)
    answer({ unread: 2 }) // counted before the read was saved
    await counting
    await expect(marking).resolves.toBe(true)
    expect(s.unread).toBe(1)
    expect(api.markRead).toHaveBeenCalledWith(2)
  })

  it('waits for a read still being saved before loading the list again', async () => {
    logIn()
    vi.mocked(api.listNotifications).mockResolvedValueOnce(pageOf([1], 1, 1))
    const s = useNotificationsStore()
    await s.load()
    let saved!: (n: Notification) => void
    vi.mocked(api.markRead).mockImplementationOnce(() => new Promise((r) => (saved = r)))
    const marking = s.markRead(s.items[0])
    vi.mocked(api.listNotifications).mockResolvedValueOnce({ ...pageOf([], 1, 0), items: [message(1, true)] })
    const loading = s.load()
    await flush()
    expect(api.listNotifications).toHaveBeenCalledTimes(1) // not before the read is saved
    saved(message(1, true))
    await marking
    await loading
    expect(api.listNotifications).toHaveBeenCalledTimes(2)
    expect(s.unread).toBe(0)
  })

  it('undoes a read the server refused', async () => {
    logIn()
    vi.mocked(api.listNotifications).mockResolvedValueOnce(pageOf([1], 1, 1))
    const s = useNotificationsStore()
    await s.load()
    vi.mocked(api.markRead).mockRejectedValueOnce(new NetworkError('offline'))
    await expect(s.markRead(s.items[0])).resolves.toBe(false)
    expect(s.unread).toBe(1)
    expect(s.items[0].is_read).toBe(false)
  })

  it('marks everything read, or throws for the screen to explain', async () => {
    logIn()
    vi.mocked(api.listNotifications).mockResolvedValueOnce(pageOf([2, 1], 2, 2))
    const s = useNotificationsStore()
    await s.load()
    vi.mocked(api.markAllRead).mockRejectedValueOnce(new NetworkError('offline'))
    await expect(s.markAllRead()).rejects.toBeInstanceOf(NetworkError)
    expect(s.unread).toBe(2)
    vi.mocked(api.markAllRead).mockResolvedValueOnce({ updated: 2, unread: 0 })
    await s.markAllRead()
    expect(s.unread).toBe(0)
    expect(s.items.every((n) => n.is_read)).toBe(true)
  })

  it('forgets the last person when someone else logs in', async () => {
    logIn(7)
    vi.mocked(api.listNotifications).mockResolvedValueOnce(pageOf([1], 1, 1))
    const s = useNotificationsStore()
    await s.load()
    logIn(8)
    await flush()
    expect(s.items).toEqual([])
    expect(s.loaded).toBe(false)
  })
})
