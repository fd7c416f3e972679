import { describe, expect, it } from 'vitest'
import type { Category } from '@/api/types'
import { groupCategories } from './categories'

const cat = (code: string, group: string, extra: Partial<Category> = {}): Category => ({
  code,
  group_code: group,
  group_zh: `${group}组`,
  group_en: group,
  name_zh: code,
  name_en: code,
  kind: 'site',
  deadline_unit: 'days',
  deadline_amount: 1,
  ...extra,
})

describe('groupCategories', () => {
  it('groups in server order and leaves out disabled categories', () => {
    const groups = groupCategories([
      cat('corridor_clutter', 'sanitation'),
      cat('illegal_shed', 'construction'),
      cat('debris', 'sanitation'),
      cat('old', 'construction', { is_active: false }),
      cat('paperwork', 'documents', { kind: 'document' }),
    ])
    expect(groups.map((g) => g.code)).toEqual(['sanitation', 'construction', 'documents'])
    expect(groups[0].items.map((c) => c.code)).toEqual(['corridor_clutter', 'debris'])
    expect(groups[1].items.map((c) => c.code)).toEqual(['illegal_shed'])
    expect(groups[0].zh).toBe('sanitation组')
  })
})
