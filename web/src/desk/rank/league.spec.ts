import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import zhCN from '@/i18n/zh-CN'
import en from '@/i18n/en'
import { filenameOf } from './api'
import {
  addDays,
  customPeriod,
  dateOfDay,
  dayOfDate,
  formatHours,
  formatRate,
  localToday,
  mondayOf,
  nextSort,
  presetOf,
  presetPeriod,
  rankArrow,
  sortRows,
  trendWindow,
  weekInPeriod,
  weeksIn,
  type SortableRow,
  type Translate,
} from './league'

function translator(locale: 'zh-CN' | 'en'): Translate {
  const i18n = createI18n({ legacy: false, locale, messages: { 'zh-CN': zhCN, en } })
  return i18n.global.t as unknown as Translate
}

describe('local days in Asia/Shanghai', () => {
  it('takes today from Shanghai, not from the device', () => {
    // 2026-01-07 17:30 UTC is already Thursday 8 January 01:30 in Shanghai
    expect(localToday(new Date('2026-01-07T17:30:00Z'))).toBe('2026-01-08')
    expect(localToday(new Date('2026-01-07T15:59:59Z'))).toBe('2026-01-07')
  })

  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01')
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
  })

  it('finds the Monday of an ISO week', () => {
    expect(mondayOf('2026-01-08')).toBe('2026-01-05') // Thursday
    expect(mondayOf('2026-01-05')).toBe('2026-01-05') // Monday
    expect(mondayOf('2026-01-11')).toBe('2026-01-05') // Sunday
    expect(mondayOf('2026-01-01')).toBe('2025-12-29') // across the year
  })
})

describe('presetPeriod', () => {
  const thursday = '2026-01-08'

  it('gives each preset its days, both included, ending today at the latest', () => {
    expect(presetPeriod('thisWeek', thursday)).toEqual({ from: '2026-01-05', to: '2026-01-08' })
    expect(presetPeriod('lastWeek', thursday)).toEqual({ from: '2025-12-29', to: '2026-01-04' })
    expect(presetPeriod('last7', thursday)).toEqual({ from: '2026-01-02', to: '2026-01-08' })
    expect(presetPeriod('last30', thursday)).toEqual({ from: '2025-12-10', to: '2026-01-08' })
    expect(presetPeriod('thisMonth', thursday)).toEqual({ from: '2026-01-01', to: '2026-01-08' })
  })

  it('on a Monday, this week is one day and last week the full week before', () => {
    expect(presetPeriod('thisWeek', '2026-01-05')).toEqual({ from: '2026-01-05', to: '2026-01-05' })
    expect(presetPeriod('lastWeek', '2026-01-05')).toEqual({ from: '2025-12-29', to: '2026-01-04' })
  })

  it('recognises a preset from its days', () => {
    expect(presetOf({ from: '2026-01-02', to: '2026-01-08' }, thursday)).toBe('last7')
    expect(presetOf({ from: '2026-01-03', to: '2026-01-08' }, thursday)).toBeNull()
  })
})

describe('customPeriod', () => {
  it('orders the days and cuts a range to 366 days', () => {
    expect(customPeriod('2026-01-08', '2026-01-01')).toEqual({ from: '2026-01-01', to: '2026-01-08' })
    expect(customPeriod('2024-01-01', '2026-01-08')).toEqual({ from: addDays('2026-01-08', -365), to: '2026-01-08' })
  })

  it('turns calendar dates into days and back, by their local fields', () => {
    expect(dayOfDate(new Date(2026, 0, 8))).toBe('2026-01-08')
    expect(dayOfDate(dateOfDay('2026-12-31'))).toBe('2026-12-31')
  })
})

describe('rankArrow', () => {
  it('points up when the rank number fell', () => {
    expect(rankArrow(1, 3)).toEqual({ movement: 'up', places: 2, symbol: '↑' })
  })
  it('points down when it rose', () => {
    expect(rankArrow(3, 1)).toEqual({ movement: 'down', places: 2, symbol: '↓' })
  })
  it('shows a dash when unchanged or unknown', () => {
    expect(rankArrow(2, 2)).toEqual({ movement: 'same', places: 0, symbol: '—' })
    expect(rankArrow(2, null)).toEqual({ movement: 'same', places: 0, symbol: '—' })
  })
})

describe('formatRate', () => {
  it('shows ratios as percentages with at most one decimal', () => {
    expect(formatRate(0.6667)).toBe('66.7%')
    expect(formatRate(1)).toBe('100%')
    expect(formatRate(0)).toBe('0%')
    expect(formatRate(0.5)).toBe('50%')
    expect(formatRate(1.25)).toBe('125%') // a backlog closed: 整改率 may pass 100 %
  })
  it('shows a dash without a base', () => {
    expect(formatRate(null)).toBe('—')
    expect(formatRate(undefined)).toBe('—')
  })
})

