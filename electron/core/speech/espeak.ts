// How the kiosk asks espeak-ng (the local speech engine) to say something: which voice for each
// screen language, and the command line. The text goes in on standard input, never as an argument,
// so a text that starts with "-" cannot be read as an option; and no -m, so it is never read as SSML.
import type { SpeechLocale } from '../api/contract';

/** espeak-ng's voice for each screen language (`espeak-ng --voices` lists them). */
export const VOICES: Readonly<Record<SpeechLocale, string>> = { en: 'en-gb', ar: 'ar', fr: 'fr-fr' };

export interface EspeakCommand {
  locale: SpeechLocale;
  /** Write the audio to this WAV file instead of playing it on the default output. */
  wavFile?: string | undefined;
}

export function espeakArgs({ locale, wavFile }: EspeakCommand): string[] {
  return ['-v', VOICES[locale], ...(wavFile ? ['-w', wavFile] : []), '--stdin'];
}
