// The server's log, through pino: one JSON object per line, so a log shipper can parse it, and
// secrets never written, however a caller names the fields it logs.
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** The pino logger underneath, for Fastify's request logs (with their request ids). */
  readonly pino: PinoLogger;
}

/** Fields that hold a secret, at the top of a log entry or one level down (`request.token`). */
const SECRETS = ['token', 'password', 'currentPassword', 'newPassword', 'pairingCode', 'pin', 'cookie', 'authorization'];
const REDACTED_PATHS = [...SECRETS.flatMap((key) => [key, `*.${key}`, `*.headers.${key}`]), '*.headers["set-cookie"]'];

/**
 * A logger writing to stdout, each line as it is logged (the server logs little, and the last lines
 * before a crash matter most), or to `destination` (tests read what it wrote).
 */
export function jsonLogger(destination: DestinationStream = pino.destination({ dest: 1, sync: true })): Logger {
  const log = pino(
    {
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      base: undefined,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
  return {
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
    pino: log,
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, pino: pino({ level: 'silent' }) };
