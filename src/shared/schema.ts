import { Type, type TProperties, type TSchema } from 'typebox';

/**
 * Schema building blocks shared by server (validation, OpenAPI) and web (forms). Objects are strict: an
 * unknown field is an error, never silently kept.
 */
export const Strict = <P extends TProperties>(properties: P, options: { description?: string; title?: string } = {}) =>
  Type.Object(properties, { additionalProperties: false, ...options });

export const Id = Type.String({ format: 'uuid' });
export const DateString = Type.String({ format: 'date', description: 'YYYY-MM-DD, Asia/Shanghai' });
export const DateTimeString = Type.String({ format: 'date-time' });
export const Text = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max });
export const Name = Type.String({ minLength: 1, maxLength: 100 });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Phone = Type.String({ pattern: '^1[3-9]\\d{9}$', description: 'mainland mobile number' });
export const IdNumber = Type.String({ pattern: '^\\d{17}[\\dX]$', description: '18-digit resident ID number' });

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
};

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    fields: Type.Array(Type.Object({ path: Type.String(), message: Type.String() })),
  }),
});

/** The version an edit was based on: a stale one is refused with 409. */
export const VersionField = { version: Type.Integer({ minimum: 1 }) };

export const Paged = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });
