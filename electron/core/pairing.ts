import { z } from 'zod';
import { AppError } from '#protocol/errors';
import { ErrorBodySchema } from '#protocol/events';
import { PairingResponseSchema } from '#protocol/protocolSchemas';

// Lenient about fields a newer server may add; strict about the one we need.
const PairingAnswerSchema = z.object({ deviceToken: PairingResponseSchema.shape.deviceToken.min(16).max(200) });
const ErrorAnswerSchema = z.object({ error: ErrorBodySchema });

/** Exchanges a one-time pairing code for this terminal's device token (POST /api/pairing). */
export async function exchangePairingCode(serverUrl: string, code: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(new URL('/api/pairing', serverUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    throw new AppError('UNAVAILABLE', `Could not reach the server at ${serverUrl}. Check the address and this terminal's network, then try again.`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const answer = PairingAnswerSchema.safeParse(body);
    if (answer.success) return answer.data.deviceToken;
  }
  const refusal = ErrorAnswerSchema.safeParse(body);
  if (refusal.success) throw new AppError(refusal.data.error.code, refusal.data.error.message);
  throw new AppError('UNAVAILABLE', `${serverUrl} did not answer like a Tillsync server. Check the address.`);
}
