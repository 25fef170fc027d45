import * as echarts from 'echarts/core';
import { EffectScatterChart, ScatterChart } from 'echarts/charts';
import { GeoComponent } from 'echarts/components';
import type { TFunction } from 'i18next';
import { PHASE_LABELS, LEVEL_LABELS, type ProjectPhase } from '../../../shared/project-phase.ts';
import type { CockpitOverview } from '../../api/cockpit.ts';
import type { EChartClick, EChartOption } from '../../components/EChart.tsx';
import { percentNumber } from '../../components/money.ts';
import { pick, type Lang } from '../../i18n/index.ts';

/**
 * The cockpit's charts, shared by the page (light) and the big screen (dark, large type). Each builder returns the
 * ECharts option and `linkOf(click)`: the list behind the clicked bar, slice or point (the overview's `link`s).
 * Drawn through the app's wrapper (components/EChart.tsx); the map's extra parts (geo, scatter) are registered here.
 */
echarts.use([GeoComponent, ScatterChart, EffectScatterChart]);

export const FONT =
  "'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif";

export interface ChartTheme {
  dark: boolean;
  text: string;
  subtext: string;
  axis: string;
  split: string;
  /** Base font size of labels. */
  font: number;
  tooltipBg: string;
}

export const LIGHT: ChartTheme = { dark: false, text: '#1f2329', subtext: '#646a73', axis: '#c9cdd4', split: '#eef0f3', font: 12, tooltipBg: '#ffffff' };
export const DARK: ChartTheme = { dark: true, text: '#e8f1ff', subtext: '#8fb3e8', axis: '#2c4d80', split: 'rgba(64,120,200,0.22)', font: 20, tooltipBg: 'rgba(6,22,52,0.95)' };

export const PHASE_COLORS: Record<ProjectPhase, string> = {
  pipeline: '#8c8c8c',
  signed: '#2f6fd6',
  started: '#13a8a8',
  operating: '#52c41a',
  completed: '#722ed1',
  suspended: '#fa8c16',
};
export const LIGHT_COLORS = { red: '#f5222d', yellow: '#faad14', green: '#52c41a' } as const;
const SERIES = { raised: '#4c8df6', closed: '#36cfc9', held: '#4c8df6', open: '#fa8c16', score: '#36cfc9', timeElapsed: '#ff4d4f' };

export interface Built {
  option: EChartOption;
  linkOf: (e: EChartClick) => string | undefined;
  /** What the chart shows, for screen readers. */
  label: string;
}

function base(th: ChartTheme) {
  return {
    backgroundColor: 'transparent',
    textStyle: { fontFamily: FONT, color: th.text, fontSize: th.font },
    tooltip: { backgroundColor: th.tooltipBg, borderColor: th.axis, textStyle: { color: th.text, fontFamily: FONT, fontSize: th.font } },
  };
}

function axisStyle(th: ChartTheme) {
  return {
    axisLine: { lineStyle: { color: th.axis } },
    axisTick: { show: false },
    axisLabel: { color: th.subtext, fontSize: th.font, fontFamily: FONT },
    splitLine: { lineStyle: { color: th.split } },
  };
}

const grid = (th: ChartTheme, left = 8) => ({ left, right: th.dark ? 24 : 12, top: th.dark ? 48 : 36, bottom: 8, containLabel: true });

