// Persistent storage: Safari may delete a site's data after 7 days without a visit, and any
// browser may under pressure, unless the site is allowed to persist (navigator.storage.persist()).
export interface StorageInfo {
  /** null: the browser cannot say (no StorageManager). */
  persisted: boolean | null
  usage: number | null
  quota: number | null
}

export async function storageInfo(): Promise<StorageInfo> {
  const s = typeof navigator !== 'undefined' ? navigator.storage : undefined
  if (!s) return { persisted: null, usage: null, quota: null }
  const persisted = typeof s.persisted === 'function' ? await s.persisted().catch(() => null) : null
  const estimate = typeof s.estimate === 'function' ? await s.estimate().catch(() => null) : null
  return { persisted, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null }
}

/** Ask once (browsers decide silently or ask the person); the answer, or null when unsupported. */
export async function askPersistence(): Promise<boolean | null> {
  const s = typeof navigator !== 'undefined' ? navigator.storage : undefined
  if (!s || typeof s.persist !== 'function') return null
  try {
    if (typeof s.persisted === 'function' && (await s.persisted())) return true
    return await s.persist()
  } catch {
    return null
  }
}
