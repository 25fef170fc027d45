import { Type, type Static } from 'typebox';
import { Strict } from '../../../shared/schema.ts';

/** Same rule as the users module's sign-in names: letters, digits, dot, dash, underscore; 3–64 characters. */
export const USERNAME_PATTERN = '^[a-zA-Z0-9._-]{3,64}$';

export const SetupStatus = Type.Object({ needed: Type.Boolean({ description: 'true until the first real zone exists' }) });

export const SetupBody = Strict({
  zoneName: Type.String({ minLength: 1, maxLength: 100, description: 'full name, e.g. 济南新旧动能转换起步区' }),
  zoneShortName: Type.String({ minLength: 1, maxLength: 50, description: 'short name, e.g. 起步区' }),
  adminUsername: Type.String({ pattern: USERNAME_PATTERN, description: 'sign-in name of the first system administrator' }),
  adminDisplayName: Type.String({ minLength: 1, maxLength: 100 }),
  adminPassword: Type.String({ minLength: 1, maxLength: 256, description: 'default policy: at least 10 characters of 3 classes' }),
});
export type SetupBody = Static<typeof SetupBody>;

export const SetupCreated = Type.Object({ zoneId: Type.String() });
