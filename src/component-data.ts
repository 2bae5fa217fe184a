import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { ComponentDocument, ComponentPhaseName, ComponentStep } from './component-document';
import { Platform } from './platform';
import { isWholeToken, validateDocumentText } from './private/document-text';
import { validationError } from './private/errors';
import { generatedFile, readLocalFile, s3ObjectUrl } from './private/files';
import { stringifyDocument } from './private/toe/document-yaml';
import { characterCount } from './private/validation';

/**
 * Limits of the `CreateComponent` API and CloudFormation's `Data` (Maximum: 16000), counted in
 * characters (Unicode code points), not UTF-16 code units: an emoji is one character.
 */
const MAX_INLINE_DATA_LENGTH = 16_000;

/**
 * Where a component's document lives once bound to a component: inline text or an S3 URL.
 */
export interface ComponentDataConfig {
  /**
   * The document text, sent inline.
   *
   * @default - the document is read from `uri`
   */
  readonly data?: string;

  /**
   * The `s3://bucket/key` URL of the document.
   *
   * @default - the document is inline in `data`
   */
  readonly uri?: string;

  /**
   * The document text when it is known at synth time (inline text, a JSON object, a document or
   * a local file), so it can be checked before deployment.
   *
   * @default - not known until deployment (an S3 object)
   */
  readonly documentText?: string;

  /**
   * Where the document text came from, for messages (a file path).
   *
   * @default - written in code
   */
  readonly documentSource?: string;

  /**
   * The document as a parsed model, when the data came from one, so it is checked without
   * parsing its text again.
   *
   * @default - checked from `documentText`
   */
  readonly document?: ComponentDocument;
}

/**
 * The component types of a shell script: where its commands run.
 */
export enum ShellScriptType {
  /** Runs in the build phase, on the build instance. */
  BUILD = 'BUILD',
  /** Runs in the test phase, on the test instance. */
  TEST = 'TEST',
}

/**
 * The shell that runs a script.
 */
export enum ScriptShell {
  /** bash (`ExecuteBash`), on Linux and macOS. */
  BASH = 'bash',
  /** PowerShell (`ExecutePowerShell`), on Windows. */
  POWERSHELL = 'powershell',
}

/**
 * How a shell script becomes a component document.
 */
export interface ShellScriptOptions {
  /**
   * Whether the script builds the image or tests it.
   *
   * @default ShellScriptType.BUILD
   */
  readonly type?: ShellScriptType;

  /**
   * The shell that runs the script.
   *
   * @default - PowerShell in a component for Windows, else Bash
   */
  readonly shell?: ScriptShell;

  /**
   * The name of the step that runs the script.
   *
   * @default RunScript
   */
  readonly stepName?: string;

  /**
   * The document's name.
   *
   * @default - no name
   */
  readonly documentName?: string;

  /**
   * The document's description.
   *
   * @default - no description
   */
  readonly description?: string;
}

/**
 * The document of a component: the YAML that AWSTOE runs on the build or test instance.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-use-documents.html
 */
export abstract class ComponentData {
  /**
   * A YAML (or JSON) document given as text.
   *
   * @param document the document text, at most 16,000 characters
   */
  public static fromInline(document: string): ComponentData {
    return new InlineComponentData(document);
  }

  /**
   * A document given as an object, rendered to YAML.
   *
   * @param document the document, e.g. `{ schemaVersion: 1.0, phases: [...] }`
   */
  public static fromJsonObject(document: { [key: string]: any }): ComponentData {
    return new InlineComponentData(stringifyDocument(document, { indent: 2 }));
  }

  /**
   * A document written in code or read with `ComponentDocument.fromYaml`. Rendered inline, or
   * uploaded as an asset when it is longer than the 16,000 characters the service takes inline.
   *
   * @param document the document
   */
  public static fromDocument(document: ComponentDocument): ComponentData {
    return new DocumentComponentData(document);
  }

  /**
   * A shell script wrapped into a one-step document: the synth-time counterpart of the service's
   * `ImportComponent` with format `SHELL`.
   *
   * @param script the script text
   * @param options build or test, bash or PowerShell, names
   */
  public static fromShellScript(script: string, options: ShellScriptOptions = {}): ComponentData {
    return new ShellScriptComponentData(script, options);
  }

