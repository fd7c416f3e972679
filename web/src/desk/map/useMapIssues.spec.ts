import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type Component, createApp, defineComponent, h, nextTick, ref } from 'vue'
import { emptyFilters } from './filters'

function mount(component: Component) {
  const app = createApp(component)
  app.mount(document.createElement('div'))
  return app
}

const calls: { url: string; signal: AbortSignal }[] = []
const collection = (total: number) => ({ type: 'FeatureCollection', features: [], meta: { mode: 'issues', total, overdue: 0 } })

beforeEach(() => {
  vi.useFakeTimers()
  calls.length = 0
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init: RequestInit) => {
      calls.push({ url, signal: init.signal as AbortSignal })
      return new Promise<Response>((resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
        setTimeout(() => resolve(new Response(JSON.stringify(collection(calls.length)))), 100)
      })
    }),
  )
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

async function setup() {
  const { useMapIssues } = await import('./useMapIssues')
  const filters = ref(emptyFilters())
  let api!: ReturnType<typeof useMapIssues>
  const app = mount(defineComponent({ setup: () => ((api = useMapIssues(filters)), () => h('div')) }))
  return { api, filters, app }
}

describe('useMapIssues', () => {
  it('waits for the map to stop moving, then asks once for the last viewport', async () => {
    const { api, app } = await setup()
    api.setView([112.5, 26.8, 112.7, 26.9], 13)
    vi.advanceTimersByTime(100)
    api.setView([112.51, 26.8, 112.71, 26.9], 13.6)
    vi.advanceTimersByTime(300)
    expect(calls).toHaveLength(1)
    expect(calls[0].url).toBe('/api/v1/map/issues?bbox=112.510000%2C26.800000%2C112.710000%2C26.900000&zoom=13')
    await vi.advanceTimersByTimeAsync(150)
    expect(api.collection.value?.meta.total).toBe(1)
    app.unmount()
  })

  it('aborts a stale request when the filters change, and keeps only the newest answer', async () => {
    const { api, filters, app } = await setup()
    api.setView([112.5, 26.8, 112.7, 26.9], 12)
    vi.advanceTimersByTime(300)
    filters.value.overdueOnly = true
    await nextTick()
    vi.advanceTimersByTime(1)
    expect(calls).toHaveLength(2)
    expect(calls[0].signal.aborted).toBe(true)
    expect(calls[1].url).toContain('overdue=true')
    await vi.advanceTimersByTimeAsync(150)
    expect(api.collection.value?.meta.total).toBe(2)
    expect(api.error.value).toBeNull()
    app.unmount()
  })
})
