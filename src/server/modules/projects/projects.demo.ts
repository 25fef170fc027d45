import { randomUUID } from 'node:crypto';
import { completeCreditCode } from '../../../shared/credit-code.ts';
import { formatYuan, parseAmountIn } from '../../../shared/money.ts';
import type { ProjectLevel, ProjectPhase } from '../../../shared/project-phase.ts';
import type { AppServices } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import type { SeededZone } from '../../demo/demo.ts';
import { enterprises } from '../org/org.schema.ts';
import { sql } from 'drizzle-orm';
import { addMonths, monthEnd, monthOf, previousMonth } from './metrics.time.ts';
import { batches, batchProjects, milestones, projectAnnualPlans, projectPhaseChanges, projects } from './projects.schema.ts';
import { searchDocument } from './projects.search.ts';

/**
 * The demo ledger (重点项目台账) of a demo-shaped zone. Facts from the article (shared/seed) are kept exactly: the
 * 2023-04-25 groundbreaking batch of 33 projects totalling 486.5 亿元, the 150 亿 新能源汽车及零部件产业园 (started
 * and operating in 2023), the 360 亿 太阳能高效电池组件项目 (signed, at a signing batch) and the hydrogen base of
 * 国家电投济南绿动氢能科技有限公司 with its 氢能示范应用场景. Everything else is invented and says so: the added
 * enterprises carry （演示）, the figures are made up.
 *
 * Dates that depend on "today" (this year's starts, completions and plans) are written relative to `today`, and
 * every event after `today` is dropped, so the ledger is consistent on whatever day it is seeded: a project's phase
 * is the last of its events that has happened. Annual plans spread a project's investment over its construction
 * period; monthly reports (2023 up to last month) report each month's share of the plan at the project's own pace,
 * so some projects run ahead of the time-proportional plan (序时进度) and a few lag. Everything is written in a
 * handful of multi-row inserts.
 */

type Hq = 'fuzhongxin' | 'cuizhai' | 'nev' | 'hydrogen';
type BatchKey = 'gb2023' | 'sign2023' | 'gbThisYear';

interface Spec {
  code: string;
  name: string;
  hq: Hq;
  /** Lead unit (a DEMO_UNITS key). */
  unit: string;
  /** Owner enterprise: a DEMO_ENTERPRISES key or one of LEDGER_ENTERPRISES. */
  ent: string;
  industry: string;
  kind: string;
  level: ProjectLevel;
  /** Total investment in 亿元. */
  yi: string;
  /** 包挂领导 (a DEMO_USERS username); default: the zone leader for provincial projects, else the HQ commander. */
  leader?: string;
  taskForce?: string;
  address: string;
  notes?: string;
  signed?: string;
  started?: string;
  operating?: string;
  completed?: string;
  suspended?: { on: string; reason: string };
  plannedStart?: string;
  plannedCompletion?: string;
  /** Share of this year's plan reported so far, against time, in permille: < 1000 lags 序时进度, > 1000 is ahead. */
  pace?: number;
  /** Has not reported last month yet (so the missing-reports view has something to show). */
  skipLast?: boolean;
  batch?: BatchKey;
  /** Extra milestones: [name, planned, actual]. */
  extraMilestones?: [string, string, string | null][];
}

/** Invented owner enterprises of the ledger (the org demo has four; a ledger needs more owners). */
const LEDGER_ENTERPRISES: { key: string; name: string; industry: string; unit: string; address: string }[] = [
  { key: 'bridge', name: '山东黄河桥隧建设有限公司（演示）', industry: '城市建设', unit: 'area_fuzhongxin', address: '济南起步区大桥街道鹊华大道88号' },
  { key: 'health', name: '济南鹊华医疗健康产业有限公司（演示）', industry: '现代服务业', unit: 'area_fuzhongxin', address: '济南起步区大桥街道城市副中心' },
  { key: 'edu', name: '起步区教育发展投资有限公司（演示）', industry: '现代服务业', unit: 'area_fuzhongxin', address: '济南起步区大桥街道城市副中心' },
  { key: 'datacenter', name: '济南北岸数智科技有限公司（演示）', industry: '新一代信息技术', unit: 'area_fuzhongxin', address: '济南起步区大桥街道北岸数智科技园' },
  { key: 'tourism', name: '济南黄河文旅发展有限公司（演示）', industry: '文化旅游', unit: 'area_fuzhongxin', address: '济南起步区大桥街道黄河大堤北侧' },
  { key: 'water', name: '起步区水务发展有限公司（演示）', industry: '城市建设', unit: 'area_cuizhai', address: '济南起步区崔寨街道' },
  { key: 'materials', name: '山东鹊山新材料科技有限公司（演示）', industry: '新材料', unit: 'area_cuizhai', address: '济南起步区崔寨街道高新产业集聚区' },
  { key: 'equipment', name: '济南华岳智能装备有限公司（演示）', industry: '高端装备', unit: 'area_cuizhai', address: '济南起步区崔寨街道高新产业集聚区' },
  { key: 'pharma', name: '济南泽康生物医药有限公司（演示）', industry: '生物医药', unit: 'area_cuizhai', address: '济南起步区崔寨街道生物医药产业园' },
  { key: 'logistics', name: '山东北跨冷链物流有限公司（演示）', industry: '现代服务业', unit: 'area_cuizhai', address: '济南起步区崔寨街道物流园' },
  { key: 'battery', name: '山东擎动动力电池有限公司（演示）', industry: '新能源汽车', unit: 'area_nev', address: '济南起步区大桥街道新能源汽车产业片区' },
  { key: 'motor', name: '济南驰远电驱科技有限公司（演示）', industry: '新能源汽车', unit: 'area_nev', address: '济南起步区大桥街道新能源汽车产业片区' },
  { key: 'icv', name: '济南黄河智行网联科技有限公司（演示）', industry: '新能源汽车', unit: 'area_nev', address: '济南起步区大桥街道新能源汽车产业片区' },
  { key: 'fuelcell', name: '山东氢途燃料电池动力有限公司（演示）', industry: '氢能', unit: 'area_hydrogen', address: '济南起步区崔寨街道氢能产业园' },
];

