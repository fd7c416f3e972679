// A form's photos kept in IndexedDB while it is open: saved whenever they change and right
// before the camera opens (a low-memory phone may reload the page meanwhile), and put back
// when the form opens again. The text fields stay in useStoredDraft (localStorage).
import { onScopeDispose, ref, watch } from 'vue'
import { currentOwner, outbox } from '@/offline/runtime'
import type { usePhotoPicker } from './usePhotoPicker'

type Picker = ReturnType<typeof usePhotoPicker>

export function useDraftPhotos(formKey: string, picker: Picker) {
  const owner = currentOwner()
  const key = `${owner ?? 0}:${formKey}`
  const restoredCount = ref(0)
  let ready = false

  const restoring: Promise<void> =
    owner === null
      ? Promise.resolve()
      : outbox
          .draft(owner, key)
          .then((saved) => {
            if (saved.length && !picker.photos.value.length) {
              picker.restore(saved)
              restoredCount.value = saved.length
            }
          })
          .catch(() => undefined)
          .finally(() => (ready = true))
  if (owner === null) ready = true

  /** Write the photos as they are now (before the camera opens, after every change). */
  function save(): Promise<void> {
    if (!ready || owner === null) return Promise.resolve()
    return outbox.saveDraft(owner, key, picker.snapshot()).catch(() => undefined)
  }

  function clear(): Promise<void> {
    return outbox.dropDraft(key).catch(() => undefined)
  }

  // Leaving the screen clears the picker: that is not the person removing photos.
  let disposed = false
  onScopeDispose(() => (disposed = true))
  watch(
    () => picker.photos.value.map((p) => `${p.clientId}:${p.state}`).join(','),
    () => {
      if (!disposed) void save()
    },
  )
  return { restoring, restoredCount, save, clear }
}
