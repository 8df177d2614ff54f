import type { CedarRuleId, Finding, Severity } from '../findings/finding';
import { LineIndex } from '../text/lineIndex';
import type { Range } from '../text/range';
import type { DetailedError } from './gateway';

/**
 * Where a piece of text handed to Cedar sits in its file: Cedar reports UTF-8 byte offsets
 * relative to the text it was given, which may be one policy cut out of a larger file.
 */
export interface TextSlice {
  file: string;
  fileLines: LineIndex;
  /** UTF-16 offset of the slice in the file. */
  offset: number;
  /** Lines of the slice itself, to convert its byte offsets. */
  sliceLines: LineIndex;
  /** Where errors without a location go. */
  fallback: Range;
}

export function sliceOf(file: string, fileLines: LineIndex, start: number, end: number, fallback?: Range): TextSlice {
  const whole = start === 0 && end === fileLines.text.length;
  return {
    file,
    fileLines,
    offset: start,
    sliceLines: whole ? fileLines : new LineIndex(fileLines.text.slice(start, end)),
    fallback: fallback ?? { start: fileLines.positionAt(start), end: fileLines.positionAt(start) },
  };
}

/** The file range of a `[start, end)` byte span inside a slice. */
export function rangeInSlice(slice: TextSlice, startByte: number, endByte: number): Range {
  const s = slice.sliceLines.offsetOfByte(startByte) + slice.offset;
  const e = slice.sliceLines.offsetOfByte(endByte) + slice.offset;
  return slice.fileLines.range(s, e);
}

/**
 * Strips the prefixes that name the internal ids we give policies when handing them to Cedar
 * (`for policy \`p3\`, `, `failed to parse policy with id \`p\` from string: `): the diagnostic
 * already sits on that policy.
 */
export function cleanMessage(message: string): string {
  return message
    .replace(/^for policy `[^`]*`, /, '')
    .replace(/^failed to parse (?:policy|template) with id `[^`]*` from string: /, '');
}

/** Turns one Cedar error into findings on exact ranges; an error without a location is never dropped. */
export function findingFromCedarError(
  err: DetailedError,
  slice: TextSlice,
  ruleId: CedarRuleId,
  severity: Severity = 'error',
): Finding {
  const loc = err.sourceLocations?.[0];
  const range = loc ? rangeInSlice(slice, loc.start, loc.end) : slice.fallback;
  const labels = (err.sourceLocations ?? []).map((l) => l.label).filter((l): l is string => !!l);
  const related = (err.sourceLocations ?? []).slice(1).map((l) => ({
    file: slice.file,
    range: rangeInSlice(slice, l.start, l.end),
    message: l.label ?? 'related location',
  }));
  const help = [err.help, ...labels].filter((h): h is string => !!h).join('; ');
  const finding: Finding = { ruleId, severity, message: cleanMessage(err.message), file: slice.file, range };
  if (help) finding.help = help;
  if (err.url) finding.url = err.url;
  if (related.length) finding.related = related;
  return finding;
}
