import { AnyMenuDocumentSchema, MenuDocumentV1Schema, downgradeMenu } from './sync-server/protocol/menuV1.ts';
import { MenuDocumentSchema } from './sync-server/protocol/menu.ts';
import { LiveChangesSchema } from './sync-server/protocol/events.ts';
import { loadDemoMenuDocument } from './sync-server/seed/seedDemo.ts';
const doc = await loadDemoMenuDocument();
const v1 = JSON.parse(JSON.stringify(downgradeMenu(doc, 'x')));
const v2 = JSON.parse(JSON.stringify(doc));
const batch = (d: unknown) => ({ changes: [{ seq: 5, at: new Date().toISOString(), kind: 'menu.published', menuVersion: { id: '0195f3c8-0000-7000-8000-000000000001', name: 'x', document: d } }] });
const cases: Record<string, () => unknown> = {
  v1only: () => MenuDocumentV1Schema.parse(v1),
  anyV1: () => AnyMenuDocumentSchema.parse(v1),
  v2only: () => MenuDocumentSchema.parse(v2),
  anyV2: () => AnyMenuDocumentSchema.parse(v2),
  liveV1: () => LiveChangesSchema.parse(batch(v1)),
  liveV2: () => LiveChangesSchema.parse(batch(v2)),
};
const f = cases[process.argv[2]!]!;
for (let w = 0; w < 300; w++) f();
const t = performance.now(); for (let i = 0; i < 1000; i++) f();
console.log(process.argv[2], Math.round(performance.now() - t), 'ms / 1000');
