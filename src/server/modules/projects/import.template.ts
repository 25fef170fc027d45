import ExcelJS from 'exceljs';
import { LEVEL_LABELS, PHASE_LABELS, PROJECT_LEVELS, PROJECT_PHASES } from '../../../shared/project-phase.ts';
import { isFormulaLike } from '../../lib/xlsx.ts';
import { DATA_SHEET, HELP_SHEET, IMPORT_COLUMNS, LISTS_SHEET, MAX_IMPORT_ROWS, type ListKey } from './import.columns.ts';
import type { RefData } from './import.validate.ts';

/**
 * The import template (导入模板): the data sheet with Chinese headers (required ones marked * in red, each with a
 * note saying what to type), drop-downs fed from a hidden lists sheet (one column per list, so lists of any
 * length work; each list is a defined name), and a 说明 sheet. Nothing from the zone's data is ever written as a
 * formula.
 */

/** Rows of the data sheet that carry the drop-downs and column formats. */
export const TEMPLATE_ROWS = 20_000;

const RED = 'FFC00000';
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };

function listValues(refs: RefData): Record<ListKey, string[]> {
  return {
    enterprise: refs.lists.enterprise,
    industry: refs.lists.industry,
    kind: refs.lists.kind,
    level: PROJECT_LEVELS.map((l) => LEVEL_LABELS[l].zh),
    cluster: refs.lists.cluster,
    area: refs.lists.area,
    command: refs.lists.command,
    unit: refs.lists.unit,
    leader: refs.lists.leader,
    taskForce: refs.lists.taskForce,
    phase: PROJECT_PHASES.map((p) => PHASE_LABELS[p].zh),
    suspendable: (['signed', 'started', 'operating'] as const).map((p) => PHASE_LABELS[p].zh),
  };
}

const LIST_TITLES: Record<ListKey, string> = {
  enterprise: '企业',
  industry: '行业',
  kind: '类别',
  level: '级别',
  cluster: '组团',
  area: '片区',
  command: '指挥部',
  unit: '责任单位',
  leader: '包挂领导',
  taskForce: '专班',
  phase: '阶段',
  suspendable: '停缓建前阶段',
};

/** A value from the zone's data, as text that is never read as a formula. */
function safeText(value: string): ExcelJS.CellValue {
  return isFormulaLike(value) ? { richText: [{ text: value }] } : value;
}

function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