describe('formatHours', () => {
  const zh = translator('zh-CN')
  const enT = translator('en')
  it('uses hours under two days, then days', () => {
    expect(formatHours(5.5, zh)).toBe('5.5小时')
    expect(formatHours(24, zh)).toBe('24小时')
    expect(formatHours(72, zh)).toBe('3天')
    expect(formatHours(60, zh)).toBe('2.5天')
    expect(formatHours(5.5, enT)).toBe('5.5 h')
    expect(formatHours(null, zh)).toBe('—')
  })
})

describe('sorting', () => {
  const row = (name: string, rank: number, onTime: number | null, found: number): SortableRow => ({
    rank,
    unit: { name },
    found,
    rectified: 0,
    closed: 0,
    rectification_rate: null,
    on_time_rate: onTime,
    rework_rate: null,
    overdue: 0,
    median_hours_to_rectify: null,
  })
  const rows = [row('祥瑞社区', 3, null, 5), row('金龙社区', 1, 0.9, 2), row('金源社区', 2, 0.5, 9)]

  it('sorts by rank by default and keeps missing figures last both ways', () => {
    expect(sortRows(rows, { key: 'rank', descending: false }).map((r) => r.rank)).toEqual([1, 2, 3])
    expect(sortRows(rows, { key: 'on_time_rate', descending: true }).map((r) => r.rank)).toEqual([1, 2, 3])
    expect(sortRows(rows, { key: 'on_time_rate', descending: false }).map((r) => r.rank)).toEqual([2, 1, 3])
    expect(sortRows(rows, { key: 'found', descending: true }).map((r) => r.found)).toEqual([9, 5, 2])
  })

  it('does not change the rows it is given', () => {
    const before = rows.map((r) => r.rank)
    sortRows(rows, { key: 'found', descending: true })
    expect(rows.map((r) => r.rank)).toEqual(before)
  })

  it('flips the same column and starts another in its natural direction', () => {
    expect(nextSort({ key: 'rank', descending: false }, 'rank')).toEqual({ key: 'rank', descending: true })
    expect(nextSort({ key: 'rank', descending: false }, 'found')).toEqual({ key: 'found', descending: true })
    expect(nextSort({ key: 'found', descending: true }, 'rework_rate')).toEqual({ key: 'rework_rate', descending: false })
  })
})

describe('trend weeks', () => {
  const today = '2026-01-08' // Thursday; its week starts 2026-01-05

  it('shows at least eight weeks up to the week holding the end', () => {
    const span = trendWindow({ from: '2026-01-05', to: '2026-01-08' }, today)
    expect(span).toEqual({ weeks: 8, first: '2025-11-17', last: '2026-01-05' })
  })

  it('reaches back to the start of a long period', () => {
    const span = trendWindow({ from: '2025-10-01', to: '2026-01-08' }, today)
    expect(span.first).toBe('2025-09-29')
    expect(span.weeks).toBe(15)
  })

  it('stops at the week of a past period', () => {
    const span = trendWindow({ from: '2025-12-29', to: '2026-01-04' }, today)
    expect(span).toEqual({ weeks: 8, first: '2025-11-10', last: '2025-12-29' }) // counted back from `last`
    const weeks = Array.from({ length: 9 }, (_, i) => ({ from: addDays('2025-11-10', 7 * i) }))
    expect(weeksIn(weeks, span).map((w) => w.from)).toEqual(weeks.slice(0, 8).map((w) => w.from))
  })

  it('ends this week for a period running into the future', () => {
    expect(trendWindow({ from: '2026-01-05', to: '2026-01-31' }, today).last).toBe('2026-01-05')
  })

  it('asks for 52 weeks at most', () => {
    expect(trendWindow({ from: '2024-06-01', to: '2025-06-01' }, today).weeks).toBe(52)
  })

  it('marks the weeks that overlap the period', () => {
    const period = { from: '2026-01-01', to: '2026-01-08' }
    expect(weekInPeriod('2025-12-29', period)).toBe(true)
    expect(weekInPeriod('2026-01-05', period)).toBe(true)
    expect(weekInPeriod('2025-12-22', period)).toBe(false)
  })
})

describe('filenameOf', () => {
  it('prefers the UTF-8 name of RFC 5987', () => {
    const header = `attachment; filename=bulletin.docx; filename*=UTF-8''${encodeURIComponent('督查通报.docx')}`
    expect(filenameOf(header, 'x')).toBe('督查通报.docx')
  })
  it('falls back to the plain name, then to the given one', () => {
    expect(filenameOf('inline; filename="list.md"', 'x')).toBe('list.md')
    expect(filenameOf(null, 'fallback.txt')).toBe('fallback.txt')
  })
})

describe('the rank strings', () => {
  function keys(tree: object, prefix = 'rank'): string[] {
    return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}.${k}`] : keys(v as object, `${prefix}.${k}`)))
  }

  it('compile in both languages and differ from their keys', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const t = translator(locale)
      for (const key of keys(zhCN.rank)) {
        const text = t(key, { n: 1, from: 'a', to: 'b', time: 'c', name: 'd', column: 'e', level: 'f' })
        expect(text, `${locale} ${key}`).not.toBe(key)
        expect(text, `${locale} ${key}`).not.toMatch(/[{}]/)
      }
    }
  })
})
