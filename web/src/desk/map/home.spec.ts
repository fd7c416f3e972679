import { describe, expect, it } from 'vitest'
import { homeFor } from '@/stores/session'

describe('where the desk roles start', () => {
  it('is the map at a desk, their phone home on a phone', () => {
    expect(homeFor('supervisor', true)).toBe('/desk/map')
    expect(homeFor('street_staff', true)).toBe('/desk/map')
    expect(homeFor('supervisor', false)).toBe('/issues')
    expect(homeFor('inspector', true)).toBe('/report')
    expect(homeFor('community_staff', true)).toBe('/todo')
  })
})
