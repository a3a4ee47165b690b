import type { Principal } from '@codeplanet/service-kit';

/**
 * Whose rows a query may see. Every repository method takes one, so a query without an account decision does
 * not compile. Admins see all accounts; an account key sees only its own.
 */
export type Scope = { kind: 'all' } | { kind: 'account'; accountId: string };

export function scopeOf(principal: Principal): Scope {
  return principal.kind === 'account' ? { kind: 'account', accountId: principal.accountId } : { kind: 'all' };
}

/** SQL condition for a scope on `column` (appends its parameter). */
export function scopeCondition(scope: Scope, column: string, params: unknown[]): string {
  if (scope.kind === 'all') return 'TRUE';
  params.push(scope.accountId);
  return `${column} = $${params.length}`;
}

/** Builds `WHERE a = $1 AND b >= $2 ...` with numbered parameters. */
export class Conditions {
  readonly params: unknown[] = [];
  private readonly parts: string[] = [];

  constructor(scope: Scope, accountColumn: string) {
    this.parts.push(scopeCondition(scope, accountColumn, this.params));
  }

  /** `sql` uses `?` for the value's placeholder; skipped when the value is undefined. */
  add(sql: string, value: unknown): this {
    if (value === undefined) return this;
    this.params.push(value);
    this.parts.push(sql.replace('?', `$${this.params.length}`));
    return this;
  }

  /** A condition written with `param()` placeholders. */
  where(sql: string): this {
    this.parts.push(sql);
    return this;
  }

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  get sql(): string {
    return this.parts.join(' AND ');
  }
}
