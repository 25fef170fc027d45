import { and, eq } from 'drizzle-orm';
import type { AppServices } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { demoCallers, servicesAt } from '../../demo/demo-actors.ts';
import type { SeededZone } from '../../demo/demo.ts';
import { WorkCalendar } from '../calendar/workdays.ts';
import type { AttendanceInputDto, DecisionCreateInput } from './meetings.api.ts';
import { projects } from '../projects/projects.schema.ts';
import { meetingDecisions, meetings } from './meetings.schema.ts';
import { addDecisionIn, completeTaskIn, createMeetingIn, issueMinutesIn, updateMeetingIn } from './meetings.service.ts';

/**
 * The demo zone's meetings, through the real service: the leading group's first meeting (2023-04-18, a week
 * before the 2023-04-25 groundbreaking, when the 城市副中心示范区建设指挥部 was set up), 崔寨片区建设指挥部's
 * first and second regular meetings — the second decided the greenhouse wall, which became the closed problem —
 * and later meetings with open and closed decisions, and one still to come. Answers the greenhouse wall's problem id.
 */
export async function seedMeetings(tx: Db, s: AppServices, zone: SeededZone, today: string): Promise<{ wallProblemId: string }> {
  const who = demoCallers(zone);
  const u = zone.units;
  const users = zone.users;
  // Projects the meetings take up by name (the ledger is seeded first): their pages' 会议 tab lists these meetings.
  const projectId = async (code: string) => {
    const [p] = await tx.select({ id: projects.id }).from(projects).where(and(eq(projects.zoneId, zone.zoneId), eq(projects.code, code)));
    if (!p) throw new Error(`demo: no project ${code}`);
    return p.id;
  };
  const cal = new WorkCalendar();
  const back = (n: number) => cal.addWorkdays(today, -n).date;

  const version = async (id: string) => (await tx.select({ v: meetings.version }).from(meetings).where(and(eq(meetings.zoneId, zone.zoneId), eq(meetings.id, id))))[0]!.v;
  const plan = async (by: string, plannedOn: string, input: Parameters<typeof createMeetingIn>[3]) => (await createMeetingIn(tx, servicesAt(s, plannedOn, 10), who(by), input))[0]!;
  const edit = async (by: string, day: string, id: string, patch: Omit<Parameters<typeof updateMeetingIn>[4], 'version'>) =>
    updateMeetingIn(tx, servicesAt(s, day, 17), who(by), id, { version: await version(id), ...patch });
  const decide = (by: string, day: string, id: string, d: DecisionCreateInput) => addDecisionIn(tx, servicesAt(s, day, 16), who(by), id, d);
  const issue = async (by: string, day: string, id: string) => issueMinutesIn(tx, servicesAt(s, day, 9), who(by), id, { version: await version(id) });
  const done = async (by: string, day: string, meetingId: string, decisionId: string, result: string) => {
    const [d] = await tx.select({ v: meetingDecisions.version }).from(meetingDecisions).where(and(eq(meetingDecisions.zoneId, zone.zoneId), eq(meetingDecisions.id, decisionId)));
    await completeTaskIn(tx, servicesAt(s, day, 15), who(by), meetingId, decisionId, { version: d!.v, result });
  };
  const present = (...names: string[]): AttendanceInputDto[] => names.map((n) => ({ userId: users[n]!, status: 'present' as const }));

  // 领导小组第一次会议: the 城市副中心示范区建设指挥部 is set up; the 4-25 groundbreaking is prepared.
  const lg = await plan('leader', '2023-04-14', {
    groupId: zone.groups.leading!,
    type: 'leading_group',
    startsAt: '2023-04-18T09:30:00+08:00',
    durationMinutes: 120,
    place: '起步区管委会第一会议室',
    chairUserId: users.leader!,
    invitees: { commandIds: Object.values(zone.commands), unitIds: [u.planning!, u.economy!, u.daqiao!, u.cuizhai!] },
  });
  await edit('leader', '2023-04-18', lg, {
    agenda: [
      { kind: 'custom', title: '城市副中心示范区建设指挥部组建方案', presenterUnitId: u.planning!, minutesAllowed: 30, minutes: '会议审议通过指挥部组建方案，明确指挥长、抽调人员和驻场工作机制。' },
      { kind: 'custom', title: '4月25日重点项目集中开工活动筹备', presenterUnitId: u.economy!, minutesAllowed: 30, minutes: '33个项目已具备开工条件，总投资486.5亿元。' },
    ],
    attendance: [...present('leader', 'hq.fuzhongxin', 'hq.cuizhai', 'hq.nev'), { userId: users['hq.hydrogen']!, status: 'absent', reason: '赴省里对接氢能示范城市群申报' }],
    summary: '会议为城市副中心示范区建设指挥部揭牌。',
  });
  const lg1 = await decide('leader', '2023-04-18', lg, { text: '城市副中心示范区建设指挥部即日挂牌运行，抽调人员4月20日前到岗。', kind: 'task', leadUnitId: u.planning!, deadline: '2023-04-20' });
  const lg2 = await decide('leader', '2023-04-18', lg, { text: '经济发展部牵头做好4月25日重点项目集中开工活动筹备。', kind: 'task', leadUnitId: u.economy!, deadline: '2023-04-24' });
  await issue('leader', '2023-04-19', lg);
  await done('leader', '2023-04-20', lg, lg1.decisionId, '指挥部已挂牌，抽调人员全部到岗。');
  await done('leader', '2023-04-25', lg, lg2.decisionId, '集中开工活动如期举行，33个项目开工。');

  // 崔寨片区建设指挥部第一次例会.
  const first = await plan('hq.cuizhai', '2023-04-24', {
    commandId: zone.commands.cuizhai!,
    type: 'regular',
    startsAt: '2023-04-27T14:30:00+08:00',
    place: '崔寨片区建设指挥部会议室',
    chairUserId: users['hq.cuizhai']!,
    invitees: { unitIds: [u.cuizhai!, u.planning!, u.ecology!] },
  });
  await edit('hq.cuizhai', '2023-04-27', first, {
    agenda: [
      { kind: 'custom', title: '片区征迁清表推进情况', presenterUnitId: u.cuizhai!, minutesAllowed: 20, minutes: '崔寨街道汇报片区征迁进度，大桥下桥口周边仍有大棚和违建。' },
      { kind: 'project', refId: await projectId('QB-2023-018'), title: '道路网一期工程开工准备', presenterUnitId: u.planning!, minutesAllowed: 20 },
    ],
    attendance: present('hq.cuizhai', 'hqstaff.cuizhai', 'staff.cuizhai', 'staff.planning'),
  });
  const survey = await decide('hq.cuizhai', '2023-04-27', first, { text: '崔寨街道摸排凤凰黄河大桥下桥口周边违建和大棚，形成清单报指挥部。', kind: 'task', leadUnitId: u.cuizhai!, deadlineWorkdays: 5 });
  await issue('hq.cuizhai', '2023-04-28', first);
  await done('staff.cuizhai', '2023-05-08', first, survey.decisionId, '已摸排大棚扇墙1处、临时建筑3处，清单已报指挥部。');

  // 崔寨片区建设指挥部第二次例会: the greenhouse wall.
  const second = await plan('hq.cuizhai', '2023-05-06', {
    commandId: zone.commands.cuizhai!,
    type: 'regular',
    startsAt: '2023-05-09T14:30:00+08:00',
    place: '崔寨片区建设指挥部会议室',
    chairUserId: users['hq.cuizhai']!,
    invitees: { unitIds: [u.cuizhai!, u.planning!] },
  });
  await edit('hq.cuizhai', '2023-05-09', second, {
    agenda: [{ kind: 'custom', title: '大桥下桥口周边环境整治', presenterUnitId: u.cuizhai!, minutesAllowed: 30, minutes: '下桥口北侧大棚扇墙影响视线和环境整治，须限期拆除。' }],
    attendance: [...present('hq.cuizhai', 'hqstaff.cuizhai', 'staff.cuizhai'), { userId: users['staff.planning']!, status: 'substitute', substituteName: '规划建设部 蔡代会（演示）' }],
  });
  const wall = await decide('hq.cuizhai', '2023-05-09', second, {
    title: '凤凰黄河大桥下桥口北侧大棚扇墙拆除',
    text: '凤凰黄河大桥下桥口北侧大棚扇墙由崔寨街道牵头，五个工作日内拆除到位并清运。',
    kind: 'problem',
    category: 'site_clearing',
    priority: 'high',
    leadUnitId: u.cuizhai!,
    deadlineWorkdays: 5,
  });
  await issue('hq.cuizhai', '2023-05-10', second);

  // Later: a regular meeting a week ago with an open problem and an open task, and the next one planned.
  const recent = await plan('hq.cuizhai', back(8), {
    commandId: zone.commands.cuizhai!,
    type: 'regular',
    startsAt: `${back(5)}T14:30:00+08:00`,
    place: '崔寨片区建设指挥部会议室',
    chairUserId: users['hq.cuizhai']!,
    invitees: { unitIds: [u.cuizhai!, u.planning!, u.ecology!] },
  });
  await edit('hq.cuizhai', back(5), recent, {
    agenda: [
      { kind: 'project', refId: await projectId('QB-2023-018'), title: '道路网一期工程临时用地复垦', presenterUnitId: u.cuizhai!, minutesAllowed: 15 },
      { kind: 'custom', title: '片区施工计划统筹', presenterUnitId: u.planning!, minutesAllowed: 15 },
    ],
    attendance: [...present('hq.cuizhai', 'hqstaff.cuizhai', 'staff.cuizhai', 'staff.planning'), { userId: users['staff.ecology']!, status: 'absent', reason: '参加市生态环境局专项督察' }],
  });
  await decide('hq.cuizhai', back(5), recent, { text: '崔寨街道牵头完成道路网一期临时用地复垦，规划建设部配合验收。', kind: 'problem', category: 'land', leadUnitId: u.cuizhai!, cooperatingUnitIds: [u.planning!], deadlineWorkdays: 10 });
  await decide('hq.cuizhai', back(5), recent, { text: '规划建设部汇总片区在建项目下月施工计划，报指挥部统筹。', kind: 'task', leadUnitId: u.planning!, deadlineWorkdays: 8 });
  await issue('hq.cuizhai', back(4), recent);
  await plan('hq.cuizhai', back(1), {
    commandId: zone.commands.cuizhai!,
    type: 'regular',
    startsAt: `${cal.addWorkdays(today, 2).date}T14:30:00+08:00`,
    place: '崔寨片区建设指挥部会议室',
    chairUserId: users['hq.cuizhai']!,
    invitees: { unitIds: [u.cuizhai!, u.planning!, u.ecology!] },
  });

  // 氢能产业片区建设指挥部 special meeting on the hydrogen refuelling station, its task done.
  const h2 = await plan('hq.hydrogen', back(12), {
    commandId: zone.commands.hydrogen!,
    type: 'special',
    subject: '加氢母站建设',
    startsAt: `${back(10)}T09:30:00+08:00`,
    place: '氢能产业园综合服务中心',
    chairUserId: users['hq.hydrogen']!,
    invitees: { unitIds: [u.planning!, u.cuizhai!] },
  });
  await edit('hq.hydrogen', back(10), h2, {
    agenda: [{ kind: 'custom', title: '加氢母站建设条件', presenterUnitId: u.planning!, minutesAllowed: 30, minutes: '母站用地红线内10kV架空线需迁改。' }],
    attendance: present('hq.hydrogen', 'staff.planning', 'staff.cuizhai'),
  });
  const h2task = await decide('hq.hydrogen', back(10), h2, { text: '规划建设部对接供电公司，提出高压线迁改初步方案。', kind: 'task', leadUnitId: u.planning!, deadlineWorkdays: 3 });
  await issue('hq.hydrogen', back(9), h2);
  await done('staff.planning', back(7), h2, h2task.decisionId, '初步方案已提交供电公司。');

  return { wallProblemId: wall.problemId! };
}
