import { useEffect, useRef, type CSSProperties } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart, type BarSeriesOption, type LineSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

/**
 * A thin wrapper over ECharts' tree-shaken core (stack.md: echarts-for-react's CommonJS build renders a blank page
 * in an ESM app, so we wrap it ourselves). Registers only what the app draws: bar, line and pie charts with a grid,
 * legend and tooltip, on canvas. Resizes with its box; `onClick` gets the clicked item (series, data index, name).
 */
echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type EChartOption = echarts.ComposeOption<
  BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

export interface EChartClick {
  seriesIndex: number | undefined;
  seriesName: string | undefined;
  dataIndex: number;
  name: string;
  value: unknown;
}

export function EChart({
  option,
  height = 300,
  onClick,
  style,
  ariaLabel,
  testId,
}: {
  option: EChartOption;
  height?: number;
  onClick?: (e: EChartClick) => void;
  style?: CSSProperties;
  /** What the chart shows, for screen readers (the canvas itself says nothing). */
  ariaLabel?: string;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    if (!box.current) return;
    const c = echarts.init(box.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => {
      const e = p as { seriesIndex?: number; seriesName?: string; dataIndex: number; name: string; value: unknown };
      clickRef.current?.({ seriesIndex: e.seriesIndex, seriesName: e.seriesName, dataIndex: e.dataIndex, name: e.name, value: e.value });
    });
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} role="img" aria-label={ariaLabel} data-testid={testId} style={{ width: '100%', height, cursor: onClick ? 'pointer' : undefined, ...style }} />;
}
