// Renders the schema appendix of PROTOCOL.md from the schemas the code validates with, so the
// document cannot drift from the code: `npm run protocol` rewrites it, a test checks it is current.
import { z } from 'zod';
import { ERROR_CODES, RETRYABLE, type ErrorCode } from './errors';
import { ChangeSchema, ErrorBodySchema, HandshakeAuthSchema, MenuVersionWireSchema, MutationResultSchema, MutationSchema, PROTOCOL_EVENTS } from './events';
import { MenuDocumentSchema } from './menu';
import { MenuDocumentV1Schema } from './menuV1';
import { OrderRecordSchema, OrderUploadSchema } from './orders';
import { PeerChangesSchema, PeerSubscribedSchema, PeerSubscribeSchema } from './peerEvents';

export const SCHEMAS_START = '<!-- generated:schemas:start -->';
export const SCHEMAS_END = '<!-- generated:schemas:end -->';

/** The pairing exchange, the one REST call a terminal makes (POST /api/pairing). */
export const PairingRequestSchema = z.strictObject({ code: z.string().min(8).max(16) });
export const PairingResponseSchema = z.strictObject({
  deviceToken: z.string(),
  device: z.strictObject({ id: z.uuid(), name: z.string(), role: z.enum(['kiosk', 'kitchen', 'board']), storeId: z.uuid() }),
});

/** Schemas used in several places, written out once and referred to as `{"$ref": "#Name"}`. */
const SHARED: Record<string, z.ZodType> = {
  ErrorBody: ErrorBodySchema,
  MenuDocument: MenuDocumentSchema,
  MenuDocumentV1: MenuDocumentV1Schema,
  MenuVersion: MenuVersionWireSchema,
  OrderUpload: OrderUploadSchema,
  OrderRecord: OrderRecordSchema,
  Change: ChangeSchema,
  Mutation: MutationSchema,
  MutationResult: MutationResultSchema,
};

const payloadId = (event: string) => `${event} payload`;
const ackId = (event: string) => `${event} acknowledgement`;

function renderSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  registry.add(HandshakeAuthSchema, { id: 'HandshakeAuth' });
  for (const [id, schema] of Object.entries(SHARED)) registry.add(schema, { id });
  for (const [event, spec] of Object.entries(PROTOCOL_EVENTS)) {
    registry.add(spec.request, { id: payloadId(event) });
    if (spec.ack) registry.add(spec.ack, { id: ackId(event) });
  }
  registry.add(PairingRequestSchema, { id: 'POST /api/pairing request' });
  registry.add(PairingResponseSchema, { id: 'POST /api/pairing response' });
  registry.add(PeerSubscribeSchema, { id: 'peer:subscribe payload' });
  registry.add(PeerSubscribedSchema, { id: 'peer:subscribe ack' });
  registry.add(PeerChangesSchema, { id: 'peer:changes payload' });
  return z.toJSONSchema(registry, { io: 'input', uri: (id) => `#${id}`, unrepresentable: 'any' }).schemas;
}

export function renderSchemaAppendix(): string {
  const schemas = renderSchemas();
  const block = (id: string, title = `\`${id}\``) => {
    const { $schema: _draft, $id: _id, ...schema } = schemas[id] as Record<string, unknown>;
    return `#### ${title}\n\n\`\`\`json\n${JSON.stringify(schema, null, 2)}\n\`\`\`\n`;
  };
  const parts: string[] = [SCHEMAS_START, '', '_Generated from `sync-server/protocol/` by `npm run protocol`; do not edit by hand._', ''];
  parts.push('### Error codes', '', '| code | meaning | retry the same request? |', '| --- | --- | --- |');
  for (const [code, meaning] of Object.entries(ERROR_CODES)) parts.push(`| \`${code}\` | ${meaning} | ${RETRYABLE.has(code as ErrorCode) ? 'yes, later' : 'no'} |`);
  parts.push('', '### Events', '');
  for (const [event, spec] of Object.entries(PROTOCOL_EVENTS)) {
    parts.push(block(payloadId(event), `\`${event}\` payload (${spec.from === 'terminal' ? 'terminal → server' : 'server → terminal'})`));
    if (spec.ack) parts.push(block(ackId(event), `\`${event}\` acknowledgement data, inside \`{ "ok": true, "data": … }\``));
  }
  parts.push('### Handshake and pairing', '', block('HandshakeAuth', 'Handshake `auth` (`HandshakeAuth`)'), block('POST /api/pairing request'), block('POST /api/pairing response'));
  parts.push(
    "### The store's LAN (§11)",
    '',
    block('peer:subscribe payload', '`peer:subscribe` payload (subscriber → publisher)'),
    block('peer:subscribe ack', '`peer:subscribe` acknowledgement data, inside `{ "ok": true, "data": … }`'),
    block('peer:changes payload', '`peer:changes` payload (publisher → subscriber)'),
  );
  parts.push('### Shared definitions', '');
  for (const id of Object.keys(SHARED)) parts.push(block(id, `\`${id}\``));
  parts.push(SCHEMAS_END);
  return parts.join('\n');
}

/** The document with its appendix rendered anew; equal to the input when it is current. */
export function withAppendix(doc: string): string {
  const start = doc.indexOf(SCHEMAS_START);
  const end = doc.indexOf(SCHEMAS_END);
  if (start < 0 || end < start) throw new Error(`PROTOCOL.md has lost its ${SCHEMAS_START} … ${SCHEMAS_END} markers.`);
  return doc.slice(0, start) + renderSchemaAppendix() + doc.slice(end + SCHEMAS_END.length);
}
