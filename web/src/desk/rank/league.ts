// The league screen's arithmetic, pure: periods as local days in Asia/Shanghai, the rank
// arrows, figures as people read them, sorting, and the weeks the trend chart shows.
// Days are 'YYYY-MM-DD' strings (what the API takes); sums are done on UTC dates, so the
// browser's own time zone never shifts a day.

export const ZONE = 'Asia/Shanghai'

export type Day = string
export interface Period {
  from: Day
  to: Day
}

export const PRESETS = ['thisWeek', 'lastWeek', 'last7', 'last30', 'thisMonth'] as const
export type Preset = (typeof PRESETS)[number]

/** Today's date where the campaign runs (Asia/Shanghai), whatever the device's zone. */
export function localToday(now: Date = new Date(), zone = ZONE): Day {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now)
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}-${part('day')}`
}

function toUtc(day: Day): Date {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d))
}

function fromUtc(date: Date): Day {
  return date.toISOString().slice(0, 10)
}

export function addDays(day: Day, n: number): Day {
  const date = toUtc(day)
  date.setUTCDate(date.getUTCDate() + n)
  return fromUtc(date)
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: Day, b: Day): number {
  return Math.round((toUtc(b).getTime() - toUtc(a).getTime()) / 86_400_000)
}

/** The Monday of the ISO week holding this day. */
export function mondayOf(day: Day): Day {
  const weekday = (toUtc(day).getUTCDay() + 6) % 7 // Monday 0 … Sunday 6
  return addDays(day, -weekday)
}

/**
 * A preset's days, both included. Periods that are still running end today (本周 is Monday
 * to today, 本月 the 1st to today): the bulletin then names the days it really covers, and
 * the server compares with the same number of days just before.
 */
export function presetPeriod(preset: Preset, today: Day): Period {
  switch (preset) {
    case 'thisWeek':
      return { from: mondayOf(today), to: today }
    case 'lastWeek': {
      const monday = addDays(mondayOf(today), -7)
      return { from: monday, to: addDays(monday, 6) }
    }
    case 'last7':
      return { from: addDays(today, -6), to: today }
    case 'last30':
      return { from: addDays(today, -29), to: today }
    case 'thisMonth':
      return { from: `${today.slice(0, 8)}01`, to: today }
  }
}

/** Which preset these days are, if any (a custom range that happens to match one shows it). */
export function presetOf(period: Period, today: Day): Preset | null {
  return PRESETS.find((p) => {
    const candidate = presetPeriod(p, today)
    return candidate.from === period.from && candidate.to === period.to
  }) ?? null
}

/** The server's longest period. */
export const MAX_DAYS = 366

/** A custom range from the calendar: ordered, at most MAX_DAYS long (cut at the start). */
export function customPeriod(a: Day, b: Day): Period {
  const [from, to] = a <= b ? [a, b] : [b, a]
  return daysBetween(from, to) + 1 > MAX_DAYS ? { from: addDays(to, -(MAX_DAYS - 1)), to } : { from, to }
}

/** A calendar Date (its local fields are the day) as 'YYYY-MM-DD', and back. */
export function dayOfDate(d: Date): Day {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

export function dateOfDay(day: Day): Date {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(y, m - 1, d)
}

// ------------------------------------------------------------------ rank arrows

export type Movement = 'up' | 'down' | 'same'

export interface Arrow {
  movement: Movement
  /** Places gained (up) or lost (down); 0 when the same. */
  places: number
  symbol: '↑' | '↓' | '—'
}

/** Rank 1 is best: a smaller rank than before is a move up. */
export function rankArrow(rank: number, previousRank: number | null | undefined): Arrow {
  if (previousRank === null || previousRank === undefined || previousRank === rank) return { movement: 'same', places: 0, symbol: '—' }
  return previousRank > rank
    ? { movement: 'up', places: previousRank - rank, symbol: '↑' }
    : { movement: 'down', places: rank - previousRank, symbol: '↓' }
}

// ------------------------------------------------------------------ figures

export const NONE = '—'

/** A ratio (0.6667) as a percentage with at most one decimal: "66.7%"; no base → "—". */
export function formatRate(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return NONE
  const tenths = Math.round(ratio * 1000) / 10
  return `${Number.isInteger(tenths) ? tenths.toFixed(0) : tenths.toFixed(1)}%`
}

export type Translate = (key: string, values?: Record<string, unknown>) => string

/** Median hours as read: under two days in hours ("5.5小时"), then in days ("3.2天"). */
export function formatHours(hours: number | null | undefined, t: Translate): string {
  if (hours === null || hours === undefined || !Number.isFinite(hours)) return NONE
  const trim = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1))
  if (hours < 48) return t('rank.hours', { n: trim(Math.round(hours * 10) / 10) })
  return t('rank.days', { n: trim(Math.round((hours / 24) * 10) / 10) })
}

// ------------------------------------------------------------------ sorting

export type SortKey =
  | 'rank'
  | 'name'
  | 'found'
  | 'rectified'
  | 'closed'
  | 'rectification_rate'
  | 'on_time_rate'
  | 'rework_rate'
  | 'overdue'
  | 'median_hours_to_rectify'

export interface Sort {
  key: SortKey
  descending: boolean
}

export const DEFAULT_SORT: Sort = { key: 'rank', descending: false }

/** The direction a column sorts in first: counts and good rates high first, the rest low first. */
export function firstDirection(key: SortKey): boolean {
  return ['found', 'rectified', 'closed', 'rectification_rate', 'on_time_rate', 'overdue'].includes(key)
}

/** Clicking a header: the same column flips, another column starts in its natural direction. */
export function nextSort(current: Sort, key: SortKey): Sort {
  return current.key === key ? { key, descending: !current.descending } : { key, descending: firstDirection(key) }
}

export interface SortableRow {
  rank: number
  unit: { name: string }
  found: number
  rectified: number
  closed: number
  rectification_rate: number | null
  on_time_rate: number | null
  rework_rate: number | null
  overdue: number
  median_hours_to_rectify: number | null
}

/** A sorted copy: missing figures ("—") always last, ties by rank then name. */
export function sortRows<T extends SortableRow>(rows: readonly T[], sort: Sort): T[] {
  const sign = sort.descending ? -1 : 1
  const value = (row: T): number | string | null => (sort.key === 'name' ? row.unit.name : row[sort.key])
  return [...rows].sort((a, b) => {
    const va = value(a)
    const vb = value(b)
    if (va !== vb) {
      if (va === null) return 1
      if (vb === null) return -1
      const order = typeof va === 'string' ? va.localeCompare(String(vb), 'zh-CN') : va - (vb as number)
      if (order !== 0) return sign * order
    }
    return a.rank - b.rank || a.unit.name.localeCompare(b.unit.name, 'zh-CN')
  })
}

// ------------------------------------------------------------------ the trend's weeks

/** The trend shows at least this many weeks, so that a short period still has a trend. */
export const MIN_TREND_WEEKS = 8
const MAX_TREND_WEEKS = 52

export interface TrendWindow {
  /** How many weeks to ask for, counting back from the week of `last`. */
  weeks: number
  /** Mondays of the first and last week to show. */
  first: Day
  last: Day
}

/**
 * The weeks for a period: from the week holding `from` (or MIN_TREND_WEEKS back from the
 * week holding `to`, if earlier) to the week holding `to` (this week at the latest).
 */
export function trendWindow(period: Period, today: Day): TrendWindow {
  const current = mondayOf(today)
  const last = mondayOf(period.to) > current ? current : mondayOf(period.to)
  const earliest = addDays(last, -7 * (MIN_TREND_WEEKS - 1))
  let first = mondayOf(period.from) < earliest ? mondayOf(period.from) : earliest
  let weeks = daysBetween(first, last) / 7 + 1
  if (weeks > MAX_TREND_WEEKS) {
    weeks = MAX_TREND_WEEKS
    first = addDays(last, -7 * (MAX_TREND_WEEKS - 1))
  }
  return { weeks, first, last }
}

/** The API's weeks kept to the window. */
export function weeksIn<T extends { from: Day }>(weeks: readonly T[], window: TrendWindow): T[] {
  return weeks.filter((w) => w.from >= window.first && w.from <= window.last)
}

/** Whether a week (its Monday) overlaps the period: the chart marks those. */
export function weekInPeriod(monday: Day, period: Period): boolean {
  return monday <= period.to && addDays(monday, 6) >= period.from
}
