// The strings of the supervisor's map screen, zh-CN first; en has exactly the same keys.
export const zh = {
  title: '地图',
}

export const en: typeof zh = {
  title: 'Map',
}
