import { and, eq, inArray } from 'drizzle-orm';
import type { ProblemAction } from '../../../shared/problem-flow.ts';
import type { AppServices, Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { DEMO_USERS } from '../../demo/demo-data.ts';
import { demoCallers, servicesAt } from '../../demo/demo-actors.ts';
import type { SeededZone } from '../../demo/demo.ts';
import { WorkCalendar } from '../calendar/workdays.ts';
import { projects } from '../projects/projects.schema.ts';
import type { ActionInput, ProblemCreateInput } from './problems.api.ts';
import { problems } from './problems.schema.ts';
import { actInTransaction, raiseProblem } from './problems.service.ts';

/**
 * The demo zone's problems, made through the real service (so codes, deadlines, lights, timelines and the audit
 * trail are what the product itself would have written): the article's greenhouse wall (raised by the decision of
 * 崔寨片区建设指挥部第二次例会 in meetings.demo.ts) handled and closed 7 days after it was raised, a few closed ones for the metrics, and an open spread around today —
 * to assign, to accept, on track, close to the deadline, overdue and supervised, returned, extended, suspended,
 * merged, handed back, awaiting verification, with a pending request.
 */

type Ref = { id: string };

class DemoActors {
  private readonly caller: (username: string) => Caller;

  constructor(
    private readonly tx: Db,
    private readonly s: AppServices,
    private readonly zone: SeededZone,
    private readonly projectIds: Map<string, string>,
  ) {
    this.caller = demoCallers(zone);
  }

  private at(day: string, hour: number): AppServices {
    return servicesAt(this.s, day, hour, 10 + (hour % 5) * 7);
  }

  project(code: string): string {
    const id = this.projectIds.get(code);
    if (!id) throw new Error(`demo problems: unknown project ${code}`);
    return id;
  }

  async raise(who: string, day: string, input: Omit<ProblemCreateInput, 'source'> & { source?: ProblemCreateInput['source'] }): Promise<Ref> {
    const id = await raiseProblem(this.tx, this.at(day, 9), this.caller(who), { source: 'field', ...input });
    return { id };
  }

  async act(who: string, day: string, p: Ref, action: ProblemAction, input: Omit<ActionInput, 'action' | 'version'> = {}, hour = 15): Promise<void> {
    const [row] = await this.tx.select({ version: problems.version }).from(problems).where(and(eq(problems.zoneId, this.zone.zoneId), eq(problems.id, p.id)));
    const outcome = await actInTransaction(this.tx, this.at(day, hour), this.caller(who), p.id, { action, version: row!.version, ...input });
    if (outcome !== 'done') throw new Error(`demo problems: ${who} may not ${action}`);
  }
}

const PROJECT_CODES = ['QB-2023-005', 'QB-2023-008', 'QB-2023-015', 'QB-2023-019', 'QB-2023-021', 'QB-2023-022', 'QB-2023-023', 'QB-2023-024', 'QB-2023-026', 'QB-2023-030', 'QB-2023-004', 'QB-2023-020', 'QB-2023-103'];

export async function seedProblems(tx: Db, s: AppServices, zone: SeededZone, today: string, opts: { wallProblemId: string }): Promise<void> {
  const rows = await tx
    .select({ id: projects.id, code: projects.code })
    .from(projects)
    .where(and(eq(projects.zoneId, zone.zoneId), inArray(projects.code, PROJECT_CODES)));
  const d = new DemoActors(tx, s, zone, new Map(rows.map((r) => [r.code, r.id])));
  const cal = new WorkCalendar();
  const back = (n: number) => cal.addWorkdays(today, -n).date;
  const u = zone.units;
  const c = zone.commands;

  // The article: decided at 崔寨片区建设指挥部第二次例会 (meetings.demo.ts raised it), lead 崔寨街道, closed 7 days later.
  const wall = { id: opts.wallProblemId };
  await d.act('staff.cuizhai', '2023-05-09', wall, 'accept', {}, 16);
  await d.act('staff.cuizhai', '2023-05-11', wall, 'report_progress', { text: '已与大棚户主签订拆除协议，组织机械进场拆除。' });
  await d.act('staff.cuizhai', '2023-05-15', wall, 'submit', { text: '大棚扇墙已全部拆除，建筑垃圾清运完毕，现场平整。' });
  await d.act('hq.cuizhai', '2023-05-16', wall, 'close', { text: '现场核验：扇墙已拆除、垃圾已清运，同意销号。' }, 10);

  // Closed ones for the metrics: on time, late, returned once.
  const closed: [string, string, string, string, number, number, number, number, string?][] = [
    // title, category, lead unit user, HQ, raised back, workdays, submitted back, closed back, project
    ['大桥组团安置区三期项目地块清表', 'site_clearing', 'staff.daqiao', 'fuzhongxin', 40, 10, 31, 30, 'QB-2023-004'],
    ['泽康生物医药产业园环评批复协调', 'environment', 'staff.ecology', 'cuizhai', 35, 8, 25, 24, 'QB-2023-020'],
    ['高新产业集聚区标准化厂房施工许可', 'permits', 'staff.planning', 'cuizhai', 28, 5, 24, 23, 'QB-2023-023'],
    ['智能网联汽车测试场规划条件调整', 'planning', 'staff.planning', 'nev', 18, 5, 14, 13, 'QB-2023-103'],
  ];
  for (const [title, category, lead, hq, raised, days, submitted, closedOn, project] of closed) {
    const leadUnit = DEMO_USERS.find((x) => x.username === lead)!.unit!;
    const p = await d.raise(`hq.${hq}`, back(raised), {
      title,
      category,
      commandId: c[hq],
      ...(project ? { projectId: d.project(project) } : {}),
      assign: { leadUnitId: u[leadUnit]!, deadlineWorkdays: days },
    });
    await d.act(lead, back(raised), p, 'accept', {}, 17);
    await d.act(lead, back(submitted), p, 'submit', { text: '已办结，相关材料已上传。' });
    await d.act(`hq.${hq}`, back(closedOn), p, 'close', { text: '核验通过，同意销号。' }, 10);
  }
  const land = await d.raise('hq.cuizhai', back(22), {
    title: '崔寨街道安置区二期项目土地组卷报批',
    category: 'land',
    commandId: c.cuizhai,
    projectId: d.project('QB-2023-022'),
    assign: { leadUnitId: u.planning!, deadlineWorkdays: 10, escalation: 'city', externalUnit: '济南市自然资源和规划局' },
  });
  await d.act('staff.planning', back(22), land, 'accept');
  await d.act('staff.planning', back(16), land, 'submit', { text: '组卷材料已报市自然资源和规划局。' });
  await d.act('hqstaff.cuizhai', back(15), land, 'return', { reason: '尚未取得市局受理回执，请补充后再申请办结。' }, 10);
  await d.act('staff.planning', back(13), land, 'submit', { text: '已取得市局受理回执（附件）。' });
  await d.act('hq.cuizhai', back(12), land, 'close', { text: '同意销号。' }, 10);

  // ---- Open around today ----
  // To assign: a street found it in the field.
  await d.raise('staff.daqiao', back(1), {
    title: '鹊华大道施工围挡占用人行道',
    description: '鹊华大道（黄河大桥至大桥路段）施工围挡外扩，占用人行道约200米，行人绕行机动车道。',
    category: 'other',
    commandId: c.fuzhongxin,
    placeUnitId: u.area_fuzhongxin,
    address: '鹊华大道大桥路口东侧',
    longitude: 117.0396,
    latitude: 36.7621,
  });
  // Assigned, waiting to be accepted.
  await d.raise('hq.fuzhongxin', back(1), {
    title: '城市副中心人才公寓项目临时用电接入',
    category: 'utilities',
    commandId: c.fuzhongxin,
    projectId: d.project('QB-2023-015'),
    assign: { leadUnitId: u.daqiao!, deadlineWorkdays: 5 },
  });
  // In progress, close to the deadline (yellow).
  const debris = await d.raise('hq.cuizhai', back(4), {
    title: '崔寨片区道路网一期工程沿线建筑垃圾清运',
    category: 'site_clearing',
    commandId: c.cuizhai,
    projectId: d.project('QB-2023-022'),
    assign: { leadUnitId: u.cuizhai!, deadlineWorkdays: 5 },
  });
  await d.act('staff.cuizhai', back(4), debris, 'accept');
  await d.act('staff.cuizhai', back(2), debris, 'report_progress', { text: '已清运约六成，剩余路段协调渣土车辆中。' });
  // A duplicate report of the same debris, merged into it.
  const duplicate = await d.raise('staff.cuizhai', back(3), { title: '道路网一期沿线建筑垃圾（重复上报）', category: 'site_clearing', commandId: c.cuizhai });
  await d.act('hq.cuizhai', back(3), duplicate, 'merge', { targetId: debris.id, text: '与道路网沿线建筑垃圾清运为同一问题。' }, 16);
  // Overdue, reminded and supervised by a leader (red).
  const lines = await d.raise('hq.hydrogen', back(12), {
    title: '加氢母站用地红线内高压线迁改',
    description: '加氢母站用地红线内有一路10kV架空线，需迁改后方可进行主体施工。',
    category: 'utilities',
    priority: 'urgent',
    commandId: c.hydrogen,
    projectId: d.project('QB-2023-030'),
    assign: { leadUnitId: u.planning!, cooperatingUnitIds: [u.cuizhai!], deadlineWorkdays: 8, escalation: 'city', externalUnit: '国网济南供电公司' },
  });
  await d.act('staff.planning', back(11), lines, 'accept');
  await d.act('staff.planning', back(6), lines, 'report_progress', { text: '迁改方案已报供电公司审查。' });
  await d.act('staff.cuizhai', back(6), lines, 'report_progress', { text: '崔寨街道已完成迁改路径沿线青苗补偿摸底。' }, 16);
  await d.act('hq.hydrogen', back(5), lines, 'remind', { text: '请加快迁改方案审查进度。' }, 10);
  await d.act('leader', back(2), lines, 'supervise', { text: '请规划建设部会同供电公司一周内确定迁改方案并开工。' }, 11);
  // Returned once, back in progress.
  const sewer = await d.raise('hq.cuizhai', back(9), {
    title: '污水处理厂配套管网穿越G220国道许可',
    category: 'permits',
    commandId: c.cuizhai,
    projectId: d.project('QB-2023-019'),
    assign: { leadUnitId: u.planning!, deadlineWorkdays: 10, escalation: 'city', externalUnit: '济南市交通运输局' },
  });
  await d.act('staff.planning', back(9), sewer, 'accept');
  await d.act('staff.planning', back(4), sewer, 'submit', { text: '已提交穿越公路许可申请。' });
  await d.act('hq.cuizhai', back(3), sewer, 'return', { reason: '仅提交了申请，尚未取得许可文件，请取得后再申请办结。' }, 10);
  // Extended.
  const graves = await d.raise('hq.nev', back(15), {
    title: '新能源汽车产业片区配套道路沿线坟墓迁移',
    category: 'site_clearing',
    commandId: c.nev,
    projectId: d.project('QB-2023-026'),
    assign: { leadUnitId: u.daqiao!, deadlineWorkdays: 10 },
  });
  await d.act('staff.daqiao', back(15), graves, 'accept');
  await d.act('staff.daqiao', back(7), graves, 'request_extension', { reason: '涉及42座坟墓，需按程序公告30日。', newDeadline: cal.addWorkdays(today, 8).date });
  await d.act('hq.nev', back(6), graves, 'approve_request', { text: '同意延期，请按公告程序推进。' }, 10);
  // Suspended, waiting for the province.
  const trees = await d.raise('hq.fuzhongxin', back(20), {
    title: '黄河生态风貌带河滩地林木采伐许可',
    category: 'environment',
    commandId: c.fuzhongxin,
    projectId: d.project('QB-2023-008'),
    assign: { leadUnitId: u.ecology!, deadlineWorkdays: 15, escalation: 'province', externalUnit: '山东省自然资源厅' },
  });
  await d.act('staff.ecology', back(20), trees, 'accept');
  await d.act('staff.ecology', back(10), trees, 'request_suspension', { reason: '采伐许可需省级审批，等待期间暂停计时。' });
  await d.act('hq.fuzhongxin', back(9), trees, 'approve_request', {}, 10);
  // Handed back: not the unit's job.
  const water = await d.raise('hq.cuizhai', back(3), {
    title: '北跨冷链物流园项目供水管线接驳',
    category: 'utilities',
    commandId: c.cuizhai,
    projectId: d.project('QB-2023-021'),
    assign: { leadUnitId: u.ecology!, deadlineWorkdays: 5 },
  });
  await d.act('staff.ecology', back(2), water, 'hand_back', { reason: '供水管线接驳属规划建设部（水务）职责，请改派。' });
  // Resolution submitted, waiting for verification.
  const hospital = await d.raise('hq.fuzhongxin', back(8), {
    title: '人民医院项目施工图审查意见落实',
    category: 'permits',
    commandId: c.fuzhongxin,
    projectId: d.project('QB-2023-005'),
    assign: { leadUnitId: u.planning!, deadlineWorkdays: 7 },
  });
  await d.act('staff.planning', back(8), hospital, 'accept');
  await d.act('staff.planning', back(4), hospital, 'report_progress', { text: '设计单位已按审查意见修改消防和人防部分。' });
  await d.act('staff.planning', back(1), hospital, 'submit', { text: '审查意见已全部落实，取得施工图审查合格书。' });
  // Overdue with an extension request waiting for the HQ.
  const power = await d.raise('hq.nev', back(6), {
    title: '擎动动力电池生产基地双回路供电方案审批',
    category: 'utilities',
    priority: 'high',
    commandId: c.nev,
    projectId: d.project('QB-2023-024'),
    assign: { leadUnitId: u.planning!, deadlineWorkdays: 5 },
  });
  await d.act('staff.planning', back(6), power, 'accept');
  await d.act('staff.planning', back(1), power, 'request_extension', { reason: '供电公司要求补充负荷计算书，需延期。', newDeadline: cal.addWorkdays(today, 5).date });
}
