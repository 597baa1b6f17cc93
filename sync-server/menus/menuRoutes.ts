// Head office's menu routes: drafts (edit, check, compare with what each store runs), versions
// (publish now or at a set time, roll back, delete one never used) and the schedule. A draft's
// problems come from the same function as the editor's, so the API and the app always agree.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuditEntry, AuditLog } from '../audit/auditLog';
import type { ServerDb, ServerTx } from '../db/client';
import type { HttpApp } from '../http/httpApp';
import { checkMenuPictures } from '../media/pictures';
import { AppError } from '../protocol/errors';
import type { Change } from '../protocol/events';
import { MenuItemSchema, readEach, type MenuItem } from '../protocol/menu';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listPictures } from '../media/pictures';
import { exportItemsCsv, importItemsCsv, MAX_CSV_BYTES } from './itemsCsv';
import { AnyMenuDocumentSchema } from '../protocol/menuV1';
import { refusal } from '../protocol/parse';
import type { AdminPrincipal } from '../admin/adminAccounts';
import { mayManage } from '../admin/adminAccounts';
import { ROLES_FOR } from '../admin/adminRoles';
import type { AdminRole } from '../admin/adminApiSchemas';
import {
  CsvImportQuerySchema,
  CsvImportSchema,
  DraftDiffSchema,
  DraftParams,
  DraftPublishSchema,
  DraftSaveSchema,
  DraftSavedSchema,
  DraftSchema,
  DraftSummarySchema,
  ListedMenuVersionSchema,
  MenuVersionParams,
  MenuVersionSchema,
  MenuVersionSummarySchema,
  NewDraftSchema,
  PublishSchema,
  PublishedSchema,
  REFUSALS,
  SIGNED_IN,
  ScheduledParams,
  ScheduledSchema,
  StoreParams,
} from '../admin/adminApiSchemas';
import { createDraft, deleteDraft, draftMenu, listDrafts, readDraft, saveDraft } from './menuDrafts';
import { createMenuVersion, deleteMenuVersion, listMenuVersions, menusStoresRun, publishMenuVersion, readMenuVersion, rollBackMenu } from './menuCatalog';
import { diffMenus } from './menuDiff';
import { menuPathLabel, menuProblems } from './menuProblems';
import { cancelScheduled, listScheduled, schedulePublications } from './publishSchedule';

/** A menu of 5,000 items (the most a document holds) in three languages is about 2.3 MB. */
const MAX_MENU_BYTES = 4 << 20;

/** What the admin routes lend the menu routes: their guard, and who the request is from. */
export interface MenuRouteDeps {
  db: ServerDb;
  audit: AuditLog;
  broadcast(changes: Map<string, Change[]>): void;
  now(): number;
  signedIn(guard?: { roles?: readonly AdminRole[]; storeParam?: 'storeId' }): (request: FastifyRequest) => Promise<void>;
  principalOf(request: FastifyRequest): AdminPrincipal;
  by(request: FastifyRequest): Pick<AuditEntry, 'actor' | 'address'>;
}

/** Refuses a menu with every one of its problems at once, before the schema's first round would stop. */
const everyProblem = async (request: FastifyRequest) => {
  const problems = menuProblems(request.body);
  if (problems.length > 0) throw refusal(problems);
};

/** The items of a draft that can be read, for comparing: a draft may still have malformed ones. */
const readableItems = (document: unknown): MenuItem[] => readEach(MenuItemSchema, (document as { items?: unknown } | null)?.items).filter((item) => item !== undefined);

