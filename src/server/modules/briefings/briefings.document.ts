import { LEVEL_LABELS, PHASE_LABELS } from '../../../shared/project-phase.ts';
import { percent, yi } from '../../../shared/money.ts';
import { chineseDate, numericDate, type Block, type DocumentSpec } from '../../lib/documents/index.ts';
import type { CockpitOverviewDto } from '../cockpit/cockpit.api.ts';

/**
 * 工作简报 as a printable document (docs/briefings.md). Everything printed comes from `BriefingContent`, the
 * cockpit's overview frozen at generation, formatted with the same functions the cockpit page uses (yi, percent from
 * src/shared/money.ts), so a figure in the briefing reads exactly as on the cockpit for the same period and scope.
 */

/** What an issue holds (briefings.content): the cockpit's figures and the names printed around them. */
export interface BriefingContent {
  v: 1;
  /** 起步区, or the HQ's name. */
  scopeName: string;
  /** 编发单位 on the masthead and the 落款. */
  issuingBody: string;
  year: number;
  issueNo: number;
  kind: 'manual' | 'weekly';
  generatedAt: string;
  generatedByName: string;
  overview: CockpitOverviewDto;
}

const yiText = (yuan: string) => `${yi(yuan, 2)}亿元`;
const day = (d: string) => numericDate(d);
const monthDay = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

/** 2026年11月16日至11月22日 (the year once when both ends share it). */
export function periodText(from: string, to: string): string {
  if (from === to) return day(from);
  return from.slice(0, 4) === to.slice(0, 4) ? `${day(from)}至${monthDay(to)}` : `${day(from)}至${day(to)}`;
}

export function briefingTitle(c: Pick<BriefingContent, 'scopeName' | 'kind'>): string {
  return `${c.scopeName}${c.kind === 'weekly' ? '重点工作周报' : '重点工作推进情况'}`;
}

/** The document of one issue; `chart` is the indicators chart (PNG) or null when there are no indicator figures. */
export function briefingSpec(c: BriefingContent, chart: Buffer | null): DocumentSpec {
  const o = c.overview;
  const blocks: Block[] = [
    ...projectBlocks(o),
    ...problemBlocks(o),
    ...meetingBlocks(o),
    ...indicatorBlocks(o, chart),
    { kind: 'closing', issuer: c.issuingBody, date: o.today },
    {
      kind: 'note',
      text:
        `本简报由起步平台根据各单位已录入的数据自动生成（最多报一次），与驾驶舱同期间、同范围的数字一致。统计期间：${periodText(o.from, o.to)}；` +
        `在办、超期、亮灯及未办结事项为截至${day(o.today)}的数；项目年度指标为${o.projects.year}年、截至${day(o.projects.asOf)}。`,
    },
  ];
  return {
    title: briefingTitle(c),
    subtitle: `（${periodText(o.from, o.to)}）`,
    masthead: { text: '工作简报', number: `第${c.issueNo}期`, left: c.issuingBody, right: chineseDate(o.today) },
    blocks,
    author: c.issuingBody,
    subject: `工作简报 ${c.year}年第${c.issueNo}期`,
  };
}

function projectBlocks(o: CockpitOverviewDto): Block[] {
  const p = o.projects;
  const phases = p.byPhase.filter((x) => x.n > 0).map((x) => `${PHASE_LABELS[x.phase].zh}${x.n}个`);
  const levels = p.byLevel.filter((x) => x.n > 0).map((x) => `${LEVEL_LABELS[x.level].zh}${x.n}个`);
  const r = p.rates;
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '一、重点项目推进情况' },
    {
      kind: 'paragraph',
      text:
        `截至${day(p.asOf)}，纳入台账的重点项目${p.count.n}个，总投资${yiText(p.totalInvestment.value)}` +
        (phases.length ? `。按阶段分：${phases.join('、')}` : '') +
        (levels.length ? `；按级别分：${levels.join('、')}` : '') +
        '。',
    },
    {
      kind: 'paragraph',
      text:
        `${p.year}年计划投资${yiText(p.yearPlannedInvestment.value)}，已完成投资${yiText(p.yearCompletedInvestment.value)}，` +
        `投资完成率${percent(r.investment.rate)}（序时进度${percent(p.timeElapsed)}）；资金到位${yiText(p.yearFundsInPlace.value)}，` +
        `资金到位率${percent(r.funds.rate)}；开工率${percent(r.start.rate)}（${r.start.numerator}/${r.start.denominator}）；` +
        `按期竣工率${percent(r.onTimeCompletion.rate)}（${r.onTimeCompletion.numerator}/${r.onTimeCompletion.denominator}）。`,
    },
  ];
  if (p.laggingCount.n === 0) {
    blocks.push({ kind: 'paragraph', text: '无滞后于序时进度的项目。' });
    return blocks;
  }
  const shown = p.lagging.length;
  blocks.push({
    kind: 'paragraph',
    text: `滞后于序时进度的项目${p.laggingCount.n}个${shown < p.laggingCount.n ? `，差额最大的${shown}个如下（金额单位：亿元）` : '，如下（金额单位：亿元）'}：`,
  });
  blocks.push({
    kind: 'table',
    columns: [
      { header: '序号', weight: 0.6, align: 'center' },
      { header: '项目', weight: 3 },
      { header: '包挂领导', weight: 1.1, align: 'center' },
      { header: '责任单位', weight: 1.6 },
      { header: '年度计划', weight: 1, align: 'right' },
      { header: '序时应完成', weight: 1.1, align: 'right' },
      { header: '已完成', weight: 1, align: 'right' },
      { header: '差额', weight: 1, align: 'right' },
    ],
    rows: p.lagging.map((l, i) => [
      String(i + 1),
      l.project.name,
      l.leader?.displayName ?? '—',
      l.leadUnit?.name ?? '—',
      yi(l.yearPlannedInvestment, 2),
      yi(l.expectedByNow, 2),
      yi(l.yearCompletedInvestment, 2),
      yi(l.gap, 2),
    ]),
  });
  return blocks;
}

