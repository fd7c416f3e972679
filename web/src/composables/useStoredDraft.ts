// A form's text fields saved to localStorage as they are typed: opening the camera can make a
// low-memory phone reload the page, and the person must not lose the report. (Photos join
// the draft in issue #4's IndexedDB outbox.)
import { reactive, watch } from 'vue'

export function useStoredDraft<T extends object>(key: string, fresh: () => T, isEmpty: (d: T) => boolean) {
  let restored = false
  let initial = fresh()
  try {
    const raw = localStorage.getItem(key)
    if (raw) {
      const saved = { ...initial, ...(JSON.parse(raw) as Partial<T>) }
      if (!isEmpty(saved)) {
        initial = saved
        restored = true
      }
    }
  } catch {
    // unreadable: start fresh
  }
  const draft = reactive(initial) as T
  watch(
    () => JSON.stringify(draft),
    (json) => {
      try {
        if (isEmpty(draft as T)) localStorage.removeItem(key)
        else localStorage.setItem(key, json)
      } catch {
        // storage full: the form still works
      }
    },
  )
  function reset(): void {
    Object.assign(draft, fresh())
    try {
      localStorage.removeItem(key)
    } catch {
      // ignore
    }
  }
  return { draft, restored, reset }
}
