// Small statistics helpers for the benchmarks: medians and percentiles of timed samples.
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const median = (samples: number[]): number => percentile(samples, 50);

/** Time `run` in batches of `batch` calls; returns microseconds per call, one sample per batch. */
export function sampleMicros(run: () => void, batches: number, batch: number): number[] {
  const samples: number[] = [];
  for (let b = 0; b < batches; b += 1) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i += 1) run();
    samples.push(Number(process.hrtime.bigint() - start) / 1000 / batch);
  }
  return samples;
}
