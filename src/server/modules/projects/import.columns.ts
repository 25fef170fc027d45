/**
 * The columns of the ledger import (台账导入): one list shared by the template, the reader and the error report.
 * `header` is what the template writes and what reports name; `aliases` are other headers people's own ledgers
 * use for the same column. Headers are matched after normalising (see normaliseHeader).
 */
export type ColumnKey =
  | 'code'
  | 'name'
  | 'enterprise'
  | 'industry'
  | 'kind'
  | 'level'
  | 'cluster'
  | 'area'
  | 'address'
  | 'longitude'
  | 'latitude'
  | 'command'
  | 'leadUnit'
  | 'leader'
  | 'taskForce'
  | 'totalInvestment'
  | 'year'
  | 'yearPlannedInvestment'
  | 'phase'
  | 'suspendedFrom'
  | 'signedOn'
  | 'startedOn'
  | 'operatingOn'
  | 'completedOn'
  | 'suspendedOn'
  | 'plannedStartOn'
  | 'plannedCompletionOn'
  | 'notes';

export type ColumnType = 'text' | 'money' | 'date' | 'coordinate' | 'year' | 'list';

/** The named lists of the template's hidden sheet (drop-downs). */
export type ListKey = 'enterprise' | 'industry' | 'kind' | 'level' | 'cluster' | 'area' | 'command' | 'unit' | 'leader' | 'taskForce' | 'phase' | 'suspendable';

export interface ImportColumn {
  key: ColumnKey;
  header: string;
  aliases?: string[];
  required?: boolean;
  type: ColumnType;
  list?: ListKey;
  /** Only values of the list (stop) or a warning that lets other text through (names may also be codes). */
  strictList?: boolean;
  width: number;
  hint: string;
}

