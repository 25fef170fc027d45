import type { Db } from '../../db/client.ts';
import { dictionaryEntries } from './dictionaries.schema.ts';

/** Problem categories (issue 4); the same list is inserted for zones that existed before it (drizzle/0003). */
const PROBLEM_CATEGORY_DEFAULTS = [
  { code: 'land', label: '土地要素', labelEn: 'Land' },
  { code: 'planning', label: '规划设计', labelEn: 'Planning' },
  { code: 'permits', label: '审批手续', labelEn: 'Permits' },
  { code: 'site_clearing', label: '征迁清表', labelEn: 'Site clearing' },
  { code: 'utilities', label: '水电气热配套', labelEn: 'Utilities' },
  { code: 'financing', label: '融资资金', labelEn: 'Financing' },
  { code: 'policy', label: '政策兑现', labelEn: 'Policy' },
  { code: 'environment', label: '环保生态', labelEn: 'Environment' },
  { code: 'other', label: '其他', labelEn: 'Other' },
];

/** The value lists a new zone starts with; the zone edits them afterwards. */
export const DEFAULT_DICTIONARIES: Record<'industry' | 'project_kind' | 'problem_category', { code: string; label: string; labelEn: string }[]> = {
  industry: [
    { code: 'nev', label: '新能源汽车', labelEn: 'New-energy vehicles' },
    { code: 'pv', label: '光伏', labelEn: 'Photovoltaics' },
    { code: 'hydrogen', label: '氢能', labelEn: 'Hydrogen' },
    { code: 'ict', label: '新一代信息技术', labelEn: 'Information technology' },
    { code: 'equipment', label: '高端装备', labelEn: 'High-end equipment' },
    { code: 'biomed', label: '生物医药', labelEn: 'Biomedicine' },
    { code: 'materials', label: '新材料', labelEn: 'New materials' },
    { code: 'services', label: '现代服务业', labelEn: 'Modern services' },
    { code: 'urban', label: '城市建设', labelEn: 'Urban construction' },
    { code: 'tourism', label: '文化旅游', labelEn: 'Culture and tourism' },
    { code: 'other', label: '其他', labelEn: 'Other' },
  ],
  project_kind: [
    { code: 'industrial', label: '产业项目', labelEn: 'Industrial' },
    { code: 'infrastructure', label: '基础设施', labelEn: 'Infrastructure' },
    { code: 'public_service', label: '公共服务', labelEn: 'Public service' },
    { code: 'urban_renewal', label: '城市更新', labelEn: 'Urban renewal' },
    { code: 'ecology', label: '生态环保', labelEn: 'Ecology' },
    { code: 'other', label: '其他', labelEn: 'Other' },
  ],
  problem_category: PROBLEM_CATEGORY_DEFAULTS,
};

export async function seedDefaultDictionaries(tx: Db, zoneId: string): Promise<void> {
  const rows = Object.entries(DEFAULT_DICTIONARIES).flatMap(([dictionary, entries]) =>
    entries.map((e, i) => ({ zoneId, dictionary, code: e.code, label: e.label, labelEn: e.labelEn, sortOrder: i })),
  );
  await tx.insert(dictionaryEntries).values(rows);
}
