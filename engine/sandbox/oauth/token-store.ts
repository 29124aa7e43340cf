import { randomBytes } from 'node:crypto';
import type { IntrospectedToken } from './types';

/**
 * Every grant the simulator made, grouped in families: one family per authorization (a code, a seeding, an assertion),
 * holding every access and refresh token descended from it, so revoking one token can revoke them all as Okta and
 * Auth0 do when a rotated refresh token comes back.
 */
export interface TokenFamily {
  id: string;
  client_id: string;
  subject?: string;
  /** The scope granted at authorization; refreshes may narrow it for an access token, never widen it. */
  scope?: string;
  revoked: boolean;
}

interface AccessToken {
  family: string;
  scope?: string;
  expiresAt: number;
}

export interface RefreshToken {
  family: string;
  issuedAt: number;
  expiresAt?: number;
  /** When a refresh replaced it (rotation), and by which token. */
  rotatedAt?: number;
  successor?: string;
}

export interface AuthorizationCode {
  client_id: string;
  /** As sent in the authorization request, or undefined when the client relied on its one registered URI. */
  redirect_uri?: string;
  subject: string;
  scope?: string;
  challenge?: { value: string; method: 'S256' | 'plain' };
  expiresAt: number;
  /** Set at the first redemption: the family it opened, so a second use can revoke it (RFC 6749 §4.1.2). */
  redeemedBy?: string;
}

/** RFC 6749 §4.1.2 recommends a maximum code lifetime of 10 minutes. */
const CODE_TTL_MS = 10 * 60 * 1000;

/** 256 random bits, base64url: not guessable, and derived from nothing a client knows. */
const opaque = () => randomBytes(32).toString('base64url');

export class TokenStore {
  private readonly families = new Map<string, TokenFamily>();
  private readonly access = new Map<string, AccessToken>();
  private readonly refresh = new Map<string, RefreshToken>();
  private readonly codes = new Map<string, AuthorizationCode>();

  constructor(
    private readonly now: () => number,
    private readonly accessTtlSeconds: number,
    private readonly refreshTtlSeconds: number | undefined,
  ) {}

  openFamily(grant: { client_id: string; subject?: string | undefined; scope?: string | undefined }): TokenFamily {
    const family: TokenFamily = { id: `fam_${randomBytes(9).toString('base64url')}`, client_id: grant.client_id, revoked: false };
    if (grant.subject !== undefined) family.subject = grant.subject;
    if (grant.scope !== undefined) family.scope = grant.scope;
    this.families.set(family.id, family);
    return family;
  }

  /** ttlSeconds 0 issues a token that is already expired (seeding an account whose token lapsed). */
  issueAccessToken(family: TokenFamily, scope: string | undefined, ttlSeconds = this.accessTtlSeconds): { token: string; expiresIn: number } {
    const token = opaque();
    const record: AccessToken = { family: family.id, expiresAt: this.now() + ttlSeconds * 1000 };
    if (scope !== undefined) record.scope = scope;
    this.access.set(token, record);
    return { token, expiresIn: ttlSeconds };
  }

  issueRefreshToken(family: TokenFamily): string {
    const token = opaque();
    const issuedAt = this.now();
    const record: RefreshToken = { family: family.id, issuedAt };
    if (this.refreshTtlSeconds !== undefined) record.expiresAt = issuedAt + this.refreshTtlSeconds * 1000;
    this.refresh.set(token, record);
    return token;
  }

  /** The refresh token and its family, whatever their state (the grant decides what the state means). */
  findRefreshToken(token: string): { record: RefreshToken; family: TokenFamily } | undefined {
    const record = this.refresh.get(token);
    const family = record && this.families.get(record.family);
    return record && family ? { record, family } : undefined;
  }

  isExpired(record: { expiresAt?: number }): boolean {
    return record.expiresAt !== undefined && record.expiresAt <= this.now();
  }

  markRotated(record: RefreshToken, successor: string): void {
    record.rotatedAt = this.now();
    record.successor = successor;
  }

  /** The refresh token a rotation put in place of this one, if it has not been rotated in turn. */
  currentSuccessor(record: RefreshToken): RefreshToken | undefined {
    const next = record.successor === undefined ? undefined : this.refresh.get(record.successor);
    return next && next.rotatedAt === undefined ? next : undefined;
  }

  introspect(accessToken: string): IntrospectedToken | null {
    const record = this.access.get(accessToken);
    const family = record && this.families.get(record.family);
    if (!record || !family || family.revoked || this.isExpired(record)) return null;
    const answer: IntrospectedToken = { client_id: family.client_id, family: family.id };
    if (family.subject !== undefined) answer.subject = family.subject;
    if (record.scope !== undefined) answer.scope = record.scope;
    return answer;
  }

  expireAccessTokens(): void {
    const now = this.now();
    for (const record of this.access.values()) record.expiresAt = Math.min(record.expiresAt, now);
  }

  revokeFamily(id: string): void {
    const family = this.families.get(id);
    if (family) family.revoked = true;
  }

  /** The family of an access token, refresh token or redeemed code. */
  familyOf(token: string): string | undefined {
    return this.access.get(token)?.family ?? this.refresh.get(token)?.family ?? this.codes.get(token)?.redeemedBy;
  }

  createCode(grant: Omit<AuthorizationCode, 'expiresAt' | 'redeemedBy'>): string {
    const code = opaque();
    this.codes.set(code, { ...grant, expiresAt: this.now() + CODE_TTL_MS });
    return code;
  }

  findCode(code: string): AuthorizationCode | undefined {
    return this.codes.get(code);
  }
}
