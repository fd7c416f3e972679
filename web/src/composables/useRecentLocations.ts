// Location texts typed before ("金龙小区11栋前坪"), most recent first, kept on this phone.
import { ref } from 'vue'

const KEY = 'xuncha.recentLocations'
export const MAX_RECENT = 8

export function rememberIn(list: string[], text: string, max = MAX_RECENT): string[] {
  const value = text.trim()
  if (!value) return list
  return [value, ...list.filter((x) => x !== value)].slice(0, max)
}

export function suggestFrom(list: string[], input: string, limit = 5): string[] {
  const q = input.trim()
  const hits = q ? list.filter((x) => x !== q && x.includes(q)) : list
  return hits.slice(0, limit)
}

function read(): string[] {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? '[]')
    return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

export function useRecentLocations() {
  const recent = ref<string[]>(read())
  function remember(text: string): void {
    recent.value = rememberIn(recent.value, text)
    try {
      localStorage.setItem(KEY, JSON.stringify(recent.value))
    } catch {
      // not remembered: fine
    }
  }
  const suggest = (input: string) => suggestFrom(recent.value, input)
  return { recent, remember, suggest }
}
