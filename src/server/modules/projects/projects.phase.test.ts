import { describe, expect, it } from 'vitest';
import { checkPhaseMove, nextPhases, PROJECT_PHASES, type ProjectPhase } from '../../../shared/project-phase.ts';
import { t } from '../../i18n.ts';
import { milestoneStatus } from './projects.presenters.ts';
import { checkMove, checkPhaseState, phaseAfterMove, type PhaseState } from './projects.rules.ts';
import { expectedByNow, monthsElapsed, scheduleGap, scheduleOf, timeElapsed } from './projects.schedule.ts';

/** Every move the machine allows, written out by hand: from → to (suspended: from the phase it resumes to). */
const ALLOWED: Record<string, ProjectPhase[]> = {
  pipeline: ['signed', 'started'],
  signed: ['started', 'suspended'],
  started: ['operating', 'completed', 'suspended'],
  operating: ['completed', 'suspended'],
  completed: [],
  'suspended/signed': ['signed'],
  'suspended/started': ['started'],
  'suspended/operating': ['operating'],
};

const state = (over: Partial<PhaseState>): PhaseState => ({
  phase: 'pipeline',
  suspendedFrom: null,
  signedOn: null,
  startedOn: null,
  operatingOn: null,
  completedOn: null,
  suspendedOn: null,
  plannedStartOn: null,
  plannedCompletionOn: null,
  ...over,
});

describe('phase machine', () => {
  for (const [key, allowed] of Object.entries(ALLOWED)) {
    const [from, resume] = key.split('/') as [ProjectPhase, ProjectPhase | undefined];
    for (const to of PROJECT_PHASES) {
      const ok = allowed.includes(to);
      it(`${key} → ${to}: ${ok ? 'allowed' : 'refused'}`, () => {
        const problem = checkPhaseMove(from, to, resume ?? null);
        if (ok) expect(problem).toBeNull();
        else expect(problem).toBe(to === from ? 'same_phase' : from === 'suspended' && to !== 'suspended' ? 'not_suspended_from' : 'not_allowed');
      });
    }
    it(`${key}: nextPhases lists exactly the allowed moves`, () => {
      expect(nextPhases(from, resume ?? null).sort()).toEqual([...allowed].sort());
    });
  }

  it('names both phases in the refusal, in both languages', () => {
    const [problem] = checkMove(state({ phase: 'signed', signedOn: '2023-04-25' }), 'completed', '2023-05-01', null, '2023-06-01');
    expect(problem).toMatchObject({ path: 'to', key: 'field.phase.not_allowed' });
    expect(t('zh-CN', problem!.key, problem!.params)).toBe('项目不能从“签约”变更为“竣工”');
    expect(t('en', problem!.key, problem!.params)).toBe('A project cannot move from Signed to Completed');
    const [resume] = checkMove(state({ phase: 'suspended', suspendedFrom: 'started', startedOn: '2023-01-01', suspendedOn: '2023-03-01' }), 'operating', '2023-05-01', null, '2023-06-01');
    expect(t('zh-CN', resume!.key, resume!.params)).toBe('停缓建项目只能恢复到停建前的“开工”阶段，不能从“停缓建”变更为“投产”');
    const [same] = checkMove(state({ phase: 'signed', signedOn: '2023-04-25' }), 'signed', '2023-05-01', null, '2023-06-01');
    expect(t('zh-CN', same!.key, same!.params)).toBe('项目已处于“签约”阶段，不能再变更为“签约”');
  });

  it('checks the day of a move and the reason of a suspension', () => {
    const signed = state({ phase: 'signed', signedOn: '2023-04-25' });
    expect(checkMove(signed, 'started', '2023-04-25', null, '2023-06-01')).toEqual([]);
    expect(checkMove(signed, 'started', '2023-04-24', null, '2023-06-01')).toMatchObject([{ path: 'on', key: 'field.phase.on_before', params: { date: '2023-04-25', fromZh: '签约' } }]);
    expect(checkMove(signed, 'started', '2023-06-02', null, '2023-06-01')).toMatchObject([{ path: 'on', key: 'field.project.future_date' }]);
    expect(checkMove(signed, 'suspended', '2023-05-01', null, '2023-06-01')).toMatchObject([{ path: 'reason', key: 'field.phase.reason_required' }]);
    expect(checkMove(signed, 'suspended', '2023-05-01', '用地调整', '2023-06-01')).toEqual([]);
    const suspended = state({ phase: 'suspended', suspendedFrom: 'signed', signedOn: '2023-04-25', suspendedOn: '2023-05-01' });
    expect(checkMove(suspended, 'signed', '2023-04-30', null, '2023-06-01')).toMatchObject([{ path: 'on', key: 'field.phase.on_before' }]);
  });

  it('moves the phase columns', () => {
    const started = state({ phase: 'started', startedOn: '2023-04-25' });
    expect(phaseAfterMove(started, 'operating', '2023-10-01')).toEqual({ phase: 'operating', operatingOn: '2023-10-01' });
    expect(phaseAfterMove(started, 'suspended', '2023-06-01')).toEqual({ phase: 'suspended', suspendedFrom: 'started', suspendedOn: '2023-06-01' });
    const suspended = state({ phase: 'suspended', suspendedFrom: 'started', startedOn: '2023-04-25', suspendedOn: '2023-06-01' });
    expect(phaseAfterMove(suspended, 'started', '2023-07-01')).toEqual({ phase: 'started', suspendedFrom: null, suspendedOn: null });
  });
});

