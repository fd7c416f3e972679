// Problem categories (with their group, for the grid) and the communities in my area.
// Both change rarely: kept in localStorage too, so the report screen works on a bad link.
import { computed, ref } from 'vue'
import { defineStore } from 'pinia'
import { listCategories } from '@/api/categories'
import { listCommunities } from '@/api/communities'
import type { Category, Community } from '@/api/types'

export interface CategoryGroup {
  code: string
  zh: string
  en: string
  items: Category[]
}

/** Categories grouped in the order the server lists them (DESIGN.md §3). */
export function groupCategories(items: Category[]): CategoryGroup[] {
  const groups: CategoryGroup[] = []
  const byCode = new Map<string, CategoryGroup>()
  for (const c of items) {
    if (c.is_active === false) continue
    let g = byCode.get(c.group_code)
    if (!g) {
      g = { code: c.group_code, zh: c.group_zh, en: c.group_en, items: [] }
      byCode.set(c.group_code, g)
      groups.push(g)
    }
    g.items.push(c)
  }
  return groups
}

function cached<T>(key: string): T[] {
  try {
    return JSON.parse(localStorage.getItem(key) ?? '[]') as T[]
  } catch {
    return []
  }
}

function remember(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value))
  } catch {
    // not cached: fine
  }
}

const CATEGORIES_KEY = 'xuncha.categories'
const COMMUNITIES_KEY = 'xuncha.communities'

export const useReferenceStore = defineStore('reference', () => {
  const categories = ref<Category[]>(cached<Category>(CATEGORIES_KEY))
  const communities = ref<Community[]>(cached<Community>(COMMUNITIES_KEY))
  const loading = ref(false)
  const error = ref<unknown>(null)
  let loaded = false

  const groups = computed(() => groupCategories(categories.value))
  const categoryByCode = computed(() => new Map(categories.value.map((c) => [c.code, c])))
  const communityById = computed(() => new Map(communities.value.map((c) => [c.id, c])))

  async function load(force = false): Promise<void> {
    if (loaded && !force) return
    loading.value = true
    error.value = null
    try {
      const [cats, comms] = await Promise.all([listCategories(), listCommunities()])
      categories.value = cats
      communities.value = comms
      remember(CATEGORIES_KEY, cats)
      remember(COMMUNITIES_KEY, comms)
      loaded = true
    } catch (e) {
      error.value = e // the cached lists (if any) stay usable
    } finally {
      loading.value = false
    }
  }

  function clear(): void {
    loaded = false
    categories.value = []
    communities.value = []
    remember(CATEGORIES_KEY, [])
    remember(COMMUNITIES_KEY, [])
  }

  return { categories, communities, loading, error, groups, categoryByCode, communityById, load, clear }
})
