// The speech settings a terminal reads from its environment. terminalConfig.ts merges this schema
// into its own and hands `speech` to the core (see README, Accessibility).
import { z } from 'zod';
import type { SpeakerOptions } from './speaker';

export const SpeechEnvSchema = z.object({
  /** Write what the kiosk says to WAV files and spoken.jsonl in this folder instead of playing it: for tests, and for checking what a kiosk says. */
  TILLSYNC_SPEECH_CAPTURE_DIR: z.string().min(1).optional(),
  /** The espeak-ng program, when it is not on the PATH as espeak-ng. */
  TILLSYNC_SPEECH_ENGINE: z.string().min(1).optional(),
});
export type SpeechEnv = z.output<typeof SpeechEnvSchema>;

/** The core's `speech` option from the parsed environment. */
export function speechOptionsFrom(env: SpeechEnv): Pick<SpeakerOptions, 'program' | 'captureDir'> {
  return {
    ...(env.TILLSYNC_SPEECH_ENGINE ? { program: env.TILLSYNC_SPEECH_ENGINE } : {}),
    ...(env.TILLSYNC_SPEECH_CAPTURE_DIR ? { captureDir: env.TILLSYNC_SPEECH_CAPTURE_DIR } : {}),
  };
}