describe('phase state (entering a ledger in its real state)', () => {
  const today = '2024-06-30';
  const keys = (s: Partial<PhaseState>) => checkPhaseState(state(s), today).map((p) => `${p.path}:${p.key}`);

  it('accepts consistent states', () => {
    expect(keys({})).toEqual([]);
    expect(keys({ phase: 'signed', signedOn: '2023-04-25' })).toEqual([]);
    expect(keys({ phase: 'started', startedOn: '2023-04-25' })).toEqual([]);
    expect(keys({ phase: 'operating', signedOn: '2023-01-10', startedOn: '2023-04-25', operatingOn: '2023-12-20' })).toEqual([]);
    expect(keys({ phase: 'completed', startedOn: '2023-04-25', completedOn: '2024-03-29' })).toEqual([]);
    expect(keys({ phase: 'suspended', suspendedFrom: 'started', startedOn: '2023-04-25', suspendedOn: '2024-01-15' })).toEqual([]);
  });

  it('requires the date of the phase the project is in', () => {
    expect(keys({ phase: 'started' })).toEqual(['startedOn:field.project.date_for_phase']);
    expect(keys({ phase: 'completed', startedOn: '2023-04-25' })).toEqual(['completedOn:field.project.date_for_phase']);
    expect(keys({ phase: 'suspended' })).toEqual(['suspendedFrom:field.required', 'suspendedOn:field.project.date_for_phase']);
    expect(keys({ phase: 'suspended', suspendedFrom: 'started', suspendedOn: '2024-01-15' })).toEqual(['startedOn:field.project.date_for_phase']);
    expect(keys({ phase: 'suspended', suspendedFrom: 'pipeline', suspendedOn: '2024-01-15' })).toEqual(['suspendedFrom:field.project.not_suspendable']);
  });

  it('refuses dates of phases not reached, and suspension fields on a project that is not suspended', () => {
    expect(keys({ phase: 'signed', signedOn: '2023-04-25', startedOn: '2023-05-01' })).toEqual(['startedOn:field.project.date_beyond_phase']);
    expect(keys({ phase: 'pipeline', completedOn: '2023-05-01' })).toEqual(['completedOn:field.project.date_beyond_phase']);
    expect(keys({ phase: 'started', startedOn: '2023-04-25', suspendedFrom: 'started', suspendedOn: '2023-05-01' })).toEqual([
      'suspendedFrom:field.project.only_when_suspended',
      'suspendedOn:field.project.only_when_suspended',
    ]);
  });

  it('refuses future dates and dates out of order', () => {
    expect(keys({ phase: 'started', startedOn: '2024-07-01' })).toEqual(['startedOn:field.project.future_date']);
    expect(keys({ phase: 'operating', startedOn: '2023-05-01', operatingOn: '2023-04-01' })).toEqual(['operatingOn:field.project.date_order']);
    expect(keys({ phase: 'suspended', suspendedFrom: 'signed', signedOn: '2023-05-01', suspendedOn: '2023-04-01' })).toEqual(['suspendedOn:field.project.date_order']);
    expect(keys({ plannedStartOn: '2025-01-01', plannedCompletionOn: '2024-12-31' })).toEqual(['plannedCompletionOn:field.date_range']);
  });
});

