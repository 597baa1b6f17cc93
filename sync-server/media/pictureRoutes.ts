// Uploading pictures (POST /api/pictures, multipart) and serving them (GET /media/<id>-card.webp
// and -full.webp). A picture's address names its content, so it is cached for ever.
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { PictureSchema, SIGNED_IN } from '../admin/adminApiSchemas';
import type { HttpApp } from '../http/httpApp';
import { AppError } from '../protocol/errors';
import { ImageId } from '../protocol/menu';
import type { ServerDb } from '../db/client';
import { listPictures, MAX_PICTURE_BYTES, pictureBytes, storePicture } from './pictures';

const MediaParams = z.strictObject({ file: z.string().regex(/^[0-9a-f]{64}-(card|full)\.webp$/) });

export interface PictureRouteOptions {
  db: ServerDb;
  /** The guard of menu work: owners and menu editors upload and list pictures. */
  menuWork: (request: FastifyRequest) => Promise<void>;
  /** Who is uploading, for the record. */
  uploader: (request: FastifyRequest) => string;
  refusals: Record<string, z.ZodType>;
}

export async function registerPictureRoutes(app: HttpApp, { db, menuWork, uploader, refusals }: PictureRouteOptions): Promise<void> {
  // One file a request, of at most 10 MiB, and nothing else: no fields, no second file.
  await app.register(multipart, { limits: { fileSize: MAX_PICTURE_BYTES, files: 1, fields: 0, parts: 1, headerPairs: 50 }, throwFileSizeLimit: true });

  app.post('/api/pictures', {
    schema: {
      tags: ['menus'],
      summary: 'Upload a picture for menu items (multipart/form-data, one file of at most 10 MiB: JPEG, PNG, WebP or AVIF)',
      security: SIGNED_IN,
      consumes: ['multipart/form-data'],
      response: { 201: PictureSchema, ...refusals },
    },
    onRequest: menuWork,
    handler: async (request, reply) => {
      if (!request.isMultipart()) throw new AppError('INVALID_PAYLOAD', 'Send the picture as multipart/form-data, in one file field.');
      const file = await request.file();
      if (!file) throw new AppError('INVALID_PAYLOAD', 'The request has no file: send the picture in one file field.', 'file');
      const tooLarge = new AppError('PAYLOAD_TOO_LARGE', 'A picture may be at most 10 MiB. Send a smaller one.', 'file');
      let bytes: Buffer;
      try {
        bytes = await file.toBuffer();
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge;
        throw error;
      }
      // A file cut at the limit is too large, however the parser reported it.
      if (file.file.truncated) throw tooLarge;
      const picture = await storePicture(db, bytes, file.filename.slice(0, 200), uploader(request));
      return reply.code(201).send(picture);
    },
  });

  app.get('/api/pictures', {
    schema: { tags: ['menus'], summary: 'List uploaded pictures, newest first', security: SIGNED_IN, response: { 200: z.object({ pictures: z.array(PictureSchema) }), ...refusals } },
    onRequest: menuWork,
    handler: async () => ({ pictures: await listPictures(db) }),
  });

  app.get('/media/:file', {
    schema: { tags: ['menus'], summary: "A picture's card or full size, as WebP", params: MediaParams },
    config: { notFound: 'PICTURE_NOT_FOUND' },
    handler: async (request, reply) => {
      const [id, size] = request.params.file.replace('.webp', '').split('-') as [string, 'card' | 'full'];
      if (!ImageId.safeParse(id).success) throw new AppError('PICTURE_NOT_FOUND');
      const bytes = await pictureBytes(db, id, size);
      if (!bytes) throw new AppError('PICTURE_NOT_FOUND');
      return reply.type('image/webp').header('cache-control', 'public, max-age=31536000, immutable').header('etag', `"${id}-${size}"`).send(bytes);
    },
  });
}