  /**
   * A local shell script file wrapped into a one-step document; see `fromShellScript`.
   *
   * @param filePath path to the script
   * @param options build or test, bash or PowerShell, names
   */
  public static fromShellScriptFile(filePath: string, options: ShellScriptOptions = {}): ComponentData {
    return new ShellScriptFileComponentData(filePath, options);
  }

  /**
   * A local file, uploaded to the CDK assets bucket at deployment.
   *
   * @param filePath path to the YAML file
   * @param options asset options
   */
  public static fromAsset(filePath: string, options: s3assets.AssetOptions = {}): ComponentData {
    return new AssetComponentData(filePath, options);
  }

  /**
   * A document already in S3. Image Builder reads it with the credentials of the deployment,
   * so the deploying role must be able to read the object.
   *
   * @param bucket the bucket that holds the document
   * @param key the object key of the document
   */
  public static fromS3(bucket: s3.IBucket, key: string): S3ComponentData {
    return new BucketObjectComponentData(bucket, key);
  }

  /**
   * Resolves the document for the component `scope`, creating an asset if needed.
   *
   * @param scope the component that uses this data
   */
  public abstract bind(scope: Construct): ComponentDataConfig;

  /**
   * The document model when the data is one, so that a component can add steps to a copy of it.
   *
   * @internal
   */
  public _document(): ComponentDocument | undefined {
    return undefined;
  }

  /**
   * The data as a component of `platform` takes it: the same, but for a shell script without a
   * `shell`, which runs in the platform's shell.
   *
   * @internal
   */
  public _forPlatform(_platform: Platform): ComponentData {
    return this;
  }
}

class InlineComponentData extends ComponentData {
  public constructor(private readonly document: string) {
    super();
  }

  public bind(scope: Construct): ComponentDataConfig {
    if (isWholeToken(this.document)) {
      return { data: this.document };
    }
    validateDocumentText(scope, 'data', this.document, 'component');
    validateInlineLength(scope, this.document);
    return { data: this.document, documentText: this.document };
  }
}

class DocumentComponentData extends ComponentData {
  public constructor(private readonly document: ComponentDocument) {
    super();
  }

  /** @internal */
  public _document(): ComponentDocument {
    return this.document;
  }

  public bind(scope: Construct): ComponentDataConfig {
    const text = this.document.toYaml();
    if (characterCount(text) <= MAX_INLINE_DATA_LENGTH) {
      return { ...new InlineComponentData(text).bind(scope), document: this.document };
    }
    // Too long to send inline: write it to a file in the assembly and upload it like any asset.
    // A file holds text alone, and a token in it would be uploaded as its placeholder.
    if (Token.isUnresolved(text)) {
      throw validationError(`data is a document of ${characterCount(text)} characters, more than the ${MAX_INLINE_DATA_LENGTH} sent inline, ` +
        'so it is uploaded as a file, which cannot hold values known only at deployment, and it holds some: keep the document under ' +
        'the inline limit, or take such values out of it (pass them as component parameters from the recipe; the S3 URLs of files ' +
        'are known at synth in a stack with an account and region)', scope);
    }
    const config = new AssetComponentData(generatedFile(scope, '.yml', text), {}).bind(scope);
    return { ...config, documentSource: undefined, document: this.document };
  }
}

class ShellScriptComponentData extends DocumentComponentData {
  public constructor(private readonly script: string, private readonly options: ShellScriptOptions) {
    super(shellScriptDocument(script, options));
  }

  /** @internal */
  public _forPlatform(platform: Platform): ComponentData {
    return this.options.shell ? this : new ShellScriptComponentData(this.script, { ...this.options, shell: platformShell(platform) });
  }
}

class ShellScriptFileComponentData extends ComponentData {
  public constructor(private readonly filePath: string, private readonly options: ShellScriptOptions) {
    super();
  }

  public bind(scope: Construct): ComponentDataConfig {
    const script = readLocalFile(scope, 'shell script', this.filePath);
    return new DocumentComponentData(shellScriptDocument(script, this.options)).bind(scope);
  }

  /** @internal */
  public _forPlatform(platform: Platform): ComponentData {
    return this.options.shell ? this : new ShellScriptFileComponentData(this.filePath, { ...this.options, shell: platformShell(platform) });
  }
}

