import { describe, expect, it } from 'vitest';
import { parsePolicyFile } from '../../server/src/core/cedar/policyFile';

describe('parsePolicyFile', () => {
  it('splits statements and names them by @id, else policyN by position', () => {
    const m = parsePolicyFile(
      '@id("first") permit(principal, action, resource);\nforbid(principal, action, resource) when { context.x == ";" };',
    );
    expect(m.statements.map((s) => [s.id, s.idFromAnnotation, s.effect])).toEqual([
      ['first', true, 'permit'],
      ['policy1', false, 'forbid'],
    ]);
    expect(m.statements[1].text.endsWith(';')).toBe(true);
  });

  it('recognises templates by their slots', () => {
    const m = parsePolicyFile('permit(principal == ?principal, action, resource);');
    expect(m.statements[0].isTemplate).toBe(true);
  });

  it('reads every annotation with its value range', () => {
    const text = '@id("x")\n@advice("be careful")\n@flag\npermit(principal, action, resource);';
    const s = parsePolicyFile(text).statements[0];
    expect(s.annotations.map((a) => [a.name, a.value])).toEqual([
      ['id', 'x'],
      ['advice', 'be careful'],
      ['flag', undefined],
    ]);
    expect(text.slice(s.annotations[1].valueStart, s.annotations[1].valueEnd)).toBe('"be careful"');
  });

  it('recovers after a missing brace so later policies are still seen', () => {
    const m = parsePolicyFile(
      'permit(principal, action, resource) when { true ;\npermit(principal, action, resource);\n@id("z") forbid(principal, action, resource);',
    );
    expect(m.statements.map((s) => s.id)).toEqual(['policy0', 'policy1', 'z']);
  });

  it('keeps the scope end for symbol and scope reading', () => {
    const text = 'permit(principal, action, resource) when { true };';
    const s = parsePolicyFile(text).statements[0];
    expect(text.slice(s.effectStart, s.headEnd)).toBe('permit(principal, action, resource)');
  });

  it('has no statements for a file of comments only', () => {
    expect(parsePolicyFile('// nothing here\n').statements).toEqual([]);
  });
});
