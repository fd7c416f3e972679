// The 消息 centre (issue #7): your in-app messages, newest first, and the unread badge.
import { get, post } from './client'
import type { Page } from './types'

/** The server's NotificationKind (server/notifications/models.py). */
export type NotificationKind =
  | 'dispatched'
  | 'rectified'
  | 'rejected'
  | 'extension_requested'
  | 'extension_approved'
  | 'extension_denied'
  | 'disputed'
  | 'reminder'
  | 'overdue'
  | 'digest'

export const NOTIFICATION_KINDS: NotificationKind[] = [
  'dispatched',
  'rectified',
  'rejected',
  'extension_requested',
  'extension_approved',
  'extension_denied',
  'disputed',
  'reminder',
  'overdue',
  'digest',
]

/** One message (NotificationSchema): title and body in the language asked for, both alongside. */
export interface Notification {
  id: number
  kind: NotificationKind | string
  title: string
  body: string
  title_zh: string
  body_zh: string
  title_en: string
  body_en: string
  /** In-app path: /issues/<public id>, or /issues for a digest. */
  link: string
  created_at: string
  read_at: string | null
  is_read: boolean
  /** The issue it is about (none for a digest). */
  issue: NotificationIssue | null
}

export interface NotificationIssue {
  id: string
  category: { code: string; name_zh: string; name_en: string }
  location_text: string
  community: { id: number; name: string } | null
}

export interface NotificationPage extends Page<Notification> {
  /** Unread messages in all (not just on this page). */
  unread: number
}

export const listNotifications = (q: { page?: number; per_page?: number; unread?: boolean } = {}, signal?: AbortSignal) =>
  get<NotificationPage>('/notifications', { page: q.page, per_page: q.per_page, unread: q.unread ? 1 : undefined }, signal)
export const unreadCount = (signal?: AbortSignal) => get<{ unread: number }>('/notifications/unread-count', undefined, signal)
export const markRead = (id: number) => post<Notification>(`/notifications/${id}/read`)
export const markAllRead = () => post<{ updated: number; unread: number }>('/notifications/read-all')
