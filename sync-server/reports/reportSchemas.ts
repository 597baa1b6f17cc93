// The reports' contract: what head office asks (a range of business days, some stores) and what
// each report answers. Shared with the admin app (through #admin-api): no Node imports.
import { z } from 'zod';
import { BusinessDaySchema } from '../protocol/orders';

/** The longest range a report covers, in days (from and to included). */
export const MAX_REPORT_DAYS = 366;

/** A calendar day that exists: 2027-02-29 does not. */
const ReportDaySchema = BusinessDaySchema.refine((day) => new Date(`${day}T00:00:00Z`).toISOString().startsWith(day), {
  message: 'a date that exists, as YYYY-MM-DD',
  // Only once it is written YYYY-MM-DD: a day that is not has nothing to look up.
  when: (payload) => payload.issues.length === 0,
});

export const ReportQuerySchema = z
  .strictObject({
    from: ReportDaySchema.meta({ description: 'The first business day, YYYY-MM-DD (each store’s own calendar).' }),
    to: ReportDaySchema.meta({ description: `The last business day, included; at most ${MAX_REPORT_DAYS} days after from, counting both.` }),
    storeIds: z
      .string()
      .max(40_000)
      .transform((list) => list.split(','))
      .pipe(z.array(z.uuid('a store id')).max(1000))
      .optional()
      .meta({ description: 'Store ids separated by commas; left out: every store you may see.' }),
  })
  .refine((query) => query.to >= query.from, { path: ['to'], message: 'the last day comes on or after the first (from)' });
export type ReportQuery = z.output<typeof ReportQuerySchema>;

const Currency = z.string().meta({ description: 'ISO 4217: money is answered per currency, in its minor units (cents).' });
const Money = { currency: Currency, orders: z.int(), salesCents: z.int() };

export const SalesByDaySchema = z.object({
  rows: z.array(z.object({ day: BusinessDaySchema, ...Money })).meta({ description: 'Days with orders, oldest first.' }),
});
export const SalesByHourSchema = z.object({
  rows: z.array(z.object({ hour: z.int().min(0).max(23).meta({ description: 'On each store’s own clock.' }), ...Money })).meta({ description: 'Hours with orders, over every day of the range.' }),
});
export const ItemMixSchema = z.object({
  rows: z
    .array(z.object({ itemId: z.string(), name: z.string(), quantity: z.int(), salesCents: z.int(), currency: Currency }))
    .meta({ description: 'The 50 items sold most, by quantity; an item sold in two currencies has a row for each.' }),
});
const TicketTime = {
  orders: z.int().meta({ description: 'Tickets with a time: ready (a station: every line of its part bumped).' }),
  avgSeconds: z.int(),
  p90Seconds: z.int().meta({ description: '9 in 10 tickets took at most this; counted in 10-second buckets, so at most 10 s above the exact time; 7200: 2 hours or more.' }),
};
export const TicketTimesSchema = z.object({
  stores: z.array(z.object({ storeId: z.uuid(), storeName: z.string(), ...TicketTime })).meta({ description: 'From the order to its first ready, by store name.' }),
  stations: z
    .array(z.object({ stationId: z.string(), stationName: z.string().meta({ description: 'As the menus the stores run now name it; its id when none does.' }), ...TicketTime }))
    .meta({ description: 'From the order to the station’s last line bumped, over the stores asked about.' }),
});
export const ServiceMixModeSchema = z.enum(['eat-in', 'takeaway', 'unknown']);
export const PaymentMixMethodSchema = z.enum(['card', 'counter', 'unknown']);
export const OrderMixSchema = z.object({
  service: z.array(z.object({ mode: ServiceMixModeSchema, ...Money })).meta({ description: 'unknown: from kiosks before eat-in and takeaway.' }),
  payment: z.array(z.object({ method: PaymentMixMethodSchema, ...Money })).meta({ description: 'A counter order counts whether or not it has been paid yet; unknown: from kiosks before payments.' }),
});

export type SalesByDay = z.output<typeof SalesByDaySchema>;
export type SalesByHour = z.output<typeof SalesByHourSchema>;
export type ItemMix = z.output<typeof ItemMixSchema>;
export type TicketTimes = z.output<typeof TicketTimesSchema>;
export type OrderMix = z.output<typeof OrderMixSchema>;
