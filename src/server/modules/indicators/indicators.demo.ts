import { eq } from 'drizzle-orm';
import type { AppServices } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import type { SeededZone } from '../../demo/demo.ts';
import { DEFAULT_DISTRICTS } from './indicators.defaults.ts';
import { fixDecimal, yoyGrowth } from './indicators.rules.ts';
import { indicatorDistricts, indicators, indicatorValues } from './indicators.schema.ts';

/**
 * Demo economic indicators: January–May 2023 (the article: "1—5月主要经济指标增速位居全市前列").
 *
 * ALL FIGURES HERE ARE INVENTED FOR THE DEMO. They are plausible in size for Jinan's districts, not real statistics.
 *
 * - The zone: values of 2023 and of 2022 for the indicators whose value is published, so its growth is computed
 *   (growth_source 'computed', exactly as the service does); growths only for 固定资产投资 and 规上工业增加值.
 * - The other districts and the city: values and growths as the bureau would publish them (growth 'entered').
 * - GDP is quarterly (1—3月 only); 固定资产投资 and 规上工业增加值 start with 1—2月 (no January figure), as published.
 * - The zone ranks near the top of the city at 1—5月: 1st–3rd of 14 by growth for every indicator.
 */

type Code = 'gdp' | 'fixed_asset_investment' | 'industrial_value_added' | 'retail_sales' | 'budget_revenue' | 'foreign_capital';

/** Months with a figure, per indicator. */
const MONTHS: Record<Code, number[]> = {
  gdp: [3],
  fixed_asset_investment: [2, 3, 4, 5],
  industrial_value_added: [2, 3, 4, 5],
  retail_sales: [1, 2, 3, 4, 5],
  budget_revenue: [1, 2, 3, 4, 5],
  foreign_capital: [1, 2, 3, 4, 5],
};

/**
 * Other districts (DEFAULT_DISTRICTS order: 历下 市中 槐荫 天桥 历城 长清 章丘 济阳 莱芜 钢城 平阴 商河 高新) and the
 * city: growth (%) and value of the latest month (GDP: 1—3月, the rest 1—5月). Invented.
 */
const OTHERS: Record<Code, { growth: number[]; value: number[] | null; cityGrowth: number; cityValue: number | null }> = {
  gdp: { growth: [5.1, 4.6, 4.9, 5.3, 6.2, 4.1, 5.8, 6.6, 5.5, 3.2, 4.4, 5.0, 10.4], value: [603, 512, 330, 270, 520, 140, 330, 130, 240, 110, 80, 65, 620], cityGrowth: 5.3, cityValue: 3002.1 },
  fixed_asset_investment: { growth: [-3.5, 2.1, 6.8, 9.2, 12.6, 8.4, 15.1, 18.9, 5.3, -6.2, 11.8, 7.5, 16.4], value: null, cityGrowth: 6.1, cityValue: null },
  industrial_value_added: { growth: [3.2, 5.4, 6.1, 7.9, 9.6, 8.8, 11.2, 16.8, 10.5, 4.3, 12.4, 9.1, 13.6], value: null, cityGrowth: 8.9, cityValue: null },
  retail_sales: { growth: [7.8, 8.1, 9.4, 8.6, 10.2, 7.1, 8.9, 9.8, 7.6, 6.3, 8.2, 7.4, 11.3], value: [310, 255, 190, 210, 280, 70, 130, 55, 95, 30, 35, 28, 165], cityGrowth: 8.7, cityValue: 1850 },
  budget_revenue: { growth: [6.5, 9.8, 12.3, 10.1, 14.6, 8.7, 11.9, 16.2, 9.4, 3.8, 7.7, 12.8, 21.5], value: [48.6, 32.1, 18.5, 16.2, 35.4, 9.8, 21.3, 8.9, 12.6, 6.1, 5.2, 4.3, 52.7], cityGrowth: 10.6, cityValue: 520.8 },
  foreign_capital: {
    growth: [15.3, -12.4, 8.6, 22.1, 35.8, -5.2, 18.4, 46.2, 12.7, -20.5, 9.3, 5.6, 31.9],
    value: [18600, 9200, 6100, 7800, 15300, 2100, 5400, 3900, 4200, 1300, 900, 700, 42500],
    cityGrowth: 18.2,
    cityValue: 125000,
  },
};

