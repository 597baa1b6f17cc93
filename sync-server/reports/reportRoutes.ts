// Head office's reports over HTTP: each as JSON, and as a spreadsheet at the same path with `.csv`.
// Owners see every store, a manager their own stores; menu editors are refused, as for the stores'
// other pages.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AdminPrincipal } from '../admin/adminAccounts';
import { REFUSALS, SIGNED_IN, type AdminRole } from '../admin/adminApiSchemas';
import { ROLES_FOR } from '../admin/adminRoles';
import type { ServerDb } from '../db/client';
import type { HttpApp } from '../http/httpApp';
import { itemMixCsv, orderMixCsv, salesByDayCsv, salesByHourCsv, ticketTimesCsv } from './reportCsv';
import { itemMix, orderMix, reportScope, salesByDay, salesByHour, ticketTimes, type ReportScope } from './reports';
import { ItemMixSchema, MAX_REPORT_DAYS, OrderMixSchema, ReportQuerySchema, SalesByDaySchema, SalesByHourSchema, TicketTimesSchema } from './reportSchemas';

export interface ReportRouteDeps {
  /** Head office's own connections. */
  db: ServerDb;
  signedIn(guard: { roles: readonly AdminRole[] }): (request: FastifyRequest) => Promise<void>;
  principalOf(request: FastifyRequest): AdminPrincipal;
}

interface Report<T> {
  summary: string;
  schema: z.ZodType<T>;
  read(db: ServerDb, scope: ReportScope): Promise<T>;
  csv(report: T): string;
}

const report = <T>(definition: Report<T>) => definition;

const REPORTS = {
  'sales-by-day': report({ summary: 'Orders and sales by business day', schema: SalesByDaySchema, read: salesByDay, csv: salesByDayCsv }),
  'sales-by-hour': report({ summary: "Orders and sales by the hour of the stores' own clocks", schema: SalesByHourSchema, read: salesByHour, csv: salesByHourCsv }),
  'item-mix': report({ summary: 'The 50 items sold most', schema: ItemMixSchema, read: itemMix, csv: itemMixCsv }),
  'ticket-times': report({ summary: 'Average and p90 ticket times, by store and by station', schema: TicketTimesSchema, read: ticketTimes, csv: ticketTimesCsv }),
  'order-mix': report({ summary: 'Orders and sales by eat-in or takeaway, and by card or counter', schema: OrderMixSchema, read: orderMix, csv: orderMixCsv }),
};

const ABOUT = `Over the business days from \`from\` to \`to\` (both included, at most ${MAX_REPORT_DAYS}: longer is REPORT_RANGE_TOO_LONG) of the stores in \`storeIds\` (all yours when left out; one that is not yours is STORE_NOT_FOUND). Closed days are read from their daily summaries, today from its orders.`;

export function registerReportRoutes(app: HttpApp, { db, signedIn, principalOf }: ReportRouteDeps): void {
  for (const [name, { summary, schema, read, csv }] of Object.entries(REPORTS) as Array<[string, Report<unknown>]>) {
    app.get(`/api/reports/${name}`, {
      schema: { tags: ['reports'], summary, description: ABOUT, security: SIGNED_IN, querystring: ReportQuerySchema, response: { 200: schema, ...REFUSALS } },
      onRequest: signedIn({ roles: ROLES_FOR.stores }),
      handler: async (request) => read(db, await reportScope(db, principalOf(request).storeIds, request.query)),
    });

    app.get(`/api/reports/${name}.csv`, {
      schema: {
        tags: ['reports'],
        summary: `${summary}, as a spreadsheet (CSV UTF-8, formulas neutralised)`,
        description: `${ABOUT} Money is written in its currency's units (12.50), beside its currency.`,
        security: SIGNED_IN,
        querystring: ReportQuerySchema,
        produces: ['text/csv'],
        response: { 200: z.string().meta({ description: 'text/csv: a header row, then the rows of the JSON answer.' }), ...REFUSALS },
      },
      onRequest: signedIn({ roles: ROLES_FOR.stores }),
      handler: async (request, reply) => {
        const { from, to } = request.query;
        const file = csv(await read(db, await reportScope(db, principalOf(request).storeIds, request.query)));
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name} ${from} ${to}.csv"`).send(file);
      },
    });
  }
}
