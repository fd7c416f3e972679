// The strings of the supervisor's map screen, zh-CN first; en has exactly the same keys.
export const zh = {
  title: '地图',
  mapLabel: '问题分布地图',
  loadingMap: '地图加载中…',
  mapFailed: '地图加载失败',
  loadFailed: '问题加载失败',
  view: {
    label: '显示方式',
    map: '地图',
    list: '列表',
  },
  filters: {
    title: '筛选',
    status: '状态',
    statusDefault: '未选时显示未办结的问题',
    category: '问题类别',
    community: '社区',
    all: '全部',
    overdue: '只看超期',
    reset: '清除筛选',
  },
  summary: {
    issues: '当前范围 {n} 个问题，其中超期 {overdue} 个',
    clusters: '当前范围 {n} 个问题（已聚合，放大地图查看单个问题），其中超期 {overdue} 个',
  },
  list: {
    title: '当前范围内的问题',
    empty: '当前范围内没有符合条件的问题',
    zoomIn: '问题较多，已按区域聚合：放大地图或点击聚合圈查看单个问题',
    overdue: '已超期',
  },
  cluster: {
    label: '{n} 个问题，其中超期 {overdue} 个，点击放大',
  },
  layers: {
    boundaries: '社区边界',
  },
  legend: {
    overdue: '超期',
  },
  drawer: {
    title: '问题详情',
    before: '整改前',
    after: '整改后',
    noAfter: '尚无整改照片',
    deadline: '整改时限',
    noDeadline: '未设时限',
    community: '责任社区',
    noCommunity: '待派发（未定社区）',
    location: '位置',
    category: '类别',
    status: '状态',
    timeline: '查看处理记录',
  },
  export: {
    excel: '导出一览表',
    excelHint: '按当前筛选导出《督查限时整改一览表》（Excel）',
    notice: '整改通知单 PDF',
  },
}

export const en: typeof zh = {
  title: 'Map',
  mapLabel: 'Map of issues',
  loadingMap: 'Loading the map…',
  mapFailed: 'The map could not be loaded',
  loadFailed: 'The issues could not be loaded',
  view: {
    label: 'Show as',
    map: 'Map',
    list: 'List',
  },
  filters: {
    title: 'Filters',
    status: 'Status',
    statusDefault: 'None chosen: the open issues',
    category: 'Category',
    community: 'Community',
    all: 'All',
    overdue: 'Overdue only',
    reset: 'Clear filters',
  },
  summary: {
    issues: '{n} issues in view, {overdue} overdue',
    clusters: '{n} issues in view (grouped: zoom in to see each), {overdue} overdue',
  },
  list: {
    title: 'Issues in view',
    empty: 'No matching issues in view',
    zoomIn: 'Many issues here, grouped by area: zoom in or click a group to see each one',
    overdue: 'Overdue',
  },
  cluster: {
    label: '{n} issues, {overdue} overdue; click to zoom in',
  },
  layers: {
    boundaries: 'Community boundaries',
  },
  legend: {
    overdue: 'Overdue',
  },
  drawer: {
    title: 'Issue',
    before: 'Before',
    after: 'After',
    noAfter: 'No rectification photo yet',
    deadline: 'Deadline',
    noDeadline: 'No deadline',
    community: 'Community',
    noCommunity: 'Not dispatched yet',
    location: 'Location',
    category: 'Category',
    status: 'Status',
    timeline: 'Open the history',
  },
  export: {
    excel: 'Export list',
    excelHint: 'The rectification list (Excel) with the current filters',
    notice: 'Notice (PDF)',
  },
}
