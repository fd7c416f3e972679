// Dates, countdowns and distances as people read them. Pure: the translator is passed in.

export type Translate = (key: string, values?: Record<string, unknown>) => string

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** A duration in two units at most: "2天3小时", "5小时12分钟", "8分钟". */
export function formatDuration(ms: number, t: Translate): string {
  const abs = Math.abs(ms)
  if (abs < MINUTE) return t('time.underMinute')
  const days = Math.floor(abs / DAY)
  const hours = Math.floor((abs % DAY) / HOUR)
  const minutes = Math.floor((abs % HOUR) / MINUTE)
  const sep = t('time.days', { n: 1 }).includes(' ') ? ' ' : ''
  if (days > 0) return hours > 0 ? t('time.days', { n: days }) + sep + t('time.hours', { n: hours }) : t('time.days', { n: days })
  if (hours > 0) return minutes > 0 ? t('time.hours', { n: hours }) + sep + t('time.minutes', { n: minutes }) : t('time.hours', { n: hours })
  return t('time.minutes', { n: minutes })
}

export type Urgency = 'none' | 'ok' | 'soon' | 'overdue'

export interface Countdown {
  urgency: Urgency
  /** "剩余 2天3小时" / "已超期 5小时"; empty without a deadline. */
  text: string
  msLeft: number | null
}

/** Less than this left: shown as urgent (orange). */
export const SOON_MS = DAY

export function countdown(deadlineIso: string | null | undefined, nowMs: number, t: Translate, overdueFlag?: boolean): Countdown {
  if (!deadlineIso) return { urgency: 'none', text: '', msLeft: null }
  const left = Date.parse(deadlineIso) - nowMs
  if (Number.isNaN(left)) return { urgency: 'none', text: '', msLeft: null }
  if (left <= 0 || overdueFlag === true) {
    return { urgency: 'overdue', text: t('issue.overdueBy', { t: formatDuration(Math.min(left, 0), t) }), msLeft: left }
  }
  return { urgency: left < SOON_MS ? 'soon' : 'ok', text: t('issue.remaining', { t: formatDuration(left, t) }), msLeft: left }
}

export function formatDistance(metres: number | null | undefined, t: Translate): string {
  if (metres === null || metres === undefined || !Number.isFinite(metres)) return ''
  if (metres < 1000) return t('time.metres', { n: Math.round(metres) })
  return t('time.kilometres', { n: (metres / 1000).toFixed(metres < 10_000 ? 1 : 0) })
}

function intlLocale(locale: string): string {
  return locale === 'en' ? 'en-GB' : 'zh-CN'
}

/** "11月23日 17:43" (this year) or "2025年11月23日 17:43"; English "23 Nov, 17:43". */
export function formatDateTime(iso: string | null | undefined, locale: string, now = new Date()): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const sameYear = d.getFullYear() === now.getFullYear()
  return new Intl.DateTimeFormat(intlLocale(locale), {
    year: sameYear ? undefined : 'numeric',
    month: locale === 'en' ? 'short' : 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d)
}

export function formatDate(iso: string | Date | null | undefined, locale: string): string {
  if (!iso) return ''
  const d = iso instanceof Date ? iso : new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  return new Intl.DateTimeFormat(intlLocale(locale), { year: 'numeric', month: locale === 'en' ? 'short' : 'long', day: 'numeric' }).format(d)
}

/** A local calendar day as the API wants it: YYYY-MM-DD. */
export function isoDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}
