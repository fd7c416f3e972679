import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import zhCN from '@/i18n/zh-CN'
import en from '@/i18n/en'
import { countdown, formatDate, formatDistance, formatDuration, isoDay, type Translate } from './format'

function translator(locale: 'zh-CN' | 'en'): Translate {
  const i18n = createI18n({ legacy: false, locale, messages: { 'zh-CN': zhCN, en } })
  return i18n.global.t as unknown as Translate
}
const zh = translator('zh-CN')
const enT = translator('en')
const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

describe('formatDuration', () => {
  it('uses two units at most, in Chinese', () => {
    expect(formatDuration(2 * DAY + 3 * HOUR + 20 * MIN, zh)).toBe('2天3小时')
    expect(formatDuration(3 * DAY, zh)).toBe('3天')
    expect(formatDuration(5 * HOUR + 12 * MIN, zh)).toBe('5小时12分钟')
    expect(formatDuration(8 * MIN + 30_000, zh)).toBe('8分钟')
    expect(formatDuration(20_000, zh)).toBe('不到1分钟')
  })
  it('works in English and for negative spans', () => {
    expect(formatDuration(-(1 * DAY + 2 * HOUR), enT)).toBe('1 d 2 h')
  })
})

describe('countdown', () => {
  const now = Date.parse('2026-11-22T10:00:00Z')
  it('counts down before the deadline', () => {
    expect(countdown('2026-11-24T13:00:00Z', now, zh)).toEqual({ urgency: 'ok', text: '剩余 2天3小时', msLeft: 2 * DAY + 3 * HOUR })
  })
  it('warns when less than a day is left', () => {
    expect(countdown('2026-11-22T15:30:00Z', now, zh).urgency).toBe('soon')
  })
  it('says how long overdue', () => {
    const c = countdown('2026-11-22T05:00:00Z', now, zh)
    expect(c.urgency).toBe('overdue')
    expect(c.text).toBe('已超期 5小时')
    expect(countdown('2026-11-22T05:00:00Z', now, enT).text).toBe('Overdue by 5 h')
  })
  it('trusts the server when it says overdue', () => {
    expect(countdown('2026-11-22T10:00:30Z', now, zh, true).urgency).toBe('overdue')
  })
  it('is empty without a deadline', () => {
    expect(countdown(null, now, zh)).toEqual({ urgency: 'none', text: '', msLeft: null })
  })
})

describe('formatDistance and dates', () => {
  it('metres then kilometres', () => {
    expect(formatDistance(42.4, zh)).toBe('42 米')
    expect(formatDistance(1530, zh)).toBe('1.5 公里')
    expect(formatDistance(15300, enT)).toBe('15 km')
    expect(formatDistance(null, zh)).toBe('')
  })
  it('isoDay is the local calendar day', () => {
    expect(isoDay(new Date(2026, 1, 3, 23, 59))).toBe('2026-02-03')
  })
  it('formatDate reads in Chinese', () => {
    expect(formatDate(new Date(2026, 10, 25, 12), 'zh-CN')).toBe('2026年11月25日')
  })
})
