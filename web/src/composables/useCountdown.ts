// A deadline as a live countdown ("剩余 2天3小时" / "已超期 5小时"). One shared clock for the
// whole app ticks every 30 s while anything shows a countdown.
import { computed, onScopeDispose, ref, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { countdown, type Countdown } from '@/utils/format'

const now = ref(Date.now())
let users = 0
let timer: ReturnType<typeof setInterval> | null = null

export function useNow(): Ref<number> {
  users++
  if (!timer) {
    now.value = Date.now()
    timer = setInterval(() => (now.value = Date.now()), 30_000)
  }
  onScopeDispose(() => {
    users--
    if (users === 0 && timer) {
      clearInterval(timer)
      timer = null
    }
  })
  return now
}

export function useCountdown(deadline: () => string | null | undefined, overdue?: () => boolean | undefined): Ref<Countdown> {
  const { t } = useI18n()
  const clock = useNow()
  return computed(() => countdown(deadline(), clock.value, t as never, overdue?.()))
}
