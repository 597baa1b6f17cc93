// The peer protocol: terminals of one store taking each other's changes over the LAN (PROTOCOL.md,
// "The store's LAN"). The server takes no part in it; it lives here beside the server's protocol
// because it carries the very same changes.
import { z } from 'zod';
import type { Result } from './errors';
import { ChangeSchema, type Change } from './events';

export const PEER_NAMESPACE = '/peer';

/** The kinds of change a terminal originates, the only ones a peer feed carries. */
export const PEER_CHANGE_KINDS = ['order.placed', 'order.status', 'order.lines', 'order.paid'] as const satisfies readonly Change['kind'][];
export type PeerFeedChange = Extract<Change, { kind: (typeof PEER_CHANGE_KINDS)[number] }>;

/** A random id naming one life of a publisher's feed: a new one means its numbers start again. */
const Epoch = z.uuid();

export const PeerSubscribeSchema = z.strictObject({
  /** The epoch the subscriber's cursor is in; null when it has none. */
  epoch: Epoch.nullable(),
  /** The last seq it applied in that epoch. */
  after: z.int().min(0).max(2_147_483_647),
});
export type PeerSubscribe = z.output<typeof PeerSubscribeSchema>;

export const PeerSubscribedSchema = z.strictObject({ epoch: Epoch });
export type PeerSubscribed = z.output<typeof PeerSubscribedSchema>;

const PeerChangeSchema = ChangeSchema.refine((change) => (PEER_CHANGE_KINDS as readonly string[]).includes(change.kind), 'a change a terminal originates');

export const PeerChangesSchema = z.strictObject({
  epoch: Epoch,
  /** In increasing seq; numbers may skip (entries older than 2 days are gone). */
  changes: z
    .array(PeerChangeSchema)
    .min(1)
    .refine((changes) => changes.every((c, i) => i === 0 || c.seq > changes[i - 1]!.seq), 'in increasing seq'),
});
export interface PeerChanges {
  epoch: string;
  changes: PeerFeedChange[];
}

export interface PeerSubscriberEvents {
  'peer:subscribe': (request: PeerSubscribe, ack: (result: Result<PeerSubscribed>) => void) => void;
}

export interface PeerPublisherEvents {
  'peer:changes': (page: PeerChanges) => void;
}
