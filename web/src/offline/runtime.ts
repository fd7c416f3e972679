// The app's one outbox and offline cache, and who is logged in (sync.ts adds the engine).
import { db } from './db'
import { OfflineCache } from './cache'
import type { EngineListener } from './engine'
import { Outbox } from './outbox'

let ownerId: number | null = null

/** The logged-in user's id: only their items are sent and only their cache is read. */
export function currentOwner(): number | null {
  return ownerId
}

export function setOwner(id: number | null): void {
  ownerId = id
}

export const hooks: Partial<EngineListener> = {}

export function listen(h: Partial<EngineListener>): void {
  Object.assign(hooks, h)
}

export const outbox = new Outbox(db, () => hooks.changed?.())
export const cache = new OfflineCache(db)
