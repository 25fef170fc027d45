import { fieldError } from '../../errors.ts';

/** Small helpers for values going into and coming out of the org tables. */

/**
 * Text columns hold enum values (the database checks them); this narrows one back to its union type, and fails
 * loudly if the database ever held something the code does not know.
 */
export function oneOf<const T extends readonly string[]>(values: T, value: string): T[number] {
  const found = values.find((v) => v === value);
  if (found === undefined) throw new Error(`unexpected value ${value}`);
  return found;
}

/** Empty or blank text from a form is stored as null; other text is trimmed. */
export function cleanText(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** A required name, trimmed; blank is a field error. */
export function requiredText(path: string, value: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw fieldError(path, 'field.required');
  return trimmed;
}
