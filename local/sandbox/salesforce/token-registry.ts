/** Access tokens the sandbox issued, with their lifetime, and an `expireAll` that turns them into 401s. */
import type { SeededRandom } from '../shared/seeded-random';

interface IssuedToken {
  readonly username: string;
  readonly expiresAt: number;
}

export class TokenRegistry {
  private readonly tokens = new Map<string, IssuedToken>();
  private issued = 0;

  constructor(
    private readonly clock: () => number,
    private readonly random: SeededRandom,
    private readonly lifetimeMs: number,
    private readonly orgId: string,
  ) {}

  /** Shaped like a Salesforce session id: the 15-character org id, '!', then opaque text. */
  issue(username: string): { accessToken: string; issuedAt: number } {
    this.issued += 1;
    const issuedAt = this.clock();
    const accessToken = `${this.orgId.slice(0, 15)}!AQ${this.random.hex(24)}${this.issued}`;
    this.tokens.set(accessToken, { username, expiresAt: issuedAt + this.lifetimeMs });
    return { accessToken, issuedAt };
  }

  isValid(token: string | undefined): boolean {
    const issued = token === undefined ? undefined : this.tokens.get(token);
    return issued !== undefined && this.clock() < issued.expiresAt;
  }

  /** Every token issued so far stops working, as when an admin revokes sessions or they time out. */
  expireAll(): void {
    this.tokens.clear();
  }
}
