import { describe, expect, it } from 'vitest';
import type { FieldType } from '../../../server/src/core/tools/model';
import { discover, tool } from './fixtures';

describe('zod input schemas', () => {
  const { tools } = discover('zod-forms/schemas.ts');
  const fields = Object.fromEntries((tool(tools, 'all_forms').input?.fields ?? []).map((f) => [f.name, f]));
  const typeOf = (name: string): FieldType => fields[name].type;

  it('strings with checks and descriptions', () => {
    expect(fields.name).toMatchObject({ type: { kind: 'string' }, required: true, description: 'Display name' });
  });

  it('numbers: int, positive, coerce', () => {
    expect(fields.age).toMatchObject({ type: { kind: 'number', integer: true }, required: false });
    expect(typeOf('score')).toEqual({ kind: 'number' });
  });

  it('arrays in both spellings; a default makes a field optional', () => {
    expect(fields.tags).toMatchObject({ type: { kind: 'array', items: { kind: 'string' } }, required: false });
    expect(typeOf('ids')).toEqual({ kind: 'array', items: { kind: 'string' } });
  });

  it('nested objects held in a const, partial() and optional()', () => {
    const address = typeOf('address');
    expect(address).toMatchObject({ kind: 'object', additional: false });
    expect(address.kind === 'object' && address.fields.map((f) => [f.name, f.required])).toEqual([
      ['street', true],
      ['zip', true],
    ]);
    const billing = fields.billing;
    expect(billing.required).toBe(false);
    expect(billing.type.kind === 'object' && billing.type.fields.map((f) => f.required)).toEqual([false, false]);
  });

  it('unions of literals merge into an enum; mixed unions are unknown', () => {
    expect(typeOf('kind')).toEqual({ kind: 'string', enum: ['a', 'b', 'c'] });
    expect(typeOf('mixed')).toEqual({ kind: 'unknown', reason: 'union of string, number' });
  });

  it('native enums, boolean literals and records', () => {
    expect(typeOf('channel')).toEqual({ kind: 'string', enum: ['email', 'sms'] });
    expect(typeOf('flag')).toEqual({ kind: 'boolean' });
    expect(typeOf('meta')).toEqual({ kind: 'object', fields: [], additional: true });
  });

  it('custom schemas and schemas from other files are unknown with the reason', () => {
    expect(typeOf('custom')).toEqual({ kind: 'unknown', reason: 'z.custom()' });
    expect(typeOf('amount')).toEqual({ kind: 'unknown', reason: "`Money` comes from './money', another file" });
  });

  it('nullish is optional, nullable is not; z.date is a date-time string; meta() describes', () => {
    expect(fields.when).toMatchObject({ type: { kind: 'string', format: 'date-time' }, required: false });
    expect(fields.note).toMatchObject({ type: { kind: 'string' }, required: true });
    expect(fields.contact).toMatchObject({ type: { kind: 'string', format: 'email' }, description: 'Where to write' });
  });

  it('extend, merge, or and strict on a schema held in a const', () => {
    const input = tool(tools, 'extended').input;
    expect(input?.additional).toBe(false);
    expect(input?.fields.map((f) => [f.name, f.type, f.required])).toEqual([
      ['tenant', { kind: 'string' }, true],
      ['region', { kind: 'string', enum: ['eu', 'us'] }, true],
      ['dryRun', { kind: 'boolean' }, true],
    ]);
    expect(input?.fields[0].description).toBe('Tenant id');
  });

  it('pick keeps only the named fields', () => {
    expect(tool(tools, 'picked').input?.fields.map((f) => f.name)).toEqual(['tenant']);
  });

  it('a whole input schema from another file is an unknown shape', () => {
    expect(tool(tools, 'imported_schema').input).toEqual({
      kind: 'object',
      fields: [],
      additional: true,
      unknownReason: "`Money` comes from './money', another file",
    });
  });
});
