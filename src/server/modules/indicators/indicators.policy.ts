import type { Role } from '../../../shared/roles.ts';
import { hasRole, type Caller } from '../../context.ts';

/**
 * Who may see and change economic indicators (docs/api-indicators.md "Who may do what"). The figures are the
 * zone's published statistics, the same for everyone who reads them: no record scope beyond the zone.
 *
 * - read: the zone's business roles (leaders, HQs, units, service agents). Enterprise contacts do not see them, and
 *   the three admins stay out (三员分立).
 * - write (enter figures, import, edit the lists of indicators and districts): zone leaders and unit staff (the
 *   statistics work of 经济发展部 and the streets). A narrower rule (only the staff of one unit) would be a check on
 *   caller.unitId here; the demo has no unit_staff in 经济发展部, so the rule stays at the role.
 */
export const INDICATOR_READ_ROLES: readonly Role[] = ['zone_leader', 'hq_commander', 'hq_staff', 'unit_staff', 'service_agent'];
export const INDICATOR_WRITE_ROLES: readonly Role[] = ['zone_leader', 'unit_staff'];

export function canEditIndicators(caller: Caller): boolean {
  return hasRole(caller, ...INDICATOR_WRITE_ROLES);
}
