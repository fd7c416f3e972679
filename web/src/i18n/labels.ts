// Server texts come in both languages (status_label, name_zh/name_en …): pick the current one.
import { useI18n } from 'vue-i18n'
import type { Bilingual, Category, CategoryRef, CommunityRef, OrgUnitRef } from '@/api/types'

export function useLabels() {
  const { locale } = useI18n()
  const en = () => locale.value === 'en'
  return {
    bi: (b: Bilingual | null | undefined) => (b ? (en() ? b.en : b.zh) : ''),
    category: (c: CategoryRef | Category | null | undefined) => (c ? (en() ? c.name_en : c.name_zh) : ''),
    group: (c: CategoryRef | Category | null | undefined) => (c ? (en() ? c.group_en : c.group_zh) : ''),
    unit: (u: CommunityRef | OrgUnitRef | null | undefined) => (u ? (en() && u.name_en) || u.name : ''),
  }
}
