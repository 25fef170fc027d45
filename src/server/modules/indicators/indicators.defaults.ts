import type { Db } from '../../db/client.ts';
import { indicatorDistricts, indicators } from './indicators.schema.ts';

/**
 * The indicators and districts a new zone starts with (the zone edits them afterwards). The same lists are inserted
 * for zones that existed before the indicators module (drizzle/0006_indicators.sql): keep the two in step.
 */
export const DEFAULT_INDICATORS = [
  { code: 'gdp', name: '地区生产总值', nameEn: 'GDP', unit: '亿元', publishesValue: true },
  { code: 'fixed_asset_investment', name: '固定资产投资', nameEn: 'Fixed-asset investment', unit: '亿元', publishesValue: false },
  { code: 'industrial_value_added', name: '规模以上工业增加值', nameEn: 'Industrial value added above designated size', unit: '亿元', publishesValue: false },
  { code: 'retail_sales', name: '社会消费品零售总额', nameEn: 'Retail sales of consumer goods', unit: '亿元', publishesValue: true },
  { code: 'budget_revenue', name: '一般公共预算收入', nameEn: 'General public budget revenue', unit: '亿元', publishesValue: true },
  { code: 'foreign_capital', name: '实际使用外资', nameEn: 'Foreign capital actually used', unit: '万美元', publishesValue: true },
] as const;

/** The city as a whole (shown beside the zone, never ranked). */
export const DEFAULT_CITY = '全市';

/** Jinan's other districts and counties, in the statistics bureau's order. */
export const DEFAULT_DISTRICTS = ['历下区', '市中区', '槐荫区', '天桥区', '历城区', '长清区', '章丘区', '济阳区', '莱芜区', '钢城区', '平阴县', '商河县', '高新区'] as const;

/** Inserts the default indicators and districts of a zone; `selfName` is the zone's own row (its short name). */
export async function seedDefaultIndicators(tx: Db, zoneId: string, selfName: string): Promise<void> {
  await tx.insert(indicators).values(DEFAULT_INDICATORS.map((d, i) => ({ zoneId, ...d, sortOrder: i })));
  await tx.insert(indicatorDistricts).values([
    { zoneId, name: DEFAULT_CITY, kind: 'city', sortOrder: 0 },
    { zoneId, name: selfName, kind: 'self', sortOrder: 1 },
    ...DEFAULT_DISTRICTS.filter((name) => name !== selfName).map((name, i) => ({ zoneId, name, kind: 'district', sortOrder: i + 2 })),
  ]);
}
