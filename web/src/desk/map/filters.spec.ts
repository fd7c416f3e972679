import { describe, expect, it } from 'vitest'
import { buildUrl } from '@/api/client'
import { excelUrl } from './api'
import { activeFilterCount, emptyFilters, exportQuery, mapQuery } from './filters'

describe('desk filters', () => {
  it('send nothing by default: the map shows the open issues', () => {
    expect(buildUrl('/map/issues', mapQuery(emptyFilters()))).toBe('/api/v1/map/issues')
    expect(activeFilterCount(emptyFilters())).toBe(0)
  })

  it('export the same issues the map shows', () => {
    const f = { statuses: [], category: 'illegal_shed', communityId: 7, overdueOnly: true }
    expect(mapQuery(f)).toEqual({ status: undefined, category: 'illegal_shed', community_id: 7, overdue: true })
    expect(excelUrl(exportQuery(f))).toBe(
      '/api/v1/exports/issues.xlsx?status=reported%2Cassigned%2Crectified&category=illegal_shed&community_id=7&overdue=true',
    )
    expect(activeFilterCount(f)).toBe(3)
  })

  it('keep the chosen statuses', () => {
    const f = { ...emptyFilters(), statuses: ['closed' as const] }
    expect(exportQuery(f).status).toBe('closed')
    expect(mapQuery(f).status).toBe('closed')
  })
})
