import { useEffect, useMemo, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import type { TFunction } from 'i18next';
import { PHASE_LABELS, PROJECT_PHASES } from '../../../shared/project-phase.ts';
import type { CockpitMap, GeoJsonCollection } from '../../api/cockpit.ts';
import { EChart, type EChartClick, type EChartOption } from '../../components/EChart.tsx';
import { yi } from '../../components/money.ts';
import { pick, type Lang } from '../../i18n/index.ts';
import { FONT, PHASE_COLORS, type ChartTheme } from './charts.ts';

/**
 * 项目分布图: the zone's boundary and cluster outlines (public/geo/qibu-zone.geojson, schematic demo shapes) registered
 * with echarts.registerMap, the projects in scope as points coloured by phase, sized by investment; a click opens
 * the project. No online tiles are needed. When the deployment has a tile server (QIBU_MAP_TILE_URL, an XYZ
 * template), its tiles are laid beneath the chart, placed with the chart's own projection (Web Mercator, as tiles).
 */

const MAP_NAME = 'qibu-zone';
let registered: GeoJsonCollection | undefined;

function register(geo: GeoJsonCollection) {
  if (registered === geo) return;
  echarts.registerMap(MAP_NAME, geo as unknown as Parameters<typeof echarts.registerMap>[1]);
  registered = geo;
}

const RAD = Math.PI / 180;
/** Web Mercator, y growing southwards (screen), as tiles are cut. */
const MERCATOR = {
  project: ([lon, lat]: number[]) => [lon!, -Math.log(Math.tan(Math.PI / 4 + (lat! * RAD) / 2)) / RAD],
  unproject: ([x, y]: number[]) => [x!, (2 * Math.atan(Math.exp(-y! * RAD)) - Math.PI / 2) / RAD],
};

const tileLon = (x: number, z: number) => (x / 2 ** z) * 360 - 180;
const tileLat = (y: number, z: number) => Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 2 ** z))) / RAD;
const lonTile = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const latTile = (lat: number, z: number) => Math.floor(((1 - Math.log(Math.tan(lat * RAD) + 1 / Math.cos(lat * RAD)) / Math.PI) / 2) * 2 ** z);

interface Tile {
  key: string;
  src: string;
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The tiles covering the chart's view, placed at the pixels the chart's geo projection gives their corners. */
function layTiles(chart: echarts.ECharts, template: string): Tile[] {
  const w = chart.getWidth();
  const h = chart.getHeight();
  const nw = chart.convertFromPixel({ geoIndex: 0 }, [0, 0]) as number[] | undefined;
  const se = chart.convertFromPixel({ geoIndex: 0 }, [w, h]) as number[] | undefined;
  if (!nw || !se || !Number.isFinite(nw[0]!) || !Number.isFinite(se[0]!)) return [];
  const span = Math.max(1e-6, se[0]! - nw[0]!);
  const z = Math.max(3, Math.min(18, Math.round(Math.log2((w * 360) / (256 * span)))));
  const [x0, x1] = [lonTile(nw[0]!, z), lonTile(se[0]!, z)];
  const [y0, y1] = [latTile(nw[1]!, z), latTile(se[1]!, z)];
  if ((x1 - x0 + 1) * (y1 - y0 + 1) > 400) return [];
  const out: Tile[] = [];
  for (let x = x0; x <= x1; x++) {
    for (let y = y0; y <= y1; y++) {
      const a = chart.convertToPixel({ geoIndex: 0 }, [tileLon(x, z), tileLat(y, z)]) as number[];
      const b = chart.convertToPixel({ geoIndex: 0 }, [tileLon(x + 1, z), tileLat(y + 1, z)]) as number[];
      out.push({
        key: `${z}/${x}/${y}`,
        src: template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y)),
        left: a[0]!,
        top: a[1]!,
        width: b[0]! - a[0]!,
        height: b[1]! - a[1]!,
      });
    }
  }
  return out;
}

