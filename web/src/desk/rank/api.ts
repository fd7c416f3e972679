// The league table, the weekly trend and the period's documents (server/reports/views.py).
import { NetworkError, buildUrl, commonHeaders, get, toApiError } from '@/api/client'
import type { OrgUnitRef } from '@/api/types'
import type { Day, Period } from './league'

/** The figures of one unit, or of all of them (server/reports/schemas.py, FiguresSchema). */
export interface Figures {
  found: number
  rectified: number
  closed: number
  due: number
  on_time: number
  extended: number
  rectifications: number
  rejections: number
  overdue: number
  /** Ratios (0.6667), null when the base is 0. */
  rectification_rate: number | null
  on_time_rate: number | null
  rework_rate: number | null
  median_hours_to_rectify: number | null
}

export interface LeagueRow extends Figures {
  unit: OrgUnitRef
  rank: number
  previous_rank: number
}

export interface League {
  period: Period
  previous: Period
  as_of: string
  rows: LeagueRow[]
  totals: Figures & { unassigned_found: number }
}

export interface TrendWeek {
  /** ISO week, "2026-W05". */
  week: string
  from: Day
  to: Day
  found: number
  closed: number
}

export type UnitLevel = 'communities' | 'streets'

export const fetchLeague = (level: UnitLevel, period: Period, signal?: AbortSignal) =>
  get<League>(`/stats/${level}`, { from: period.from, to: period.to }, signal)

/** Found vs closed for `weeks` ISO weeks, the one holding the day `to` last. */
export const fetchTrend = (weeks: number, to: string, signal?: AbortSignal) =>
  get<{ weeks: TrendWeek[] }>('/stats/trend', { weeks, to }, signal).then((r) => r.weeks)

// ------------------------------------------------------------------ documents

export type BulletinFormat = 'docx' | 'md' | 'txt'

export const bulletinPath = (period: Period, format: BulletinFormat) =>
  buildUrl('/exports/bulletin', { from: period.from, to: period.to, format })

/** 督查限时整改一览表: the issues found in the period. */
export const issueListPath = (period: Period) => buildUrl('/exports/issues.xlsx', { from: period.from, to: period.to })

export interface DownloadedFile {
  blob: Blob
  filename: string
}

/** The file name of a Content-Disposition header: filename*=UTF-8''… first, then filename="…". */
export function filenameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition)
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim())
    } catch {
      // a malformed escape: try the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition)
  return plain ? plain[1].trim() : fallback
}

/**
 * GET a document with the session cookie, as a Blob: unlike a plain link, a refusal (a 422 for
 * too many rows, an expired session) comes back as an ApiError the screen can show.
 */
export async function fetchFile(url: string, fallbackName: string): Promise<DownloadedFile> {
  let response: Response
  try {
    response = await fetch(url, { headers: { ...commonHeaders('GET'), Accept: '*/*' }, credentials: 'same-origin' })
  } catch {
    throw new NetworkError('offline')
  }
  if (!response.ok) throw toApiError(response.status, await response.text().catch(() => ''), response.headers.get('Retry-After'))
  try {
    const blob = await response.blob()
    return { blob, filename: filenameOf(response.headers.get('Content-Disposition'), fallbackName) }
  } catch {
    throw new NetworkError('offline')
  }
}
