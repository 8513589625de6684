import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { z } from 'zod';
import { openApiSchema } from './validation';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'message', 'code'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
    code: { type: 'string' },
    details: {
      type: 'array',
      items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
    current: { description: 'The current state, on a version conflict' },
    requestId: { type: 'string' },
  },
};

/** Documents the success response from a contract schema, and the shared error body. */
export function Returns(status: number, schema: z.ZodType | null, description: string, errors: number[] = [400, 404]): MethodDecorator {
  return applyDecorators(
    ApiResponse({ status, description, ...(schema ? { schema: openApiSchema(schema, 'output') } : {}) }),
    ...errors.map((s) => ApiResponse({ status: s, description: 'Error', schema: ERROR_SCHEMA })),
  );
}
