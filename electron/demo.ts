// `npm start`: the whole product on one machine. A sync server on an embedded PostgreSQL with the
// demo café, and three terminals — kiosk, kitchen display, order-ready board — each with its own
// SQLite file and device identity. In Electron windows when the Electron binary is installed,
// otherwise served to a browser. Ctrl-C stops everything; the next start continues where it was.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonLogger, silentLogger } from '../sync-server/log';
import { runPart } from './demoParts';
import { DEMO_LAN_ENV, DEMO_OWNER, startBrowserDemo, startDemoDevices, startDemoServer, startStoreInternet } from './demoStack';
import type { InternetSwitch } from './internetSwitch';
import { electronBinary } from './electronBinary';

const repo = fileURLToPath(new URL('..', import.meta.url));
const dataDir = resolve(process.env.TILLSYNC_DATA_DIR ?? join(repo, '.tillsync', 'demo'));
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const log = process.env.TILLSYNC_DEMO_VERBOSE === '1' ? jsonLogger() : silentLogger;
const electron = process.env.TILLSYNC_NO_ELECTRON === '1' ? null : electronBinary();
/** What the demo tells the person running it about its parts. */
const say = (line: string) => console.log(`\n[demo] ${line}`);

let stopAll: () => Promise<void>;
let serverUrl: string;
let deviceLines: string[];
let internet: InternetSwitch;

if (electron) {
  // Each window is a real terminal app: its own Electron process, core and SQLite file.
  const { server, terminals } = await startDemoServer(dataDir, process.env, log);
  const devices = await startDemoDevices(dataDir, say);
  const line = await startStoreInternet(server.url);
  internet = line.internet;
  const main = join(repo, 'dist', 'electron', 'main.mjs');
  if (!existsSync(main)) {
    console.log('Bundling the Electron app…');
    const bundle = spawn(process.execPath, ['--import', 'tsx', join(repo, 'build', 'bundle.ts')], { stdio: 'inherit' });
    await new Promise<void>((done, fail) => bundle.on('exit', (code) => (code === 0 ? done() : fail(new Error(`bundling failed (${code})`)))));
  }
  const windows = terminals.map((terminal) =>
    runPart(
      {
        name: `the ${terminal.role} window`,
        start: () =>
          spawn(electron, [repo], {
            stdio: ['ignore', 'pipe', 'pipe'],
            env: {
              ...process.env,
              TILLSYNC_DATA_DIR: terminal.dataDir,
              TILLSYNC_SERVER_URL: line.url,
              ...DEMO_LAN_ENV,
              ...(terminal.pairingCode ? { TILLSYNC_PAIRING_CODE: terminal.pairingCode } : {}),
              TILLSYNC_WINDOW: 'window',
              ...(terminal.role === 'kiosk' ? devices.kioskEnv : {}),
            },
          }),
      },
      say,
    ),
  );
  serverUrl = server.url;
  stopAll = async () => {
    await Promise.allSettled(windows.map((window) => window.stop()));
    await devices.stop();
    await internet.close();
    await server.stop();
  };
  deviceLines = devices.lines;
  console.log(`\nTillsync demo running in ${windows.length} Electron windows (ready in ${seconds()} s).`);
} else {
  const demo = await startBrowserDemo(dataDir, { preferredPorts: true, log, say });
  serverUrl = demo.server.url;
  internet = demo.internet;
  stopAll = demo.stop;
  deviceLines = demo.devices.lines;
  const reason = process.env.TILLSYNC_NO_ELECTRON === '1' ? 'TILLSYNC_NO_ELECTRON=1' : 'the Electron binary is not installed';
  console.log(`\nTillsync demo ready in ${seconds()} s. Open each screen in a browser (${reason}):\n`);
  for (const screen of demo.screens) console.log(`  ${screen.role.padEnd(8)} ${screen.url}`);
}
console.log(`\n  server   ${serverUrl}/health`);
console.log(`  admin    ${serverUrl}/admin  (${process.env.TILLSYNC_ADMIN_EMAIL ?? DEMO_OWNER.email} / ${process.env.TILLSYNC_ADMIN_PASSWORD ?? DEMO_OWNER.password})`);
console.log(`  API      ${serverUrl}/api/docs`);
for (const line of deviceLines) console.log(line);
console.log(`  data     ${dataDir}\n`);
if (process.stdin.isTTY) {
  // The store's internet as a switch: cut it and watch orders still reach the kitchen over the LAN.
  console.log('Press i to cut the store’s internet (and again to bring it back), Ctrl-C to stop.');
  process.stdin.setRawMode(true);
  process.stdin.on('data', (key) => {
    if (key.toString() === '\u0003') return void stop();
    if (key.toString().toLowerCase() !== 'i') return;
    if (internet.isCut) internet.restore();
    else internet.cut();
    say(internet.isCut ? 'the store’s internet is CUT: the terminals work over the shop’s network' : 'the store’s internet is back');
  });
} else {
  console.log('Press Ctrl-C to stop.');
}

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await stopAll();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
