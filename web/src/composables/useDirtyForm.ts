// Which forms hold unsent input right now: an app update is not offered meanwhile.
import { computed, onScopeDispose, reactive, watch } from 'vue'

const dirty = reactive(new Set<symbol>())

/** True while any open form has unsent input. */
export const anyFormDirty = computed(() => dirty.size > 0)

export function useDirtyForm(isDirty: () => boolean): void {
  const me = Symbol('form')
  watch(
    isDirty,
    (d) => {
      if (d) dirty.add(me)
      else dirty.delete(me)
    },
    { immediate: true },
  )
  onScopeDispose(() => dirty.delete(me))
}
