/** Percentile of a sample (nearest rank), in the sample's unit. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

export interface Figure {
  name: string;
  value: string;
  baseline: string;
  target?: string;
  verdict?: 'met' | 'missed';
}

/** Prints one benchmark's result next to the baseline measured in the same run. */
export function report(figures: Figure[]): void {
  for (const f of figures) {
    const verdict = f.verdict ? `  [${f.verdict}${f.target ? ` · target ${f.target}` : ''}]` : f.target ? `  [target ${f.target}]` : '';
    console.log(`  ${f.name}\n    measured: ${f.value}\n    baseline: ${f.baseline}${verdict}`);
  }
}
