import { describe, expect, it } from 'vitest'
import type { IssueSummary } from '@/api/types'
import { distanceM, nearbyFrom } from './nearby'

const NOW = Date.parse('2026-11-22T08:00:00Z')
const at = { lat: 26.86, lon: 112.6 }
const issue = (id: string, over: Partial<IssueSummary>): IssueSummary =>
  ({ id, status: 'assigned', category: { code: 'debris' }, lat: at.lat, lon: at.lon, closed_at: null, distance_m: null, ...over }) as IssueSummary

describe('nearby issues offline', () => {
  it('measures metres like the server', () => {
    expect(distanceM(at, { lat: at.lat + 0.0001, lon: at.lon })).toBeCloseTo(11.1, 1)
  })

  it('keeps the same category within 50 m, open or closed in the last 30 days, nearest first', () => {
    const items = [
      issue('far', { lat: at.lat + 0.001 }), // ~111 m
      issue('near', { lat: at.lat + 0.0002 }), // ~22 m
      issue('here', {}),
      issue('other-category', { category: { code: 'signage' } as IssueSummary['category'] }),
      issue('closed-lately', { status: 'closed', closed_at: '2026-11-10T00:00:00Z' }),
      issue('closed-long-ago', { status: 'closed', closed_at: '2026-09-01T00:00:00Z' }),
      issue('cancelled', { status: 'cancelled' }),
      issue('no-gps', { lat: null, lon: null }),
    ]
    const found = nearbyFrom(items, at, 'debris', NOW)
    expect(found.map((i) => i.id)).toEqual(['here', 'closed-lately', 'near'])
    expect(found[2].distance_m).toBeCloseTo(22.3, 0)
  })
})
