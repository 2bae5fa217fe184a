import * as fs from 'fs';
import * as path from 'path';
import { Stage, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { validationError } from './private/errors';
import { checkLocalPath, s3ObjectUrl } from './private/files';

/**
 * A file once bound to its component: where AWSTOE downloads it from and to, and what the build
 * instances need to read it.
 */
export interface ComponentFileConfig {
  /** The `s3://bucket/key` URL the file is downloaded from. */
  readonly source: string;

  /** The path on the instance the file is written to. */
  readonly destination: string;

  /** What the instance role needs to download the file: `s3:GetObject` on it, and the bucket key's decrypt. */
  readonly readStatements: iam.PolicyStatement[];

  /**
   * Whether `source` is a zip archive (of a local folder, or from `fromBucketArchive`), which the
   * component downloads next to `destination` (as `<destination>.zip`) and unpacks into it.
   *
   * @default false - the object is the file itself
   */
  readonly folder?: boolean;
}

/**
 * A file a component puts on the instance before its steps run, downloaded from S3 by a first
 * `S3Download` step. The build and test instances of pipelines and images that use the component
 * may read it.
 */
export abstract class ComponentFile {
  /**
   * A local file or folder, uploaded to the CDK assets bucket at deployment.
   *
   * A folder is uploaded as a zip archive, which the component unpacks into `destination` after
   * the download: with `unzip` (or, where that is missing, Python 3's `zipfile`) on Linux and
   * macOS, with `Expand-Archive` on Windows.
   *
   * @param filePath the local file or folder
   * @param destination the absolute path on the instance, e.g. `/etc/nginx/nginx.conf`, or the
   * folder to unpack a folder into, e.g. `/var/www/site`
   * @param options asset options
   */
  public static fromAsset(filePath: string, destination: string, options: s3assets.AssetOptions = {}): ComponentFile {
    return new AssetComponentFile(filePath, destination, options);
  }

  /**
   * An object already in S3.
   *
   * @param bucket the bucket that holds the file
   * @param key the object key
   * @param destination the absolute path on the instance
   */
  public static fromBucket(bucket: s3.IBucket, key: string, destination: string): ComponentFile {
    return new BucketComponentFile(bucket, key, destination);
  }

  /**
   * A zip archive already in S3 (a build artifact, say), unpacked into `destination` after the
   * download, as a local folder given to `fromAsset` is.
   *
   * @param bucket the bucket that holds the archive
   * @param key the object key of the archive
   * @param destination the absolute path of the folder on the instance to unpack it into
   */
  public static fromBucketArchive(bucket: s3.IBucket, key: string, destination: string): ComponentFile {
    return new BucketComponentFile(bucket, key, destination, true);
  }

  /** The path on the instance the file is written to. */
  public abstract readonly destination: string;

  /**
   * Makes the file available to the component `scope`, uploading it if needed.
   *
   * @param scope the component
   * @param index the file's position in `files`, for construct IDs and messages
   */
  public abstract bind(scope: Construct, index: number): ComponentFileConfig;
}

class AssetComponentFile extends ComponentFile {
  public constructor(private readonly filePath: string, public readonly destination: string, private readonly options: s3assets.AssetOptions) {
    super();
  }

  public bind(scope: Construct, index: number): ComponentFileConfig {
    const fullPath = checkLocalPath(scope, `files[${index}]`, this.filePath);
    const asset = new s3assets.Asset(scope, `File${index}`, { ...this.options, path: fullPath });
    // A folder that the asset zips, told by what was staged: a .zip file, or the one file bundling
    // makes of a folder (a .zip too, say), is zipped already or not at all, and copied as it is.
    const staged = stagedPath(scope, asset);
    const folder = asset.isZipArchive && fs.statSync(staged).isDirectory();
    // The archive holds the files the staging kept (no empty folders, nothing `exclude` leaves
    // out), and unzip refuses an empty one: the build would fail at the unpacking.
    if (folder && !holdsFile(staged)) {
      throw validationError(`files[${index}] folder '${this.filePath}' has no file to upload (empty folders, and files that exclude ` +
        'leaves out, are not zipped): give a folder with files in it', scope);
    }
    return {
      source: asset.s3ObjectUrl,
      destination: this.destination,
      readStatements: readStatements(asset.bucket, asset.s3ObjectKey),
      folder: folder || undefined,
    };
  }
}

class BucketComponentFile extends ComponentFile {
  public constructor(
    private readonly bucket: s3.IBucket, private readonly key: string, public readonly destination: string, private readonly archive = false) {
    super();
  }

  public bind(scope: Construct, index: number): ComponentFileConfig {
    if (!Token.isUnresolved(this.key) && this.key.endsWith('/')) {
      throw validationError(`files[${index}] must name one object, got the key '${this.key}', which ends with '/'`, scope);
    }
    // In the instance role's s3:GetObject grant a `*` would match every object under the prefix.
    if (!Token.isUnresolved(this.key) && this.key.includes('*')) {
      throw validationError(`files[${index}] must name one object, got the key '${this.key}', which holds '*': ` +
        'list each file instead', scope);
    }
    const source = s3ObjectUrl(scope, `files[${index}]`, this.bucket, this.key);
    return { source, destination: this.destination, readStatements: readStatements(this.bucket, this.key), folder: this.archive || undefined };
  }
}

/** `s3:GetObject` on the one object; an object in a bucket with a customer managed key also needs to decrypt. */
function readStatements(bucket: s3.IBucket, key: string): iam.PolicyStatement[] {
  const statements = [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(key)] })];
  if (bucket.encryptionKey) {
    statements.push(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [bucket.encryptionKey.keyArn] }));
  }
  return statements;
}

/** Where the asset's files are for this synth: staged into the cloud assembly, or the source when staging is off. */
function stagedPath(scope: Construct, asset: s3assets.Asset): string {
  return path.isAbsolute(asset.assetPath) ? asset.assetPath : path.join(Stage.of(scope)!.outdir, asset.assetPath);
}

/** Whether the folder or one of its subfolders holds a file. */
function holdsFile(folder: string): boolean {
  return fs.readdirSync(folder, { withFileTypes: true }).some((entry) => !entry.isDirectory() || holdsFile(path.join(folder, entry.name)));
}
