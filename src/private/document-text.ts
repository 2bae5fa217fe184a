import { Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from './errors';

/** A value that is nothing but one token (an import, a parameter): its content is unknown at synth. */
export function isWholeToken(text: string): boolean {
  const fragments = Tokenization.reverseString(text);
  return fragments.length === 1 && fragments.tokens.length === 1;
}

/**
 * The service rejects a blank document or one with a NUL character, inline or in S3.
 *
 * @param kind what the document is, for the message: `component` or `workflow`
 */
export function validateDocumentText(scope: IConstruct, what: string, text: string, kind: 'component' | 'workflow'): void {
  if (text.trim() === '') {
    throw validationError(`${what} must be a ${kind} document, got an empty string`, scope);
  }
  if (text.includes('\0')) {
    throw validationError(`${what} must not contain NUL characters`, scope);
  }
}
