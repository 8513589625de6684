import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import type { FieldProblem } from '@parley/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { invalid } from './app-error';

interface InputSchemas {
  body?: z.ZodType;
  query?: z.ZodType;
}

const INPUT = Symbol('parley:input');

/** JSON Schema of a contract schema, as OpenAPI shows it. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, unknown>;
  delete json['$schema'];
  return json;
}

/**
 * Declares a route's input with the shared contract schemas: the same schema validates the request
 * (InputInterceptor) and documents it in OpenAPI, so the two can never disagree.
 */
export function Input(schemas: InputSchemas): MethodDecorator {
  const decorators: MethodDecorator[] = [SetMetadata(INPUT, schemas)];
  if (schemas.body) decorators.push(ApiBody({ schema: openApiSchema(schemas.body) }));
  if (schemas.query) {
    const json = openApiSchema(schemas.query) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
    for (const [name, schema] of Object.entries(json.properties ?? {})) {
      decorators.push(
        ApiQuery({
          name,
          required: json.required?.includes(name) ?? false,
          schema,
          description: typeof schema['description'] === 'string' ? schema['description'] : undefined,
        }),
      );
    }
  }
  return applyDecorators(...decorators);
}

export function problemsOf(error: z.ZodError, prefix?: string): FieldProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [prefix, ...path, key].filter(Boolean).join('.'), message: 'is not an allowed field' }));
    }
    const field = [prefix, ...path].filter(Boolean).join('.') || (prefix ?? 'body');
    const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    return [{ field, message }];
  }).flat();
}

export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, prefix?: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(problemsOf(result.error, prefix));
  return result.data;
}

@Injectable()
export class InputInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler) {
    const schemas = this.reflector.get<InputSchemas | undefined>(INPUT, context.getHandler());
    if (schemas) {
      const request = context.switchToHttp().getRequest<FastifyRequest & { parsedBody?: unknown }>();
      if (schemas.query) {
        const query = parseOrThrow(schemas.query, { ...(request.query as Record<string, unknown>) }, 'query');
        (request as { query: unknown }).query = query;
      }
      if (schemas.body) {
        if (request.body === undefined || request.body === null) {
          throw invalid([{ field: 'body', message: 'a JSON body is required' }]);
        }
        request.body = parseOrThrow(schemas.body, request.body);
      }
    }
    return next.handle();
  }
}
