// The issues of the map's viewport with the current filters: fetched when the map stops moving
// (debounced) or a filter changes; a newer request aborts the older one, so a slow answer for
// an old viewport never replaces a newer one.
import { onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue'
import { isNetworkError } from '@/api/client'
import { type BBox, type MapCollection, getMapIssues } from './api'
import { type DeskFilters, mapQuery } from './filters'

export const MOVE_DEBOUNCE_MS = 250

export function useMapIssues(filters: Ref<DeskFilters>) {
  const collection = shallowRef<MapCollection | null>(null)
  const loading = ref(false)
  const error = ref<unknown>(null)
  let view: { bbox: BBox; zoom: number } | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  let controller: AbortController | null = null

  function schedule(delay: number): void {
    clearTimeout(timer)
    timer = setTimeout(() => void load(), delay)
  }

  async function load(): Promise<void> {
    if (!view) return
    controller?.abort()
    const mine = new AbortController()
    controller = mine
    loading.value = true
    try {
      const answer = await getMapIssues(view.bbox, view.zoom, mapQuery(filters.value), mine.signal)
      if (controller === mine) {
        collection.value = answer
        error.value = null
      }
    } catch (e) {
      if (controller === mine && !(isNetworkError(e) && e.kind === 'aborted')) error.value = e
    } finally {
      if (controller === mine) loading.value = false
    }
  }

  /** The map moved: fetch once it has stopped for a moment. */
  function setView(bbox: BBox, zoom: number): void {
    view = { bbox, zoom }
    schedule(MOVE_DEBOUNCE_MS)
  }

  watch(filters, () => schedule(0), { deep: true })
  onBeforeUnmount(() => {
    clearTimeout(timer)
    controller?.abort()
  })

  return { collection, loading, error, setView, reload: () => schedule(0) }
}
