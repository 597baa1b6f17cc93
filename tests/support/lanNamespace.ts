// Another device on the shop's network, for tests: a Linux network namespace joined to this
// machine by a virtual Ethernet pair, with addresses of its own. A client run inside it reaches
// the terminal from a real non-loopback address, as a tablet by the pass would.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { repoRoot } from './childProcess';

const run = promisify(execFile);
let created = 0;

export interface LanNamespace {
  /** The namespace's name, for `ip netns exec`. */
  name: string;
  /** This machine's address on the link. */
  hostAddress: string;
  /** The other device's address. */
  clientAddress: string;
  /** Runs a TypeScript file of the repository inside the namespace; returns what it printed. */
  runTs(file: string, args: string[]): Promise<string>;
  close(): void;
}

/**
 * Why no namespace can be made here (not root, not Linux, no iproute2), or null. Decided without
 * making one: test files are loaded just to list their tests, too.
 */
export function lanNamespaceUnavailable(): string | null {
  if (process.platform !== 'linux') return 'network namespaces are a Linux feature';
  if (process.getuid?.() !== 0) return 'making a network namespace takes root';
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'pipe' });
    return null;
  } catch {
    return "iproute2's `ip` command is not installed (Debian: apt-get install iproute2)";
  }
}

/** A namespace with a link to this machine; close it when done. */
export function createLanNamespace(): LanNamespace {
  const n = ++created;
  const name = `tillsync-${process.pid}-${n}`;
  const link = `ts${process.pid % 100_000}n${n}`.slice(0, 15);
  const subnet = `10.${200 + (process.pid % 50)}.${n}`;
  const [hostAddress, clientAddress] = [`${subnet}.1`, `${subnet}.2`];
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  ip('netns', 'add', name);
  try {
    ip('link', 'add', `${link}h`, 'type', 'veth', 'peer', 'name', `${link}c`);
    ip('link', 'set', `${link}c`, 'netns', name);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', `${link}h`);
    ip('link', 'set', `${link}h`, 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${clientAddress}/30`, 'dev', `${link}c`);
    ip('netns', 'exec', name, 'ip', 'link', 'set', `${link}c`, 'up');
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  } catch (error) {
    ip('netns', 'del', name);
    throw error;
  }
  return {
    name,
    hostAddress,
    clientAddress,
    async runTs(file, args) {
      const { stdout } = await run('ip', ['netns', 'exec', name, process.execPath, '--import', 'tsx', file, ...args], { cwd: repoRoot, timeout: 60_000 });
      return stdout;
    },
    close() {
      try {
        ip('link', 'del', `${link}h`);
      } catch {
        // gone with the namespace already
      }
      ip('netns', 'del', name);
    },
  };
}
