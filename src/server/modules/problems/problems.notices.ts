import type { ProblemAction } from '../../../shared/problem-flow.ts';
import type { AppServices, Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { notify } from '../notifications/notifications.service.ts';
import { commandPeople, unitStaff } from '../notifications/recipients.ts';
import type { ProblemRow } from './problems.repository.ts';

/**
 * Who hears about an action, in-app, in the action's transaction (e-mail and robots get digests later). The
 * actor never notifies themself. Progress reports and acceptance notify nobody: they show on the page and in the
 * metrics, and a digest of them would be noise.
 */
type Audience = 'lead' | 'cooperating' | 'hq' | 'hq_leads' | 'raiser';

const AUDIENCE: Partial<Record<ProblemAction, { kind: string; to: Audience[]; zh: string }>> = {
  assign: { kind: 'problem.assigned', to: ['lead', 'cooperating'], zh: '新交办' },
  reassign: { kind: 'problem.assigned', to: ['lead', 'cooperating'], zh: '改派交办' },
  insist: { kind: 'problem.assigned', to: ['lead'], zh: '维持交办' },
  hand_back: { kind: 'problem.handed_back', to: ['hq'], zh: '退单待处理' },
  request_extension: { kind: 'problem.request', to: ['hq'], zh: '延期申请待审批' },
  request_suspension: { kind: 'problem.request', to: ['hq'], zh: '挂起申请待审批' },
  approve_request: { kind: 'problem.request_decided', to: ['lead'], zh: '申请已同意' },
  refuse_request: { kind: 'problem.request_decided', to: ['lead'], zh: '申请未同意' },
  resume: { kind: 'problem.resumed', to: ['lead', 'hq'], zh: '恢复办理' },
  submit: { kind: 'problem.submitted', to: ['hq', 'raiser'], zh: '申请办结待核验' },
  close: { kind: 'problem.closed', to: ['lead', 'raiser'], zh: '已核验销号' },
  return: { kind: 'problem.returned', to: ['lead'], zh: '核验退回' },
  reopen: { kind: 'problem.reopened', to: ['lead', 'hq'], zh: '重新打开' },
  merge: { kind: 'problem.merged', to: ['lead'], zh: '已并单' },
  remind: { kind: 'problem.remind', to: ['lead'], zh: '催办' },
  supervise: { kind: 'problem.supervise', to: ['lead', 'hq_leads'], zh: '领导督办' },
};

export async function notifyAfterAction(
  tx: Db,
  s: AppServices,
  caller: Caller,
  a: { action: ProblemAction; before: ProblemRow; after: ProblemRow; cooperatingUnitIds: string[]; text: string | null },
): Promise<void> {
  const def = AUDIENCE[a.action];
  if (!def) return;
  const p = a.after;
  const ids: string[] = [];
  for (const who of def.to) {
    if (who === 'lead' && p.leadUnitId) ids.push(...(await unitStaff(tx, p.zoneId, [p.leadUnitId])));
    if (who === 'cooperating') ids.push(...(await unitStaff(tx, p.zoneId, a.cooperatingUnitIds)));
    if (who === 'hq') ids.push(...(await commandPeople(tx, p.zoneId, p.commandId, 'all')));
    if (who === 'hq_leads') ids.push(...(await commandPeople(tx, p.zoneId, p.commandId, 'leads')));
    if (who === 'raiser' && p.raisedBy) ids.push(p.raisedBy);
  }
  const deadline = p.deadline ? `（时限 ${p.deadline}）` : '';
  await notify(tx, s, {
    zoneId: p.zoneId,
    userIds: ids.filter((id) => id !== caller.userId),
    kind: def.kind,
    title: `【${def.zh}】${p.code} ${p.title}${deadline}`,
    body: a.text ? `${caller.displayName}：${a.text}` : caller.displayName,
    link: `/problems/${p.id}`,
    problemId: p.id,
  });
}
