import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import zhCN from './zh-CN'
import en from './en'

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]))
}
function lookup(obj: object, key: string): unknown {
  return key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj)
}
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.(ts|vue)$/.test(name) && !name.endsWith('.spec.ts') ? [path] : []
  })
}

describe('messages', () => {
  it('zh-CN and en have exactly the same keys, none empty', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort())
    for (const k of keys(zhCN)) {
      expect(String(lookup(zhCN, k)).trim(), k).not.toBe('')
      expect(String(lookup(en, k)).trim(), k).not.toBe('')
    }
  })

  it('every literal key used in the code exists', () => {
    const root = join(__dirname, '..')
    const used = new Set<string>()
    for (const file of sources(root)) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g)) used.add(m[1])
      for (const m of text.matchAll(/label: '([a-zA-Z]+\.[\w.]+)'/g)) used.add(m[1])
    }
    expect(used.size).toBeGreaterThan(50)
    const missing = [...used].filter((k) => typeof lookup(zhCN, k) !== 'string')
    expect(missing).toEqual([])
  })

  it('every dynamic family used in the code is complete', () => {
    for (const role of ['inspector', 'supervisor', 'admin', 'street_staff', 'community_staff']) expect(lookup(zhCN, `roles.${role}`)).toBeTypeOf('string')
    for (const s of ['reported', 'assigned', 'rectified', 'closed', 'cancelled']) expect(lookup(en, `statuses.${s}`)).toBeTypeOf('string')
    for (const a of ['verify', 'reject', 'rectify', 'request_extension', 'dispute', 'dispatch', 'approve_extension', 'deny_extension', 'cancel'])
      expect(lookup(zhCN, `actions.${a}`)).toBeTypeOf('string')
    for (const a of ['reject', 'rectify', 'request_extension', 'dispute', 'deny_extension', 'cancel', 'dispatch']) {
      expect(lookup(en, `form.${a}.note`)).toBeTypeOf('string')
      expect(lookup(en, `form.${a}.placeholder`)).toBeTypeOf('string')
    }
  })
})
