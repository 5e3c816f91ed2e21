// Smooth weighted round robin (nginx's): each pick adds every eligible item's weight to its running
// score, takes the highest, and subtracts the total from the winner. Weights 5:1:1 give
// a a b a c a a rather than a a a a a b c; items leaving and rejoining the eligible set are fine.
export interface Weighted {
  id: string;
  weight: number;
}

export class SmoothWeighted {
  readonly #scores = new Map<string, number>();

  /** The next item among `items` minus `exclude`; null when none has a positive weight. */
  pick<T extends Weighted>(items: readonly T[], exclude?: ReadonlySet<string>): T | null {
    let total = 0;
    let best: T | null = null;
    let bestScore = -Infinity;
    for (const item of items) {
      if (item.weight <= 0 || exclude?.has(item.id)) continue;
      const score = (this.#scores.get(item.id) ?? 0) + item.weight;
      this.#scores.set(item.id, score);
      total += item.weight;
      if (score > bestScore) {
        best = item;
        bestScore = score;
      }
    }
    if (best) this.#scores.set(best.id, bestScore - total);
    return best;
  }
}
