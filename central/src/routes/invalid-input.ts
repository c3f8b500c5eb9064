import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

/** 400 with zod's issues as path + message, the shape every central route answers bad input with. */
export const invalidInput = (reply: FastifyReply, error: z.ZodError) =>
  reply.code(400).send({
    error: 'INVALID_INPUT',
    issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
