import { readFileSync } from 'node:fs';
import { indexMenu, type MenuDocument } from '#protocol/menu';
import { AnyMenuDocumentSchema } from '#protocol/menuV1';

/** The demo café's menu: a realistic fixture, and the one the demo publishes. */
export function loadDemoMenu(): MenuDocument {
  const raw = JSON.parse(readFileSync(new URL('../../sync-server/seed/demo-menu.json', import.meta.url), 'utf8'));
  return AnyMenuDocumentSchema.parse(raw);
}

export const DEMO_VERSION_ID = '0195f3c8-0000-7000-8000-000000000001';
export const demoMenuIndex = () => indexMenu(DEMO_VERSION_ID, loadDemoMenu());