export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  { key: 'code', header: '项目编号', aliases: ['编号', '项目代码'], required: true, type: 'text', width: 16, hint: '区内唯一；已存在的编号将更新该项目，不会重复新建' },
  { key: 'name', header: '项目名称', required: true, type: 'text', width: 36, hint: '不超过200字' },
  { key: 'enterprise', header: '建设单位(企业)', aliases: ['建设单位', '项目单位', '企业', '企业名称', '建设单位（企业）'], type: 'list', list: 'enterprise', width: 32, hint: '企业库中的企业名称，或18位统一社会信用代码' },
  { key: 'industry', header: '行业', aliases: ['所属行业', '产业'], type: 'list', list: 'industry', strictList: true, width: 14, hint: '从下拉列表选择' },
  { key: 'kind', header: '类别', aliases: ['项目类别', '项目类型'], type: 'list', list: 'kind', strictList: true, width: 12, hint: '从下拉列表选择' },
  { key: 'level', header: '级别', aliases: ['项目级别'], required: true, type: 'list', list: 'level', strictList: true, width: 10, hint: '省重点 / 市重点 / 区重点' },
  { key: 'cluster', header: '组团', aliases: ['所属组团'], type: 'list', list: 'cluster', strictList: true, width: 14, hint: '从下拉列表选择' },
  { key: 'area', header: '片区', aliases: ['所属片区'], type: 'list', list: 'area', strictList: true, width: 18, hint: '从下拉列表选择；须属于所填组团' },
  { key: 'address', header: '建设地址', aliases: ['地址', '项目地址', '建设地点'], type: 'text', width: 30, hint: '不超过300字' },
  { key: 'longitude', header: '经度', type: 'coordinate', width: 12, hint: '-180～180，最多6位小数' },
  { key: 'latitude', header: '纬度', type: 'coordinate', width: 12, hint: '-90～90，最多6位小数' },
  { key: 'command', header: '指挥部', aliases: ['所属指挥部', '责任指挥部'], type: 'list', list: 'command', strictList: true, width: 28, hint: '从下拉列表选择；指挥部人员只能填写本指挥部' },
  { key: 'leadUnit', header: '责任单位', aliases: ['牵头单位', '责任部门'], type: 'list', list: 'unit', strictList: true, width: 24, hint: '从下拉列表选择；单位人员只能填写本单位或下级单位' },
  { key: 'leader', header: '包挂领导', aliases: ['责任领导', '包联领导'], type: 'list', list: 'leader', width: 16, hint: '领导姓名，或其登录账号' },
  { key: 'taskForce', header: '专班', aliases: ['工作专班'], type: 'list', list: 'taskForce', strictList: true, width: 20, hint: '从下拉列表选择' },
  { key: 'totalInvestment', header: '总投资(亿元)', aliases: ['总投资', '总投资（亿元）', '计划总投资(亿元)', '计划总投资（亿元）'], required: true, type: 'money', width: 14, hint: '单位：亿元，最多6位小数（即精确到百元）' },
  { key: 'year', header: '年度', aliases: ['计划年度'], type: 'year', width: 8, hint: '年度计划投资所属年份，如2026；不填为今年' },
  { key: 'yearPlannedInvestment', header: '年度计划投资(亿元)', aliases: ['年度计划投资', '年度计划投资（亿元）', '本年计划投资(亿元)', '本年计划投资（亿元）'], type: 'money', width: 18, hint: '单位：亿元，最多6位小数' },
  { key: 'phase', header: '当前阶段', aliases: ['阶段', '项目阶段', '建设阶段'], type: 'list', list: 'phase', strictList: true, width: 10, hint: '储备 / 签约 / 开工 / 投产 / 竣工 / 停缓建；不填：新项目为储备，已有项目不变' },
  { key: 'suspendedFrom', header: '停缓建前阶段', type: 'list', list: 'suspendable', strictList: true, width: 12, hint: '停缓建项目填写（签约 / 开工 / 投产）；不填则按已填日期推断' },
  { key: 'signedOn', header: '签约日期', type: 'date', width: 12, hint: '日期，如2026-04-25' },
  { key: 'startedOn', header: '开工日期', type: 'date', width: 12, hint: '日期，如2026-04-25' },
  { key: 'operatingOn', header: '投产日期', type: 'date', width: 12, hint: '日期，如2026-04-25' },
  { key: 'completedOn', header: '竣工日期', type: 'date', width: 12, hint: '日期，如2026-04-25' },
  { key: 'suspendedOn', header: '停缓建日期', type: 'date', width: 12, hint: '停缓建项目填写' },
  { key: 'plannedStartOn', header: '计划开工日期', type: 'date', width: 14, hint: '日期' },
  { key: 'plannedCompletionOn', header: '计划竣工日期', type: 'date', width: 14, hint: '日期，不早于计划开工日期' },
  { key: 'notes', header: '备注', type: 'text', width: 30, hint: '不超过2000字' },
];

export const COLUMN_BY_KEY = new Map(IMPORT_COLUMNS.map((c) => [c.key, c]));

export function headerOf(key: ColumnKey): string {
  return COLUMN_BY_KEY.get(key)!.header;
}

/** "＊总投资（亿元） " → "总投资(亿元)": no required marks, spaces or line breaks; half-width brackets. */
export function normaliseHeader(text: string): string {
  return text
    .replace(/[\s\u3000*＊]/g, '')
    .replaceAll('（', '(')
    .replaceAll('）', ')');
}

const HEADER_INDEX: Map<string, ColumnKey> = (() => {
  const map = new Map<string, ColumnKey>();
  for (const c of IMPORT_COLUMNS) for (const h of [c.header, ...(c.aliases ?? [])]) map.set(normaliseHeader(h), c.key);
  return map;
})();

export function columnForHeader(text: string): ColumnKey | undefined {
  return HEADER_INDEX.get(normaliseHeader(text));
}

/** The sheet names of the template. The reader takes the data sheet by name, or the first sheet with the headers. */
export const DATA_SHEET = '项目台账';
export const HELP_SHEET = '说明';
export const LISTS_SHEET = '_lists';

/** Most data rows one file may hold. */
export const MAX_IMPORT_ROWS = 100_000;
/** Most bad cells kept for the report (the count of all of them is kept too). */
export const MAX_STORED_ERRORS = 100_000;
