import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

/**
 * Each invalid field's path (dots between the parts; '' for the input as a whole) with its first message:
 * what a form shows beside the field.
 */
export function fieldsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.join('.')] ??= issue.message;
  return fields;
}

/**
 * 400 with zod's issues, the shape every central route answers bad input with: `issues` as path + message
 * (the admin API's), and `code`, `message` and `fields` (the console's `consoleErrorSchema`).
 */
export const invalidInput = (reply: FastifyReply, error: z.ZodError) => {
  const fields = fieldsOf(error);
  return reply.code(400).send({
    error: 'INVALID_INPUT',
    code: 'INVALID_INPUT',
    message: Object.entries(fields)
      .map(([path, message]) => (path ? `${path}: ${message}` : message))
      .join('; '),
    fields,
    issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
};
