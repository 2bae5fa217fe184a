import { UnscopedValidationError, ValidationError } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * aws-cdk-lib types the error code as a branded literal string; every validation error of this
 * library shares one code, and the message says what went wrong.
 */
const ERROR_CODE = 'ImageBuilderValidation' as ConstructorParameters<typeof ValidationError>[0];

/** A `ValidationError` attached to `scope`, so the message carries the construct path. */
export function validationError(message: string, scope: IConstruct): ValidationError {
  return new ValidationError(ERROR_CODE, message, scope);
}

/** For value classes with no construct to attach the error to (e.g. parsing a document). */
export function unscopedValidationError(message: string): UnscopedValidationError {
  return new UnscopedValidationError(ERROR_CODE, message);
}
