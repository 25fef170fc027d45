import { beforeAll, describe, expect, it } from 'vitest';
import { createZone, getHarness, signIn, signInAs } from '../../test/harness.ts';
import { fieldsOf, put } from '../org/org.testkit.ts';
import { PACKAGE_LAST_YEAR, WorkCalendar } from './workdays.ts';

describe('working days on the official calendar', () => {
  const cal = new WorkCalendar();

  it('counts across National Day 2025 with its make-up workdays (9-28 Sunday, 10-11 Saturday)', () => {
    expect(cal.addWorkdays('2025-09-30', 5)).toEqual({ date: '2025-10-14', provisional: false });
    expect(cal.addWorkdays('2025-09-26', 1).date).toBe('2025-09-28');
    expect(cal.isWorkday('2025-10-11')).toBe(true);
    expect(cal.isWorkday('2025-10-08')).toBe(false);
    expect(cal.workdaysBetween('2025-09-30', '2025-10-14')).toBe(5);
  });

  it('counts across the Spring Festival 2026 (2-14 Saturday worked, 2-15…2-23 off, 2-28 Saturday worked)', () => {
    expect(cal.addWorkdays('2026-02-13', 3).date).toBe('2026-02-25');
    expect(cal.addWorkdays('2026-02-13', 1).date).toBe('2026-02-14');
    expect(cal.isWorkday('2026-02-23')).toBe(false);
    expect(cal.isWorkday('2026-02-28')).toBe(true);
  });

  it('counts back, and N = 0 is the day itself', () => {
    expect(cal.addWorkdays('2025-10-14', -2).date).toBe('2025-10-11');
    expect(cal.addWorkdays('2025-10-14', 0).date).toBe('2025-10-14');
  });

  it('marks a count crossing an unknown year provisional, and a zone entry makes the year known', () => {
    const next = PACKAGE_LAST_YEAR + 1;
    expect(cal.addWorkdays(`${PACKAGE_LAST_YEAR}-12-28`, 10).provisional).toBe(true);
    const withNotice = new WorkCalendar([{ day: `${next}-01-01`, kind: 'holiday', note: '元旦' }]);
    const answer = withNotice.addWorkdays(`${PACKAGE_LAST_YEAR}-12-31`, 1);
    expect(answer.provisional).toBe(false);
    expect(answer.date).not.toBe(`${next}-01-01`);
  });
});

describe('calendar API', () => {
  beforeAll(async () => {
    await getHarness();
  });

  it('answers add-workdays for anyone at work, and the zone admin adds a new year\'s notice', async () => {
    const zone = await createZone();
    const staff = await signIn(zone, 'staff.cuizhai');
    const res = await staff.get('/api/calendar/add-workdays?from=2025-09-30&days=5');
    expect(res.json()).toEqual({ from: '2025-09-30', days: 5, date: '2025-10-14', provisional: false });
    expect(fieldsOf(await staff.get('/api/calendar/add-workdays?from=2025-02-30&days=5'))).toHaveProperty(['querystring.from']);
    expect((await staff.get('/api/calendar/add-workdays?from=2025-09-30')).statusCode).toBe(400);

    const year = PACKAGE_LAST_YEAR + 1;
    expect((await staff.get(`/api/calendar/add-workdays?from=${year}-01-05&days=1`)).json().provisional).toBe(true);
    expect((await put(staff, `/api/calendar/overrides/${year}-01-01`, { kind: 'holiday' })).statusCode).toBe(403);
    const admin = await signInAs(zone, 'sys_admin');
    const set = await put(admin, `/api/calendar/overrides/${year}-01-05`, { kind: 'holiday', note: '元旦调休' });
    expect(set.statusCode, set.body).toBe(200);
    const after = (await staff.get(`/api/calendar/add-workdays?from=${year}-01-02&days=1`)).json();
    expect(after.provisional).toBe(false);
    expect(after.date).not.toBe(`${year}-01-05`);
    const y = (await staff.get(`/api/calendar/years/${year}`)).json();
    expect(y).toMatchObject({ year, known: true, overrides: [{ day: `${year}-01-05`, kind: 'holiday', note: '元旦调休' }] });
    // Another zone's calendar is untouched.
    const other = await signIn(await createZone(), 'staff.cuizhai');
    expect((await other.get(`/api/calendar/add-workdays?from=${year}-01-05&days=1`)).json().provisional).toBe(true);
    expect((await admin.delete(`/api/calendar/overrides/${year}-01-05`)).statusCode).toBe(200);
    expect((await admin.delete(`/api/calendar/overrides/${year}-01-05`)).statusCode).toBe(404);
  });
});
