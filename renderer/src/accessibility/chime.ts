// The sound that goes with every alert on a kiosk screen (payment declined, sold out, "Need more
// time?"), for customers who do not see the screen well: two short falling tones, made with the Web
// Audio API, so there is no sound file to ship or to load. Kitchen displays play their own tones
// through `playTones`.

let context: AudioContext | null = null;

/** The screen's one audio context. Browsers keep it suspended until the first tap or key. */
export function audio(): AudioContext {
  context ??= new AudioContext();
  return context;
}

/** Plays short sine tones, each `[start in seconds, frequency in Hz]`. */
export function playTones(tones: ReadonlyArray<readonly [at: number, frequency: number]>): void {
  const context = audio();
  void context.resume();
  const start = context.currentTime + 0.02;
  for (const [at, frequency] of tones) {
    const tone = context.createOscillator();
    const volume = context.createGain();
    tone.type = 'sine';
    tone.frequency.value = frequency;
    // A soft attack and a quick fade: a clear signal, not a click or a buzz.
    volume.gain.setValueAtTime(0, start + at);
    volume.gain.linearRampToValueAtTime(0.35, start + at + 0.02);
    volume.gain.exponentialRampToValueAtTime(0.001, start + at + 0.18);
    tone.connect(volume).connect(context.destination);
    tone.start(start + at);
    tone.stop(start + at + 0.2);
  }
}

/** Plays the alert chime. A kiosk's first tap unlocks audio; before it, browsers stay silent. */
export function chime(): void {
  playTones([
    [0, 880],
    [0.2, 660],
  ]);
}
