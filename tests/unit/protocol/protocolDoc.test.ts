// PROTOCOL.md describes exactly the protocol the code speaks.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '#protocol/errors';
import { ChangeSchema, DEVICE_ROLES, MAX_CLOCK_AHEAD_MS, MAX_MUTATION_LEAP, MAX_PULL_LIMIT, MAX_PUSH_BATCH, MutationSchema, PROTOCOL_EVENTS, PROTOCOL_VERSION } from '#protocol/events';
import { ORDER_MAX_AGE_MS, ORDER_STATUSES } from '#protocol/orders';
import { MAX_LINES, MAX_QUANTITY } from '#protocol/pricing';
import { SCHEMAS_START, withAppendix } from '#protocol/protocolSchemas';

const doc = readFileSync(new URL('../../../sync-server/PROTOCOL.md', import.meta.url), 'utf8');
const prose = doc.slice(0, doc.indexOf(SCHEMAS_START));

describe('PROTOCOL.md', () => {
  it('carries the schemas the code validates with (run `npm run protocol` after changing them)', () => {
    expect(doc).toBe(withAppendix(doc));
  });

  it('describes every event, change, mutation, status, role and error code in its text', () => {
    const kinds = (schema: typeof ChangeSchema | typeof MutationSchema) => schema.options.map((o) => o.shape.kind.value);
    const names = [...Object.keys(PROTOCOL_EVENTS), ...kinds(ChangeSchema), ...kinds(MutationSchema), ...ORDER_STATUSES, ...DEVICE_ROLES];
    for (const name of names) expect(prose, name).toContain(`\`${name}\``);
    const undescribed = Object.keys(ERROR_CODES).filter((code) => !doc.includes(`\`${code}\``));
    expect(undescribed).toEqual([]);
  });

  it('states the limits the code enforces', () => {
    expect(prose).toContain(`Protocol version: **${PROTOCOL_VERSION}**`);
    expect(prose).toContain(`\`limit\` 1–${MAX_PULL_LIMIT}`);
    expect(prose).toContain(`1 to ${MAX_PUSH_BATCH} mutations`);
    expect(prose).toContain(`more than ${MAX_LINES}`);
    expect(prose).toContain(`1–${MAX_QUANTITY}`);
    expect(prose).toContain(`more than ${MAX_CLOCK_AHEAD_MS / 1000} s ahead`);
    expect(prose).toContain(`more than ${ORDER_MAX_AGE_MS / 86_400_000} days ago`);
    expect(prose).toContain(`more than ${MAX_MUTATION_LEAP.toLocaleString('en')} above`);
  });
});
