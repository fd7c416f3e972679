// The strings of the supervisor's rank screen, zh-CN first; en has exactly the same keys.
export const zh = {
  title: '同台PK',
}

export const en: typeof zh = {
  title: 'League',
}
