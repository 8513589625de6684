import { z } from 'zod';
import { DateInput, Id, PlainString, Timestamp, Title } from './primitives';

export const ROLES = ['admin', 'analyst', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PASSWORD_MIN_LENGTH = 10;

/** A dot-atom local part (no leading, trailing or doubled dot). */
const LOCAL_PART = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*";
/** One DNS label: letters, digits and inner hyphens, at most 63 characters. */
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';

/**
 * A syntactically valid address whose domain has at least two dot-separated labels. zod's default
 * also wants a top-level domain of two or more letters, which refuses real intranet and test
 * addresses such as `x@y.z`; whether a domain exists is for mail delivery to say, not the syntax.
 */
export const EMAIL_PATTERN = new RegExp(`^${LOCAL_PART}@${LABEL}(?:\\.${LABEL})+$`);

/** An email address, trimmed and lower-cased: one schema for sign-in, users, the CLI and ADMIN_EMAIL. */
export const Email = z
  .string({ error: 'must be a string' })
  .trim()
  .toLowerCase()
  .max(320, 'must be at most 320 characters')
  .pipe(z.email({ pattern: EMAIL_PATTERN, error: 'must be an email address' }));

const Password = z
  .string({ error: 'must be a string' })
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200, 'must be at most 200 characters');

const role = z.enum(ROLES, { error: `must be one of: ${ROLES.join(', ')}` });

export const LoginInput = z.strictObject({
  email: Email,
  password: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
});
export type LoginInput = z.infer<typeof LoginInput>;

export const User = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role,
  disabled: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type User = z.infer<typeof User>;

export const LoginResult = z.object({
  token: z.string().describe('Bearer token for the Authorization header'),
  expiresAt: Timestamp,
  user: User,
});
export type LoginResult = z.infer<typeof LoginResult>;

export const Me = z.object({
  user: User.nullable(),
  via: z.enum(['session', 'api-token', 'share-link']),
  negotiationId: z.string().nullable().describe('For a share link: the one negotiation it opens'),
});
export type Me = z.infer<typeof Me>;

export const ApiTokenCreate = z.strictObject({
  name: Title.describe('What the token is for, e.g. "import script"'),
  expiresAt: DateInput.optional().describe('Optional expiry; by default the token lasts until revoked'),
});
export type ApiTokenCreate = z.infer<typeof ApiTokenCreate>;

export const ApiToken = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the token, to recognise it'),
  createdAt: Timestamp,
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

export const ApiTokenCreated = ApiToken.extend({ token: z.string().describe('Shown once; store it now') });
export type ApiTokenCreated = z.infer<typeof ApiTokenCreated>;

export const UserCreate = z.strictObject({
  email: Email,
  name: Title,
  role,
  password: Password,
});
export type UserCreate = z.infer<typeof UserCreate>;

export const UserPatch = z.strictObject({
  name: Title.optional(),
  role: role.optional(),
  disabled: z.boolean({ error: 'must be true or false' }).optional(),
  password: Password.optional().describe('Sets a new password and ends every session of the user'),
});
export type UserPatch = z.infer<typeof UserPatch>;

export const PasswordChange = z
  .strictObject({
    currentPassword: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    newPassword: Password,
  })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ['newPassword'], error: 'must differ from the current password' });
export type PasswordChange = z.infer<typeof PasswordChange>;

export const ShareLinkCreate = z.strictObject({
  label: Title.describe('Where the link is used, e.g. "newsroom embed"'),
  expiresAt: DateInput.optional(),
});
export type ShareLinkCreate = z.infer<typeof ShareLinkCreate>;

export const ShareLink = z.object({
  id: z.string(),
  negotiationId: z.string(),
  label: z.string(),
  prefix: z.string(),
  createdBy: z.string(),
  createdAt: Timestamp,
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ShareLink = z.infer<typeof ShareLink>;

export const ShareLinkCreated = ShareLink.extend({ token: z.string().describe('Shown once; use as ?share=… or as a bearer token') });
export type ShareLinkCreated = z.infer<typeof ShareLinkCreated>;

export const AuditQuery = z.strictObject({
  since: DateInput.optional().describe('Entries after this time; a day (YYYY-MM-DD) includes that whole day'),
  negotiationId: Id.optional(),
  actor: PlainString.max(320, 'must be at most 320 characters').optional(),
  limit: z.coerce.number({ error: 'must be an integer' }).int('must be an integer').min(1, 'must be at least 1').max(1000, 'must be at most 1000').optional().describe('Entries per page (default 200, at most 1000)'),
  before: Id.optional().describe('Only entries older than this one: pass nextBefore of the previous page'),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntry = z.object({
  id: z.string(),
  at: Timestamp,
  actor: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  negotiationId: z.string().nullable(),
  // unknown includes null; `.nullable()` on it would give OpenAPI 3.0 a `nullable` without a `type`.
  before: z.unknown().describe('The entity before the change; null for a creation'),
  after: z.unknown().describe('The entity after the change'),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** A page of the audit log, newest first; entries at the same instant in a fixed order (by id). */
export const AuditPage = z.object({
  items: z.array(AuditEntry),
  nextBefore: z.string().nullable().describe('Pass as before to get the next (older) page; null when this page is the last'),
});
export type AuditPage = z.infer<typeof AuditPage>;
