import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { INPUT_SCHEMAS, InputGuard, type InputSchemas } from '../common/validation';
import { Refs, type RefKind, type Wanted } from './refs.service';

const REFS_KEY = 'parley:refs';

/**
 * Where a route's body (and query, beyond the usual names) holds references: a dotted path to each,
 * `*` for every item of an array (`events.*.partyId`, `conditions.pointIds.*`).
 */
export interface RefFields {
  body?: Record<string, RefKind>;
  query?: Record<string, RefKind>;
}

/** Declares the references of a route's input, which the RefsGuard turns into ids before the route runs. */
export const TakesRefs = (fields: RefFields): MethodDecorator => SetMetadata(REFS_KEY, fields);

/** Path and query parameters that are references by their name, on every route under a negotiation. */
const BY_NAME: Record<string, RefKind> = { partyId: 'party', pointId: 'point', documentId: 'document' };

/** Every place `path` (split at dots) reaches in `value`: the object holding it, its key, and its field name. */
function locate(value: unknown, path: readonly string[], field: string[], out: { holder: Record<string, unknown>; key: string; field: string }[]): void {
  if (value === null || typeof value !== 'object') return;
  const [head, ...rest] = path;
  const holder = value as Record<string, unknown>;
  const keys = head === '*' ? (Array.isArray(value) ? value.map((_, i) => String(i)) : []) : Object.hasOwn(holder, head) ? [head] : [];
  for (const key of keys) {
    if (rest.length === 0) out.push({ holder, key, field: [...field, key].join('.') });
    else locate(holder[key], rest, [...field, key], out);
  }
}

/**
 * Global guard, after the access guard: on a route under `negotiations/:negotiationId`, turns the
 * negotiation's slug, the path's and query's `partyId`/`pointId`/`documentId` and the body's declared
 * references (`@TakesRefs`) into ids, in place, with the one resolver (`Refs`). Only strings are
 * touched, after the route's schema (`@Input`) has checked them: the guard runs it first.
 */
@Injectable()
export class RefsGuard implements CanActivate {
  constructor(
    private readonly refs: Refs,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const params = (request.params ?? {}) as Record<string, string>;
    const negotiationRef = params['negotiationId'];
    if (negotiationRef === undefined) return true;
    const negotiation = await this.refs.negotiation(negotiationRef);
    params['negotiationId'] = negotiation.id;
    // The route's schema first (its InputGuard, which then does not run again): every field problem
    // is reported as before, and only well-formed references are looked up.
    const schemas = this.reflector.get<InputSchemas | undefined>(INPUT_SCHEMAS, context.getHandler());
    if (schemas) new InputGuard(schemas).canActivate(context);

    const spots: { holder: Record<string, unknown>; key: string; field: string }[] = [];
    const wanted: Wanted[] = [];
    const want = (holder: Record<string, unknown>, key: string, field: string, kind: RefKind, inPath = false) => {
      const ref = holder[key];
      if (typeof ref !== 'string') return;
      spots.push({ holder, key, field });
      wanted.push({ kind, ref, field, inPath });
    };
    for (const [name, kind] of Object.entries(BY_NAME)) {
      if (params[name] !== undefined) want(params, name, `path.${name}`, kind, true);
    }
    const declared = this.reflector.get<RefFields | undefined>(REFS_KEY, context.getHandler());
    const query = request.query as Record<string, unknown> | undefined;
    if (query && typeof query === 'object') {
      for (const [name, kind] of Object.entries({ ...BY_NAME, ...declared?.query })) {
        if (Object.hasOwn(query, name)) want(query, name, `query.${name}`, kind);
      }
    }
    for (const [path, kind] of Object.entries(declared?.body ?? {})) {
      const found: typeof spots = [];
      locate(request.body, path.split('.'), [], found);
      for (const f of found) want(f.holder, f.key, f.field, kind);
    }
    if (wanted.length === 0) return true;
    const ids = await this.refs.many(negotiation, wanted);
    spots.forEach((s, i) => (s.holder[s.key] = ids[i]));
    return true;
  }
}
