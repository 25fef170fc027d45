import { cjkFonts } from '../../lib/documents/index.ts';
import type { CockpitOverviewDto } from '../cockpit/cockpit.api.ts';

/**
 * The briefing's chart image: the indicators' year-on-year growth as bars, labelled with the zone's rank in the city.
 * ECharts (the cockpit's own charting library) draws it server-side as SVG; resvg rasterises it to PNG with the
 * documents' Chinese font (the npm Noto Serif SC, else the system's Noto CJK), so it renders the same on any machine
 * without a browser. Growth values are only drawn: the table beside it prints them exactly. Both libraries are loaded
 * on first use: ECharts alone takes most of a second to import, which every start of the server would pay.
 */

const WIDTH = 900;
const HEIGHT = 420;

export async function indicatorChartPng(ind: CockpitOverviewDto['indicators']): Promise<Buffer | null> {
  const items = ind.items.filter((i) => i.yoy !== null);
  if (!ind.available || items.length === 0) return null;
  const [echarts, { Resvg }] = await Promise.all([import('echarts'), import('@resvg/resvg-js')]);
  const fonts = cjkFonts();
  const family = fonts.source === 'npm' ? 'Noto Serif SC' : 'Noto Serif CJK SC';
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: family, fontSize: 14, color: '#262626' },
      grid: { left: 56, right: 24, top: 48, bottom: 72 },
      xAxis: {
        type: 'category',
        data: items.map((i) => i.name),
        axisLabel: { interval: 0, fontSize: 13, width: 110, overflow: 'break' },
      },
      yAxis: { type: 'value', name: '同比增长（%）', nameTextStyle: { fontSize: 13 }, splitLine: { lineStyle: { color: '#e8e8e8' } } },
      series: [
        {
          type: 'bar',
          barMaxWidth: 56,
          data: items.map((i) => ({ value: Number(i.yoy), itemStyle: { color: Number(i.yoy) < 0 ? '#cf1322' : '#c00000' } })),
          label: {
            show: true,
            position: 'top',
            fontSize: 13,
            formatter: (p: { dataIndex: number }) => {
              const i = items[p.dataIndex]!;
              return i.rank === null ? `${i.yoy}` : `${i.yoy}（第${i.rank}）`;
            },
          },
        },
      ],
    });
    const svg = chart.renderToSVGString();
    const files = [...new Set([fonts.faces.regular.file, fonts.faces.bold.file])];
    return new Resvg(svg, {
      fitTo: { mode: 'width', value: WIDTH * 2 },
      background: '#ffffff',
      font: { fontFiles: files, loadSystemFonts: false, defaultFontFamily: family },
    })
      .render()
      .asPng();
  } finally {
    chart.dispose();
  }
}
