// A kiosk window is locked for customers: no keys close it. Staff leave it with their PIN
// (TILLSYNC_STAFF_PIN), given on the kiosk's own screen; guessing it is slow.
import { timingSafeEqual } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes } from '../../sync-server/limits/rateLimiters';
import { AppError } from '#protocol/errors';

export class StaffExit {
  // Wrong PINs: five, then a five-minute wait.
  private readonly tries = new RateLimiterMemory({ points: 5, duration: 5 * 60 });

  constructor(
    private readonly pin: string | undefined,
    /** Closes the kiosk window (Electron); none where there is no such window. */
    private readonly leave: (() => void) | undefined,
  ) {}

  get possible(): boolean {
    return Boolean(this.pin && this.leave);
  }

  async attempt(pin: string): Promise<{ leaving: true }> {
    if (!this.pin || !this.leave) throw new AppError('NOT_A_KIOSK_WINDOW', 'There is no locked kiosk window to leave here, or no staff PIN is set (TILLSYNC_STAFF_PIN).');
    try {
      await this.tries.consume('staff');
    } catch (refusal) {
      const wait = refusal instanceof RateLimiterRes ? refusal.msBeforeNext : 60_000;
      throw AppError.wait('RATE_LIMITED', `Too many wrong staff PINs. Try again in ${Math.ceil(wait / 60_000)} minutes.`, wait);
    }
    const [given, expected] = [Buffer.from(pin), Buffer.from(this.pin)];
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError('STAFF_PIN_WRONG', 'That is not the staff PIN.', 'pin');
    await this.tries.delete('staff');
    // After the answer has gone back to the screen.
    setTimeout(this.leave, 100).unref();
    return { leaving: true };
  }
}