function problemBlocks(o: CockpitOverviewDto): Block[] {
  const q = o.problems;
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '二、问题解决情况' },
    {
      kind: 'paragraph',
      text:
        `${periodText(o.from, o.to)}，新发现问题${q.raised.n}件，销号${q.closed.n}件；销号且有办理时限的${q.onTime.closedWithDeadline.n}件中` +
        `按期办结${q.onTime.closedOnTime.n}件，按期办结率${percent(q.onTime.rate)}。截至${day(o.today)}，在办问题${q.open.n}件，其中超期（红灯）${q.lights.red.n}件、` +
        `临期（黄灯）${q.lights.yellow.n}件、正常（绿灯）${q.lights.green.n}件${q.lights.none ? `、尚未交办${q.lights.none}件` : ''}；` +
        `本周（${periodText(q.closedThisWeek.from, q.closedThisWeek.to)}）销号${q.closedThisWeek.n}件。`,
    },
  ];
  if (q.redList.length) {
    blocks.push({ kind: 'heading', level: 2, text: '（一）超期问题' });
    blocks.push({
      kind: 'paragraph',
      text: q.overdue.n > q.redList.length ? `超期问题${q.overdue.n}件，超期最久的${q.redList.length}件如下：` : `超期问题${q.overdue.n}件如下：`,
    });
    blocks.push({
      kind: 'table',
      columns: [
        { header: '编号', weight: 1.9 },
        { header: '问题', weight: 3.4 },
        { header: '牵头单位', weight: 1.6 },
        { header: '办理时限', weight: 1.8, align: 'center' },
        { header: '超期工作日', weight: 1.1, align: 'right' },
      ],
      rows: q.redList.map((r) => [
        r.code,
        r.title,
        r.leadUnit?.name ?? '—',
        r.deadline ?? '—',
        r.workdaysLeft === null ? '—' : String(Math.max(0, -r.workdaysLeft)),
      ]),
    });
  }
  if (q.ranking.items.length) {
    blocks.push({ kind: 'heading', level: 2, text: q.redList.length ? '（二）单位比业绩' : '（一）单位比业绩' });
    blocks.push({
      kind: 'table',
      columns: [
        { header: '名次', weight: 0.7, align: 'center' },
        { header: '牵头单位', weight: 2.4 },
        { header: '得分', weight: 1, align: 'right' },
        { header: '按期办结率', weight: 1.3, align: 'right' },
        { header: '超期在办', weight: 1, align: 'right' },
        { header: '退回', weight: 0.8, align: 'right' },
      ],
      rows: q.ranking.items.map((r) => [String(r.rank), r.unit.name, r.score, percent(r.onTimeRate), String(r.overdueOpen.n), String(r.returns.n)]),
    });
    blocks.push({ kind: 'note', text: `排名方法：${q.ranking.formula.zh}` });
  }
  return blocks;
}

function meetingBlocks(o: CockpitOverviewDto): Block[] {
  const m = o.meetings;
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '三、会议及议定事项' },
    {
      kind: 'paragraph',
      text:
        `${periodText(o.from, o.to)}，召开会议${m.held.n}次，议定事项${m.decisionsMade.n}项；截至${day(o.today)}，尚未办结的议定事项${m.decisionsOpen.n}项` +
        `${m.planned.n ? `；期间已安排尚未召开的会议${m.planned.n}次` : ''}。`,
    },
  ];
  const bodies = m.byBody.filter((b) => b.held.n > 0 || b.decisionsOpen > 0);
  if (bodies.length) {
    blocks.push({
      kind: 'table',
      columns: [
        { header: '会议主体', weight: 3 },
        { header: '召开会议（次）', weight: 1.2, align: 'right' },
        { header: '未办结议定事项（项）', weight: 1.6, align: 'right' },
      ],
      rows: bodies.map((b) => [b.body.name, String(b.held.n), String(b.decisionsOpen)]),
    });
  }
  return blocks;
}

function indicatorBlocks(o: CockpitOverviewDto, chart: Buffer | null): Block[] {
  const ind = o.indicators;
  const blocks: Block[] = [{ kind: 'heading', level: 1, text: '四、主要经济指标' }];
  if (!ind.available) {
    blocks.push({ kind: 'paragraph', text: ind.note });
    return blocks;
  }
  blocks.push({ kind: 'paragraph', text: `${ind.note}，主要经济指标及在全市各区县中的增速位次如下：` });
  blocks.push({
    kind: 'table',
    columns: [
      { header: '指标', weight: 3 },
      { header: '累计值', weight: 1.4, align: 'right' },
      { header: '单位', weight: 1, align: 'center' },
      { header: '同比增长（%）', weight: 1.4, align: 'right' },
      { header: '全市位次', weight: 1.1, align: 'center' },
    ],
    rows: ind.items.map((i) => [
      i.period && i.period !== ind.period ? `${i.name}（${i.period}）` : i.name,
      i.value ?? '—',
      i.unit ?? '',
      i.yoy ?? '—',
      i.rank === null ? '—' : `${i.rank}/${i.of}`,
    ]),
  });
  if (chart) blocks.push({ kind: 'image', png: chart, widthMm: 150, align: 'center', caption: `主要经济指标同比增速（%）${ind.period ? `，${ind.period}` : ''}` });
  return blocks;
}
