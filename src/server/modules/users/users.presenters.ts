import { maskPhone } from '../../../shared/masking.ts';
import { ROLE_LABELS } from '../../../shared/roles.ts';
import type { AppServices, Caller } from '../../context.ts';
import { decryptOptional } from '../../crypto.ts';
import type { XlsxColumn } from '../../lib/xlsx.ts';
import type { UserDto } from './users.dto.ts';
import { seesSignInActivity, userCan } from './users.policy.ts';
import type { UserRecord } from './users.repository.ts';

export function isLocked(rec: { lockedUntil: Date | null }, now: Date): boolean {
  return rec.lockedUntil !== null && rec.lockedUntil.getTime() > now.getTime();
}

export function maskedPhoneOf(s: AppServices, rec: { phoneEnc: string | null }): string | null {
  return maskPhone(decryptOptional(s.keys, rec.phoneEnc));
}

/** The API shape of a user: phone masked, `can` from the policy. */
export function presentUser(s: AppServices, caller: Caller, rec: UserRecord, now: Date): UserDto {
  return {
    id: rec.id,
    username: rec.username,
    displayName: rec.displayName,
    title: rec.title,
    unit: rec.unitId ? { id: rec.unitId, name: rec.unitName ?? '' } : null,
    enterprise: rec.enterpriseId ? { id: rec.enterpriseId, name: rec.enterpriseName ?? '' } : null,
    email: rec.email,
    phone: maskedPhoneOf(s, rec),
    roles: rec.roles,
    disabled: rec.disabled,
    locked: isLocked(rec, now),
    totpEnabled: rec.totpEnabled,
    lastSignInAt: seesSignInActivity(caller) && rec.lastSignInAt ? rec.lastSignInAt.toISOString() : null,
    version: rec.version,
    can: userCan(caller, { id: rec.id, disabled: rec.disabled, hasPhone: rec.phoneEnc !== null }),
  };
}

/** Masks an e-mail address for audit rows: z***@example.gov.cn. */
export function maskEmail(email: string | null | undefined): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

function shanghaiTime(d: Date | null): string | null {
  return d ? d.toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false }).slice(0, 16) : null;
}

/** Columns of the user export: Chinese headers, masked phone, roles as their Chinese labels. */
export const USER_EXPORT_COLUMNS: XlsxColumn<UserDto>[] = [
  { header: '用户名', width: 22, value: (u) => u.username },
  { header: '姓名', width: 16, value: (u) => u.displayName },
  { header: '职务', width: 24, value: (u) => u.title },
  { header: '所属单位', width: 24, value: (u) => u.unit?.name },
  { header: '所属企业', width: 28, value: (u) => u.enterprise?.name },
  { header: '电子邮箱', width: 24, value: (u) => u.email },
  { header: '手机号码', width: 14, value: (u) => u.phone },
  { header: '角色', width: 24, value: (u) => u.roles.map((r) => ROLE_LABELS[r].zh).join('、') },
  { header: '状态', width: 8, value: (u) => (u.disabled ? '已停用' : '正常') },
  { header: '是否锁定', width: 10, value: (u) => (u.locked ? '是' : '否') },
  { header: '动态验证码', width: 12, value: (u) => (u.totpEnabled ? '已绑定' : '未绑定') },
  { header: '最近登录', width: 18, value: (u) => shanghaiTime(u.lastSignInAt ? new Date(u.lastSignInAt) : null) },
];
