// The simulated printer's control panel over HTTP, for the demo and for tests that run it as a
// process: open its cover, take its paper out, switch it off, and read what it printed.
//   GET /sim/state            → {"state":"online","answersStatus":true,"printed":3,"notPrinted":0,"statusQueries":9}
//   PUT /sim/state {"state":"paper-out"} (and/or "answersStatus": false) → the same, after the change
//   GET /sim/receipts         → {"receipts":[…]} (receiptPrinterParser.ts's PrintedReceipt)
import Fastify, { type FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PRINTER_STATES, type ReceiptPrinterSimulator } from './receiptPrinter';

export const PrinterStateChangeSchema = z.strictObject({ state: z.enum(PRINTER_STATES).optional(), answersStatus: z.boolean().optional() });
export const PrinterPanelSchema = z.strictObject({
  state: z.enum(PRINTER_STATES),
  answersStatus: z.boolean(),
  printed: z.int(),
  notPrinted: z.int(),
  statusQueries: z.int(),
});

export interface PrinterControl {
  url: string;
  close(): Promise<void>;
}

export async function startPrinterControl(printer: ReceiptPrinterSimulator, options: { host?: string; port?: number } = {}): Promise<PrinterControl> {
  const app = Fastify({ logger: false, bodyLimit: 1024, forceCloseConnections: true }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const message = hasZodFastifySchemaValidationErrors(error)
      ? `${error.validation[0]!.instancePath.slice(1) || 'body'}: ${error.validation[0]!.message ?? 'is not valid'}. Send {"state": one of ${PRINTER_STATES.join(', ')}}.`
      : error.message;
    return reply.code(error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 400).send({ error: message });
  });
  const panel = () => ({
    state: printer.state,
    answersStatus: printer.answersStatus,
    printed: printer.printed,
    notPrinted: printer.notPrinted,
    statusQueries: printer.statusQueries,
  });

  app.get('/sim/state', { schema: { response: { 200: PrinterPanelSchema } }, handler: async () => panel() });
  app.put('/sim/state', {
    schema: { body: PrinterStateChangeSchema, response: { 200: PrinterPanelSchema } },
    handler: async (request) => {
      if (request.body.state) printer.state = request.body.state;
      if (request.body.answersStatus !== undefined) printer.answersStatus = request.body.answersStatus;
      return panel();
    },
  });
  app.get('/sim/receipts', async () => ({ receipts: printer.receipts }));

  const url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  return { url, close: () => app.close() };
}
