import { join, resolve } from 'node:path';
import { z } from 'zod';
import { CardTerminalClient, CardTerminalUrlSchema } from './payments/cardTerminalClient';
import { ReceiptPrinterEnvSchema, receiptPrinterFrom } from './receipts/printerLink';
import { checkServerUrl } from './serverAddress';
import { SpeechEnvSchema, speechOptionsFrom } from './speech/speechConfig';
import type { TerminalCoreConfig } from './terminalCore';

/** A terminal's settings, from the environment; see the README's Configuration. */
const TerminalOwnEnvSchema = z.object({
  /** Where the terminal keeps its SQLite file. One folder per terminal. */
  TILLSYNC_DATA_DIR: z.string().min(1).optional(),
  /** The sync server, e.g. https://sync.example.com. Until the terminal is paired; remembered after. */
  TILLSYNC_SERVER_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** A one-time pairing code from the admin, to pair at start instead of on the screen. */
  TILLSYNC_PAIRING_CODE: z.string().min(8).max(16).optional(),
  /** 1 lets the terminal use an http:// server on another machine: for development only. */
  TILLSYNC_ALLOW_INSECURE_HTTP: z.enum(['0', '1']).default('0'),
  /** The PIN staff give to leave a locked kiosk window. Without it only the operating system can. */
  TILLSYNC_STAFF_PIN: z.string().regex(/^\d{4,8}$/, '4 to 8 digits').optional(),
  /** The kiosk's card terminal (its local API). Without it the kiosk takes payment at the counter only. */
  TILLSYNC_CARD_TERMINAL_URL: CardTerminalUrlSchema.optional(),
  /** The port the store's other terminals reach this one on (peer link, mutual TLS); 0: any free port. */
  TILLSYNC_PEER_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
  /** One address of this machine to take peer links on and to tell the server; every address by default. */
  TILLSYNC_PEER_HOST: z.union([z.ipv4(), z.ipv6()]).optional(),
  /** 0 stops this terminal advertising itself and listening for the others by multicast DNS. */
  TILLSYNC_LAN_ADVERT: z.enum(['0', '1']).default('1'),
});
export const TerminalEnvSchema = TerminalOwnEnvSchema.extend(ReceiptPrinterEnvSchema.shape).extend(SpeechEnvSchema.shape);

export function readTerminalConfig(env: NodeJS.ProcessEnv, defaultDataDir: string): TerminalCoreConfig & { dataDir: string } {
  const parsed = TerminalEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`The terminal's configuration is not valid:\n${problems}\nFix these environment variables and start again.`);
  }
  const dataDir = resolve(parsed.data.TILLSYNC_DATA_DIR ?? defaultDataDir);
  const allowInsecureHttp = parsed.data.TILLSYNC_ALLOW_INSECURE_HTTP === '1';
  if (parsed.data.TILLSYNC_SERVER_URL) {
    try {
      checkServerUrl(parsed.data.TILLSYNC_SERVER_URL, allowInsecureHttp);
    } catch (error) {
      throw new Error(`The terminal's configuration is not valid:\n  TILLSYNC_SERVER_URL: ${(error as Error).message}\nFix it and start again.`, { cause: error });
    }
  }
  const cardTerminalUrl = parsed.data.TILLSYNC_CARD_TERMINAL_URL;
  const printer = receiptPrinterFrom(parsed.data);
  if (cardTerminalUrl) {
    try {
      checkServerUrl(cardTerminalUrl, allowInsecureHttp);
    } catch (error) {
      // Over http:// anyone on the shop's network could answer "approved" in the terminal's place.
      throw new Error(`The terminal's configuration is not valid:\n  TILLSYNC_CARD_TERMINAL_URL: use the card terminal's https:// address (http:// only on this machine, or with TILLSYNC_ALLOW_INSECURE_HTTP=1).\nFix it and start again.`, { cause: error });
    }
  }
  return {
    allowInsecureHttp,
    ...(cardTerminalUrl ? { paymentProvider: new CardTerminalClient({ url: cardTerminalUrl }) } : {}),
    ...(printer ? { receiptPrinter: printer } : {}),
    speech: speechOptionsFrom(parsed.data),
    ...(parsed.data.TILLSYNC_STAFF_PIN ? { staffPin: parsed.data.TILLSYNC_STAFF_PIN } : {}),
    dataDir,
    databaseFile: join(dataDir, 'terminal.db'),
    lan: {
      port: parsed.data.TILLSYNC_PEER_PORT,
      ...(parsed.data.TILLSYNC_PEER_HOST ? { host: parsed.data.TILLSYNC_PEER_HOST } : {}),
      advertise: parsed.data.TILLSYNC_LAN_ADVERT === '1' && (parsed.data.TILLSYNC_PEER_HOST ? { interfaceAddress: parsed.data.TILLSYNC_PEER_HOST } : {}),
    },
    ...(parsed.data.TILLSYNC_SERVER_URL ? { serverUrl: parsed.data.TILLSYNC_SERVER_URL } : {}),
    ...(parsed.data.TILLSYNC_PAIRING_CODE ? { pairingCode: parsed.data.TILLSYNC_PAIRING_CODE } : {}),
  };
}
