import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  OPEN_STATES,
  PROBLEM_ACTIONS,
  PROBLEM_STATES,
  RELATIONS,
  allowedActions,
  checkAction,
  lightOf,
  nextPendingRequest,
  nextState,
  type FlowFacts,
  type ProblemAction,
  type Relation,
} from './problem-flow.ts';

const relationSet = fc.subarray([...RELATIONS]).map((r) => new Set<Relation>(r));
const step = fc.record({ action: fc.constantFrom(...PROBLEM_ACTIONS), relations: relationSet });

describe('the closed-loop state machine (property-based)', () => {
  it('random actions by random people never reach an illegal state, and only verifiers close', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let facts: FlowFacts = { state: 'raised', pendingRequest: null };
        for (const { action, relations } of steps) {
          if (checkAction(action, facts, relations) !== null) continue;
          const to = nextState(action, facts);
          const pending = nextPendingRequest(action, facts);
          if (to === 'closed') expect(action === 'close' && relations.has('verifier')).toBe(true);
          if (facts.state === 'closed') expect(action === 'reopen' && relations.has('commander')).toBe(true);
          expect(facts.state).not.toBe('merged'); // merged is final
          facts = { state: to, pendingRequest: pending };
          expect(PROBLEM_STATES).toContain(facts.state);
          // A request waits only while the problem is being handled.
          if (facts.pendingRequest) expect(facts.state).toBe('in_progress');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('every state but merged has a way forward, and every action someone may take somewhere', () => {
    for (const state of PROBLEM_STATES.filter((s) => s !== 'merged')) {
      const all = new Set<Relation>(RELATIONS);
      expect(allowedActions({ state, pendingRequest: null }, all).length + allowedActions({ state, pendingRequest: 'extension' }, all).length).toBeGreaterThan(0);
    }
    for (const action of PROBLEM_ACTIONS) expect(ACTIONS[action].from.length).toBeGreaterThan(0);
    expect(allowedActions({ state: 'merged', pendingRequest: null }, new Set(RELATIONS))).toEqual([]);
  });

  it('nobody without a relation may do anything', () => {
    for (const state of PROBLEM_STATES) for (const a of PROBLEM_ACTIONS) expect(checkAction(a as ProblemAction, { state, pendingRequest: null }, new Set())).not.toBeNull();
  });

  it('lights: red past the deadline, yellow within 2 working days or reminded, frozen while suspended, none when closed', () => {
    const base = { state: 'in_progress' as const, deadline: '2025-10-14', warnOn: '2025-10-11', reminded: false, suspendedOn: null };
    expect(lightOf(base, '2025-10-10')).toBe('green');
    expect(lightOf(base, '2025-10-11')).toBe('yellow');
    expect(lightOf(base, '2025-10-14')).toBe('yellow');
    expect(lightOf(base, '2025-10-15')).toBe('red');
    expect(lightOf({ ...base, reminded: true }, '2025-10-01')).toBe('yellow');
    expect(lightOf({ ...base, state: 'suspended', suspendedOn: '2025-10-01' }, '2025-12-01')).toBe('green');
    expect(lightOf({ ...base, state: 'closed' }, '2025-12-01')).toBeNull();
    expect(lightOf({ ...base, deadline: null }, '2025-12-01')).toBeNull();
    for (const s of OPEN_STATES) {
      const suspendedOn = s === 'suspended' ? '2025-10-01' : null;
      expect(lightOf({ ...base, state: s, suspendedOn }, '2025-10-15')).toBe(s === 'suspended' ? 'green' : 'red');
    }
  });
});
