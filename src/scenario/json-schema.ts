/**
 * The scenario format as JSON Schema (draft 2020-12), for editors: generated from the zod
 * schema, with the distribution spec generated from the distribution tables (the zod
 * schema leaves it to `distributionFromSpec`, which checks more than a schema can).
 */
import { z } from 'zod';
import type { AnyStrategyDescriptor } from '../strategies/descriptor.js';
import { strategyKindList } from '../strategies/kinds.js';
import {
  DISTRIBUTION_FIELDS,
  DISTRIBUTION_KEYS,
  DISTRIBUTION_KINDS,
  DISTRIBUTION_REQUIRED,
  type FieldInfo,
  MODIFIER_FIELDS,
} from './distributions/spec.js';
import { DURATION_UNITS } from './duration.js';
import {
  distributionSpecSchema,
  durationSchema,
  moduleOptionsSchema,
  scenarioSchemaFor,
  shorthandJsonSchemas,
} from './schema.js';

type JsonSchema = Record<string, unknown>;

function durationJson(description: string): JsonSchema {
  const d = z.toJSONSchema(durationSchema) as JsonSchema;
  delete d.$schema;
  return { ...d, description };
}

function fieldJson(info: FieldInfo): JsonSchema {
  switch (info.type) {
    case 'duration':
      return durationJson(info.description);
    case 'number':
      return { type: 'number', description: info.description };
    case 'string':
      return { type: 'string', description: info.description };
    case 'unit':
      return { enum: [...DURATION_UNITS], description: info.description };
    case 'durations':
      return {
        type: 'array',
        minItems: 1,
        items: durationJson('an observed duration'),
        description: info.description,
      };
    case 'components':
      return {
        type: 'array',
        minItems: 1,
        description: info.description,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['weight', 'dist'],
          properties: {
            weight: { type: 'number', exclusiveMinimum: 0 },
            dist: { $ref: '#/$defs/Distribution' },
          },
        },
      };
  }
}

function distributionJson(): JsonSchema {
  return {
    description:
      'a duration distribution, e.g. { dist: lognormal, median: 90s, p95: 10m }, or a bare duration for a fixed one',
    oneOf: [
      durationJson('a fixed duration'),
      ...DISTRIBUTION_KINDS.map((kind) => {
        const fields: Record<string, FieldInfo> = {
          ...DISTRIBUTION_FIELDS[kind],
          ...MODIFIER_FIELDS,
        };
        const properties: Record<string, JsonSchema> = { dist: { const: kind } };
        for (const key of DISTRIBUTION_KEYS[kind]) {
          if (key !== 'dist' && fields[key]) properties[key] = fieldJson(fields[key]!);
        }
        const alternatives = DISTRIBUTION_REQUIRED[kind];
        return {
          type: 'object',
          additionalProperties: false,
          required: ['dist'],
          properties,
          ...(alternatives.length > 1
            ? { oneOf: alternatives.map((req) => ({ required: [...req] })) }
            : { required: ['dist', ...alternatives[0]!] }),
        };
      }),
    ],
  };
}

/** The JSON Schema of scenario files, their strategies of `kinds` (the built-in ones by default). */
export function scenarioJsonSchema(
  kinds: readonly AnyStrategyDescriptor[] = strategyKindList,
): JsonSchema {
  return z.toJSONSchema(scenarioSchemaFor(kinds), {
    io: 'input',
    target: 'draft-2020-12',
    override: (ctx) => {
      // A module entry's options: any mapping of JSON values (checked by the schema's code).
      if ((ctx.zodSchema as unknown) === moduleOptionsSchema) ctx.jsonSchema.type = 'object';
      if (ctx.zodSchema === distributionSpecSchema) {
        for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
        Object.assign(ctx.jsonSchema, distributionJson());
      }
      // A field with a shorthand: its long form, or the shorthand (shorthands.ts).
      const shorthand = shorthandJsonSchemas.get(ctx.zodSchema as unknown as z.ZodType);
      if (shorthand !== undefined) {
        const { description, ...long } = ctx.jsonSchema;
        for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
        Object.assign(ctx.jsonSchema, {
          ...(description === undefined ? {} : { description }),
          anyOf: [long, shorthand],
        });
      }
    },
  }) as JsonSchema;
}
