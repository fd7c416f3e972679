// A screen's handle on the submission module: run a job, watch its progress, read its error.
import { computed, ref, shallowRef } from 'vue'
import { submitter, type Job, type Outcome, type Progress } from '@/submission'
import { useIssuesStore } from '@/stores/issues'

export function useSubmission() {
  const issues = useIssuesStore()
  const running = ref(false)
  const progress = shallowRef<Progress | null>(null)
  const error = shallowRef<unknown>(null)

  const photosDone = computed(() => progress.value?.photos.filter((p) => p.state === 'done').length ?? 0)
  const photosTotal = computed(() => progress.value?.photos.length ?? 0)

  /** Send the job; the outcome, or null with `error` set. Run the same job again to retry. */
  async function run(job: Job): Promise<Outcome | null> {
    if (running.value) return null
    running.value = true
    error.value = null
    progress.value = null
    try {
      const outcome = await submitter().submit(job, (p) => (progress.value = p))
      issues.written(outcome.state === 'sent' ? outcome.issue : null)
      return outcome
    } catch (e) {
      error.value = e
      return null
    } finally {
      running.value = false
    }
  }

  return { running, progress, error, photosDone, photosTotal, run }
}
