import { type ParseError, printParseErrorCode } from 'jsonc-parser';

/** A jsonc-parser syntax error as a message: `CommaExpected` → `Invalid JSON: comma expected`. */
export function jsonErrorMessage(e: ParseError): string {
  return `Invalid JSON: ${printParseErrorCode(e.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`;
}
