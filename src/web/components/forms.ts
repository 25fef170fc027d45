import type { FormInstance, FormRule as Rule } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import i18n from '../i18n/index.ts';
import { ApiError } from '../api/client.ts';

/** The server's mobile-number rule (src/shared/schema.ts Phone). */
export const PHONE_PATTERN = /^1[3-9]\d{9}$/;
export const ID_NUMBER_PATTERN = /^\d{17}[\dX]$/;
/** Sign-in names (users.dto.ts Username): letters, digits, dot, dash, underscore; 3–64. */
export const USERNAME_PATTERN = /^[a-zA-Z0-9._-]{3,64}$/;

export const rules = {
  required: (): Rule => ({ required: true, whitespace: true }),
  requiredSelect: (): Rule => ({ required: true }),
  max: (max: number): Rule => ({ max }),
  phone: (): Rule => ({ pattern: PHONE_PATTERN, message: i18n.t('validation.phone') }),
  idNumber: (): Rule => ({ pattern: ID_NUMBER_PATTERN, message: i18n.t('validation.idNumber') }),
  email: (): Rule => ({ type: 'email', message: i18n.t('validation.email') }),
  username: (): Rule => ({ pattern: USERNAME_PATTERN, message: i18n.t('validation.username') }),
};

type Notify = (text: string) => void;

/**
 * Puts the server's field errors on the matching form fields (`fields[].path` is the field name, dotted for lists).
 * Problems naming no field of this form, and errors without fields, go to `notify`.
 */
export function applyServerErrors(form: FormInstance | null, err: unknown, notify: Notify): void {
  if (!(err instanceof ApiError)) {
    notify(err instanceof Error ? err.message : String(err));
    return;
  }
  const unplaced: string[] = [];
  if (form && err.fields.length) {
    const known = new Set(
      form
        .getFieldsError()
        .map((f) => f.name.join('.'))
        .filter(Boolean),
    );
    const grouped = new Map<string, string[]>();
    for (const f of err.fields) {
      if (known.has(f.path)) grouped.set(f.path, [...(grouped.get(f.path) ?? []), f.message]);
      else unplaced.push(f.path ? `${f.path}: ${f.message}` : f.message);
    }
    form.setFields(
      [...grouped.entries()].map(([path, errors]) => ({
        name: path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
        errors,
      })),
    );
    if (grouped.size && !unplaced.length) {
      notify(err.message);
      return;
    }
  } else {
    unplaced.push(...err.fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)));
  }
  notify(unplaced.length ? `${err.message}（${unplaced.join('；')}）` : err.message);
}

/** The message of any error, for a toast. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** '' and whitespace become null; strings are trimmed. */
export function clean<T extends Record<string, unknown>>(values: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === 'string') out[k] = v.trim() === '' ? null : v.trim();
    else if (v === undefined) out[k] = null;
    else out[k] = v;
  }
  return out as T;
}

/** Drops null/undefined fields (create bodies leave optional fields out). */
export function compact<T extends Record<string, unknown>>(values: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined) out[k] = v;
  return out as Partial<T>;
}

/** The fields of `next` that differ from `prev` (a PATCH carries only what changed). */
export function changed<T extends Record<string, unknown>>(prev: Record<string, unknown>, next: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) {
    const before = prev[k] ?? null;
    const after = v ?? null;
    if (JSON.stringify(before) !== JSON.stringify(after)) out[k] = after;
  }
  return out as Partial<T>;
}

export function toDay(value: string | null | undefined): Dayjs | null {
  return value ? dayjs(value) : null;
}

export function fromDay(value: Dayjs | null | undefined): string | null {
  return value ? value.format('YYYY-MM-DD') : null;
}
