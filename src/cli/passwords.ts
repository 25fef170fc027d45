import { randomInt } from 'node:crypto';
import { checkPassword, type PasswordPolicy } from '../shared/password-policy.ts';
import { CliError } from './cli-errors.ts';

/** The first line of standard input (`echo "$PW" | qibu user create … --password-stdin`). */
export async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password (then Enter and Ctrl-D): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (!line) throw new CliError('no password on standard input');
  return line;
}

const POLICY_MESSAGES = {
  too_short: (n: number) => `the password needs at least ${n} characters`,
  too_long: (n: number) => `the password may have at most ${n} characters`,
  too_few_classes: (n: number) => `the password needs at least ${n} of: lower case, upper case, digits, symbols`,
};

export function assertPolicy(password: string, policy: PasswordPolicy): void {
  const problem = checkPassword(password, policy);
  if (!problem) return;
  throw new CliError(problem.code === 'too_long' ? POLICY_MESSAGES.too_long(problem.max) : POLICY_MESSAGES[problem.code](problem.min));
}

// No look-alikes (0/O, 1/l/I): the operator reads this password out to a person.
const CLASSES = ['abcdefghjkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '@#%+=!?'];

/** A random temporary password with every character class, at least 16 characters and the zone's minimum. */
export function temporaryPassword(policy: PasswordPolicy): string {
  const length = Math.max(16, policy.minLength);
  const pick = (set: string) => set[randomInt(set.length)]!;
  const chars = CLASSES.map(pick);
  const all = CLASSES.join('');
  while (chars.length < length) chars.push(pick(all));
  // Fisher–Yates, so the guaranteed classes are not always at the front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