/** 项目阶段分布: a bar per phase. */
export function phaseChart(o: CockpitOverview, th: ChartTheme, lang: Lang, t: TFunction): Built {
  const rows = o.projects.byPhase;
  return {
    label: `${t('cockpit.charts.phase')}: ${rows.map((r) => `${pick(PHASE_LABELS[r.phase], lang)} ${r.n}`).join('，')}`,
    option: {
      ...base(th),
      tooltip: { ...base(th).tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: grid(th),
      xAxis: { type: 'category', data: rows.map((r) => pick(PHASE_LABELS[r.phase], lang)), ...axisStyle(th) },
      yAxis: { type: 'value', minInterval: 1, ...axisStyle(th), axisLabel: { ...axisStyle(th).axisLabel, show: !th.dark } },
      series: [
        {
          type: 'bar',
          name: t('cockpit.charts.count'),
          barMaxWidth: th.dark ? 56 : 40,
          data: rows.map((r) => ({ value: r.n, itemStyle: { color: PHASE_COLORS[r.phase], borderRadius: [4, 4, 0, 0] } })),
          label: { show: true, position: 'top', color: th.text, fontSize: th.font, fontFamily: FONT },
        },
      ],
    },
    linkOf: (e) => rows[e.dataIndex]?.link,
  };
}

/** 项目级别: a donut of province / city / district. */
export function levelChart(o: CockpitOverview, th: ChartTheme, lang: Lang, t: TFunction): Built {
  const rows = o.projects.byLevel;
  const colors = ['#f5222d', '#fa8c16', '#2f6fd6'];
  return {
    label: `${t('cockpit.charts.level')}: ${rows.map((r) => `${pick(LEVEL_LABELS[r.level], lang)} ${r.n}`).join('，')}`,
    option: {
      ...base(th),
      tooltip: { ...base(th).tooltip, trigger: 'item', formatter: '{b}：{c}（{d}%）' },
      series: [
        {
          type: 'pie',
          radius: ['45%', '72%'],
          avoidLabelOverlap: true,
          label: { color: th.text, fontSize: th.font, fontFamily: FONT, formatter: '{b}\n{c}' },
          data: rows.map((r, i) => ({ name: pick(LEVEL_LABELS[r.level], lang), value: r.n, itemStyle: { color: colors[i] } })),
        },
      ],
    },
    linkOf: (e) => rows[e.dataIndex]?.link,
  };
}

/** 四率 against 序时进度: a bar per rate (percent) and the time elapsed as a line across them. */
export function ratesChart(o: CockpitOverview, th: ChartTheme, t: TFunction): Built {
  const keys = ['start', 'investment', 'funds', 'onTimeCompletion'] as const;
  const r = o.projects.rates;
  const elapsed = percentNumber(o.projects.timeElapsed);
  const names = keys.map((k) => t(`cockpit.rates.${k}`));
  return {
    label: `${t('cockpit.charts.rates')}: ${keys.map((k, i) => `${names[i]} ${r[k].rate === null ? '—' : `${percentNumber(r[k].rate)}%`}`).join('，')}；${t('cockpit.rates.timeElapsed')} ${elapsed}%`,
    option: {
      ...base(th),
      tooltip: { ...base(th).tooltip, trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => `${v}%` },
      legend: { top: 0, right: 0, textStyle: { color: th.subtext, fontSize: th.font, fontFamily: FONT }, data: [t('cockpit.rates.timeElapsed')] },
      grid: grid(th),
      xAxis: { type: 'category', data: names, ...axisStyle(th), axisLabel: { ...axisStyle(th).axisLabel, interval: 0 } },
      yAxis: {
        type: 'value',
        max: (v: { max: number }) => Math.max(100, Math.ceil(v.max / 10) * 10),
        splitNumber: th.dark ? 2 : 5,
        ...axisStyle(th),
        axisLabel: { ...axisStyle(th).axisLabel, formatter: '{value}%', show: !th.dark },
      },
      series: [
        {
          type: 'bar',
          barMaxWidth: th.dark ? 56 : 40,
          data: keys.map((k) => ({
            value: r[k].rate === null ? 0 : percentNumber(r[k].rate),
            itemStyle: { color: r[k].rate !== null && percentNumber(r[k].rate) < elapsed && k !== 'start' && k !== 'onTimeCompletion' ? '#fa8c16' : '#2f6fd6', borderRadius: [4, 4, 0, 0] },
          })),
          label: { show: true, position: 'top', color: th.text, fontSize: th.font, fontFamily: FONT, formatter: (p: { dataIndex: number }) => (r[keys[p.dataIndex]!].rate === null ? '—' : `${percentNumber(r[keys[p.dataIndex]!].rate)}%`) },
        },
        {
          type: 'line',
          name: t('cockpit.rates.timeElapsed'),
          data: keys.map(() => elapsed),
          symbol: 'none',
          lineStyle: { color: SERIES.timeElapsed, type: 'dashed', width: th.dark ? 3 : 2 },
          itemStyle: { color: SERIES.timeElapsed },
        },
      ],
    },
    linkOf: (e) => (e.seriesIndex === 0 ? r[keys[e.dataIndex]!]?.link : undefined),
  };
}

/** 红黄绿灯: a donut of the open problems' lights. */
export function lightsChart(o: CockpitOverview, th: ChartTheme, t: TFunction): Built {
  const l = o.problems.lights;
  const rows = (['red', 'yellow', 'green'] as const).map((k) => ({ k, name: t(`cockpit.lights.${k}`), f: l[k] }));
  return {
    label: `${t('cockpit.charts.lights')}: ${rows.map((r) => `${r.name} ${r.f.n}`).join('，')}`,
    option: {
      ...base(th),
      tooltip: { ...base(th).tooltip, trigger: 'item', formatter: '{b}：{c}（{d}%）' },
      legend: th.dark
        ? { orient: 'vertical', right: 0, top: 'middle', itemGap: 14, textStyle: { color: th.subtext, fontSize: th.font, fontFamily: FONT } }
        : { bottom: 0, textStyle: { color: th.subtext, fontSize: th.font, fontFamily: FONT } },
      series: [
        {
          type: 'pie',
          radius: th.dark ? ['50%', '80%'] : ['48%', '72%'],
          center: th.dark ? ['30%', '50%'] : ['50%', '45%'],
          label: { color: th.text, fontSize: th.font + 2, fontFamily: FONT, formatter: '{c}' },
          data: rows.map((r) => ({ name: r.name, value: r.f.n, itemStyle: { color: LIGHT_COLORS[r.k] } })),
        },
      ],
    },
    linkOf: (e) => rows[e.dataIndex]?.f.link,
  };
}

/** 比业绩: the five best lead units' scores, best on top. */
export function rankingChart(o: CockpitOverview, th: ChartTheme, t: TFunction): Built {
  const items = [...o.problems.ranking.items].reverse();
  return {
    label: `${t('cockpit.charts.ranking')}: ${o.problems.ranking.items.map((r) => `${r.rank}. ${r.unit.name} ${r.score}`).join('，')}`,
    option: {
      ...base(th),
      tooltip: { ...base(th).tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { ...grid(th), top: 8, right: th.dark ? 80 : 48 },
      xAxis: { type: 'value', ...axisStyle(th), axisLabel: { ...axisStyle(th).axisLabel, show: false }, splitLine: { show: false } },
      yAxis: { type: 'category', data: items.map((r) => `${r.rank}. ${r.unit.name}`), ...axisStyle(th), axisLabel: { ...axisStyle(th).axisLabel, color: th.text } },
      series: [
        {
          type: 'bar',
          name: t('cockpit.charts.score'),
          barMaxWidth: th.dark ? 30 : 20,
          data: items.map((r) => ({ value: Number(r.score), itemStyle: { color: Number(r.score) < 0 ? '#f5222d' : SERIES.score, borderRadius: 4 } })),
          label: { show: true, position: 'right', color: th.text, fontSize: th.font, fontFamily: FONT, formatter: (p: { dataIndex: number }) => items[p.dataIndex]!.score },
        },
      ],
    },
    linkOf: (e) => items[e.dataIndex]?.link,
  };
}

/** 周趋势: problems raised and closed per week (the last `weeks` weeks of the period). */
export function weeklyChart(o: CockpitOverview, th: ChartTheme, t: TFunction, weeks = 53): Built {
  const rows = o.problems.weekly.slice(-weeks);
  const label = (w: { from: string }) => w.from.slice(5);
  return {
    label: `${t('cockpit.charts.weekly')}: ${rows.map((w) => `${w.week} ${t('cockpit.charts.raised')} ${w.raised.n} ${t('cockpit.charts.closed')} ${w.closed.n}`).join('，')}`,
    option: {
      ...base(th),
      tooltip: { ...base(th).tooltip, trigger: 'axis' },
      legend: { top: 0, right: 0, textStyle: { color: th.subtext, fontSize: th.font, fontFamily: FONT } },
      grid: grid(th),
      xAxis: { type: 'category', boundaryGap: false, data: rows.map(label), ...axisStyle(th) },
      yAxis: { type: 'value', minInterval: 1, splitNumber: th.dark ? 2 : 5, ...axisStyle(th) },
      series: [
        { type: 'line', name: t('cockpit.charts.raised'), smooth: true, symbolSize: th.dark ? 10 : 6, data: rows.map((w) => w.raised.n), itemStyle: { color: SERIES.raised }, lineStyle: { width: th.dark ? 4 : 2 } },
        { type: 'line', name: t('cockpit.charts.closed'), smooth: true, symbolSize: th.dark ? 10 : 6, data: rows.map((w) => w.closed.n), itemStyle: { color: SERIES.closed }, lineStyle: { width: th.dark ? 4 : 2 } },
      ],
    },
    linkOf: (e) => (e.seriesIndex === 0 ? rows[e.dataIndex]?.raised.link : rows[e.dataIndex]?.closed.link),
  };
}

/** 会议: meetings held in the period and decisions still open, per HQ / leading group. */
export function meetingsChart(o: CockpitOverview, th: ChartTheme, t: TFunction): Built {
  const rows = o.meetings.byBody;
  const short = (name: string) => name.replace(/建设指挥部$/, '').replace(/^济南起步区/, '').replace(/建设领导小组$/, '领导小组');
  return {
    label: `${t('cockpit.charts.meetings')}: ${rows.map((r) => `${r.body.name} ${t('cockpit.charts.held')} ${r.held.n} ${t('cockpit.charts.decisionsOpen')} ${r.decisionsOpen}`).join('，')}`,
    option: {
      ...base(th),
      tooltip: { ...base(th).tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, right: 0, textStyle: { color: th.subtext, fontSize: th.font, fontFamily: FONT } },
      grid: grid(th),
      xAxis: { type: 'category', data: rows.map((r) => short(r.body.name)), ...axisStyle(th), axisLabel: { ...axisStyle(th).axisLabel, interval: 0, width: th.dark ? 160 : 90, overflow: 'break' } },
      yAxis: { type: 'value', minInterval: 1, splitNumber: th.dark ? 2 : 5, ...axisStyle(th) },
      series: [
        { type: 'bar', name: t('cockpit.charts.held'), barMaxWidth: th.dark ? 36 : 24, data: rows.map((r) => r.held.n), itemStyle: { color: SERIES.held, borderRadius: [4, 4, 0, 0] } },
        { type: 'bar', name: t('cockpit.charts.decisionsOpen'), barMaxWidth: th.dark ? 36 : 24, data: rows.map((r) => r.decisionsOpen), itemStyle: { color: SERIES.open, borderRadius: [4, 4, 0, 0] } },
      ],
    },
    linkOf: (e) => rows[e.dataIndex]?.held.link,
  };
}