export async function registerMenuRoutes(app: HttpApp, deps: MenuRouteDeps): Promise<void> {
  const { db, audit, signedIn, principalOf, by } = deps;
  const now = () => new Date(deps.now());

  /**
   * Publishes now, or schedules for `at`, to stores the admin may manage, in one transaction with
   * whatever makes the version (`versionIn`); answers what it did.
   */
  async function publishOrSchedule(request: FastifyRequest, storeIds: string[], at: Date | undefined, versionIn: (tx: ServerTx) => Promise<string>) {
    const principal = principalOf(request);
    if (!storeIds.every((id) => mayManage(principal, id))) throw new AppError('STORE_NOT_FOUND');
    if (at && at.getTime() <= deps.now()) throw new AppError('INVALID_PAYLOAD', 'at: the time to publish must be in the future; leave it out to publish now.', 'at');
    const done = await db.$transaction(async (tx) => {
      const menuVersionId = await versionIn(tx);
      if (at) return { menuVersionId, changes: null, scheduled: await schedulePublications(tx, menuVersionId, storeIds, at, principal.userId) };
      return { menuVersionId, changes: await publishMenuVersion(tx, menuVersionId, storeIds), scheduled: [] };
    });
    const { menuVersionId, changes, scheduled } = done;
    for (const { storeId, publishAt } of scheduled) audit.record({ action: 'menu-scheduled', ...by(request), storeId, detail: { menuVersionId, publishAt } });
    if (!changes) return { menuVersionId, storeIds: [], scheduled };
    deps.broadcast(changes);
    for (const storeId of storeIds) audit.record({ action: 'menu-published', ...by(request), storeId, detail: { menuVersionId } });
    return { menuVersionId, storeIds, scheduled };
  }

  app.get('/api/menus', {
    schema: { tags: ['menus'], summary: 'List menu versions, newest first', security: SIGNED_IN, response: { 200: z.object({ menus: z.array(ListedMenuVersionSchema) }), ...REFUSALS } },
    onRequest: signedIn(),
    handler: async () => ({ menus: await listMenuVersions(db) }),
  });

  app.post('/api/menus', {
    schema: { tags: ['menus'], summary: 'Create a menu version', security: SIGNED_IN, body: AnyMenuDocumentSchema, response: { 201: MenuVersionSummarySchema, ...REFUSALS } },
    bodyLimit: MAX_MENU_BYTES,
    onRequest: signedIn({ roles: ROLES_FOR.menus }),
    preValidation: everyProblem,
    handler: async (request, reply) => {
      await checkMenuPictures(db, request.body, menuPathLabel(request.body));
      const version = await createMenuVersion(db, request.body);
      return reply.code(201).send({ id: version.id, name: version.name, createdAt: version.createdAt });
    },
  });

  app.get('/api/menus/:menuVersionId', {
    schema: { tags: ['menus'], summary: 'Read a menu version', security: SIGNED_IN, params: MenuVersionParams, response: { 200: MenuVersionSchema, ...REFUSALS } },
    config: { notFound: 'MENU_VERSION_UNKNOWN' },
    onRequest: signedIn(),
    handler: async (request) => {
      return readMenuVersion(db, request.params.menuVersionId);
    },
  });

  app.delete('/api/menus/:menuVersionId', {
    schema: { tags: ['menus'], summary: 'Delete a menu version that was never published', security: SIGNED_IN, params: MenuVersionParams, response: { 204: z.null(), ...REFUSALS } },
    config: { notFound: 'MENU_VERSION_UNKNOWN' },
    onRequest: signedIn({ roles: ROLES_FOR.menus }),
    handler: async (request, reply) => {
      await db.$transaction((tx) => deleteMenuVersion(tx, request.params.menuVersionId));
      audit.record({ action: 'menu-deleted', ...by(request), detail: { menuVersionId: request.params.menuVersionId } });
      return reply.code(204).send(null);
    },
  });

  app.post('/api/menus/:menuVersionId/publish', {
    schema: { tags: ['menus'], summary: 'Publish a menu version to stores, now or at a set time', security: SIGNED_IN, params: MenuVersionParams, body: PublishSchema, response: { 200: PublishedSchema, ...REFUSALS } },
    config: { notFound: 'MENU_VERSION_UNKNOWN' },
    onRequest: signedIn(),
    handler: async (request) => publishOrSchedule(request, request.body.storeIds, request.body.at, async () => request.params.menuVersionId),
  });

  app.post('/api/stores/:storeId/menu/rollback', {
    schema: { tags: ['menus'], summary: "Roll a store's menu back to the version before", security: SIGNED_IN, params: StoreParams, response: { 200: z.object({ menuVersionId: z.uuid() }), ...REFUSALS } },
    config: { notFound: 'STORE_NOT_FOUND' },
    // Which menu a store runs is anyone's work who may publish to it: a menu editor too.
    onRequest: signedIn({ storeParam: 'storeId', roles: ROLES_FOR.anyone }),
    handler: async (request) => {
      const { storeId } = request.params;
      const { menuVersionId, changes } = await db.$transaction((tx) => rollBackMenu(tx, storeId));
      deps.broadcast(changes);
      audit.record({ action: 'menu-rolled-back', ...by(request), storeId, detail: { menuVersionId } });
      return { menuVersionId };
    },
  });

  app.get('/api/menu-drafts', {
    schema: { tags: ['menu drafts'], summary: 'List menu drafts, last changed first', security: SIGNED_IN, response: { 200: z.object({ drafts: z.array(DraftSummarySchema) }), ...REFUSALS } },
    onRequest: signedIn({ roles: ROLES_FOR.menus }),
    handler: async () => ({ drafts: await listDrafts(db) }),
  });

  app.post('/api/menu-drafts', {
    schema: { tags: ['menu drafts'], summary: 'Start a draft, from a version or empty', security: SIGNED_IN, body: NewDraftSchema, response: { 201: DraftSchema, ...REFUSALS } },
    onRequest: signedIn({ roles: ROLES_FOR.menus }),
    handler: async (request, reply) => {
      const { name, fromVersionId, currency } = request.body;
      return reply.code(201).send(await createDraft(db, { name, fromVersionId, currency: currency ?? 'EUR' }, principalOf(request).userId));
    },
  });

  app.get('/api/menu-drafts/:draftId', {
    schema: { tags: ['menu drafts'], summary: 'Read a draft with every problem it has', security: SIGNED_IN, params: DraftParams, response: { 200: DraftSchema, ...REFUSALS } },
    config: { notFound: 'DRAFT_NOT_FOUND' },
    onRequest: signedIn({ roles: ROLES_FOR.menus }),
    handler: async (request) => readDraft(db, request.params.draftId),
  });

  app.put('/api/menu-drafts/:draftId', {
    schema: { tags: ['menu drafts'], summary: 'Save a draft (problems and all)', security: SIGNED_IN, params: DraftParams, body: DraftSaveSchema, response: { 200: DraftSavedSchema, ...REFUSALS } },
    config: { notFound: 'DRAFT_NOT_FOUND' },
    bodyLimit: MAX_MENU_BYTES,
    onRequest: signedIn({ roles: ROLES_FOR.menus }),
    handler: async (request) => saveDraft(db, request.params.draftId, request.body, principalOf(request).userId),
  });

  app.delete('/api/menu-drafts/:draftId', {
    schema: { tags: ['menu drafts'], summary: 'Delete a draft', security: SIGNED_IN, params: DraftParams, response: { 204: z.null(), ...REFUSALS } },
    config: { notFound: 'DRAFT_NOT_FOUND' },
    onRequest: signedIn({ roles: ROLES_FOR.menus }),
    handler: async (request, reply) => {
      await deleteDraft(db, request.params.draftId);
      return reply.code(204).send(null);
    },
  });

  app.get('/api/menu-drafts/:draftId/diff', {
    schema: { tags: ['menu drafts'], summary: 'What publishing the draft would change in each store', security: SIGNED_IN, params: DraftParams, response: { 200: DraftDiffSchema, ...REFUSALS } },
    config: { notFound: 'DRAFT_NOT_FOUND' },
    onRequest: signedIn({ roles: ROLES_FOR.menus }),
    handler: async (request) => {
      const draft = await readDraft(db, request.params.draftId);
      const document = draft.document as { defaultLocale?: unknown };
      const next = { defaultLocale: typeof document.defaultLocale === 'string' ? document.defaultLocale : '', items: readableItems(draft.document) };
      return {
        stores: (await menusStoresRun(db)).map(({ storeId, storeName, menuVersionId, running }) => ({ storeId, storeName, menuVersionId, ...diffMenus(running, next, storeId) })),
      };
    },
  });

  app.post('/api/menu-drafts/:draftId/publish', {
    schema: {
      tags: ['menu drafts'],
      summary: 'Publish a draft as a new version to stores, now or at a set time (the draft becomes the version)',
      security: SIGNED_IN,
      params: DraftParams,
      body: DraftPublishSchema,
      response: { 200: PublishedSchema, ...REFUSALS },
    },
    config: { notFound: 'DRAFT_NOT_FOUND' },
    onRequest: signedIn({ roles: ROLES_FOR.menus }),
    handler: async (request) => {
      const draft = await readDraft(db, request.params.draftId);
      if (draft.revision !== request.body.revision) throw new AppError('DRAFT_CHANGED');
      const document = draftMenu(draft);
      await checkMenuPictures(db, document, menuPathLabel(draft.document));
      // The draft becomes the version in the same transaction as its publication: published once, or not at all.
      return publishOrSchedule(request, request.body.storeIds, request.body.at, async (tx) => {
        await deleteDraft(tx, draft.id, draft.revision);
        return (await createMenuVersion(tx, document)).id;
      });
    },
  });

  // Spreadsheets come as text/csv, in their own scope so no other route reads that type.
  await app.register(async (scope) => {
    scope.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'buffer', bodyLimit: MAX_CSV_BYTES + 1024 }, (_request, body, done) => done(null, body));
    const csvRoute = scope.withTypeProvider<ZodTypeProvider>();

    csvRoute.post('/api/menu-drafts/:draftId/items-csv', {
      schema: {
        tags: ['menu drafts'],
        summary: "Import items from a spreadsheet (text/csv): a preview listing every problem by row, or with apply=true the draft's new items",
        security: SIGNED_IN,
        params: DraftParams,
        querystring: CsvImportQuerySchema,
        consumes: ['text/csv'],
        response: { 200: CsvImportSchema, ...REFUSALS },
      },
      config: { notFound: 'DRAFT_NOT_FOUND' },
      onRequest: signedIn({ roles: ROLES_FOR.menus }),
      handler: async (request) => {
        const { draftId } = request.params;
        const { apply, revision } = request.query;
        if (!Buffer.isBuffer(request.body)) throw new AppError('INVALID_PAYLOAD', 'Send the spreadsheet as text/csv (CSV UTF-8).');
        const draft = await readDraft(db, draftId);
        const imported = importItemsCsv(draftMenu(draft), request.body, { pictures: await listPictures(db) });
        const answer = { counts: imported.counts, problems: imported.problems };
        if (!apply || !imported.menu) return answer;
        if (revision === undefined) throw new AppError('INVALID_PAYLOAD', 'revision: say which revision of the draft the import was previewed against.', 'revision');
        const saved = await saveDraft(db, draftId, { revision, document: imported.menu }, principalOf(request).userId);
        return { ...answer, revision: saved.revision };
      },
    });
  });

  app.get('/api/menu-drafts/:draftId/items.csv', {
    schema: { tags: ['menu drafts'], summary: "A draft's items as a spreadsheet (CSV UTF-8, formulas neutralised)", security: SIGNED_IN, params: DraftParams, produces: ['text/csv'] },
    config: { notFound: 'DRAFT_NOT_FOUND' },
    onRequest: signedIn({ roles: ROLES_FOR.menus }),
    handler: async (request, reply) => {
      const draft = await readDraft(db, request.params.draftId);
      const menu = draftMenu(draft);
      // RFC 6266: the name as it is (Arabic, accents) for browsers, and a plain one for the rest.
      const plain = draft.name.replace(/[^\w ().-]+/g, '_');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${plain}.csv"; filename*=UTF-8''${encodeURIComponent(`${draft.name}.csv`)}`)
        .send(exportItemsCsv(menu, { pictures: await listPictures(db) }));
    },
  });

  app.get('/api/scheduled-publications', {
    schema: { tags: ['menus'], summary: 'Menu publications still to go out, soonest first', security: SIGNED_IN, response: { 200: z.object({ scheduled: z.array(ScheduledSchema) }), ...REFUSALS } },
    onRequest: signedIn(),
    handler: async (request) => ({
      scheduled: (await listScheduled(db, principalOf(request).storeIds)).map(({ menuVersion, ...rest }) => ({ ...rest, menuName: menuVersion.name })),
    }),
  });

  app.delete('/api/scheduled-publications/:scheduledId', {
    schema: { tags: ['menus'], summary: 'Cancel a scheduled publication', security: SIGNED_IN, params: ScheduledParams, response: { 204: z.null(), ...REFUSALS } },
    config: { notFound: 'SCHEDULE_NOT_FOUND' },
    onRequest: signedIn(),
    handler: async (request, reply) => {
      await cancelScheduled(db, request.params.scheduledId, principalOf(request).storeIds, now());
      audit.record({ action: 'menu-schedule-cancelled', ...by(request), detail: { scheduledId: request.params.scheduledId } });
      return reply.code(204).send(null);
    },
  });
}