const HQ_PLACE: Record<Hq, { cluster: string; area: string; address: string; commander: string; staff: string }> = {
  fuzhongxin: { cluster: 'cluster_daqiao', area: 'area_fuzhongxin', address: '济南起步区大桥街道城市副中心', commander: 'hq.fuzhongxin', staff: 'hqstaff.fuzhongxin' },
  cuizhai: { cluster: 'cluster_cuizhai', area: 'area_cuizhai', address: '济南起步区崔寨街道高新产业集聚区', commander: 'hq.cuizhai', staff: 'hqstaff.cuizhai' },
  nev: { cluster: 'cluster_daqiao', area: 'area_nev', address: '济南起步区大桥街道新能源汽车产业片区', commander: 'hq.nev', staff: 'hq.nev' },
  hydrogen: { cluster: 'cluster_cuizhai', area: 'area_hydrogen', address: '济南起步区崔寨街道氢能产业园', commander: 'hq.hydrogen', staff: 'hq.hydrogen' },
};

const BATCHES: Record<BatchKey, { kind: 'groundbreaking' | 'signing'; name: (year: number) => string; location: string; notes: string }> = {
  gb2023: {
    kind: 'groundbreaking',
    name: () => '起步区城市副中心示范区建设暨重点项目集中开工',
    location: '起步区城市副中心示范区建设指挥部',
    notes: '起步区获国务院批复设立两周年之际，全面启动城市副中心示范区建设，集中开工33个重点项目，总投资486.5亿元。',
  },
  sign2023: {
    kind: 'signing',
    name: () => '起步区重点项目集中签约活动',
    location: '起步区管委会',
    notes: '太阳能高效电池组件项目等重点项目集中签约落地。',
  },
  gbThisYear: {
    kind: 'groundbreaking',
    name: (year) => `起步区${year}年春季重点项目集中开工`,
    location: '黄河大道北延工程现场',
    notes: '（演示）春季集中开工。',
  },
};

