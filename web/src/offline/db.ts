// The phone's own database (IndexedDB through idb): the outbox of writes not yet confirmed by
// the server, the drafts of open forms (photos included), and what was last seen of the
// lists a person needs offline (待复查 / 待整改) with their thumbnails as bytes, never as
// signed links (those expire after 15 minutes).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { IssueDetail, IssueSummary, PhotoFacts } from '@/api/types'
import type { Job } from '@/submission/types'

/** Why the last attempt of an item failed, kept with it (shown to the person). */
export interface StoredError {
  /** network: nothing came back; server: 5xx/429, retried; refused: a 4xx, stopped; auth: log in again. */
  kind: 'network' | 'server' | 'refused' | 'auth'
  status: number | null
  code: string | null
  /** The server's own sentence (already in the person's language) when it sent one. */
  message: string
  fromServer: boolean
  step: 'photo' | 'save'
  photoIndex: number | null
  at: number
}

export type ItemState = 'waiting' | 'stopped'

export interface OutboxRecord {
  /** The job's id, sent as client_id. */
  id: string
  /** The user who did it: only their session sends it. */
  owner: number
  /** Order of creation (ms, made unique): items are sent oldest first. */
  seq: number
  job: Job
  state: ItemState
  attempts: number
  /** Not before this time (ms since epoch); 0 = as soon as possible. */
  nextAt: number
  error: StoredError | null
  /** What to call it in the list, fixed when it was queued. */
  label: { zh: string; en: string }
  /** For actions: the issue's place, to recognise it. */
  place: string
}

/** A photo of an open form: shrunk already (ready) or the original still to shrink. */
export interface DraftPhoto {
  clientId: string
  name: string
  blob: Blob
  fileName: string
  exif: PhotoFacts
  fix: { lat: number; lon: number; accuracy: number; at: number } | null
  ready: boolean
  shrunk: boolean
}

export interface DraftRecord {
  key: string
  owner: number
  photos: DraftPhoto[]
  savedAt: number
}

export interface CachedList {
  key: string // `${owner}:${name}`
  owner: number
  name: string
  items: IssueSummary[]
  total: number
  at: number
}

export interface CachedDetail {
  key: string // `${owner}:${issueId}`
  owner: number
  issue: IssueDetail
  at: number
}

export interface CachedThumb {
  key: string // `${owner}:${photoId or 'issue:'+issueId}`
  owner: number
  issueId: string
  blob: Blob
  at: number
}

export interface XunchaDB extends DBSchema {
  outbox: { key: string; value: OutboxRecord; indexes: { owner: number } }
  drafts: { key: string; value: DraftRecord }
  lists: { key: string; value: CachedList; indexes: { owner: number } }
  details: { key: string; value: CachedDetail; indexes: { owner: number } }
  thumbs: { key: string; value: CachedThumb; indexes: { owner: number; issue: [number, string] } }
}

export type Db = IDBPDatabase<XunchaDB>

export const DB_NAME = 'xuncha'
const VERSION = 1

export function openXunchaDb(name = DB_NAME): Promise<Db> {
  return openDB<XunchaDB>(name, VERSION, {
    upgrade(db) {
      db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('owner', 'owner')
      db.createObjectStore('drafts', { keyPath: 'key' })
      db.createObjectStore('lists', { keyPath: 'key' }).createIndex('owner', 'owner')
      db.createObjectStore('details', { keyPath: 'key' }).createIndex('owner', 'owner')
      const thumbs = db.createObjectStore('thumbs', { keyPath: 'key' })
      thumbs.createIndex('owner', 'owner')
      thumbs.createIndex('issue', ['owner', 'issueId'])
    },
    blocking() {
      // A newer version of the app wants to upgrade the schema: let it (this tab reloads on 更新).
    },
  })
}

let shared: Promise<Db> | null = null

/** The app's one connection (opened on first use). */
export function db(): Promise<Db> {
  shared ??= openXunchaDb()
  return shared
}