export function ZoneMap({
  map,
  geo,
  theme,
  lang,
  t,
  height,
  onOpen,
  testId = 'cockpit-map',
}: {
  map: CockpitMap;
  geo: GeoJsonCollection;
  theme: ChartTheme;
  lang: Lang;
  t: TFunction;
  height: number;
  onOpen: (link: string) => void;
  testId?: string;
}) {
  register(geo);
  const box = useRef<HTMLDivElement>(null);
  const [tiles, setTiles] = useState<Tile[]>([]);
  const tileUrl = map.tileUrl;
  const maxInvest = useMemo(() => Math.max(1, ...map.points.map((p) => Number(p.totalInvestment))), [map.points]);

  const option = useMemo(() => {
    const dark = theme.dark;
    const clusterStyle = (color: string) => ({
      itemStyle: { areaColor: tileUrl ? 'rgba(0,0,0,0)' : dark ? 'rgba(54,207,201,0.16)' : 'rgba(47,111,214,0.10)', borderColor: color, borderWidth: dark ? 2.5 : 1.5, borderType: 'dashed' },
      label: { show: true, color: dark ? '#9fe8ff' : '#1f4e9a', fontSize: theme.font + (dark ? 2 : 1), fontWeight: 'bold', fontFamily: FONT },
    });
    return {
      backgroundColor: 'transparent',
      textStyle: { fontFamily: FONT, color: theme.text },
      tooltip: {
        trigger: 'item',
        backgroundColor: theme.tooltipBg,
        borderColor: theme.axis,
        textStyle: { color: theme.text, fontFamily: FONT, fontSize: theme.font },
        formatter: (p: { seriesType?: string; name: string; value?: number[]; seriesName?: string }) =>
          p.seriesType === 'scatter' ? `${p.name}<br/>${p.seriesName} · ${yi(String(p.value?.[2] ?? 0), 2)} 亿元` : p.name,
      },
      legend: {
        bottom: 4,
        left: 'center',
        itemWidth: dark ? 18 : 12,
        itemHeight: dark ? 18 : 12,
        textStyle: { color: theme.subtext, fontSize: theme.font, fontFamily: FONT },
      },
      geo: {
        map: MAP_NAME,
        roam: false,
        projection: MERCATOR,
        // The outline keeps its shape (Web Mercator), centred above the legend; its size is relative to the box's
        // shorter side (the height here), so a box twice as wide as high is filled without stretching.
        layoutCenter: ['50%', '46%'],
        layoutSize: '128%',
        selectedMode: false,
        label: { show: false },
        itemStyle: {
          areaColor: tileUrl ? 'rgba(0,0,0,0)' : dark ? 'rgba(22,60,120,0.55)' : '#eef4fd',
          borderColor: dark ? '#4fa3ff' : '#1f4e9a',
          borderWidth: dark ? 3 : 2,
          shadowColor: dark ? 'rgba(79,163,255,0.6)' : 'rgba(31,78,154,0.2)',
          shadowBlur: dark ? 18 : 6,
        },
        emphasis: { disabled: true },
        tooltip: { show: true },
        regions: geo.features.filter((f) => f.properties.kind === 'cluster').map((f) => ({ name: f.properties.name, ...clusterStyle(dark ? '#36cfc9' : '#13a8a8') })),
      },
      series: PROJECT_PHASES.map((phase) => ({
        type: 'scatter',
        coordinateSystem: 'geo',
        name: pick(PHASE_LABELS[phase], lang),
        data: map.points
          .filter((p) => p.phase === phase)
          .map((p) => ({ name: p.name, value: [p.longitude, p.latitude, Number(p.totalInvestment)], id: p.id })),
        symbolSize: (v: number[]) => (dark ? 10 : 7) + Math.sqrt((v[2] ?? 0) / maxInvest) * (dark ? 26 : 16),
        itemStyle: { color: PHASE_COLORS[phase], opacity: 0.9, borderColor: dark ? 'rgba(255,255,255,0.7)' : '#ffffff', borderWidth: 1 },
        emphasis: { scale: 1.4 },
        zlevel: 1,
      })),
    } as unknown as EChartOption;
  }, [map.points, geo, theme, lang, tileUrl, maxInvest]);

  // Tiles, when configured: re-laid whenever the chart has finished drawing (first draw, resize).
  useEffect(() => {
    if (!tileUrl || !box.current) return;
    const el = box.current.querySelector(`[data-testid="${testId}"]`) as HTMLDivElement | null;
    const chart = el ? echarts.getInstanceByDom(el) : undefined;
    if (!chart) return;
    let last = '';
    const relay = () => {
      const next = layTiles(chart, tileUrl);
      const sig = next.map((x) => `${x.key}@${x.left.toFixed(1)},${x.top.toFixed(1)},${x.width.toFixed(1)}`).join('|');
      if (sig !== last) {
        last = sig;
        setTiles(next);
      }
    };
    chart.on('finished', relay);
    relay();
    return () => {
      chart.off('finished', relay);
    };
  }, [tileUrl, testId, option]);

  const click = (e: EChartClick) => {
    const phase = e.seriesIndex === undefined ? undefined : PROJECT_PHASES[e.seriesIndex];
    const point = phase ? map.points.filter((p) => p.phase === phase)[e.dataIndex] : undefined;
    if (point) onOpen(`/projects/${point.id}`);
  };

  return (
    <div ref={box} style={{ position: 'relative', height, overflow: 'hidden' }}>
      {tileUrl && (
        <div aria-hidden style={{ position: 'absolute', inset: 0, zIndex: 0, filter: theme.dark ? 'brightness(0.55) saturate(0.7)' : undefined }}>
          {tiles.map((x) => (
            <img key={x.key} src={x.src} alt="" draggable={false} style={{ position: 'absolute', left: x.left, top: x.top, width: x.width, height: x.height }} />
          ))}
        </div>
      )}
      <div style={{ position: 'relative', zIndex: 1, height }}>
        <EChart
          option={option}
          height={height}
          onClick={click}
          testId={testId}
          ariaLabel={`${t('cockpit.charts.map')}: ${t('cockpit.mapTotal', { total: map.total })}`}
        />
      </div>
    </div>
  );
}
