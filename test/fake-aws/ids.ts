/** Deterministic randomness for the fake: ids, ARNs suffixes and fault decisions come from seeded PRNGs. */

/** mulberry32: tiny, fast, good enough for test determinism. Returns floats in [0, 1). */
export class Prng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
}

const HEX = '0123456789abcdef';
const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export class Ids {
  private readonly prng: Prng;
  private readonly issued = new Set<string>();
  constructor(seed = 1) {
    this.prng = new Prng(seed);
  }
  private chars(alphabet: string, n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[this.prng.int(alphabet.length)];
    return out;
  }
  hex(n: number): string {
    return this.chars(HEX, n);
  }
  digits(n: number): string {
    return String(1 + this.prng.int(9)) + this.chars('0123456789', n - 1);
  }
  upper(n: number): string {
    return this.chars(ALNUM_UPPER, n);
  }
  /** `sg-` + 17 lowercase hex (EC2 long ids), never repeated within one fake. */
  ec2(prefix: string): string {
    for (;;) {
      const id = `${prefix}-${this.hex(17)}`;
      if (!this.issued.has(id)) {
        this.issued.add(id);
        return id;
      }
    }
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
