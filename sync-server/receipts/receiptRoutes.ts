// GET /receipt/<kiosk's device id>/<order id>?s=<signature>: the page behind the QR code on a
// customer's receipt. Public (the customer has no account) and spent from the address's budget. The
// signature is checked first, against the kiosk's key (protocol/receiptLink.ts): a link that was not
// printed by that kiosk for that order is one 404, whatever was wrong, and costs no database read.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ServerDb } from '../db/client';
import { detailsOf } from '../feed/snapshot';
import type { HttpApp } from '../http/httpApp';
import { addressLimit } from '../http/addressLimits';
import type { Budgets } from '../limits/budgets';
import type { MenuCatalog } from '../menus/menuCatalog';
import { AppError } from '../protocol/errors';
import { indexMenu, textIn } from '../protocol/menu';
import type { OrderRecord } from '../protocol/orders';
import { isReceiptSignature } from '../protocol/receiptLink';
import { kioskSettingsOf } from '../protocol/settingsDefaults';
import type { ReceiptKeys } from './receiptKeys';
import { preferredLocale, receiptLocale } from './receiptMessages';
import { busyPage, notFoundPage, receiptPage, waitingPage, type Receipt, type ReceiptLine, type RenderedPage } from './receiptPage';

/** How often the page for an order not uploaded yet looks again. */
const WAITING_REFRESH_SECONDS = 15;

const ReceiptParams = z.object({ deviceId: z.string(), orderId: z.string() });
const ReceiptQuery = z.object({ s: z.string().optional().meta({ description: "The kiosk's signature of the order id." }) });

export interface ReceiptRouteDeps {
  db: ServerDb;
  budgets: Budgets;
  keys: ReceiptKeys;
  menus: MenuCatalog;
}

function send(reply: FastifyReply, status: number, { html, csp }: RenderedPage): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', csp)
    .header('x-content-type-options', 'nosniff')
    // The address carries the signature: it goes nowhere else.
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex')
    .send(html);
}

/** The phone's language, for pages that have no order to take it from. */
const phoneLanguage = (request: FastifyRequest) => receiptLocale(preferredLocale(request.headers['accept-language']));

export async function registerReceiptRoutes(app: HttpApp, { db, budgets, keys, menus }: ReceiptRouteDeps): Promise<void> {
  app.get('/receipt/:deviceId/:orderId', {
    schema: {
      tags: ['receipts'],
      summary: "A customer's receipt, from the QR code their kiosk printed (HTML)",
      description: 'Public. A link the kiosk did not sign is 404; a signed one for an order the kiosk has not uploaded yet is a page that looks again by itself.',
      params: ReceiptParams,
      querystring: ReceiptQuery,
      produces: ['text/html'],
    },
    config: { rateLimit: addressLimit(budgets, 'receipts') },
    // Every refusal is a page too: a spent budget, and a malformed address (answered as not found).
    errorHandler: (error, request, reply) => {
      const { locale, messages } = phoneLanguage(request);
      if (error instanceof AppError && error.code === 'RATE_LIMITED') {
        if (error.retryAfterMs) void reply.header('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
        return send(reply, 429, busyPage(locale, messages));
      }
      if ((error as { validation?: unknown }).validation) return send(reply, 404, notFoundPage(locale, messages));
      request.log.error({ err: error }, 'receipt page failed');
      return reply.code(500).type('text/plain; charset=utf-8').send('Something went wrong on our side. Try again in a moment.');
    },
    handler: async (request, reply) => {
      const { deviceId, orderId } = request.params;
      const notFound = () => {
        const { locale, messages } = phoneLanguage(request);
        return send(reply, 404, notFoundPage(locale, messages));
      };
      const ids = z.strictObject({ deviceId: z.uuid(), orderId: z.uuid() }).safeParse({ deviceId, orderId });
      const signature = request.query.s;
      if (!ids.success || !signature || !isReceiptSignature(await keys.keyOf(deviceId), orderId, signature)) return notFound();

      const order = await db.order.findUnique({ where: { id: orderId }, include: { lines: { orderBy: { lineNo: 'asc' } }, store: true } });
      if (!order) {
        // Signed by a kiosk the server knows: the order is on its way (the kiosk may be offline).
        if ((await db.device.count({ where: { id: deviceId } })) === 0) return notFound();
        const { locale, messages } = phoneLanguage(request);
        return send(reply, 200, waitingPage(locale, messages, WAITING_REFRESH_SECONDS));
      }
      // A kiosk signs only its own orders.
      if (order.deviceId !== deviceId) return notFound();
      const details = detailsOf(order);
      const { locale, messages } = receiptLocale(details.locale);
      const receipt: Receipt = {
        store: order.store,
        brandColour: kioskSettingsOf(order.store.kiosk).brandColour,
        number: order.number,
        placedAt: order.placedAt,
        currency: order.currency,
        lines: await linesIn(menus, order.menuVersionId, locale, order.lines as unknown as OrderRecord['lines']),
        subtotalCents: order.subtotalCents,
        taxCents: order.taxCents,
        totalCents: order.totalCents,
        service: details.service ?? null,
        payment: details.payment ?? null,
      };
      return send(reply, 200, receiptPage(receipt, locale, messages));
    },
  });
}

/**
 * The order's lines named in the customer's language where its menu version has it. An order keeps
 * the kitchen's names (the menu's default language); the version it was priced from, which never
 * changes, has every translation.
 */
async function linesIn(menus: MenuCatalog, menuVersionId: string, locale: string, lines: OrderRecord['lines']): Promise<ReceiptLine[]> {
  const version = await menus.version(menuVersionId);
  const menu = version && indexMenu(version.id, version.document);
  const say = (text: Record<string, string> | undefined, kept: string) => (text && menu ? textIn(text, locale, menu.defaultLocale) : kept);
  return lines.map((line) => ({
    quantity: line.quantity,
    name: say(menu?.items.get(line.itemId)?.name, line.name),
    lineTotalCents: line.lineTotalCents,
    modifiers: line.modifiers.map((m) => ({ name: say(menu?.options.get(m.optionId)?.option.name, m.name), priceDeltaCents: m.priceDeltaCents })),
  }));
}
