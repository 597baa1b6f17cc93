// The demo's terminals each run as a process of their own, as on separate machines in a shop. If
// one fails, the others and the server carry on; the demo says which one stopped and why, and
// starts it again — until it keeps failing, then it says so and leaves it.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Part {
  /** What staff would call it, as in a sentence: "the kitchen display". */
  name: string;
  /** Starts the part's process. */
  start(): ChildProcess;
  /** A line the part prints once it is up (and what to take from it); omit to count it up at once. */
  ready?: RegExp;
}

export interface RunningPart {
  /** The match of `ready` from the part's first start. */
  ready: Promise<RegExpMatchArray | null>;
  /** Kills the part's process as a power cut would (SIGKILL); it is started again like any part that fails. */
  crash(): void;
  stop(): Promise<void>;
}

const RESTART_DELAY_MS = 1000;
/** Starts within this window, after which a part that keeps failing is left stopped. */
const RESTARTS_PER_MINUTE = 5;
const LAST_LINES = 8;

/**
 * Runs a part, restarting it when it fails (stops with an error or a signal nobody sent it); one
 * that is closed normally stays closed. `say` tells the person running the demo.
 */
export function runPart(part: Part, say: (line: string) => void): RunningPart {
  let child: ChildProcess;
  let stopping = false;
  const starts: number[] = [];
  let resolveReady!: (match: RegExpMatchArray | null) => void;
  let rejectReady!: (error: Error) => void;
  const ready = new Promise<RegExpMatchArray | null>((resolve, reject) => ((resolveReady = resolve), (rejectReady = reject)));
  const Name = part.name[0]!.toUpperCase() + part.name.slice(1);

  const launch = () => {
    starts.push(Date.now());
    child = part.start();
    const lines: string[] = [];
    const remember = (chunk: Buffer) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        lines.push(line);
        if (lines.length > LAST_LINES) lines.shift();
        const match = part.ready && line.match(part.ready);
        if (match) resolveReady(match);
      }
    };
    child.stdout?.on('data', remember);
    child.stderr?.on('data', remember);
    child.on('error', (error) => say(`${Name} could not start: ${error.message}`));
    child.on('exit', (code, signal) => {
      if (stopping) return;
      if (code === 0) {
        say(`${Name} was closed.`);
        return;
      }
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      say(`${Name} stopped (${why}). Its last words:\n    ${lines.join('\n    ') || '(nothing)'}`);
      const recent = starts.filter((at) => Date.now() - at < 60_000);
      if (recent.length >= RESTARTS_PER_MINUTE) {
        say(`${Name} keeps stopping, so it stays off. The rest of the demo runs on; fix the problem above and start the demo again.`);
        rejectReady(new Error(`${part.name} could not be started`));
        return;
      }
      say(`Starting ${part.name} again.`);
      setTimeout(() => !stopping && launch(), RESTART_DELAY_MS).unref();
    });
  };
  launch();
  if (!part.ready) resolveReady(null);
  return {
    ready,
    crash() {
      child.kill('SIGKILL');
    },
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A TypeScript file of the repository as a process of its own, with the demo's environment plus `env`. */
export function tsProcess(repo: string, file: string, env: Record<string, string>, args: string[] = []): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}
