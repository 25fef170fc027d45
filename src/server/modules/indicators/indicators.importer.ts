import { eq } from 'drizzle-orm';
import type { AppServices, Caller } from '../../context.ts';
import type { Lang } from '../../i18n.ts';
import { audit } from '../../lib/audited.ts';
import type { CheckedXlsx, XlsxLimits } from '../../lib/upload.ts';
import { zones } from '../org/org.schema.ts';
import type { ImportReportDto } from './indicators.api.ts';
import { loadNames, writeFigures } from './indicators.figures.ts';
import { loadWorkbook, localiseErrors, parseWorkbook, type ParseResult } from './indicators.import.ts';
import { indicatorDistricts, indicators } from './indicators.schema.ts';
import { currentPeriod } from './indicators.service.ts';
import { importErrorsWorkbook } from './indicators.xlsx.ts';

/**
 * The indicators import (docs/api-indicators.md "Import"): the file is read and every cell checked in the request
 * (the bureau's workbooks are small: limits below); then, unless it is a dry run, the figures are written in ONE
 * transaction when every cell is good, or when the caller asks for the valid figures only (`applyValid`). Nothing is
 * kept between requests: the web keeps the file and sends it again to confirm or to fetch the report as a workbook.
 */

/** A statistics workbook is a few hundred kB at most: tighter than the ledger's limits. */
export const INDICATOR_XLSX_LIMITS: XlsxLimits = { maxBytes: 2 * 1024 * 1024, maxUncompressedBytes: 20 * 1024 * 1024, maxEntries: 100 };

const ERRORS_SHOWN = 200;

async function parse(s: AppServices, caller: Caller, file: CheckedXlsx): Promise<ParseResult> {
  const [inds, dists, [zone]] = await Promise.all([
    s.db.select().from(indicators).where(eq(indicators.zoneId, caller.zoneId)),
    s.db.select().from(indicatorDistricts).where(eq(indicatorDistricts.zoneId, caller.zoneId)),
    s.db.select({ name: zones.name, shortName: zones.shortName }).from(zones).where(eq(zones.id, caller.zoneId)),
  ]);
  const wb = await loadWorkbook(file.buffer);
  return parseWorkbook(wb, { indicators: inds, districts: dists, zoneNames: zone ? [zone.name, zone.shortName] : [], current: currentPeriod(s.now()) });
}

export async function importIndicators(
  s: AppServices,
  caller: Caller,
  file: CheckedXlsx,
  opts: { dryRun: boolean; applyValid: boolean },
  lang: Lang,
): Promise<ImportReportDto> {
  const parsed = await parse(s, caller, file);
  const report: ImportReportDto = {
    layout: parsed.layout,
    sheets: parsed.sheets,
    figures: parsed.figures.length + parsed.invalid,
    valid: parsed.figures.length,
    invalid: parsed.invalid,
    errorCount: parsed.errors.length,
    errors: localiseErrors(lang, parsed.errors.slice(0, ERRORS_SHOWN)),
    dryRun: opts.dryRun,
    applied: null,
  };
  const clean = parsed.errors.length === 0;
  if (opts.dryRun || parsed.figures.length === 0 || (!clean && !opts.applyValid)) return report;

  const names = await loadNames(s.db, caller.zoneId);
  report.applied = await s.db.transaction(async (tx) => {
    const outcome = await writeFigures(
      tx,
      s,
      caller,
      parsed.figures.map((f) => ({ indicatorId: f.indicatorId, districtId: f.districtId, year: f.year, month: f.month, value: f.value, growth: f.growth })),
      { source: 'import', checkVersions: false, names },
    );
    const applied = { created: outcome.created, updated: outcome.updated, unchanged: outcome.unchanged, recomputed: outcome.recomputed };
    await audit(tx, s, caller, {
      action: 'indicator.import',
      entityType: 'indicator_import',
      entityId: null,
      after: { fileName: file.fileName, layout: parsed.layout, sheets: parsed.sheets.map((x) => x.name), ...applied, invalid: parsed.invalid, badCells: parsed.errors.length },
    });
    return applied;
  });
  return report;
}

/** The report of every bad cell of a file, as a workbook (nothing is written). */
export async function importErrorsXlsx(s: AppServices, caller: Caller, file: CheckedXlsx, lang: Lang): Promise<{ fileName: string; body: Buffer }> {
  const parsed = await parse(s, caller, file);
  const body = await importErrorsWorkbook(localiseErrors(lang, parsed.errors), lang);
  return { fileName: `${file.fileName.replace(/\.xlsx$/i, '')}_导入问题.xlsx`, body };
}
