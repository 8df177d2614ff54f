/** Deepest `{`/`[` nesting of JSON text, found without recursion; `offset` is where it passes `limit`. */
export function jsonDepth(text: string, limit: number): { depth: number; offset?: number } {
  let depth = 0;
  let max = 0;
  let offset: number | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      while (i < text.length && text.charCodeAt(i) !== 10) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) max = depth;
      if (offset === undefined && depth > limit) offset = i;
    } else if (c === 125 || c === 93) depth = Math.max(0, depth - 1);
  }
  return { depth: max, offset };
}
