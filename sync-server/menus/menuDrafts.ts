// Menu drafts: head office's menu while it is being edited. A draft is kept exactly as typed,
// problems and all (an editor saves half-done work), and becomes an immutable version only when
// it is published; its revision stops two editors from overwriting each other unseen.
import type { ServerDb, ServerTx } from '../db/client';
import { AppError, type Problem } from '../protocol/errors';
import { refusal } from '../protocol/parse';
import { uuidv7 } from '../protocol/ids';
import { MENU_FORMAT, type MenuDocument } from '../protocol/menu';
import { AnyMenuDocumentSchema } from '../protocol/menuV1';
import { menuProblems } from './menuProblems';

const summary = { id: true, name: true, baseVersionId: true, revision: true, createdAt: true, updatedAt: true, updatedBy: { select: { name: true } } } as const;

/** What a draft looks like in a list: who touched it last, not its document. */
const summarise = <D extends { updatedBy: { name: string } | null }>({ updatedBy, ...draft }: D) => ({ ...draft, updatedByName: updatedBy?.name ?? null });

export async function listDrafts(db: ServerDb) {
  return (await db.menuDraft.findMany({ select: summary, orderBy: { updatedAt: 'desc' } })).map(summarise);
}

/**
 * A new draft: a copy of a version to change (the usual way), or an empty menu in `currency` to
 * start from scratch.
 */
export async function createDraft(db: ServerDb, { name, fromVersionId, currency }: { name: string; fromVersionId?: string | undefined; currency: string }, adminId: string) {
  let document: MenuDocument | EmptyMenu = emptyMenu(name, currency);
  if (fromVersionId) {
    const version = await db.menuVersion.findUnique({ where: { id: fromVersionId }, select: { document: true } });
    if (!version) throw new AppError('MENU_VERSION_UNKNOWN', 'There is no such menu version to start from.', 'fromVersionId');
    document = { ...AnyMenuDocumentSchema.parse(version.document), name };
  }
  const draft = await db.menuDraft.create({
    data: { id: uuidv7(), name, document, baseVersionId: fromVersionId ?? null, updatedById: adminId },
    select: summary,
  });
  return { ...summarise(draft), document, problems: menuProblems(document) };
}

type EmptyMenu = Omit<MenuDocument, 'categories' | 'items'> & { categories: []; items: [] };
const emptyMenu = (name: string, currency: string): EmptyMenu => ({
  format: MENU_FORMAT,
  name,
  currency,
  defaultLocale: 'en',
  locales: ['en'],
  categories: [],
  items: [],
  modifierGroups: [],
  stations: [],
  dayparts: [],
});

/**
 * The draft's menu as a version holds it (format 2), for publishing or a spreadsheet; refused with
 * every problem while it has any, in the words the editor shows.
 */
export function draftMenu(draft: { document: unknown; problems: Problem[] }): MenuDocument {
  if (draft.problems.length > 0) throw refusal(draft.problems);
  return AnyMenuDocumentSchema.parse(draft.document);
}

export async function readDraft(db: ServerDb | ServerTx, draftId: string) {
  const draft = await db.menuDraft.findUnique({ where: { id: draftId }, select: { ...summary, document: true } });
  if (!draft) throw new AppError('DRAFT_NOT_FOUND');
  return { ...summarise(draft), problems: menuProblems(draft.document) };
}

/**
 * Saves what the editor has, if nobody saved since `revision`; answers the new revision and the
 * document's problems, so the editor and the API always agree on them.
 */
export async function saveDraft(db: ServerDb, draftId: string, { revision, document }: { revision: number; document: Record<string, unknown> }, adminId: string) {
  const name = typeof document.name === 'string' && document.name.trim() ? document.name.trim().slice(0, 80) : undefined;
  const { count } = await db.menuDraft.updateMany({
    where: { id: draftId, revision },
    data: { document: document as object, revision: revision + 1, updatedAt: new Date(), updatedById: adminId, ...(name ? { name } : {}) },
  });
  if (count === 0) throw new AppError((await db.menuDraft.count({ where: { id: draftId } })) ? 'DRAFT_CHANGED' : 'DRAFT_NOT_FOUND');
  return { revision: revision + 1, problems: menuProblems(document) };
}

/** Deletes a draft (at `revision`, when given: one saved since is not the one that was checked). */
export async function deleteDraft(db: ServerDb | ServerTx, draftId: string, revision?: number): Promise<void> {
  const { count } = await db.menuDraft.deleteMany({ where: { id: draftId, ...(revision === undefined ? {} : { revision }) } });
  if (count === 0) throw new AppError(revision === undefined ? 'DRAFT_NOT_FOUND' : 'DRAFT_CHANGED');
}