export async function buildImportTemplate(refs: RefData, zoneName: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Qibu 起步';
  workbook.created = new Date();

  const data = workbook.addWorksheet(DATA_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  const help = workbook.addWorksheet(HELP_SHEET);
  const lists = workbook.addWorksheet(LISTS_SHEET, { state: 'veryHidden' });

  // The lists sheet: one column per list, title in row 1, values below; a defined name per list.
  const values = listValues(refs);
  const listNames = new Map<ListKey, string>();
  (Object.keys(values) as ListKey[]).forEach((key, i) => {
    const col = i + 1;
    const letter = columnLetter(col);
    lists.getCell(1, col).value = LIST_TITLES[key];
    values[key].forEach((v, r) => {
      lists.getCell(r + 2, col).value = safeText(v);
    });
    if (values[key].length > 0) {
      const name = `list_${key}`;
      workbook.definedNames.add(`'${LISTS_SHEET}'!$${letter}$2:$${letter}$${values[key].length + 1}`, name);
      listNames.set(key, name);
    }
  });

  // The data sheet. (exceljs has worksheet.dataValidations; its typings do not.)
  const validations = (data as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations;
  data.columns = IMPORT_COLUMNS.map((c) => ({ key: c.key, width: c.width }));
  const header = data.getRow(1);
  header.height = 30;
  IMPORT_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.required ? { richText: [{ text: '*', font: { bold: true, color: { argb: RED } } }, { text: c.header, font: { bold: true } }] } : c.header;
    cell.font = { bold: true, ...(c.required ? { color: { argb: RED } } : {}) };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.note = `${c.required ? '必填。' : '选填。'}${c.hint}`;
  });
  const last = TEMPLATE_ROWS + 1;
  IMPORT_COLUMNS.forEach((c, i) => {
    const letter = columnLetter(i + 1);
    const range = `${letter}2:${letter}${last}`;
    const column = data.getColumn(i + 1);
    if (c.type === 'date') column.numFmt = 'yyyy-mm-dd';
    else if (c.type === 'money') column.numFmt = '0.00####';
    else if (c.type === 'text' || c.type === 'list') column.numFmt = '@';
    if (c.type === 'date') {
      validations.add(range, {
        type: 'date',
        operator: 'between',
        allowBlank: true,
        formulae: [new Date(Date.UTC(1950, 0, 1)), new Date(Date.UTC(2099, 11, 31))],
        showErrorMessage: true,
        errorStyle: 'warning',
        errorTitle: c.header,
        error: '请填写日期，如 2026-04-25',
      });
    } else if (c.type === 'money') {
      validations.add(range, {
        type: 'decimal',
        operator: 'greaterThanOrEqual',
        allowBlank: true,
        formulae: [0],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: c.header,
        error: '请填写以亿元为单位的数字，最多6位小数',
      });
    } else if (c.list) {
      const name = listNames.get(c.list);
      if (!name) return;
      validations.add(range, {
        type: 'list',
        allowBlank: true,
        formulae: [name],
        showErrorMessage: true,
        errorStyle: c.strictList ? 'stop' : 'warning',
        errorTitle: c.header,
        error: c.strictList ? '请从下拉列表中选择' : '不在列表中：请确认该名称已在系统中登记',
      });
    }
  });

  // 说明.
  help.columns = [{ width: 22 }, { width: 10 }, { width: 80 }];
  const title = help.addRow([`重点项目台账导入模板（${zoneName}）`]);
  title.font = { bold: true, size: 14 };
  help.addRow([]);
  const rules = [
    `1. 在“${DATA_SHEET}”工作表中从第2行起每行填写一个项目，不要修改第1行的列名；标 * 的列必填。`,
    '2. 按“项目编号”识别项目：编号在系统中已存在的行将更新该项目（留空的单元格保持原值不变），不存在的行将新建项目；同一文件中编号不能重复。',
    '3. 金额以“亿元”为单位填写数字，最多保留6位小数（精确到百元），如 486.5；不要填写公式或带单位的文字。',
    '4. 日期请使用 Excel 日期，或按 2026-04-25、2026/4/25、2026年4月25日 填写，且不能晚于今天（计划日期除外）。',
    '5. 行业、类别、级别、阶段、组团、片区、指挥部、责任单位、专班请从下拉列表中选择；建设单位可填企业名称或统一社会信用代码；包挂领导可填姓名或登录账号。',
    '6. 当前阶段与日期须一致：签约须填签约日期，开工须填开工日期，投产须填开工和投产日期，竣工须填竣工日期；停缓建须填停缓建日期。',
    '7. 指挥部人员只能导入本指挥部的项目，单位人员只能导入本单位（含下级单位）负责的项目。',
    `8. 文件须为 .xlsx 格式，不超过 10 MB，最多 ${MAX_IMPORT_ROWS} 行。上传后系统逐行校验并列出每个有问题的单元格；确认导入前不会写入任何数据，确认后所有有效行一次性写入。`,
    '9. 含公式的单元格取其计算结果；没有计算结果的公式将被拒绝，请先“粘贴为数值”。',
  ];
  for (const line of rules) help.addRow([line]).alignment = { wrapText: false };
  help.addRow([]);
  const head = help.addRow(['列名', '是否必填', '填写说明']);
  head.font = { bold: true };
  head.eachCell((c) => {
    c.fill = HEADER_FILL;
  });
  for (const c of IMPORT_COLUMNS) {
    const row = help.addRow([c.header, c.required ? '必填' : '选填', c.hint]);
    if (c.required) row.getCell(2).font = { color: { argb: RED }, bold: true };
  }
  help.addRow([]);
  help.addRow(['示例']).font = { bold: true };
  help.addRow(IMPORT_COLUMNS.map((c) => c.header)).font = { bold: true };
  help.addRow(
    IMPORT_COLUMNS.map((c) => {
      switch (c.key) {
        case 'code':
          return 'QBQ-2026-001';
        case 'name':
          return '新能源汽车零部件产业园（示例）';
        case 'level':
          return '区重点';
        case 'totalInvestment':
          return 12.5;
        case 'year':
          return 2026;
        case 'yearPlannedInvestment':
          return 3.2;
        case 'phase':
          return '开工';
        case 'startedOn':
          return '2026-03-18';
        case 'plannedStartOn':
          return '2026-03-01';
        case 'plannedCompletionOn':
          return '2027-12-31';
        default:
          return null;
      }
    }),
  );

  // Open on the data sheet.
  workbook.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
