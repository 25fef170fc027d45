import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { Id, Nullable, Strict, Text, VersionField } from '../../../shared/schema.ts';
import type { AppServices, Caller } from '../../context.ts';
import { hasRole } from '../../context.ts';
import { withErrors } from '../org/org.api.ts';
import { callerOf } from '../org/org.http.ts';
import { DICTIONARY_READ_ROLES, DICTIONARY_WRITE_ROLES } from '../projects/projects.policy.ts';
import { createEntry, DICTIONARIES, listEntries, updateEntry, type DictionaryEntryRow } from './dictionaries.service.ts';

/** Zone-editable value lists (docs/api-projects.md "Dictionaries"). */

const read = { access: 'signed_in', roles: DICTIONARY_READ_ROLES } as const;
const write = { access: 'signed_in', roles: DICTIONARY_WRITE_ROLES } as const;
const tags = ['dictionaries'];

const DictionaryName = Type.Enum(DICTIONARIES);
const DictionaryParams = Strict({ dictionary: DictionaryName });
const EntryParams = Strict({ dictionary: DictionaryName, id: Id });

export const DictionaryEntry = Type.Object({
  id: Type.String(),
  code: Type.String(),
  label: Type.String(),
  labelEn: Nullable(Type.String()),
  sortOrder: Type.Integer(),
  active: Type.Boolean(),
  version: Type.Integer(),
  can: Type.Object({ update: Type.Boolean() }),
});
export type DictionaryEntryDto = Static<typeof DictionaryEntry>;
const DictionaryList = Type.Object({ items: Type.Array(DictionaryEntry) });

const SortOrder = Type.Integer({ minimum: 0, maximum: 1_000_000 });
const EntryCreate = Strict({
  code: Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9_.-]+$', description: 'stored by projects; never changes' }),
  label: Text(50, 1),
  labelEn: Type.Optional(Nullable(Text(100))),
  sortOrder: Type.Optional(SortOrder),
});
const EntryPatch = Strict({
  ...VersionField,
  label: Type.Optional(Text(50, 1)),
  labelEn: Type.Optional(Nullable(Text(100))),
  sortOrder: Type.Optional(SortOrder),
  active: Type.Optional(Type.Boolean()),
});

function present(caller: Caller, e: DictionaryEntryRow): DictionaryEntryDto {
  return {
    id: e.id,
    code: e.code,
    label: e.label,
    labelEn: e.labelEn,
    sortOrder: e.sortOrder,
    active: e.active,
    version: e.version,
    can: { update: hasRole(caller, ...DICTIONARY_WRITE_ROLES) },
  };
}

export async function dictionaryRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/dictionaries/:dictionary',
    { config: read, schema: { tags, summary: 'A value list, inactive entries included (flagged)', params: DictionaryParams, response: withErrors({ 200: DictionaryList }) } },
    async (req) => {
      const caller = callerOf(req);
      return { items: (await listEntries(s, caller, req.params.dictionary)).map((e) => present(caller, e)) };
    },
  );

  r.post(
    '/api/dictionaries/:dictionary',
    { config: write, schema: { tags, summary: 'Add a value', params: DictionaryParams, body: EntryCreate, response: withErrors({ 201: DictionaryEntry }) } },
    async (req, reply) => {
      const caller = callerOf(req);
      return reply.status(201).send(present(caller, await createEntry(s, caller, req.params.dictionary, req.body)));
    },
  );

  r.patch(
    '/api/dictionaries/:dictionary/:id',
    { config: write, schema: { tags, summary: 'Rename, reorder or retire a value (version)', params: EntryParams, body: EntryPatch, response: withErrors({ 200: DictionaryEntry }) } },
    async (req) => {
      const caller = callerOf(req);
      return present(caller, await updateEntry(s, caller, req.params.dictionary, req.params.id, req.body));
    },
  );
}
