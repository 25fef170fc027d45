import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Nullable } from '../../../shared/schema.ts';
import type { AppServices } from '../../context.ts';
import { withErrors } from '../org/org.api.ts';
import { callerOf } from '../org/org.http.ts';
import { ProblemDetail } from '../problems/problems.api.ts';
import { getProblem } from '../problems/problems.read.ts';
import { Decision, DecisionCreate, DecisionIdParams, IssueBody, MeetingCreate, MeetingDetail, MeetingIdParams, MeetingListItem, MeetingPatch, MeetingQuery, TaskDone } from './meetings.api.ts';
import { MEETING_ROLES } from './meetings.policy.ts';
import { getMeeting, listMeetings } from './meetings.read.ts';
import { addDecision, completeTask, createMeeting, issueMinutes, updateMeeting } from './meetings.service.ts';

/** HQ and leading-group meetings (docs/api-meetings.md). Route roles let meeting people in; the policy scopes. */
const access = { access: 'signed_in', roles: MEETING_ROLES } as const;
const tags = ['meetings'];

export async function meetingRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/meetings',
    { config: access, schema: { tags, summary: 'Meetings in my scope for a period (the calendar)', querystring: MeetingQuery, response: withErrors({ 200: Type.Object({ items: Type.Array(MeetingListItem) }) }) } },
    async (req) => listMeetings(s, callerOf(req), req.query),
  );

  r.post(
    '/api/meetings',
    {
      config: access,
      schema: {
        tags,
        summary: 'Plan a meeting (or a weekly series); its number per HQ and type is given automatically',
        description: 'Answers the first meeting; a series shares its `seriesId`. Accepts Idempotency-Key.',
        body: MeetingCreate,
        response: withErrors({ 201: MeetingDetail }),
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const [first] = await createMeeting(s, caller, req.body);
      return reply.status(201).send(await getMeeting(s, caller, first!));
    },
  );

  r.get(
    '/api/meetings/:id',
    { config: access, schema: { tags, summary: 'A meeting: agenda, attendance, minutes, decisions, follow-up of earlier decisions, agenda suggestions', params: MeetingIdParams, response: withErrors({ 200: MeetingDetail }) } },
    async (req) => getMeeting(s, callerOf(req), req.params.id),
  );

  r.patch(
    '/api/meetings/:id',
    {
      config: access,
      schema: {
        tags,
        summary: 'Edit time, place, chair, invitees, agenda, attendance or minutes (issued minutes need a revisionReason)',
        params: MeetingIdParams,
        body: MeetingPatch,
        response: withErrors({ 200: MeetingDetail }),
      },
    },
    async (req) => {
      const caller = callerOf(req);
      await updateMeeting(s, caller, req.params.id, req.body);
      return getMeeting(s, caller, req.params.id);
    },
  );

  r.post(
    '/api/meetings/:id/decisions',
    {
      config: access,
      schema: {
        tags,
        summary: 'Record a decision: it becomes an assigned problem (source = this meeting) or a task with a due date',
        params: MeetingIdParams,
        body: DecisionCreate,
        response: withErrors({ 201: Type.Object({ decision: Decision, problem: Nullable(ProblemDetail) }) }),
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const { decisionId, problemId } = await addDecision(s, caller, req.params.id, req.body);
      const meeting = await getMeeting(s, caller, req.params.id);
      const decision = meeting.decisions.find((d) => d.id === decisionId)!;
      return reply.status(201).send({ decision, problem: problemId ? await getProblem(s, caller, problemId) : null });
    },
  );

  r.post(
    '/api/meetings/:id/decisions/:decisionId/done',
    { config: access, schema: { tags, summary: 'Mark a task decision done with its result', params: DecisionIdParams, body: TaskDone, response: withErrors({ 200: MeetingDetail }) } },
    async (req) => {
      const caller = callerOf(req);
      await completeTask(s, caller, req.params.id, req.params.decisionId, req.body);
      return getMeeting(s, caller, req.params.id);
    },
  );

  r.post(
    '/api/meetings/:id/issue',
    {
      config: access,
      schema: { tags, summary: 'Issue the minutes: freeze them as a numbered version (later changes become the next version)', params: MeetingIdParams, body: IssueBody, response: withErrors({ 200: MeetingDetail }) },
    },
    async (req) => {
      const caller = callerOf(req);
      await issueMinutes(s, caller, req.params.id, req.body);
      return getMeeting(s, caller, req.params.id);
    },
  );
}
