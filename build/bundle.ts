// Bundles Electron's main process (ESM) and preload script (CommonJS: sandboxed preloads cannot
// load modules) into dist/electron. Dependencies stay in node_modules, where electron-builder
// packs them; our own TypeScript — core, protocol, generated Prisma client — is bundled.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = { absWorkingDir: root, bundle: true, platform: 'node', sourcemap: true, logLevel: 'info' } as const;

await build({ ...common, entryPoints: ['electron/main.ts'], format: 'esm', outfile: 'dist/electron/main.mjs', packages: 'external', target: 'node22' });
await build({ ...common, entryPoints: ['electron/preload.ts'], format: 'cjs', outfile: 'dist/electron/preload.cjs', external: ['electron'], target: 'chrome130' });
