// vue-i18n in composition mode: zh-CN by default, English on request, switched without reload.
import { createI18n } from 'vue-i18n'
import { Locale } from 'vant'
import vantEnUS from 'vant/es/locale/lang/en-US'
import vantZhCN from 'vant/es/locale/lang/zh-CN'
import zhCN, { type MessageSchema } from './zh-CN'
import en from './en'

export type AppLocale = 'zh-CN' | 'en'
export const LOCALES: AppLocale[] = ['zh-CN', 'en']
const STORAGE_KEY = 'xuncha.locale'

declare module 'vue-i18n' {
  // Typed keys for t(): a misspelt key is a compile error.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface DefineLocaleMessage extends MessageSchema {}
}

function initialLocale(): AppLocale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    if (saved === 'en' || saved === 'zh-CN') return saved
  } catch {
    // storage blocked: fall back to Chinese
  }
  return 'zh-CN'
}

export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

export function currentLocale(): AppLocale {
  return i18n.global.locale.value as AppLocale
}

export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // not remembered; still switched
  }
  applyLocale(locale)
}

export function applyLocale(locale: AppLocale = currentLocale()): void {
  if (locale === 'en') Locale.use('en-US', vantEnUS)
  else Locale.use('zh-CN', vantZhCN)
  document.documentElement.lang = locale
  document.title = locale === 'en' ? 'Xuncha' : '巡查'
}
