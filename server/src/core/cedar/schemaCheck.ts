import type { Finding } from '../findings/finding';
import { findingFromCedarError, rangeInSlice, sliceOf } from './errors';
import { mergeJson } from './schemaMerge';
import { locateName, namesInError, type SchemaFileModel } from './schemaFile';
import { cedarGateway, type DetailedError, type SchemaJson } from './gateway';
import { schemaLimitMessage, schemaTextLimitAt } from './gateway/guards';

export interface TextCheck {
  json: SchemaJson;
  findings: Finding[];
  ok: boolean;
}

/** Checks Cedar-syntax files as one text; when that fails, each file alone still feeds hover and completion. */
export function checkTextFiles(all: SchemaFileModel[]): TextCheck {
  // A file past cedar-wasm's limits (nesting, size: nesting.ts) is reported and left out.
  const deep: Finding[] = [];
  const files = all.filter((f) => {
    const at = schemaTextLimitAt(f.text);
    if (at)
      deep.push({
        ruleId: 'cedar-schema',
        severity: 'error',
        ...schemaLimitMessage(at.limit),
        file: f.file,
        range: f.lines.range(at.start, at.end),
      });
    return !at;
  });
  if (!files.length) return { json: {}, findings: deep, ok: false };
  const checked = checkSafeTextFiles(files);
  return deep.length ? { json: checked.json, findings: [...deep, ...checked.findings], ok: false } : checked;
}

/** The Cedar-syntax files of a schema as the one text Cedar checks (and the gateway remembers answers by). */
export function combinedSchemaText(files: SchemaFileModel[]): string {
  return files.map((f) => f.text).join('\n');
}

function checkSafeTextFiles(files: SchemaFileModel[]): TextCheck {
  const parts: { file: SchemaFileModel; byteStart: number; byteEnd: number }[] = [];
  let bytes = 0;
  for (const f of files) {
    const len = Buffer.byteLength(f.text);
    parts.push({ file: f, byteStart: bytes, byteEnd: bytes + len });
    bytes += len + 1;
  }
  const combined = combinedSchemaText(files);
  const partOf = (byte: number) => parts.find((p) => byte >= p.byteStart && byte <= p.byteEnd) ?? parts[0];
  const rangeOf = (p: (typeof parts)[number], l: { start: number; end: number }) =>
    rangeInSlice(sliceOf(p.file.file, p.file.lines, 0, p.file.text.length), l.start - p.byteStart, l.end - p.byteStart);
  // One finding in every file the error points into (e.g. both places of a name declared twice).
  const place = (err: DetailedError, ruleId: 'cedar-schema' | 'cedar-warning', severity: 'error' | 'warning'): Finding[] => {
    const locs = err.sourceLocations ?? [];
    if (!locs.length)
      return [
        findingFromCedarError(
          err,
          sliceOf(parts[0].file.file, parts[0].file.lines, 0, parts[0].file.text.length),
          ruleId,
          severity,
        ),
      ];
    const touched = [...new Set(locs.map((l) => partOf(l.start)))];
    return touched.map((part) => {
      const mine = locs.filter((l) => partOf(l.start) === part);
      const local = { ...mine[0], start: mine[0].start - part.byteStart, end: mine[0].end - part.byteStart };
      const f = findingFromCedarError(
        { ...err, sourceLocations: [local] },
        sliceOf(part.file.file, part.file.lines, 0, part.file.text.length),
        ruleId,
        severity,
      );
      const others = locs.filter((l) => l !== mine[0]);
      if (others.length)
        f.related = others.map((l) => ({
          file: partOf(l.start).file.file,
          range: rangeOf(partOf(l.start), l),
          message: l.label ?? 'also here',
        }));
      return f;
    });
  };
  const checkErrors = cedarGateway.checkSchema(combined);
  if (!checkErrors.length) {
    const conv = cedarGateway.schemaToJson(combined);
    if (conv.json)
      return { json: conv.json, findings: conv.warnings.flatMap((w) => place(w, 'cedar-warning', 'warning')), ok: true };
    return { json: {}, findings: conv.errors.flatMap((e) => place(e, 'cedar-schema', 'error')), ok: false };
  }
  const findings = checkErrors.flatMap((e) => place(e, 'cedar-schema', 'error'));
  let json: SchemaJson = {};
  for (const f of files) {
    const alone = cedarGateway.schemaToJson(f.text);
    if (alone.json)
      json = mergeJson([
        { json, file: f },
        { json: alone.json, file: f },
      ]).merged;
  }
  return { json, findings, ok: false };
}

/**
 * Cedar's check of a schema merged from both formats (undeclared types, cycles…): offsets of a
 * JSON schema mean nothing, so each error goes on the file that names the culprit.
 */
export function resolutionFindings(
  files: SchemaFileModel[],
  merged: SchemaJson,
  errors: DetailedError[] = cedarGateway.checkSchema(merged),
): Finding[] {
  return errors.map((err) => {
    for (const name of new Set(namesInError(err))) {
      for (const f of files) {
        const span = locateName(f, name);
        if (span)
          return findingFromCedarError(
            { ...err, sourceLocations: [] },
            sliceOf(f.file, f.lines, 0, f.text.length, f.lines.range(span.start, span.end)),
            'cedar-schema',
          );
      }
    }
    const first = files.find((f) => f.format === 'json') ?? files[0];
    return findingFromCedarError(
      { ...err, sourceLocations: [] },
      sliceOf(first.file, first.lines, 0, first.text.length),
      'cedar-schema',
    );
  });
}
