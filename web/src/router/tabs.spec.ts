import { describe, expect, it } from 'vitest'
import { TABS, tabsFor } from './tabs'

const paths = (role: keyof typeof TABS) => TABS[role].map((t) => t.to)

describe('tabs', () => {
  it('gives each role its tabs, 消息 for everyone, never more than six', () => {
    expect(paths('supervisor')).toEqual(['/desk/map', '/issues', '/dispatch', '/desk/rank', '/inbox', '/me'])
    expect(paths('admin')).toEqual(['/desk/map', '/issues', '/desk/rank', '/inbox', '/me'])
    expect(paths('street_staff')).toEqual(['/desk/map', '/issues', '/desk/rank', '/inbox', '/me'])
    expect(paths('inspector')).toEqual(['/report', '/mine', '/review', '/inbox', '/me'])
    expect(paths('community_staff')).toEqual(['/todo', '/issues', '/inbox', '/me'])
    for (const tabs of Object.values(TABS)) expect(tabs.length).toBeLessThanOrEqual(6)
    expect(tabsFor(null)).toEqual([])
  })
})
