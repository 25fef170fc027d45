/** Password rules, configurable per zone by the security admin (security.md: ASVS vs 等保, both supported). */
export interface PasswordPolicy {
  minLength: number;
  /** How many of the four classes (lower, upper, digit, symbol) are required; 0 turns composition rules off. */
  minClasses: number;
}

export type PasswordProblem = { code: 'too_short'; min: number } | { code: 'too_few_classes'; min: number } | { code: 'too_long'; max: number };

export const PASSWORD_MAX_LENGTH = 128;

export function checkPassword(password: string, policy: PasswordPolicy): PasswordProblem | null {
  if ([...password].length < policy.minLength) return { code: 'too_short', min: policy.minLength };
  if ([...password].length > PASSWORD_MAX_LENGTH) return { code: 'too_long', max: PASSWORD_MAX_LENGTH };
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < policy.minClasses) return { code: 'too_few_classes', min: policy.minClasses };
  return null;
}
