// Only the parts of ECharts the trend needs, registered once. Imported dynamically by
// TrendChart.vue, so none of it is in the app's first download.
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core'
import { LineChart, type LineSeriesOption } from 'echarts/charts'
import {
  AriaComponent,
  GridSimpleComponent,
  LegendPlainComponent,
  MarkAreaComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkAreaComponentOption,
  type TooltipComponentOption,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([LineChart, GridSimpleComponent, LegendPlainComponent, TooltipComponent, MarkAreaComponent, AriaComponent, CanvasRenderer])

export type TrendOption = ComposeOption<
  LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | MarkAreaComponentOption
>

export { init, type EChartsType }
