import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import zhCN from '@/i18n/zh-CN'
import { ApiError, NetworkError } from '@/api/client'
import { SubmissionError } from '@/submission/types'
import { errorText } from './errors'
import type { Translate } from './format'

const t = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN } }).global.t as unknown as Translate

describe('errorText', () => {
  it('never shows raw JSON: network, server sentence, bare HTTP status', () => {
    expect(errorText(new NetworkError('offline'), t)).toBe('网络不通，请检查网络后重试')
    expect(errorText(new NetworkError('timeout'), t)).toContain('超时')
    expect(errorText(new ApiError(422, 'validation_failed', '请填写退回原因', {}, true), t)).toBe('请填写退回原因')
    expect(errorText(new ApiError(502, 'http_502', 'HTTP 502', null, false), t)).toBe('服务器出错了（502），请稍后重试')
    expect(errorText(new ApiError(409, 'stale_version', 'x', null, true), t)).toContain('刚被别人处理过')
    expect(errorText('weird', t)).toBe('出错了，请重试')
  })
  it('names the photo that failed', () => {
    const e = new SubmissionError(new NetworkError('offline'), 'photo', 1)
    expect(errorText(e, t)).toBe('第 2 张照片上传失败：网络不通，请检查网络后重试')
  })
})
