// How the admin app talks to the sync server: JSON over the same origin, the session in an
// HttpOnly cookie, and the session's CSRF token on every change. A refusal comes back as an
// ApiError with the server's code, message and every problem of the input.
import type { z } from 'zod';
import type * as Api from '#admin-api';
import type { ErrorBody, Problem } from '#protocol/errors';

export type Store = z.output<typeof Api.StoreSchema> & { createdAt: string };
export type Device = Omit<z.output<typeof Api.DeviceSchema>, 'createdAt' | 'lastSeenAt' | 'revokedAt'> & { createdAt: string; lastSeenAt: string | null; revokedAt: string | null };
export type PairingCode = z.output<typeof Api.PairingCodeSchema>;
/** A kitchen station of the menu a store runs, which its kitchen displays can be set to. */
export type Station = { id: string; name: string };
export type MenuVersionSummary = Omit<z.output<typeof Api.ListedMenuVersionSchema>, 'createdAt'> & { createdAt: string };
export type Me = z.output<typeof Api.MeSchema>;
export type CookieSession = z.output<typeof Api.CookieSessionSchema>;
export type ListedAdmin = Omit<z.output<typeof Api.ListedAdminSchema>, 'createdAt'> & { createdAt: string };
export type AuditEvent = Omit<z.output<typeof Api.AuditEventSchema>, 'at'> & { at: string };
export type NewStore = z.input<typeof Api.NewStoreSchema>;
export type StoreChange = z.input<typeof Api.StoreChangeSchema>;
export type SoldOutBoard = Omit<z.output<typeof Api.SoldOutBoardSchema>, 'items'> & {
  items: Array<Omit<z.output<typeof Api.SoldOutBoardSchema>['items'][number], 'updatedAt'> & { updatedAt: string | null }>;
};
export type NewAdmin = z.input<typeof Api.NewAdminSchema>;
export type DeviceRole = z.output<typeof Api.NewPairingCodeSchema>['role'];
export type AdminRole = z.output<typeof Api.AdminRoleSchema>;
export type Picture = Omit<z.output<typeof Api.PictureSchema>, 'createdAt'> & { createdAt: string };
export type DraftSummary = Omit<z.output<typeof Api.DraftSummarySchema>, 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };
export type DraftDiff = z.output<typeof Api.DraftDiffSchema>;
export type Scheduled = Omit<z.output<typeof Api.ScheduledSchema>, 'publishAt'> & { publishAt: string };
export type Published = Omit<z.output<typeof Api.PublishedSchema>, 'scheduled'> & { scheduled: Array<{ id: string; storeId: string; publishAt: string }> };
export type Invite = Omit<z.output<typeof Api.InviteSchema>, 'createdAt' | 'expiresAt'> & { createdAt: string; expiresAt: string };
export type NewInvite = z.input<typeof Api.NewInviteSchema>;
export type Invitation = Omit<z.output<typeof Api.InvitationSchema>, 'expiresAt'> & { expiresAt: string };
export type StoreOrder = Omit<z.output<typeof Api.StoreOrderSchema>, 'placedAt'> & { placedAt: string };
export type StoreOrders = { orders: StoreOrder[]; nextBefore: string | null };
export type StoreOutages = z.output<typeof Api.StoreOutagesSchema>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }

  get code() {
    return this.body.code;
  }

  /** Every problem of the input, by the field path the server names (`timeZone`, `items[3].priceCents`). */
  get problems(): Problem[] {
    return this.body.problems ?? (this.body.path ? [{ path: this.body.path, message: this.body.message }] : []);
  }
}

let csrfToken: string | null = null;
/** Called with the session's CSRF token when it signs in or is found again after a reload. */
export const useCsrfToken = (token: string | null) => void (csrfToken = token);

/** Called when the server says the session is over: the app goes back to sign-in. */
let onSignedOut: () => void = () => {};
export const whenSignedOut = (handler: () => void) => void (onSignedOut = handler);

/** The lists several pages show. */
export const listStores = async () => (await api<{ stores: Store[] }>('GET', '/stores')).stores;
export const listMenus = async () => (await api<{ menus: MenuVersionSummary[] }>('GET', '/menus')).menus;
export const listPictures = async () => (await api<{ pictures: Picture[] }>('GET', '/pictures')).pictures;

/** Uploads a photo as it is; the server converts it and answers its id. */
export function uploadPicture(file: File): Promise<Picture> {
  const form = new FormData();
  form.append('file', file, file.name);
  return api<Picture>('POST', '/pictures', form);
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: {
        // A file upload (FormData) gets its multipart type, with its boundary, from the browser.
        ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }),
        ...(method !== 'GET' && csrfToken ? { 'x-csrf-token': csrfToken } : {}),
      },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { code: 'UNAVAILABLE', message: 'The server cannot be reached. Check the connection and try again.' });
  }
  if (response.status === 204) return undefined as T;
  const answer = (await response.json().catch(() => null)) as { error?: ErrorBody } | null;
  if (!response.ok) {
    const error = new ApiError(response.status, answer?.error ?? { code: 'INTERNAL', message: `The server answered ${response.status}. Try again.` });
    // A refusal that names a field (a wrong current password) is about what was typed, not the session.
    if (response.status === 401 && path !== '/sessions' && !error.body.path) onSignedOut();
    throw error;
  }
  return answer as T;
}
