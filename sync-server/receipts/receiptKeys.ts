// Each kiosk's receipt key, derived from one server secret and the kiosk's id, so no key is stored
// and every server node derives the same one. The secret is the configured one
// (TILLSYNC_RECEIPT_SECRET) or else one made once and kept in PostgreSQL (ServerSecret `receipts`):
// the links printed on receipts keep working across restarts, nodes and years.
import { createHmac, randomBytes } from 'node:crypto';
import type { RawSql } from '../db/sql';

const SECRET_NAME = 'receipts';
const SECRET_BYTES = 32;

export class ReceiptKeys {
  private secret: Promise<Buffer> | null;

  constructor(
    private readonly sql: RawSql,
    /** TILLSYNC_RECEIPT_SECRET, when the operator keeps the secret outside the database. */
    configured?: string,
  ) {
    this.secret = configured ? Promise.resolve(Buffer.from(configured, 'utf8')) : null;
  }

  /** base64url(HMAC-SHA256(secret, deviceId)): 32 bytes, 43 characters. */
  async keyOf(deviceId: string): Promise<string> {
    return createHmac('sha256', await this.read()).update(deviceId).digest('base64url');
  }

  private read(): Promise<Buffer> {
    if (!this.secret) {
      this.secret = this.readOrMake();
      this.secret.catch(() => (this.secret = null));
    }
    return this.secret;
  }

  /**
   * Whichever node asks first makes it; the others keep its. Two statements, not one: a read in the
   * insert's own statement would not see a row another node committed meanwhile.
   */
  private async readOrMake(): Promise<Buffer> {
    await this.sql.$executeRawUnsafe(`INSERT INTO "ServerSecret" (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, SECRET_NAME, randomBytes(SECRET_BYTES));
    const [row] = await this.sql.$queryRawUnsafe<Array<{ value: Buffer }>>(`SELECT value FROM "ServerSecret" WHERE name = $1`, SECRET_NAME);
    if (!row) throw new Error('The receipt secret could not be read back.');
    return row.value;
  }
}
