import { get } from './client'
import type { Category } from './types'

export const listCategories = () => get<{ items: Category[] }>('/categories').then((r) => r.items)
