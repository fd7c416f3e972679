import { describe, expect, it } from 'vitest'
import { rememberIn, suggestFrom } from './useRecentLocations'

describe('recent locations', () => {
  it('keeps the newest first, without duplicates, up to the max', () => {
    let list: string[] = []
    for (const x of ['a', 'b', 'c', 'a', ' ', 'd']) list = rememberIn(list, x, 3)
    expect(list).toEqual(['d', 'a', 'c'])
  })
  it('suggests entries containing what is typed', () => {
    const list = ['金龙小区11栋前坪', '棕榈园B3栋楼梯口', '金龙小区7栋']
    expect(suggestFrom(list, '金龙')).toEqual(['金龙小区11栋前坪', '金龙小区7栋'])
    expect(suggestFrom(list, '金龙小区7栋')).toEqual([])
    expect(suggestFrom(list, '')).toEqual(list)
  })
})
