import * as fs from 'fs';
import * as path from 'path';
import { Stage, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { validationError } from './errors';
import { fingerprint } from './fingerprint';

/** S3 bucket naming rules: what `s3://bucket/key` can point at. */
const S3_BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * A file holding `text`, for an asset made from text generated at synth: written into the cloud
 * assembly, which is the app's own folder and holds the staged copy anyway, under a name made from
 * the text's digest (the same text, the same file). A shared temporary folder would leave a folder
 * behind on every synth, or give a predictable path that other users of the machine could plant.
 */
export function generatedFile(scope: IConstruct, suffix: string, text: string): string {
  const file = path.join(Stage.of(scope)!.outdir, `cdk-imagebuilder.${fingerprint(text)}${suffix}`);
  fs.writeFileSync(file, text);
  return file;
}

/** Reads a local file, with errors that say what was expected (`what` names the prop, e.g. `data asset`). */
export function readLocalFile(scope: IConstruct, what: string, filePath: string): string {
  return fs.readFileSync(checkLocalFile(scope, what, filePath), 'utf-8');
}

/** The full path of a local file that exists and is no directory, with the same errors as `readLocalFile`. */
export function checkLocalFile(scope: IConstruct, what: string, filePath: string): string {
  const fullPath = checkLocalPath(scope, what, filePath);
  if (!fs.statSync(fullPath).isFile()) {
    throw validationError(`${what} '${filePath}' must be a file, got a directory`, scope);
  }
  return fullPath;
}

/** The full path of a local file or folder that exists, with the same error as `checkLocalFile`. */
export function checkLocalPath(scope: IConstruct, what: string, filePath: string): string {
  const fullPath = path.resolve(filePath);
  if (!fs.existsSync(fullPath)) {
    throw validationError(`${what} file '${filePath}' does not exist (resolved to '${fullPath}')`, scope);
  }
  return fullPath;
}

/** The `s3://bucket/key` URL of an object, after checking that bucket name and key can name one. */
export function s3ObjectUrl(scope: IConstruct, what: string, bucket: s3.IBucket, key: string): string {
  if (!Token.isUnresolved(key) && (key.trim() === '' || key.startsWith('/'))) {
    throw validationError(`${what} S3 key must be a non-empty object key without a leading '/', got '${key}'`, scope);
  }
  // A key ending in '/' is a folder marker, not a document: the service would read an empty object.
  if (!Token.isUnresolved(key) && key.endsWith('/')) {
    throw validationError(`${what} S3 key must name one object, got '${key}', which ends with '/'`, scope);
  }
  const bucketName = bucket.bucketName;
  if (!Token.isUnresolved(bucketName) && !S3_BUCKET_NAME.test(bucketName)) {
    throw validationError(`${what} S3 bucket name must be 3 to 63 lowercase letters, numbers, dots and hyphens, got '${bucketName}'`, scope);
  }
  return bucket.s3UrlForObject(key);
}