/** The zone: 2023 values by month and the growth aimed at (2022 values are derived from them). Invented. */
const ZONE_VALUES: Partial<Record<Code, { values: number[]; growth: number[] }>> = {
  gdp: { values: [51.26], growth: [9.6] },
  retail_sales: { values: [6.12, 11.85, 18.4, 24.96, 31.7], growth: [13.2, 12.4, 12.9, 12.1, 12.6] },
  budget_revenue: { values: [3.85, 6.92, 10.48, 14.37, 17.95], growth: [20.4, 18.6, 17.9, 18.8, 19.5] },
  foreign_capital: { values: [1260, 2380, 4150, 5620, 7350], growth: [34.8, 31.2, 33.9, 32.6, 33.6] },
};
/** The zone's published growths of the growth-only indicators (1—2月 … 1—5月). Invented. */
const ZONE_GROWTH: Partial<Record<Code, number[]>> = {
  fixed_asset_investment: [26.3, 24.8, 22.5, 21.7],
  industrial_value_added: [15.2, 14.6, 13.9, 14.3],
};

/** A small deterministic wobble in [-1, 1] for (district, month, indicator). */
function wobble(d: number, m: number, k: number): number {
  const x = Math.sin(d * 12.9898 + m * 78.233 + k * 37.719) * 43758.5453;
  return (x - Math.floor(x)) * 2 - 1;
}

const round = (n: number, places: number) => (Math.round(n * 10 ** places) / 10 ** places).toFixed(places);

export async function seedIndicatorsDemo(tx: Db, _services: AppServices, zone: SeededZone): Promise<void> {
  const { zoneId } = zone;
  const inds = await tx.select({ id: indicators.id, code: indicators.code }).from(indicators).where(eq(indicators.zoneId, zoneId));
  const dists = await tx.select({ id: indicatorDistricts.id, name: indicatorDistricts.name, kind: indicatorDistricts.kind }).from(indicatorDistricts).where(eq(indicatorDistricts.zoneId, zoneId));
  const indicatorId = new Map(inds.map((i) => [i.code, i.id]));
  const self = dists.find((d) => d.kind === 'self');
  const city = dists.find((d) => d.kind === 'city');
  const others = DEFAULT_DISTRICTS.map((name) => dists.find((d) => d.name === name));
  const rows: (typeof indicatorValues.$inferInsert)[] = [];
  const add = (indicator: string, district: string, year: number, month: number, value: string | null, growth: string | null, growthSource: 'entered' | 'computed' | null) =>
    rows.push({ zoneId, indicatorId: indicator, districtId: district, year, month, value, growth, growthSource: growth === null ? null : growthSource, source: 'import' });

  (Object.keys(MONTHS) as Code[]).forEach((code, k) => {
    const ind = indicatorId.get(code);
    if (!ind) return;
    const months = MONTHS[code];
    const last = months[months.length - 1]!;
    const spec = OTHERS[code];
    const series = (d: number, latestGrowth: number, latestValue: number | null) =>
      months.map((m) => {
        const growth = m === last ? latestGrowth : latestGrowth + Math.round(wobble(d, m, k) * 15) / 10;
        const value = latestValue === null ? null : m === last ? latestValue : (latestValue * m) / last * (1 + wobble(d + 20, m, k) * 0.03);
        return { m, growth: round(growth, 1), value: value === null ? null : round(value, 2) };
      });
    others.forEach((d, i) => {
      if (!d) return;
      for (const p of series(i + 1, spec.growth[i]!, spec.value?.[i] ?? null)) add(ind, d.id, 2023, p.m, p.value, p.growth, 'entered');
    });
    if (city) for (const p of series(0, spec.cityGrowth, spec.cityValue)) add(ind, city.id, 2023, p.m, p.value, p.growth, 'entered');
    if (!self) return;
    const zv = ZONE_VALUES[code];
    if (zv) {
      months.forEach((m, j) => {
        const v2023 = round(zv.values[j]!, 2);
        const v2022 = round(zv.values[j]! / (1 + zv.growth[j]! / 100), 2);
        add(ind, self.id, 2022, m, v2022, null, null);
        // Computed exactly as the service computes it (indicators.rules.ts).
        add(ind, self.id, 2023, m, v2023, yoyGrowth(v2023, v2022), 'computed');
      });
    }
    const zg = ZONE_GROWTH[code];
    if (zg) months.forEach((m, j) => add(ind, self.id, 2023, m, null, fixDecimal(String(zg[j]!), 2), 'entered'));
  });
  if (rows.length) await tx.insert(indicatorValues).values(rows);
}
