import { contentDisposition } from '../../lib/file-names.ts';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Role } from '../../../shared/roles.ts';
import { ErrorResponse, Id, Nullable, Strict } from '../../../shared/schema.ts';
import type { AppServices, Caller } from '../../context.ts';
import { AppError, fieldError } from '../../errors.ts';
import { PROJECT_READ_ROLES, PROJECT_WRITE_ROLES } from '../projects/projects.policy.ts';
import { FILE_ROLES } from './files.owners.ts';
import { authorizeUpload, deleteFile, FILE_MAX_BYTES, getFileDownload, listFiles, storeUpload, tooLarge, type ReceivedFile } from './files.service.ts';
import { discard, stageStream, StagedTooLarge, sweepIncoming } from './files.storage.ts';

/**
 * Files (docs/api-projects.md "Files"): upload and list per owner (`registerOwnerFileRoutes`, used here for projects
 * and by any module whose records carry files), download and delete by file id.
 */

const tags = ['files'];

/** Per upload request: one file of at most 20 MB, a handful of small fields, nothing else. */
export const UPLOAD_LIMITS = {
  fileSize: FILE_MAX_BYTES,
  files: 1,
  fields: 5,
  fieldSize: 1024,
  fieldNameSize: 100,
  parts: 6,
  headerPairs: 50,
};

export const FileItem = Type.Object({
  id: Type.String(),
  originalName: Type.String(),
  mime: Type.String(),
  kind: Type.Union([Type.Literal('image'), Type.Literal('document')]),
  size: Type.Integer(),
  uploadedBy: Nullable(Type.Object({ id: Type.String(), displayName: Type.String() })),
  createdAt: Type.String({ format: 'date-time' }),
  can: Type.Object({ delete: Type.Boolean() }),
});

const FileList = Type.Object({ items: Type.Array(FileItem) });
const IdParams = Strict({ id: Id });
const Ok = Type.Object({ ok: Type.Boolean() });
const FileBytes = Type.String({ format: 'binary', description: 'the bytes, with Content-Type from the sniffed type' });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse };

function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new AppError('unauthenticated');
  return req.caller;
}

// Re-exported for the modules that import it from here.
export { contentDisposition };

const MULTIPART_LIMIT_CODES = new Set(['FST_FILES_LIMIT', 'FST_PARTS_LIMIT', 'FST_FIELDS_LIMIT']);
const BUSBOY_MESSAGE = /multipart|unexpected end of|malformed part|boundary|terminated early/i;

/** The multipart plugin's and busboy's errors as the answers this API gives (413 for limits, never a 500). */
function asAppError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  if (err instanceof StagedTooLarge) return tooLarge();
  const e = err as { code?: unknown; message?: unknown; syscall?: unknown };
  if (e.code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge();
  if (typeof e.code === 'string' && MULTIPART_LIMIT_CODES.has(e.code)) {
    return new AppError('payload_too_large', { fields: [{ path: 'file', key: 'file.too_many' }] });
  }
  if (e.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return new AppError('unsupported_media_type', { fields: [{ path: 'file', key: 'file.multipart_required' }] });
  }
  if (e.code === 'FST_PROTO_VIOLATION' || e.code === 'FST_MP_PREMATURE_CLOSE') return new AppError('bad_request', { cause: err });
  if (e.syscall === undefined && typeof e.message === 'string' && BUSBOY_MESSAGE.test(e.message)) return new AppError('bad_request', { cause: err });
  return err;
}

/**
 * Reads the request's one file (field `file`) into a staged temporary file. Other fields are ignored; a second
 * file, too many fields or more than 20 MB answer 413 with a message naming the limit.
 */
export async function receiveOneFile(req: FastifyRequest, dataDir: string): Promise<ReceivedFile> {
  let received: ReceivedFile | null = null;
  try {
    for await (const part of req.parts({ limits: UPLOAD_LIMITS })) {
      if (part.type !== 'file') continue;
      if (part.fieldname !== 'file' || received) {
        for await (const _chunk of part.file) {
          // drained: only the field named `file` is kept
        }
        continue;
      }
      received = { staged: await stageStream(dataDir, part.file, FILE_MAX_BYTES), filename: part.filename ?? '' };
      if (part.file.truncated) throw tooLarge();
    }
  } catch (err) {
    await discard(received?.staged);
    throw asAppError(err);
  }
  if (!received) throw fieldError('file', 'field.required');
  return received;
}

