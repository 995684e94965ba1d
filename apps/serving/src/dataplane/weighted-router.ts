/**
 * Picks a serving variant by weight. Without a routing key it uses smooth weighted round-robin
 * (nginx's): deterministic, and every window of 100 requests matches the weights exactly. With a
 * key (sticky routing) a hash of the key picks the variant, so one caller keeps one variant.
 */
export class WeightedRouter<T> {
  private readonly current: number[];
  private readonly total: number;

  constructor(private readonly targets: readonly { target: T; weight: number }[]) {
    this.current = targets.map(() => 0);
    this.total = targets.reduce((n, t) => n + t.weight, 0);
  }

  get size(): number {
    return this.targets.length;
  }

  pick(key?: string): T | undefined {
    if (this.total <= 0) return undefined;
    if (key !== undefined) return this.pickByHash(fnv1a(key) % this.total);
    let best = -1;
    for (let i = 0; i < this.targets.length; i++) {
      const w = this.targets[i].weight;
      if (w <= 0) continue;
      this.current[i] += w;
      if (best < 0 || this.current[i] > this.current[best]) best = i;
    }
    this.current[best] -= this.total;
    return this.targets[best].target;
  }

  private pickByHash(point: number): T | undefined {
    let acc = 0;
    for (const t of this.targets) {
      acc += t.weight;
      if (point < acc) return t.target;
    }
    return undefined;
  }
}

/** 32-bit FNV-1a over the UTF-16 code units of a string. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