/** The ledger, with this year's dates written through `y`. */
function specs(y: (monthDay: string) => string, year: number): Spec[] {
  const next = (n: number, monthDay: string) => `${year + n}-${monthDay}`;
  const gb = { started: '2023-04-25', plannedStart: '2023-04-25', batch: 'gb2023' as const };
  return [
    // The 2023-04-25 groundbreaking batch: 33 projects, 486.5 亿元 in all.
    { code: 'QB-2023-001', name: '起步区城市副中心中央活力区综合开发项目', hq: 'fuzhongxin', unit: 'planning', ent: 'urban', industry: 'urban', kind: 'urban_renewal', level: 'province', yi: '68.5', leader: 'leader', address: '鹊华大道以东、黄河大道以北', notes: '含商业综合体、人才公寓及配套公建，分三期建设', plannedCompletion: '2027-12-31', pace: 1080, ...gb },
    { code: 'QB-2023-002', name: '鹊华大道（黄河大桥至大桥路段）快速路工程', hq: 'fuzhongxin', unit: 'daqiao', ent: 'bridge', industry: 'urban', kind: 'infrastructure', level: 'province', yi: '28.6', leader: 'leader', address: '黄河大桥北岸至大桥路', notes: '双向六车道城市快速路，全长约9.6公里', plannedCompletion: '2025-12-31', completed: '2025-12-20', ...gb },
    { code: 'QB-2023-003', name: '城市副中心地下综合管廊一期工程', hq: 'fuzhongxin', unit: 'planning', ent: 'urban', industry: 'urban', kind: 'infrastructure', level: 'city', yi: '18.5', address: '城市副中心核心区', notes: '管廊长约12公里，入廊电力、通信、给水、热力管线', plannedCompletion: y('09-30'), completed: y('09-28'), ...gb },
    { code: 'QB-2023-004', name: '大桥组团安置区三期项目', hq: 'fuzhongxin', unit: 'daqiao', ent: 'urban', industry: 'urban', kind: 'urban_renewal', level: 'city', yi: '24.8', address: '大桥街道驻地以西', notes: '安置住房约3800套及配套幼儿园、社区中心', plannedCompletion: next(1, '06-30'), pace: 720, skipLast: true, ...gb },
    { code: 'QB-2023-005', name: '起步区人民医院（城市副中心院区）项目', hq: 'fuzhongxin', unit: 'planning', ent: 'health', industry: 'services', kind: 'public_service', level: 'province', yi: '16.2', leader: 'leader', address: '城市副中心医疗组团', notes: '三级综合医院，设置床位1200张', plannedCompletion: next(1, '12-31'), pace: 1150, ...gb },
    { code: 'QB-2023-006', name: '城市副中心九年一贯制学校项目', hq: 'fuzhongxin', unit: 'daqiao', ent: 'edu', industry: 'services', kind: 'public_service', level: 'district', yi: '6.5', address: '城市副中心教育组团', notes: '72个教学班', plannedCompletion: '2024-08-31', completed: '2024-08-25', ...gb },
    { code: 'QB-2023-007', name: '北岸数智科技园项目', hq: 'fuzhongxin', unit: 'planning', ent: 'datacenter', industry: 'ict', kind: 'industrial', level: 'city', yi: '22.0', address: '城市副中心数字经济组团', notes: '数据中心、软件研发楼及孵化器', signed: '2023-03-10', operating: '2025-03-31', plannedCompletion: next(1, '06-30'), pace: 1040, ...gb },
    { code: 'QB-2023-008', name: '黄河生态风貌带（大桥段）提升工程', hq: 'fuzhongxin', unit: 'daqiao', ent: 'tourism', industry: 'tourism', kind: 'ecology', level: 'city', yi: '9.8', address: '黄河北岸大桥段', notes: '滩区生态修复、慢行步道及驿站', plannedCompletion: y('06-30'), pace: 650, ...gb },
    { code: 'QB-2023-009', name: '城市副中心会展中心项目', hq: 'fuzhongxin', unit: 'planning', ent: 'urban', industry: 'services', kind: 'public_service', level: 'city', yi: '19.6', address: '城市副中心会展组团', notes: '展览面积约8万平方米', plannedCompletion: next(1, '10-31'), pace: 1100, ...gb },
    { code: 'QB-2023-010', name: '鹊山龙湖片区水系连通工程', hq: 'fuzhongxin', unit: 'daqiao', ent: 'water', industry: 'urban', kind: 'ecology', level: 'district', yi: '7.4', address: '鹊山龙湖周边', notes: '河道清淤、水系连通及闸站', plannedCompletion: y('06-30'), completed: y('07-15'), ...gb },
    { code: 'QB-2023-011', name: '起步区科创金融中心项目', hq: 'fuzhongxin', unit: 'planning', ent: 'urban', industry: 'services', kind: 'public_service', level: 'city', yi: '15.3', address: '城市副中心中央商务区', notes: '科创金融总部楼宇', plannedCompletion: next(1, '12-31'), suspended: { on: '2025-08-12', reason: '招商方案调整，业主申请缓建' }, ...gb },
    { code: 'QB-2023-012', name: '大桥组团邻里中心项目', hq: 'fuzhongxin', unit: 'daqiao', ent: 'urban', industry: 'services', kind: 'public_service', level: 'district', yi: '3.2', address: '大桥街道安置区', plannedCompletion: '2025-06-30', completed: '2025-06-28', ...gb },
    { code: 'QB-2023-013', name: '城市副中心公交枢纽站项目', hq: 'fuzhongxin', unit: 'daqiao', ent: 'urban', industry: 'urban', kind: 'infrastructure', level: 'district', yi: '2.6', address: '鹊华大道与大桥路交叉口', plannedCompletion: '2024-12-31', completed: '2024-10-30', ...gb },
    { code: 'QB-2023-014', name: '黄河文化展示中心项目', hq: 'fuzhongxin', unit: 'daqiao', ent: 'tourism', industry: 'tourism', kind: 'public_service', level: 'district', yi: '5.9', address: '黄河大堤北侧', plannedCompletion: y('04-30'), completed: y('04-26'), ...gb },
    { code: 'QB-2023-015', name: '城市副中心人才公寓项目', hq: 'fuzhongxin', unit: 'daqiao', ent: 'urban', industry: 'urban', kind: 'urban_renewal', level: 'district', yi: '8.7', address: '城市副中心居住组团', notes: '人才公寓约1500套', plannedCompletion: next(1, '03-31'), pace: 1200, ...gb },
    { code: 'QB-2023-016', name: '鹊山新材料产业园项目', hq: 'cuizhai', unit: 'economy', ent: 'materials', industry: 'materials', kind: 'industrial', level: 'city', yi: '21.5', address: '崔寨片区新材料组团', notes: '高性能复合材料生产线', signed: '2023-01-12', operating: '2025-05-18', plannedCompletion: next(1, '12-31'), pace: 1050, ...gb },
    { code: 'QB-2023-017', name: '华岳智能装备制造基地项目', hq: 'cuizhai', unit: 'economy', ent: 'equipment', industry: 'equipment', kind: 'industrial', level: 'city', yi: '16.8', address: '崔寨片区装备制造组团', notes: '工业机器人及智能产线装备', signed: '2023-02-20', plannedCompletion: y('12-31'), pace: 760, ...gb },
    { code: 'QB-2023-018', name: '崔寨片区道路网一期工程', hq: 'cuizhai', unit: 'cuizhai', ent: 'urban', industry: 'urban', kind: 'infrastructure', level: 'city', yi: '12.4', address: '崔寨片区', notes: '新建道路14条，总长约21公里', plannedCompletion: '2025-10-31', completed: '2025-11-20', ...gb },
    { code: 'QB-2023-019', name: '崔寨片区污水处理厂及配套管网工程', hq: 'cuizhai', unit: 'cuizhai', ent: 'water', industry: 'urban', kind: 'ecology', level: 'city', yi: '8.9', address: '崔寨片区东北部', notes: '日处理污水5万吨', plannedCompletion: next(1, '06-30'), pace: 1100, ...gb },
    { code: 'QB-2023-020', name: '泽康生物医药产业园项目', hq: 'cuizhai', unit: 'economy', ent: 'pharma', industry: 'biomed', kind: 'industrial', level: 'city', yi: '14.6', address: '崔寨片区生物医药组团', notes: '创新药中试及产业化基地', signed: '2023-03-28', plannedCompletion: next(1, '09-30'), pace: 1120, ...gb },
    { code: 'QB-2023-021', name: '北跨冷链物流园项目', hq: 'cuizhai', unit: 'cuizhai', ent: 'logistics', industry: 'services', kind: 'industrial', level: 'district', yi: '9.2', address: '崔寨片区物流组团', notes: '冷库库容20万吨', signed: '2023-02-08', operating: '2024-12-26', plannedCompletion: y('05-31'), pace: 1030, ...gb },
    { code: 'QB-2023-022', name: '崔寨街道安置区二期项目', hq: 'cuizhai', unit: 'cuizhai', ent: 'urban', industry: 'urban', kind: 'urban_renewal', level: 'city', yi: '11.3', address: '崔寨街道驻地以北', notes: '安置住房约1900套', plannedCompletion: y('12-31'), pace: 680, skipLast: true, ...gb },
    { code: 'QB-2023-023', name: '高新产业集聚区标准化厂房项目', hq: 'cuizhai', unit: 'cuizhai', ent: 'urban', industry: 'equipment', kind: 'industrial', level: 'district', yi: '7.8', address: '崔寨片区高新产业集聚区', notes: '标准化厂房约30万平方米', plannedCompletion: '2025-04-30', completed: '2025-04-22', ...gb },
    { code: 'QB-2023-024', name: '擎动动力电池生产基地项目', hq: 'nev', unit: 'economy', ent: 'battery', industry: 'nev', kind: 'industrial', level: 'province', yi: '52.0', leader: 'leader', taskForce: 'tf_nev', address: '新能源汽车产业片区电池组团', notes: '动力电池电芯及模组，规划产能20GWh', signed: '2022-12-16', operating: '2024-12-20', plannedCompletion: next(1, '06-30'), pace: 1130, ...gb },
    { code: 'QB-2023-025', name: '驰远新能源汽车电驱系统项目', hq: 'nev', unit: 'economy', ent: 'motor', industry: 'nev', kind: 'industrial', level: 'city', yi: '12.6', taskForce: 'tf_nev', address: '新能源汽车产业片区零部件组团', notes: '驱动电机及电控系统', signed: '2023-03-02', operating: '2024-11-18', plannedCompletion: y('12-31'), pace: 1010, ...gb },
    { code: 'QB-2023-026', name: '新能源汽车产业片区配套道路工程', hq: 'nev', unit: 'daqiao', ent: 'urban', industry: 'urban', kind: 'infrastructure', level: 'district', yi: '6.3', address: '新能源汽车产业片区', plannedCompletion: '2024-06-30', completed: '2024-06-30', ...gb },
    { code: 'QB-2023-027', name: '新能源汽车零部件配套产业园（一期）项目', hq: 'nev', unit: 'daqiao', ent: 'nev', industry: 'nev', kind: 'industrial', level: 'city', yi: '18.0', taskForce: 'tf_nev', address: '新能源汽车产业片区零部件组团', notes: '车身、内饰、热管理等零部件配套厂房', signed: '2023-04-10', plannedCompletion: next(1, '03-31'), pace: 1050, ...gb },
    { code: 'QB-2023-028', name: '新能源汽车检测试验中心项目', hq: 'nev', unit: 'economy', ent: 'nev', industry: 'nev', kind: 'public_service', level: 'district', yi: '4.5', address: '新能源汽车产业片区', notes: '整车及三电系统检测试验', plannedCompletion: y('10-31'), completed: y('10-20'), ...gb },
    { code: 'QB-2023-029', name: '氢途燃料电池电堆及系统生产项目', hq: 'hydrogen', unit: 'economy', ent: 'fuelcell', industry: 'hydrogen', kind: 'industrial', level: 'city', yi: '13.5', taskForce: 'tf_hydrogen', address: '氢能产业园二号地块', notes: '燃料电池电堆及动力系统', signed: '2023-02-14', operating: '2024-09-30', plannedCompletion: y('12-31'), pace: 1060, ...gb },
    { code: 'QB-2023-030', name: '氢能产业园加氢母站项目', hq: 'hydrogen', unit: 'cuizhai', ent: 'hydrogen', industry: 'hydrogen', kind: 'infrastructure', level: 'district', yi: '3.8', taskForce: 'tf_hydrogen', address: '氢能产业园北门', notes: '日加氢能力1000公斤，服务氢燃料电池公交、物流车示范运营', plannedCompletion: '2024-03-31', completed: '2024-03-29', ...gb },
    { code: 'QB-2023-031', name: '氢能产业片区综合能源站项目', hq: 'hydrogen', unit: 'cuizhai', ent: 'urban', industry: 'hydrogen', kind: 'infrastructure', level: 'district', yi: '5.6', address: '氢能产业片区', notes: '光储氢一体化综合能源站', plannedCompletion: '2025-12-31', suspended: { on: '2024-09-15', reason: '用地规划调整，暂缓建设' }, ...gb },
    { code: 'QB-2023-032', name: '氢能产业片区基础设施配套工程', hq: 'hydrogen', unit: 'cuizhai', ent: 'urban', industry: 'urban', kind: 'infrastructure', level: 'city', yi: '7.2', address: '氢能产业片区', notes: '道路、管网及输氢管道预留', plannedCompletion: y('12-31'), pace: 1020, ...gb },
    { code: 'QB-2023-033', name: '氢能装备检测认证中心项目', hq: 'hydrogen', unit: 'economy', ent: 'fuelcell', industry: 'hydrogen', kind: 'public_service', level: 'district', yi: '2.9', address: '氢能产业园', plannedCompletion: y('08-31'), completed: y('08-26'), ...gb },

    // The article's named projects.
    {
      code: 'QB-2023-101', name: '新能源汽车及零部件产业园', hq: 'nev', unit: 'economy', ent: 'nev', industry: 'nev', kind: 'industrial', level: 'province', yi: '150', leader: 'leader', taskForce: 'tf_nev',
      address: '新能源汽车产业片区', notes: '当年开工当年投产；整车及电池、电机、电控等核心零部件配套', signed: '2022-12-28', started: '2023-02-16', operating: '2023-11-28',
      plannedStart: '2023-02-28', plannedCompletion: '2027-12-31', pace: 1100,
      extraMilestones: [['整车及零部件产线投产（当年开工当年投产）', '2023-12-31', '2023-11-28']],
    },
    {
      code: 'QB-2023-102', name: '太阳能高效电池组件项目', hq: 'cuizhai', unit: 'economy', ent: 'solar', industry: 'pv', kind: 'industrial', level: 'province', yi: '360', leader: 'leader',
      address: '崔寨片区光伏产业组团', notes: 'N型高效光伏电池及组件，规划年产能30GW', signed: '2023-06-16', plannedStart: y('09-30'), plannedCompletion: next(3, '12-31'), batch: 'sign2023',
    },
    {
      code: 'QB-2022-001', name: '国家电投氢能产业基地项目', hq: 'hydrogen', unit: 'economy', ent: 'hydrogen', industry: 'hydrogen', kind: 'industrial', level: 'province', yi: '26.8', leader: 'leader', taskForce: 'tf_hydrogen',
      address: '氢能产业园一号地块', notes: '燃料电池系统及电堆生产基地；配套氢能示范应用场景（氢燃料电池公交、物流车示范运营）', signed: '2022-06-18', started: '2022-09-26', operating: '2023-05-30',
      plannedStart: '2022-09-30', plannedCompletion: next(1, '12-31'), pace: 1150,
      extraMilestones: [['氢能示范应用场景投用（氢燃料电池公交、物流车示范运营）', '2023-09-30', '2023-10-20']],
    },

    // Signed at the 2023 signing event.
    { code: 'QB-2023-103', name: '智能网联汽车测试场项目', hq: 'nev', unit: 'daqiao', ent: 'icv', industry: 'nev', kind: 'infrastructure', level: 'city', yi: '8.5', address: '新能源汽车产业片区西部', notes: '封闭测试场及车路协同示范道路', signed: '2023-06-16', plannedStart: y('03-31'), plannedCompletion: next(1, '12-31'), batch: 'sign2023' },
    { code: 'QB-2023-104', name: '鹊华生物医药CDMO平台项目', hq: 'cuizhai', unit: 'economy', ent: 'pharma', industry: 'biomed', kind: 'industrial', level: 'city', yi: '11.0', address: '崔寨片区生物医药组团', notes: '医药研发生产外包服务平台', signed: '2023-06-16', started: '2024-04-18', plannedStart: '2024-03-31', plannedCompletion: next(1, '06-30'), pace: 1040, batch: 'sign2023' },
    { code: 'QB-2023-105', name: '氢能重卡整车制造项目', hq: 'hydrogen', unit: 'economy', ent: 'fuelcell', industry: 'hydrogen', kind: 'industrial', level: 'province', yi: '25.0', leader: 'leader', address: '氢能产业园三号地块', notes: '氢燃料电池重卡整车，规划年产1万辆', signed: '2023-06-16', plannedStart: next(1, '03-31'), plannedCompletion: next(3, '06-30'), batch: 'sign2023' },

    // The pipeline (储备).
    { code: 'QB-2024-001', name: '起步区国际医学中心项目', hq: 'fuzhongxin', unit: 'planning', ent: 'health', industry: 'services', kind: 'public_service', level: 'province', yi: '35.0', address: '城市副中心医疗组团', notes: '国际医学中心及康养社区', plannedStart: next(1, '06-30'), plannedCompletion: next(4, '12-31') },
    { code: 'QB-2024-002', name: '黄河北岸总部经济区项目', hq: 'fuzhongxin', unit: 'planning', ent: 'urban', industry: 'services', kind: 'urban_renewal', level: 'city', yi: '42.0', address: '城市副中心中央商务区', plannedStart: next(1, '09-30'), plannedCompletion: next(5, '12-31') },
    { code: 'QB-2025-001', name: '低空经济产业园项目', hq: 'cuizhai', unit: 'economy', ent: 'equipment', industry: 'equipment', kind: 'industrial', level: 'city', yi: '12.0', address: '崔寨片区通航组团', notes: '无人机研发制造及低空飞行服务', plannedStart: next(1, '04-30'), plannedCompletion: next(3, '04-30') },
    { code: `QB-${year}-205`, name: '新能源汽车产业片区人才社区项目', hq: 'nev', unit: 'daqiao', ent: 'urban', industry: 'urban', kind: 'urban_renewal', level: 'district', yi: '7.6', address: '新能源汽车产业片区生活组团', plannedStart: y('10-31'), plannedCompletion: next(2, '10-31') },

    // Started in 2024 and 2025.
    { code: 'QB-2024-003', name: '城市副中心文体中心项目', hq: 'fuzhongxin', unit: 'daqiao', ent: 'urban', industry: 'tourism', kind: 'public_service', level: 'city', yi: '13.6', address: '城市副中心文体组团', notes: '体育馆、游泳馆及全民健身中心', started: '2024-03-28', plannedStart: '2024-03-31', plannedCompletion: next(1, '09-30'), pace: 1060 },
    { code: 'QB-2024-004', name: '崔寨片区综合医院项目', hq: 'cuizhai', unit: 'cuizhai', ent: 'health', industry: 'services', kind: 'public_service', level: 'city', yi: '9.6', address: '崔寨街道驻地东侧', notes: '二级综合医院，床位500张', started: '2024-05-20', plannedStart: '2024-04-30', plannedCompletion: y('12-31'), pace: 1020 },
    { code: 'QB-2024-005', name: '鹊山龙湖湿地公园项目', hq: 'fuzhongxin', unit: 'daqiao', ent: 'tourism', industry: 'tourism', kind: 'ecology', level: 'district', yi: '4.2', address: '鹊山龙湖北岸', started: '2024-04-02', plannedStart: '2024-03-31', plannedCompletion: '2025-09-30', completed: '2025-09-30' },
    { code: 'QB-2024-006', name: '崔寨片区5G基站及智慧杆建设项目', hq: 'cuizhai', unit: 'digital', ent: 'datacenter', industry: 'ict', kind: 'infrastructure', level: 'district', yi: '2.3', address: '崔寨片区', notes: '5G基站120座、智慧杆800根', started: '2024-07-15', plannedStart: '2024-06-30', plannedCompletion: y('06-30'), completed: y('08-10') },
    { code: 'QB-2025-002', name: '储能电池Pack生产线项目', hq: 'nev', unit: 'economy', ent: 'battery', industry: 'nev', kind: 'industrial', level: 'city', yi: '16.0', taskForce: 'tf_nev', address: '新能源汽车产业片区电池组团', notes: '储能电池Pack及系统集成', signed: '2025-01-08', started: '2025-04-10', plannedStart: '2025-03-31', plannedCompletion: next(1, '06-30'), pace: 1150 },
    { code: 'QB-2025-003', name: '北岸数据中心二期项目', hq: 'fuzhongxin', unit: 'planning', ent: 'datacenter', industry: 'ict', kind: 'industrial', level: 'city', yi: '18.0', address: '城市副中心数字经济组团', notes: '智算中心，规划机柜5000架', signed: '2025-02-18', started: '2025-06-30', plannedStart: '2025-06-30', plannedCompletion: next(1, '12-31'), pace: 1030 },
    { code: 'QB-2025-004', name: '起步区政务服务中心改造项目', hq: 'fuzhongxin', unit: 'approval', ent: 'urban', industry: 'services', kind: 'public_service', level: 'district', yi: '1.8', address: '起步区政务服务大厅', notes: '帮代办“党员先锋岗”及综合窗口改造', started: '2025-03-10', plannedStart: '2025-03-31', plannedCompletion: y('03-31'), completed: y('03-29') },

    // This year's starts (some not yet).
    { code: `QB-${year}-201`, name: '黄河大道北延工程', hq: 'fuzhongxin', unit: 'daqiao', ent: 'bridge', industry: 'urban', kind: 'infrastructure', level: 'city', yi: '15.2', address: '黄河大道北延段', notes: '城市主干路，全长约6.8公里', started: y('03-26'), plannedStart: y('03-31'), plannedCompletion: next(2, '06-30'), pace: 1100, batch: 'gbThisYear' },
    { code: `QB-${year}-202`, name: '起步区智慧物流枢纽项目', hq: 'cuizhai', unit: 'cuizhai', ent: 'logistics', industry: 'services', kind: 'industrial', level: 'city', yi: '6.5', address: '崔寨片区物流组团', notes: '智能分拣中心及多式联运场站', signed: y('01-15'), started: y('03-26'), plannedStart: y('03-31'), plannedCompletion: next(1, '12-31'), pace: 1100, batch: 'gbThisYear' },
    { code: `QB-${year}-203`, name: '崔寨片区中小学项目', hq: 'cuizhai', unit: 'cuizhai', ent: 'edu', industry: 'services', kind: 'public_service', level: 'district', yi: '4.8', address: '崔寨街道驻地南侧', notes: '小学36班、初中24班', started: y('06-12'), plannedStart: y('05-31'), plannedCompletion: next(1, '08-31'), pace: 1200 },
    {
      code: `QB-${year}-204`, name: '氢燃料电池汽车示范运营中心项目', hq: 'hydrogen', unit: 'economy', ent: 'hydrogen', industry: 'hydrogen', kind: 'industrial', level: 'district', yi: '3.2', taskForce: 'tf_hydrogen',
      address: '氢能产业园', notes: '氢能示范应用场景扩容：新增氢燃料电池公交线路3条、物流车50辆', signed: y('02-20'), started: y('08-20'), plannedStart: y('08-31'), plannedCompletion: next(1, '06-30'), pace: 1200,
      extraMilestones: [['新增氢燃料电池公交示范线路开通', y('12-31'), null]],
    },
  ];
}