export interface OwnerFileRoutes {
  /** e.g. '/api/projects/:id/files' (`:id` is the owner's id). */
  url: string;
  ownerType: string;
  readRoles: readonly Role[];
  writeRoles: readonly Role[];
  /** What the owner is, for the API description ("project"). */
  ownerLabel: string;
}

/**
 * POST (upload one file) and GET (list) on an owner's files, in an encapsulated scope of their own with
 * @fastify/multipart registered in it, so any number of modules can call this.
 */
export async function registerOwnerFileRoutes(app: FastifyInstance, s: AppServices, opts: OwnerFileRoutes): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: UPLOAD_LIMITS, throwFileSizeLimit: true });
    const r = scope.withTypeProvider<TypeBoxTypeProvider>();

    r.post(
      opts.url,
      {
        config: { access: 'signed_in', roles: opts.writeRoles },
        schema: {
          tags,
          summary: `Upload a file to a ${opts.ownerLabel}`,
          description:
            'multipart/form-data with one file in field `file` (≤ 20 MB). The type is taken from the content: JPEG, PNG, WebP, GIF, PDF, ' +
            'docx, xlsx, doc, xls; a name whose extension contradicts the content is refused. Images also get a copy without metadata.',
          consumes: ['multipart/form-data'],
          params: IdParams,
          response: { 201: FileItem, ...errors },
        },
      },
      async (req, reply) => {
        const caller = callerOf(req);
        const owner = { type: opts.ownerType, id: req.params.id };
        // Who may upload is settled before a byte of the body is read.
        const access = await authorizeUpload(s, caller, owner);
        const received = await receiveOneFile(req, s.config.dataDir);
        return reply.status(201).send(await storeUpload(s, caller, owner, access, received));
      },
    );

    r.get(
      opts.url,
      {
        config: { access: 'signed_in', roles: opts.readRoles },
        schema: { tags, summary: `The files of a ${opts.ownerLabel}, newest first`, params: IdParams, response: { 200: FileList, ...errors } },
      },
      async (req) => ({ items: await listFiles(s, callerOf(req), { type: opts.ownerType, id: req.params.id }) }),
    );
  });
}

export async function fileRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  await sweepIncoming(s.config.dataDir);
  await registerOwnerFileRoutes(app, s, {
    url: '/api/projects/:id/files',
    ownerType: 'project',
    readRoles: PROJECT_READ_ROLES,
    writeRoles: PROJECT_WRITE_ROLES,
    ownerLabel: 'project',
  });

  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  // Untyped replies: the answer is a stream (or an empty 304), which the typed provider cannot express.
  app.get<{ Params: { id: string } }>(
    '/api/files/:id',
    {
      config: { access: 'signed_in', roles: FILE_ROLES },
      schema: {
        tags,
        summary: 'Download a file',
        description:
          'The bytes with the sniffed Content-Type, nosniff and a CSP allowing nothing; images inline (thumbnails), documents as ' +
          'attachment. Callers outside the zone staff get images only as the copy without metadata.',
        params: IdParams,
        response: { 200: FileBytes, ...errors },
      },
    },
    async (req, reply) => {
      const file = await getFileDownload(s, callerOf(req), req.params.id);
      const etag = `"${file.blobId}"`;
      reply.header('cache-control', 'private, no-cache').header('etag', etag).header('x-content-type-options', 'nosniff');
      if (req.headers['if-none-match'] === etag) return reply.status(304).send();
      const blob = await file.open();
      return reply
        .header('content-type', file.row.mime)
        .header('content-length', blob.size)
        .header('content-disposition', contentDisposition(file.inline ? 'inline' : 'attachment', file.downloadName))
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(blob.stream);
    },
  );

  r.delete(
    '/api/files/:id',
    {
      config: { access: 'signed_in', roles: FILE_ROLES },
      schema: { tags, summary: 'Delete a file (writers of what it belongs to; audited)', params: IdParams, response: { 200: Ok, ...errors } },
    },
    async (req) => {
      await deleteFile(s, callerOf(req), req.params.id);
      return { ok: true };
    },
  );
}
