// The desk's filters, and the same filters as the map endpoint and the Excel export read them.
import type { Query } from '@/api/client'
import type { Status } from '@/api/types'

/** What the map shows when no status is chosen (the server's default too): the open issues. */
export const OPEN_STATUSES: Status[] = ['reported', 'assigned', 'rectified']
export const ALL_STATUSES: Status[] = ['reported', 'assigned', 'rectified', 'closed', 'cancelled']

export interface DeskFilters {
  statuses: Status[]
  category: string | null
  communityId: number | null
  overdueOnly: boolean
}

export const emptyFilters = (): DeskFilters => ({ statuses: [], category: null, communityId: null, overdueOnly: false })

/** For GET /map/issues: nothing sent means the server's defaults. */
export function mapQuery(f: DeskFilters): Query {
  return {
    status: f.statuses.length ? f.statuses.join(',') : undefined,
    category: f.category ?? undefined,
    community_id: f.communityId ?? undefined,
    overdue: f.overdueOnly ? true : undefined,
  }
}

/**
 * For GET /exports/issues.xlsx: the same issues as the map. The export's own default is every
 * status, so the open ones are named when none is chosen.
 */
export function exportQuery(f: DeskFilters): Query {
  return { ...mapQuery(f), status: (f.statuses.length ? f.statuses : OPEN_STATUSES).join(',') }
}

export function activeFilterCount(f: DeskFilters): number {
  return [f.statuses.length > 0, f.category !== null, f.communityId !== null, f.overdueOnly].filter(Boolean).length
}
