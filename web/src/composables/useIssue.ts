// One issue's detail for a screen: loading, error, reload.
import { ref, shallowRef, watch } from 'vue'
import type { IssueDetail } from '@/api/types'
import { useIssuesStore } from '@/stores/issues'

export function useIssue(id: () => string) {
  const store = useIssuesStore()
  const issue = shallowRef<IssueDetail | null>(store.cachedDetail(id()))
  const loading = ref(false)
  const error = shallowRef<unknown>(null)

  async function load(force = false): Promise<void> {
    loading.value = true
    error.value = null
    try {
      issue.value = await store.loadDetail(id(), force)
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }

  watch(id, () => void load(), { immediate: true })
  return { issue, loading, error, load, set: (i: IssueDetail) => (issue.value = i) }
}
