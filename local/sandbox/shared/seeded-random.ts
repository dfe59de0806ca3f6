/** A small seeded PRNG (mulberry32) so that ratio faults and generated ids repeat run after run when asked. */
import { seededRandom } from '../../../lib/seeded-random';

export class SeededRandom {
  /** Uniform in [0, 1). */
  readonly next: () => number;

  constructor(seed: number = Math.floor(Math.random() * 2 ** 32)) {
    this.next = seededRandom(seed);
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }

  /** UUID v4 layout, for correlation ids. */
  uuid(): string {
    const hex = this.hex(32);
    const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}