/** The shell a script runs in on `platform` when none is given. */
function platformShell(platform: Platform): ScriptShell {
  return platform === Platform.WINDOWS ? ScriptShell.POWERSHELL : ScriptShell.BASH;
}

class AssetComponentData extends ComponentData {
  private readonly assets = new Map<Construct, s3assets.Asset>();

  public constructor(private readonly filePath: string, private readonly options: s3assets.AssetOptions) {
    super();
  }

  public bind(scope: Construct): ComponentDataConfig {
    const fullPath = path.resolve(this.filePath);
    const text = readLocalFile(scope, 'data asset', this.filePath);
    validateDocumentText(scope, `data asset '${this.filePath}'`, text, 'component');

    // One asset per component that uses this data; a second bind to the same scope reuses it.
    let asset = this.assets.get(scope);
    if (!asset) {
      asset = new s3assets.Asset(scope, 'Document', { ...this.options, path: fullPath });
      this.assets.set(scope, asset);
    }
    return { uri: asset.s3ObjectUrl, documentText: text, documentSource: this.filePath };
  }
}

/**
 * A component document in S3, as `ComponentData.fromS3` gives it: the object, and grants on it.
 */
export abstract class S3ComponentData extends ComponentData {
  /**
   * @param bucket the bucket that holds the document
   * @param key the object key of the document
   */
  protected constructor(
    /** The bucket that holds the document. */
    public readonly bucket: s3.IBucket,
    /** The object key of the document. */
    public readonly key: string) {
    super();
  }

  /**
   * Grants reading the document object, e.g. to the role that deploys the stack, which Image Builder
   * reads it as: aws-cdk-lib's `bucket.grantRead(grantee, key)`, that is `s3:GetObject*`,
   * `s3:GetBucket*` and `s3:List*` on the bucket and the object, and `kms:Decrypt` and
   * `kms:DescribeKey` on the bucket's KMS key, if it has one.
   *
   * @param grantee the principal
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.bucket.grantRead(grantee, this.key);
  }

  /**
   * Grants writing the document object, e.g. to the job that publishes new versions of it:
   * aws-cdk-lib's `bucket.grantPut(grantee, key)`, that is `s3:PutObject` with its legal hold,
   * retention and tagging actions (`s3:PutObject*` under aws-cdk-lib's older feature flag) and
   * `s3:Abort*` on the object, and `kms:Encrypt`, `kms:ReEncrypt*`, `kms:GenerateDataKey*` and
   * `kms:Decrypt` on the bucket's KMS key, if it has one.
   *
   * @param grantee the principal
   */
  public grantPut(grantee: iam.IGrantable): iam.Grant {
    return this.bucket.grantPut(grantee, this.key);
  }

  public bind(scope: Construct): ComponentDataConfig {
    return { uri: s3ObjectUrl(scope, 'data', this.bucket, this.key) };
  }
}

/** The only kind of S3ComponentData: its constructor is protected so that `ComponentData.fromS3` is the one way to make one. */
class BucketObjectComponentData extends S3ComponentData {
  public constructor(bucket: s3.IBucket, key: string) {
    super(bucket, key);
  }
}

/** A one-step document running the script in the build or test phase. */
function shellScriptDocument(script: string, options: ShellScriptOptions): ComponentDocument {
  const document = new ComponentDocument({ name: options.documentName, description: options.description });
  const stepName = options.stepName ?? 'RunScript';
  const step = options.shell === ScriptShell.POWERSHELL
    ? ComponentStep.executePowerShell(stepName, { commands: [script] })
    : ComponentStep.executeBash(stepName, { commands: [script] });
  document.addSteps(options.type === ShellScriptType.TEST ? ComponentPhaseName.TEST : ComponentPhaseName.BUILD, step);
  return document;
}

/** Inline `data` is limited to 16,000 characters; S3 documents are not. */
function validateInlineLength(scope: Construct, text: string): void {
  const count = characterCount(text);
  if (count > MAX_INLINE_DATA_LENGTH) {
    throw validationError(
      `data must be at most ${MAX_INLINE_DATA_LENGTH} characters when inline, got ${count}; ` +
      'put larger documents in S3 with ComponentData.fromAsset or ComponentData.fromS3', scope);
  }
}