// Deterministic variety (no randomness: the same day seeds the same ledger).
function hash(...parts: (string | number)[]): number {
  let h = 2166136261;
  for (const c of parts.join('|')) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Months from a to b inclusive (YYYY-MM). */
function monthSpan(a: string, b: string): number {
  const [ay, am] = a.split('-').map(Number) as [number, number];
  const [by, bm] = b.split('-').map(Number) as [number, number];
  return (by - ay) * 12 + (bm - am) + 1;
}

const WAN = 1_000_000n; // cents in 万元
const BAI_WAN = 100_000_000n; // cents in 百万元

/** Rounds cents to a multiple of `unit`, half up (amounts in ledgers are in 万元). */
function roundTo(cents: bigint, unit: bigint): bigint {
  return ((cents * 2n + unit) / (unit * 2n)) * unit;
}

const PROGRESS: Record<string, string[]> = {
  industrial: ['厂房桩基及基础施工', '主体钢结构吊装', '厂房屋面及围护结构施工', '动力站房及配套设施施工', '主要生产设备进场安装', '设备调试及试生产准备'],
  infrastructure: ['路基土方及软基处理', '桥涵桩基施工', '雨污水管网铺设', '路面结构层施工', '附属设施及绿化施工', '交通设施安装'],
  public_service: ['基础及地下室施工', '主体结构施工', '二次结构砌筑', '机电安装', '外立面及幕墙施工', '室内装饰装修'],
  urban_renewal: ['基础及地下室施工', '主体结构施工', '二次结构砌筑', '机电及管线安装', '外立面施工', '室外配套及景观施工'],
  ecology: ['河道清淤及护岸施工', '生态修复及水系连通', '闸站及管网施工', '慢行步道施工', '绿化种植', '景观设施安装'],
};
const EARLY_WORK = ['办理项目备案及用地预审', '开展初步设计及方案审查', '推进环评、能评及施工许可办理', '落实建设用地及场地平整'];
const OPERATING_WORK = ['产线稳定运行，推进二期设备安装', '扩产设备调试，产能爬坡', '配套研发中心建设'];

interface ReportRow {
  projectId: string;
  month: string;
  completed: string;
  funds: string;
  progress: string;
  unitId: string;
  reportedBy: string;
  at: string;
}

interface Derived {
  spec: Spec;
  id: string;
  total: bigint;
  phase: ProjectPhase;
  suspendedFrom: ProjectPhase | null;
  signedOn: string | null;
  startedOn: string | null;
  operatingOn: string | null;
  completedOn: string | null;
  suspendedOn: string | null;
  leaderKey: string;
}

/** The phase and dates as of `today`: events after today have not happened. */
function derive(spec: Spec, today: string): Derived {
  const at = (d: string | undefined) => (d !== undefined && d <= today ? d : null);
  const signedOn = at(spec.signed);
  const startedOn = at(spec.started);
  const operatingOn = startedOn ? at(spec.operating) : null;
  const completedOn = startedOn ? at(spec.completed) : null;
  let phase: ProjectPhase = completedOn ? 'completed' : operatingOn ? 'operating' : startedOn ? 'started' : signedOn ? 'signed' : 'pipeline';
  const suspendedOn = spec.suspended && phase !== 'pipeline' && phase !== 'completed' ? at(spec.suspended.on) : null;
  let suspendedFrom: ProjectPhase | null = null;
  if (suspendedOn) {
    suspendedFrom = phase;
    phase = 'suspended';
  }
  const total = parseAmountIn(spec.yi, 'yi');
  if (total === null) throw new Error(`demo ledger: bad amount ${spec.yi}`);
  const leaderKey = spec.leader ?? (spec.level === 'province' ? 'leader' : HQ_PLACE[spec.hq].commander);
  return { spec, id: randomUUID(), total, phase, suspendedFrom, signedOn, startedOn, operatingOn, completedOn, suspendedOn, leaderKey };
}

/** The construction period the plans spread the investment over (YYYY-MM to YYYY-MM). */
function period(d: Derived): { from: string; to: string } | null {
  const start = d.startedOn ?? d.spec.plannedStart;
  if (!start) return null;
  const end = d.spec.plannedCompletion ?? addDays(start, 900);
  return { from: monthOf(start), to: monthOf(end < start ? start : end) };
}

/** The year's planned investment: the share of the total for the months of the period that fall in the year. */
function planFor(d: Derived, year: number): bigint | null {
  const p = period(d);
  if (!p) return null;
  if (d.completedOn && d.completedOn < `${year}-01-01`) return null;
  if (d.suspendedOn && d.suspendedOn < `${year}-01-01`) return null;
  // A signed project plans investment only from the year it is to start.
  const from = p.from > `${year}-01` ? p.from : `${year}-01`;
  const to = p.to < `${year}-12` ? p.to : `${year}-12`;
  const months = from <= to ? monthSpan(from, to) : 0;
  if (months === 0) return null;
  return roundTo((d.total * BigInt(months)) / BigInt(monthSpan(p.from, p.to)), BAI_WAN);
}

export async function seedLedger(tx: Db, _s: AppServices, zone: SeededZone, today: string): Promise<void> {
  const { zoneId } = zone;
  const year = Number(today.slice(0, 4));
  const thisMonth = monthOf(today);
  const lastMonth = previousMonth(thisMonth);
  const y = (monthDay: string) => `${year}-${monthDay}`;
  const need = (map: Record<string, string>, key: string) => {
    const v = map[key];
    if (!v) throw new Error(`demo ledger refers to unknown key ${key}`);
    return v;
  };

  // Owner enterprises the org demo does not have.
  const enterpriseIds: Record<string, string> = { ...zone.enterprises };
  const enterpriseNames: Record<string, string> = {};
  const added = LEDGER_ENTERPRISES.map((e, i) => {
    const id = randomUUID();
    enterpriseIds[e.key] = id;
    enterpriseNames[e.key] = e.name;
    return { id, zoneId, name: e.name, creditCode: completeCreditCode(`91370100MA7DEP${String(i + 1).padStart(3, '0')}`), industry: e.industry, unitId: need(zone.units, e.unit), address: e.address };
  });
  await tx.insert(enterprises).values(added);
  Object.assign(enterpriseNames, {
    hydrogen: '国家电投济南绿动氢能科技有限公司',
    nev: '济南起步区新能源汽车产业发展有限公司（演示）',
    solar: '山东光合高效电池组件有限公司（演示）',
    urban: '济南起步区城市建设发展集团有限公司（演示）',
  });

  const all = specs(y, year).map((spec) => derive(spec, today));
  const gbTotal = all.filter((d) => d.spec.batch === 'gb2023').reduce((sum, d) => sum + d.total, 0n);
  if (all.filter((d) => d.spec.batch === 'gb2023').length !== 33 || formatYuan(gbTotal) !== '48650000000.00') {
    throw new Error(`demo ledger: the 2023-04-25 batch must be 33 projects and 486.5 亿元, is ${formatYuan(gbTotal)}`);
  }

  await tx.insert(projects).values(
    all.map((d) => {
      const s = d.spec;
      const place = HQ_PLACE[s.hq];
      const address = `${place.address}${s.address}`;
      const h = hash(s.code);
      return {
        id: d.id,
        zoneId,
        code: s.code,
        name: s.name,
        enterpriseId: need(enterpriseIds, s.ent),
        industry: s.industry,
        kind: s.kind,
        level: s.level,
        clusterUnitId: need(zone.units, place.cluster),
        areaUnitId: need(zone.units, place.area),
        address,
        // Around the directly managed area north of the Yellow River.
        longitude: (116.93 + (h % 2200) / 10000).toFixed(6),
        latitude: (36.74 + ((h >>> 12) % 1100) / 10000).toFixed(6),
        commandId: need(zone.commands, s.hq),
        leadUnitId: need(zone.units, s.unit),
        leaderUserId: need(zone.users, d.leaderKey),
        taskForceId: s.taskForce ? need(zone.groups, s.taskForce) : null,
        totalInvestment: formatYuan(d.total),
        phase: d.phase,
        suspendedFrom: d.suspendedFrom,
        signedOn: d.signedOn,
        startedOn: d.startedOn,
        operatingOn: d.operatingOn,
        completedOn: d.completedOn,
        suspendedOn: d.suspendedOn,
        plannedStartOn: s.plannedStart ?? d.startedOn,
        plannedCompletionOn: s.plannedCompletion ?? null,
        notes: s.notes ?? null,
        searchDoc: searchDocument([s.name, enterpriseNames[s.ent], address, s.notes]),
        createdAt: new Date(`${[d.signedOn ?? d.startedOn ?? `${s.code.slice(3, 7)}-01-10`, today].sort()[0]}T09:00:00+08:00`),
      };
    }),
  );

  // Phase history, consistent with the phase dates.
  const phaseRows: (typeof projectPhaseChanges.$inferInsert)[] = [];
  for (const d of all) {
    const actorId = need(zone.users, HQ_PLACE[d.spec.hq].commander);
    const moves: [ProjectPhase, string | null, string | null][] = [
      ['signed', d.signedOn, null],
      ['started', d.startedOn, null],
      ['operating', d.operatingOn, null],
      ['completed', d.completedOn, null],
      ['suspended', d.suspendedOn, d.spec.suspended?.reason ?? null],
    ];
    let from: ProjectPhase = 'pipeline';
    for (const [to, on, reason] of moves) {
      if (!on) continue;
      phaseRows.push({ zoneId, projectId: d.id, fromPhase: from, toPhase: to, onDate: on, reason, actorId, at: new Date(`${on}T10:00:00+08:00`) });
      from = to;
    }
  }
  if (phaseRows.length) await tx.insert(projectPhaseChanges).values(phaseRows);

  // Annual plans and monthly reports for 2023 (the year of the article) and this year: enough history to read,
  // few enough rows to seed a zone quickly.
  const years = [...new Set([2023, year])].filter((yr) => yr <= year);
  const plans = new Map<string, bigint>();
  const planRows: (typeof projectAnnualPlans.$inferInsert)[] = [];
  for (const d of all) {
    for (const yr of years) {
      const plan = planFor(d, yr);
      if (plan === null || plan <= 0n) continue;
      plans.set(`${d.id}|${yr}`, plan);
      planRows.push({ zoneId, projectId: d.id, year: yr, plannedInvestment: formatYuan(plan) });
    }
  }
  if (planRows.length) await tx.insert(projectAnnualPlans).values(planRows);

  // Monthly reports of those years up to last month: each month's share of the year plan at the project's pace.
  const reportRows: ReportRow[] = [];
  for (const [index, d] of all.entries()) {
    const s = d.spec;
    const p = period(d);
    const reporter = s.unit === 'cuizhai' ? 'staff.cuizhai' : s.unit === 'daqiao' ? 'staff.daqiao' : HQ_PLACE[s.hq].staff;
    const firstMonth = monthOf(d.signedOn ?? d.startedOn ?? today);
    const stopMonth = [d.completedOn, d.suspendedOn].filter((x): x is string => x !== null).map(monthOf).sort()[0] ?? lastMonth;
    if (!d.signedOn && !d.startedOn) continue;
    let n = 0;
    for (let m = firstMonth < '2023-01' ? '2023-01' : firstMonth; m <= lastMonth && m <= stopMonth; m = addMonths(m, 1)) {
      const yr = Number(m.slice(0, 4));
      if (!years.includes(yr) || (s.skipLast && m === lastMonth)) continue;
      const started = d.startedOn !== null && monthOf(d.startedOn) <= m;
      const plan = plans.get(`${d.id}|${yr}`) ?? 0n;
      let amount: bigint;
      let progress: string;
      if (!started) {
        // Before construction: design, permits and land (前期).
        amount = roundTo(d.total / 2000n, WAN);
        progress = EARLY_WORK[n % EARLY_WORK.length]!;
      } else {
        const inYearFrom = p && p.from > `${yr}-01` ? p.from : `${yr}-01`;
        const inYearTo = p && p.to < `${yr}-12` ? p.to : `${yr}-12`;
        const activeMonths = inYearFrom <= inYearTo ? monthSpan(inYearFrom, inYearTo) : 0;
        const pace = BigInt(yr === year ? (s.pace ?? 1030 + (hash(s.code) % 90)) : 1000 + (hash(s.code, yr) % 120));
        // Up to ±8 % from month to month, alternating up and down so the running total stays near the pace.
        const swing = BigInt(hash(s.code, m) % 80);
        const wobble = n % 2 === 0 ? 1000n + swing : 1000n - swing;
        amount =
          activeMonths > 0 && m <= inYearTo && plan > 0n
            ? roundTo((plan * pace * wobble) / (1_000_000n * BigInt(activeMonths)), WAN)
            : roundTo(d.total / 1000n, WAN); // finishing work after the planned period
        const operating = d.operatingOn !== null && monthOf(d.operatingOn) <= m;
        const list = operating ? OPERATING_WORK : (PROGRESS[s.kind] ?? PROGRESS.industrial!);
        // The work moves on every few months.
        const stage = list[Math.min(Math.floor((n + (index % 3)) / 4), list.length - 1)];
        progress = `${stage}，本月完成投资${amount / WAN}万元`;
      }
      const funds = roundTo((amount * BigInt(880 + (hash(s.code, m, 'f') % 200))) / 1000n, WAN);
      reportRows.push({
        projectId: d.id,
        month: `${m}-01`,
        completed: formatYuan(amount),
        funds: formatYuan(funds),
        progress,
        unitId: need(zone.units, s.unit),
        reportedBy: need(zone.users, reporter),
        // Filed early in the following month.
        at: `${addMonths(m, 1)}-05T10:00:00+08:00`,
      });
      n++;
    }
  }
  // One statement for all of them: arrays unnested in SQL (a multi-row VALUES would bind ~10 parameters a row).
  if (reportRows.length) {
    const column = (pick: (r: ReportRow) => string | null) => sql.param(reportRows.map(pick));
    await tx.execute(sql`
      insert into monthly_reports (zone_id, project_id, month, completed_investment, funds_in_place, progress, unit_id, reported_by, created_at, updated_at)
      select ${zoneId}::uuid, r.project_id, r.month, r.completed, r.funds, r.progress, r.unit_id, r.reported_by, r.at, r.at
      from unnest(${column((r) => r.projectId)}::uuid[], ${column((r) => r.month)}::date[], ${column((r) => r.completed)}::numeric[],
                  ${column((r) => r.funds)}::numeric[], ${column((r) => r.progress)}::text[], ${column((r) => r.unitId)}::uuid[],
                  ${column((r) => r.reportedBy)}::uuid[], ${column((r) => r.at)}::timestamptz[])
        as r(project_id, month, completed, funds, progress, unit_id, reported_by, at)`);
  }

  // Milestones (节点): permits, structure, equipment, completion; late ones marked by their dates.
  const milestoneRows: (typeof milestones.$inferInsert)[] = [];
  for (const d of all) {
    const s = d.spec;
    const rows: [string, string, string | null][] = [];
    const lags = (s.pace ?? 1000) < 900;
    const actual = (planned: string, slip: number) => {
      const on = addDays(planned, lags ? slip : -((hash(s.code, planned) % 9) + 1));
      return on <= today && !(d.suspendedOn && on > d.suspendedOn) ? on : null;
    };
    if (d.signedOn) rows.push(['项目签约', d.signedOn, d.signedOn]);
    const start = d.startedOn ?? s.plannedStart;
    if (start) {
      rows.push(['取得施工许可', addDays(start, -10), d.startedOn ? addDays(d.startedOn, -14) : null]);
      if (d.startedOn) {
        const industrial = s.kind === 'industrial';
        rows.push([industrial || s.kind !== 'infrastructure' ? '主体结构封顶' : '主体工程完工', addDays(d.startedOn, 270), actual(addDays(d.startedOn, 270), 45)]);
        if (industrial) rows.push(['主要生产设备安装调试', addDays(d.startedOn, 420), d.operatingOn ?? actual(addDays(d.startedOn, 420), 60)]);
        const namedOperation = (s.extraMilestones ?? []).some(([name]) => name.includes('投产'));
        if (industrial && s.operating && !namedOperation) rows.push(['投产', s.operating, d.operatingOn]);
      }
      if (s.plannedCompletion) rows.push(['竣工验收', s.plannedCompletion, d.completedOn]);
    }
    for (const extra of s.extraMilestones ?? []) rows.push([extra[0], extra[1], extra[2] && extra[2] <= today ? extra[2] : null]);
    rows.forEach(([name, plannedOn, actualOn], i) => milestoneRows.push({ zoneId, projectId: d.id, name, plannedOn, actualOn, sortOrder: i + 1 }));
  }
  if (milestoneRows.length) await tx.insert(milestones).values(milestoneRows);

  // Batches: the 2023-04-25 groundbreaking, the 2023 signing event, and this spring's groundbreaking once held.
  const heldOn: Record<BatchKey, string> = { gb2023: '2023-04-25', sign2023: '2023-06-16', gbThisYear: y('03-26') };
  const batchRows: (typeof batches.$inferInsert)[] = [];
  const memberRows: (typeof batchProjects.$inferInsert)[] = [];
  for (const key of Object.keys(BATCHES) as BatchKey[]) {
    const members = all.filter((d) => d.spec.batch === key && (d.signedOn === heldOn[key] || d.startedOn === heldOn[key]));
    if (heldOn[key] > today || members.length === 0) continue;
    const b = BATCHES[key];
    const id = randomUUID();
    batchRows.push({ id, zoneId, kind: b.kind, name: b.name(year), heldOn: heldOn[key], location: b.location, notes: b.notes });
    memberRows.push(...members.map((d) => ({ zoneId, batchId: id, projectId: d.id })));
  }
  if (batchRows.length) await tx.insert(batches).values(batchRows);
  if (memberRows.length) await tx.insert(batchProjects).values(memberRows);
}