describe('序时进度 (schedule)', () => {
  it('counts the months of the year that have fully passed', () => {
    expect(monthsElapsed(2023, '2023-01-15')).toBe(0);
    expect(monthsElapsed(2023, '2023-01-31')).toBe(1);
    expect(monthsElapsed(2023, '2023-11-15')).toBe(10);
    expect(monthsElapsed(2024, '2024-02-29')).toBe(2);
    expect(monthsElapsed(2023, '2023-12-31')).toBe(12);
    expect(monthsElapsed(2022, '2023-03-01')).toBe(12);
    expect(monthsElapsed(2024, '2023-03-01')).toBe(0);
    expect(timeElapsed(10)).toBe('0.8333');
    expect(timeElapsed(12)).toBe('1.0000');
    expect(timeElapsed(1)).toBe('0.0833');
  });

  it('compares completed investment with the time-proportional plan exactly', () => {
    // 1,200,000.01 yuan planned, 10 months: expected 1,000,000.008333… → 1,000,000.01 rounded; compared exactly.
    const planned = 120_000_001n;
    expect(expectedByNow(planned, 10)).toBe(100_000_001n);
    expect(scheduleOf({ phase: 'started', plannedFen: planned, completedFen: 100_000_001n, months: 10 })).toBe('ahead');
    expect(scheduleOf({ phase: 'started', plannedFen: planned, completedFen: 100_000_000n, months: 10 })).toBe('lagging');
    expect(scheduleOf({ phase: 'signed', plannedFen: 1_200n, completedFen: 1_000n, months: 10 })).toBe('on_track');
    expect(scheduleOf({ phase: 'operating', plannedFen: 1_200n, completedFen: 0n, months: 0 })).toBe('on_track');
    expect(scheduleOf({ phase: 'started', plannedFen: null, completedFen: 0n, months: 10 })).toBe('no_plan');
    expect(scheduleOf({ phase: 'started', plannedFen: 0n, completedFen: 0n, months: 10 })).toBe('no_plan');
    expect(scheduleOf({ phase: 'pipeline', plannedFen: 1_200n, completedFen: 0n, months: 10 })).toBe('no_plan');
    expect(scheduleOf({ phase: 'completed', plannedFen: 1_200n, completedFen: 0n, months: 10 })).toBe('no_plan');
    expect(scheduleOf({ phase: 'suspended', plannedFen: 1_200n, completedFen: 0n, months: 10 })).toBe('no_plan');
    expect(scheduleGap(1_200n, 700n, 6)).toBe(-100n);
    // 486.5 亿 over 12 months, 5 elapsed: exact bigint, no float drift.
    expect(expectedByNow(4_865_000_000_000n, 5)).toBe(2_027_083_333_333n);
  });

  it('computes milestone status', () => {
    const today = '2024-06-30';
    expect(milestoneStatus({ plannedOn: '2024-06-01', actualOn: '2024-06-01' }, today)).toBe('done');
    expect(milestoneStatus({ plannedOn: '2024-06-01', actualOn: '2024-05-20' }, today)).toBe('done');
    expect(milestoneStatus({ plannedOn: '2024-06-01', actualOn: '2024-06-02' }, today)).toBe('done_late');
    expect(milestoneStatus({ plannedOn: '2024-06-29', actualOn: null }, today)).toBe('overdue');
    expect(milestoneStatus({ plannedOn: '2024-06-30', actualOn: null }, today)).toBe('pending');
    expect(milestoneStatus({ plannedOn: '2024-09-30', actualOn: null }, today)).toBe('pending');
  });
});
