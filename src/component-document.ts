import { Duration, Token } from 'aws-cdk-lib';
import {
  AppendFileStepProps, CreateSymlinkStepProps, DeleteFileStepProps, DeleteFolderStepProps, ExecuteDocumentStepProps,
  ListFilesStepProps, MsiStepProps, ReadFileStepProps, SetFileEncodingStepProps, SetFileOwnerStepProps,
  SetFilePermissionsStepProps, SetFolderOwnerStepProps, SetFolderPermissionsStepProps, TransferStepProps,
} from './component-step-props';
import { Platform } from './platform';
import { unscopedValidationError } from './private/errors';
import { DocumentFinding, LineLocator, parseDocumentYaml, validateDocument } from './private/toe/document-validator';
import { stringifyDocument } from './private/toe/document-yaml';

/**
 * The phases of an AWSTOE document.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-use-documents.html
 */
export enum ComponentPhaseName {
  /** Runs on the build instance and changes it. */
  BUILD = 'build',
  /** Runs on the build instance after `build`, to check the changes. */
  VALIDATE = 'validate',
  /** Runs on the test instance launched from the new image. */
  TEST = 'test',
  /** Runs on the instance that built a container image, after the build. */
  CONTAINER_HOST_TEST = 'container-host-test',
}

/**
 * What AWSTOE does when a step fails.
 */
export enum StepOnFailure {
  /** Fail the step and stop the document. */
  ABORT = 'Abort',
  /** Fail the step and go on with the next one. */
  CONTINUE = 'Continue',
  /** Mark the step ignored and go on with the next one. */
  IGNORE = 'Ignore',
}

/**
 * A parameter of the document; recipes give its value per component.
 */
export interface ComponentParameterProps {
  /**
   * The value when the recipe gives none.
   *
   * @default - none: recipes must give a value
   */
  readonly defaultValue?: string;

  /**
   * What the parameter is for.
   *
   * @default - no description
   */
  readonly description?: string;
}

/**
 * A loop over a step: AWSTOE runs the step once per value, exposing `{{ loop.value }}` and
 * `{{ loop.index }}` (or `{{ <name>.value }}` for a named loop).
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-looping-constructs.html
 */
export class StepLoop {
  /**
   * Integers from `start` to `end` inclusive.
   *
   * @param start first value
   * @param end last value
   * @param updateBy step between values, non-zero
   * @param name loop name, to reference it from a nested expression
   */
  public static range(start: number, end: number, updateBy: number = 1, name?: string): StepLoop {
    return new StepLoop({ ...(name ? { name } : {}), for: { start, end, updateBy } });
  }

  /**
   * Each of the given strings.
   *
   * @param values the values
   * @param name loop name, to reference it from a nested expression
   */
  public static forEach(values: string[], name?: string): StepLoop {
    return new StepLoop({ ...(name ? { name } : {}), forEach: values });
  }

  /**
   * Each part of a delimited string.
   *
   * @param list the string to split
   * @param delimiter the separator, e.g. `,`
   * @param name loop name, to reference it from a nested expression
   */
  public static forEachSplit(list: string, delimiter: string, name?: string): StepLoop {
    return new StepLoop({ ...(name ? { name } : {}), forEach: { list, delimiter } });
  }

  /** The loop as it appears in the document. */
  public readonly rendered: any;

  private constructor(rendered: any) {
    this.rendered = rendered;
  }
}

/**
 * A condition on a step (`if`) or the input of an `Assert` step: AWSTOE comparison and logical
 * operators as an object.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-conditional-constructs.html
 */
export class StepCondition {
  /**
   * `stringEquals`: `value` equals `expected`.
   */
  public static stringEquals(value: string, expected: string): StepCondition {
    return new StepCondition({ stringEquals: expected, value });
  }

  /**
   * `numberEquals`: `value` equals `expected`.
   */
  public static numberEquals(value: string, expected: number): StepCondition {
    return new StepCondition({ numberEquals: expected, value });
  }

  /**
   * `and`: every condition holds.
   */
  public static and(...conditions: StepCondition[]): StepCondition {
    return new StepCondition({ and: conditions.map((c) => c.rendered) });
  }

  /**
   * `or`: at least one condition holds.
   */
  public static or(...conditions: StepCondition[]): StepCondition {
    return new StepCondition({ or: conditions.map((c) => c.rendered) });
  }

  /**
   * `not`: the condition does not hold.
   */
  public static not(condition: StepCondition): StepCondition {
    return new StepCondition({ not: condition.rendered });
  }

  /**
   * Any other comparison, as AWSTOE writes it, e.g. `{ patternMatches: '^v[0-9]+', value: '{{ Version }}' }`.
   */
  public static fromObject(condition: { [key: string]: any }): StepCondition {
    return new StepCondition(condition);
  }

  /** The condition as it appears in the document. */
  public readonly rendered: any;

  private constructor(rendered: any) {
    this.rendered = rendered;
  }
}

/**
 * Settings every step has.
 */
export interface StepOptions {
  /**
   * What to do when the step fails.
   *
   * @default StepOnFailure.ABORT
   */
  readonly onFailure?: StepOnFailure;

  /**
   * How long the step may run, in whole seconds.
   *
   * @default - AWSTOE's default of 7,200 seconds
   */
  readonly timeout?: Duration;

  /**
   * How many times to try the step before it fails, at least 1.
   *
   * @default 1
   */
  readonly maxAttempts?: number;

  /**
   * Runs the step once per loop value.
   *
   * @default - runs once
   */
  readonly loop?: StepLoop;

  /**
   * Runs the step only when the condition holds.
   *
   * @default - always runs
   */
  readonly condition?: StepCondition;
}

/**
 * An `ExecuteBash` step.
 */
export interface ExecuteBashStepProps extends StepOptions {
  /** The commands, run as one bash script. */
  readonly commands: string[];
}

/**
 * An `ExecutePowerShell` step (Windows).
 */
export interface ExecutePowerShellStepProps extends StepOptions {
  /** The commands, run as one PowerShell script. */
  readonly commands: string[];

  /**
   * The PowerShell execution policy for the rest of the script: `AllSigned`, `Bypass`, `Default`,
   * `RemoteSigned`, `Restricted`, `Undefined` or `Unrestricted` (any other value fails synthesis).
   *
   * `ExecutePowerShell` has no input for it, so the step starts with the command
   * `Set-ExecutionPolicy -ExecutionPolicy <value> -Scope Process -Force`: it applies to the scripts
   * and modules that the commands run, for this step only. This step always runs `commands`; a
   * step that runs a script `file` (with `ComponentStep.custom`) cannot set the policy this way.
   *
   * @default - the instance's policy
   */
  readonly executionPolicy?: string;
}

/**
 * An `ExecuteBinary` step.
 */
export interface ExecuteBinaryStepProps extends StepOptions {
  /** The path of the executable. */
  readonly path: string;

  /**
   * Its arguments.
   *
   * @default - none
   */
  readonly arguments?: string[];
}

/**
 * One object for `S3Download`.
 */
export interface S3DownloadItem {
  /** The `s3://bucket/key` to download; a key ending in `/*` downloads a prefix. */
  readonly source: string;
  /** The local path to write to. */
  readonly destination: string;
  /**
   * The account that must own the bucket.
   *
   * @default - not checked
   */
  readonly expectedBucketOwner?: string;
  /**
   * Overwrite an existing file.
   *
   * @default true
   */
  readonly overwrite?: boolean;
}

/**
 * An `S3Download` step.
 */
export interface S3DownloadStepProps extends StepOptions {
  /** The objects to download. */
  readonly downloads: S3DownloadItem[];
}

/**
 * One file or folder for `S3Upload`.
 */
export interface S3UploadItem {
  /** The local file or folder; a path ending in `/*` uploads a folder's content. */
  readonly source: string;
  /** The `s3://bucket/key` to upload to. */
  readonly destination: string;
  /**
   * Upload folders recursively.
   *
   * @default false
   */
  readonly recurse?: boolean;
  /**
   * The account that must own the bucket.
   *
   * @default - not checked
   */
  readonly expectedBucketOwner?: string;
}

/**
 * An `S3Upload` step.
 */
export interface S3UploadStepProps extends StepOptions {
  /** The files to upload. */
  readonly uploads: S3UploadItem[];
}

/**
 * One file for `WebDownload`.
 */
export interface WebDownloadItem {
  /** The `https://` URL. */
  readonly source: string;
  /** The local path to write to. */
  readonly destination: string;
  /**
   * The expected checksum of the file.
   *
   * @default - not checked
   */
  readonly checksum?: string;
  /**
   * The checksum algorithm: MD5, SHA1, SHA256 or SHA512.
   *
   * @default - none
   */
  readonly algorithm?: string;
  /**
   * Overwrite an existing file.
   *
   * @default true
   */
  readonly overwrite?: boolean;
}

/**
 * A `WebDownload` step.
 */
export interface WebDownloadStepProps extends StepOptions {
  /** The files to download. */
  readonly downloads: WebDownloadItem[];
}

/**
 * A `CreateFile` step.
 */
export interface CreateFileStepProps extends StepOptions {
  /** The file to create. */
  readonly path: string;
  /**
   * The file's content.
   *
   * @default - an empty file
   */
  readonly content?: string;
  /**
   * Replace an existing file.
   *
   * @default true
   */
  readonly overwrite?: boolean;
}

/**
 * A `CreateFolder` step.
 */
export interface CreateFolderStepProps extends StepOptions {
  /** The folder to create. */
  readonly path: string;
  /**
   * Succeed if the folder exists.
   *
   * @default true
   */
  readonly overwrite?: boolean;
}

/**
 * An `UpdateOS` step.
 */
export interface UpdateOsStepProps extends StepOptions {
  /**
   * Only these updates (package names on Linux, KB numbers or categories on Windows).
   *
   * @default - every update
   */
  readonly include?: string[];
  /**
   * Skip these updates.
   *
   * @default - none skipped
   */
  readonly exclude?: string[];
}

/**
 * A `Reboot` step.
 */
export interface RebootStepProps extends StepOptions {
  /**
   * Wait this long before rebooting.
   *
   * @default - reboot at once
   */
  readonly delay?: Duration;
}

/**
 * A step of a phase: one action with its inputs.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-action-modules.html
 */
export class ComponentStep {
  /** Runs bash commands (Linux, macOS). */
  public static executeBash(name: string, props: ExecuteBashStepProps): ComponentStep {
    return new ComponentStep(name, 'ExecuteBash', { commands: props.commands }, props);
  }

  /** Runs PowerShell commands (Windows). */
  public static executePowerShell(name: string, props: ExecutePowerShellStepProps): ComponentStep {
    const policy = props.executionPolicy;
    if (policy !== undefined && !Token.isUnresolved(policy)
      && !POWERSHELL_EXECUTION_POLICIES.some((p) => p.toLowerCase() === policy.toLowerCase())) {
      throw unscopedValidationError(
        `executionPolicy of step '${name}' must be one of ${POWERSHELL_EXECUTION_POLICIES.join(', ')}, got '${policy}'`);
    }
    const commands = policy === undefined
      ? props.commands
      : [`Set-ExecutionPolicy -ExecutionPolicy ${policy} -Scope Process -Force`, ...props.commands];
    return new ComponentStep(name, 'ExecutePowerShell', { commands }, props);
  }

  /** Runs an executable. */
  public static executeBinary(name: string, props: ExecuteBinaryStepProps): ComponentStep {
    return new ComponentStep(name, 'ExecuteBinary', { path: props.path, arguments: props.arguments }, props);
  }

  /** Downloads objects from S3. */
  public static s3Download(name: string, props: S3DownloadStepProps): ComponentStep {
    return new ComponentStep(name, 'S3Download', props.downloads.map((d) => ({ ...d })), props);
  }

  /** Uploads files to S3. */
  public static s3Upload(name: string, props: S3UploadStepProps): ComponentStep {
    return new ComponentStep(name, 'S3Upload', props.uploads.map((u) => ({ ...u })), props);
  }

  /** Downloads files over HTTPS. */
  public static webDownload(name: string, props: WebDownloadStepProps): ComponentStep {
    return new ComponentStep(name, 'WebDownload', props.downloads.map((d) => ({ ...d })), props);
  }

  /** Creates a file. */
  public static createFile(name: string, props: CreateFileStepProps): ComponentStep {
    return new ComponentStep(name, 'CreateFile', [{ path: props.path, content: props.content, overwrite: props.overwrite }], props);
  }

  /** Creates a folder. */
  public static createFolder(name: string, props: CreateFolderStepProps): ComponentStep {
    return new ComponentStep(name, 'CreateFolder', [{ path: props.path, overwrite: props.overwrite }], props);
  }

  /** Copies files (`CopyFile`); a wildcard source copies every match. */
  public static copyFile(name: string, props: TransferStepProps): ComponentStep {
    return ComponentStep.transfer(name, 'CopyFile', props);
  }

  /** Copies folders with their contents (`CopyFolder`). */
  public static copyFolder(name: string, props: TransferStepProps): ComponentStep {
    return ComponentStep.transfer(name, 'CopyFolder', props);
  }

  /** Moves files (`MoveFile`). */
  public static moveFile(name: string, props: TransferStepProps): ComponentStep {
    return ComponentStep.transfer(name, 'MoveFile', props);
  }

  /** Moves folders with their contents (`MoveFolder`). */
  public static moveFolder(name: string, props: TransferStepProps): ComponentStep {
    return ComponentStep.transfer(name, 'MoveFolder', props);
  }

  /** Deletes files (`DeleteFile`). */
  public static deleteFile(name: string, props: DeleteFileStepProps): ComponentStep {
    return new ComponentStep(name, 'DeleteFile', [{ path: props.path }], props);
  }

  /** Deletes a folder (`DeleteFolder`). */
  public static deleteFolder(name: string, props: DeleteFolderStepProps): ComponentStep {
    return new ComponentStep(name, 'DeleteFolder', [{ path: props.path, force: props.force }], props);
  }

  /** Appends text to a file (`AppendFile`). */
  public static appendFile(name: string, props: AppendFileStepProps): ComponentStep {
    return new ComponentStep(name, 'AppendFile', [{ path: props.path, content: props.content, encoding: props.encoding }], props);
  }

  /** Reads a text file into the step's `content` output (`ReadFile`). */
  public static readFile(name: string, props: ReadFileStepProps): ComponentStep {
    return new ComponentStep(name, 'ReadFile', [{ path: props.path, encoding: props.encoding, printFileContent: props.printFileContent }], props);
  }

  /** Lists the files of a folder into the step's `files` output (`ListFiles`). */
  public static listFiles(name: string, props: ListFilesStepProps): ComponentStep {
    return new ComponentStep(name, 'ListFiles',
      [{ path: props.path, fileNamePattern: props.fileNamePattern, recursive: props.recursive }], props);
  }

  /** Converts a UTF-8 file to another encoding (`SetFileEncoding`). */
  public static setFileEncoding(name: string, props: SetFileEncodingStepProps): ComponentStep {
    return new ComponentStep(name, 'SetFileEncoding', [{ path: props.path, encoding: props.encoding }], props);
  }

  /** Runs another component document (`ExecuteDocument`). */
  public static executeDocument(name: string, props: ExecuteDocumentStepProps): ComponentStep {
    return new ComponentStep(name, 'ExecuteDocument', {
      'document': props.document,
      'document-s3-bucket-owner': props.documentS3BucketOwner,
      'phases': props.phases?.join(','),
      'parameters': props.parameters && Object.entries(props.parameters).map(([parameter, value]) => ({ name: parameter, value })),
    }, props);
  }

  /** Creates a symbolic link (`CreateSymlink`; Linux, macOS; a warning on Windows, where the AWSTOE guide contradicts itself). */
  public static createSymlink(name: string, props: CreateSymlinkStepProps): ComponentStep {
    return new ComponentStep(name, 'CreateSymlink', [{ path: props.path, target: props.target, force: props.force }], props);
  }

  /** Sets a file's permissions (`SetFilePermissions`; Linux, macOS). */
  public static setFilePermissions(name: string, props: SetFilePermissionsStepProps): ComponentStep {
    return new ComponentStep(name, 'SetFilePermissions', [{ path: props.path, permissions: props.permissions }], props);
  }

  /** Sets a folder's permissions (`SetFolderPermissions`; Linux, macOS). */
  public static setFolderPermissions(name: string, props: SetFolderPermissionsStepProps): ComponentStep {
    return new ComponentStep(name, 'SetFolderPermissions',
      [{ path: props.path, permissions: props.permissions, recursive: props.recursive }], props);
  }

  /** Sets a file's owner (`SetFileOwner`; Linux, macOS). */
  public static setFileOwner(name: string, props: SetFileOwnerStepProps): ComponentStep {
    return new ComponentStep(name, 'SetFileOwner', [{ path: props.path, owner: props.owner, group: props.group }], props);
  }

  /** Sets a folder's owner (`SetFolderOwner`; Linux, macOS). */
  public static setFolderOwner(name: string, props: SetFolderOwnerStepProps): ComponentStep {
    return new ComponentStep(name, 'SetFolderOwner',
      [{ path: props.path, owner: props.owner, group: props.group, recursive: props.recursive }], props);
  }

  /** Installs an MSI package (`InstallMSI`; Windows). */
  public static installMsi(name: string, props: MsiStepProps): ComponentStep {
    return ComponentStep.msi(name, 'InstallMSI', props);
  }

  /** Uninstalls an MSI package (`UninstallMSI`; Windows). */
  public static uninstallMsi(name: string, props: MsiStepProps): ComponentStep {
    return ComponentStep.msi(name, 'UninstallMSI', props);
  }

  /** Installs OS updates. */
  public static updateOs(name: string, props: UpdateOsStepProps = {}): ComponentStep {
    return new ComponentStep(name, 'UpdateOS', { include: props.include, exclude: props.exclude }, props);
  }

  /** Reboots the instance; AWSTOE resumes with the next step. */
  public static reboot(name: string, props: RebootStepProps = {}): ComponentStep {
    return new ComponentStep(name, 'Reboot', { delaySeconds: props.delay?.toSeconds() }, props);
  }

  /** Fails the step unless the condition holds. */
  public static assert(name: string, assertion: StepCondition, options: StepOptions = {}): ComponentStep {
    return new ComponentStep(name, 'Assert', assertion.rendered, options);
  }

  /**
   * Any other action, with its inputs as AWSTOE writes them.
   *
   * @param name the step name
   * @param action the action module, e.g. `SetRegistry`
   * @param inputs the inputs: an object, or a list of objects
   * @param options common step settings
   */
  public static custom(name: string, action: string, inputs: any, options: StepOptions = {}): ComponentStep {
    return new ComponentStep(name, action, inputs, options);
  }

  private static transfer(name: string, action: string, props: TransferStepProps): ComponentStep {
    return new ComponentStep(name, action, [{ source: props.source, destination: props.destination, overwrite: props.overwrite }], props);
  }

  private static msi(name: string, action: string, props: MsiStepProps): ComponentStep {
    return new ComponentStep(name, action, {
      path: props.path,
      reboot: props.reboot,
      logOptions: props.logOptions,
      logFile: props.logFile,
      properties: props.properties,
      ignoreAuthenticodeSignatureErrors: props.ignoreAuthenticodeSignatureErrors,
      allowUnsignedInstaller: props.allowUnsignedInstaller,
    }, props);
  }

  /** The step's name. */
  public readonly name: string;
  /** The step's action module. */
  public readonly action: string;

  private readonly inputs: any;
  private readonly options: StepOptions;

  private constructor(name: string, action: string, inputs: any, options: StepOptions) {
    this.name = name;
    this.action = action;
    this.inputs = withoutUndefined(inputs);
    this.options = options;
  }

  /** The step as it appears in the document. */
  public toJsonObject(): any {
    const o = this.options;
    return withoutUndefined({
      name: this.name,
      action: this.action,
      timeoutSeconds: o.timeout?.toSeconds(),
      onFailure: o.onFailure,
      maxAttempts: o.maxAttempts,
      loop: o.loop?.rendered,
      if: o.condition?.rendered,
      inputs: this.inputs,
    });
  }
}

/**
 * Properties of a {@link ComponentDocument} written in code.
 */
export interface ComponentDocumentProps {
  /**
   * The document's name.
   *
   * @default - no name
   */
  readonly name?: string;

  /**
   * What the document does.
   *
   * @default - no description
   */
  readonly description?: string;
}

/**
 * Options for checking a document.
 */
export interface ComponentDocumentValidateOptions {
  /**
   * The platform the document runs on, to catch actions that do not exist there.
   *
   * @default - actions of any platform are accepted
   */
  readonly platform?: Platform;
}

/**
 * A finding of document validation.
 */
export interface ComponentDocumentFinding {
  /** `error` fails synthesis; `warning` is reported and synthesis goes on. */
  readonly severity: string;
  /** What is wrong, naming the phase and step. */
  readonly message: string;
  /**
   * The YAML line, when the document came from text.
   *
   * @default - not known
   */
  readonly line?: number;
}

/**
 * An AWSTOE component document (schema version 1.0): written in code with `addStep`, or read from
 * YAML or an object. It renders YAML and is checked at synth time.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-use-documents.html
 */
export class ComponentDocument {
  /**
   * Reads a YAML (or JSON) document. Syntax errors are reported with their line; other problems
   * are reported by `validate()` and by the component that uses the document.
   *
   * @param text the document text
   */
  public static fromYaml(text: string): ComponentDocument {
    const parsed = parseDocumentYaml(text);
    if (parsed.syntaxErrors.length > 0) {
      throw unscopedValidationError(`component document is not valid YAML: ${parsed.syntaxErrors.map((e) => e.message).join('; ')}`);
    }
    return new ComponentDocument()._load(parsed.document, parsed.locate, text, parsed.syntaxWarnings);
  }

  /**
   * Reads a document given as an object.
   *
   * @param document the document, e.g. `{ schemaVersion: 1.0, phases: [...] }`
   */
  public static fromJsonObject(document: { [key: string]: any }): ComponentDocument {
    return new ComponentDocument()._load(structuredClone(document));
  }

  private document: any;
  private locate?: LineLocator;
  private sourceText?: string;
  private syntaxWarnings: DocumentFinding[] = [];

  public constructor(props: ComponentDocumentProps = {}) {
    this.document = withoutUndefined({
      name: props.name,
      description: props.description,
      schemaVersion: 1.0,
      phases: [],
    });
  }

  /**
   * Replaces the content with a parsed document (and, for text, where each part came from).
   *
   * @internal
   */
  public _load(document: any, locate?: LineLocator, sourceText?: string, syntaxWarnings: DocumentFinding[] = []): ComponentDocument {
    this.document = document;
    this.locate = locate;
    this.sourceText = sourceText;
    this.syntaxWarnings = syntaxWarnings;
    return this;
  }

  /**
   * Declares a string parameter, referenced as `{{ name }}`.
   *
   * @param name the parameter name
   * @param props default value and description
   */
  public addParameter(name: string, props: ComponentParameterProps = {}): void {
    this.forgetSource();
    this.document.parameters ??= [];
    this.document.parameters.push({
      [name]: withoutUndefined({ type: 'string', default: props.defaultValue, description: props.description }),
    });
  }

  /**
   * Declares a string constant, referenced as `{{ name }}`.
   *
   * @param name the constant name
   * @param value its value
   */
  public addConstant(name: string, value: string): void {
    this.forgetSource();
    this.document.constants ??= [];
    this.document.constants.push({ [name]: { type: 'string', value } });
  }

  /**
   * Appends steps to a phase, creating the phase (in build, validate, test order) if needed.
   *
   * @param phase the phase
   * @param steps the steps, in the order they run
   */
  public addSteps(phase: ComponentPhaseName, ...steps: ComponentStep[]): void {
    this.forgetSource();
    const phases: any[] = this.document.phases ??= [];
    let target = phases.find((p) => p?.name === phase);
    if (!target) {
      target = { name: phase, steps: [] };
      phases.push(target);
      const order = Object.values(ComponentPhaseName) as string[];
      phases.sort((a, b) => order.indexOf(a?.name) - order.indexOf(b?.name));
    }
    target.steps.push(...steps.map((s) => s.toJsonObject()));
  }

  /**
   * Checks the document as AWSTOE would before running it.
   *
   * @param options the platform to check actions against
   */
  public validate(options: ComponentDocumentValidateOptions = {}): ComponentDocumentFinding[] {
    return this._findings(options.platform).map((f) => ({ severity: f.severity, message: f.message, line: f.line }));
  }

  /**
   * The findings of `validate`, for a component that uses this document.
   *
   * @internal
   */
  public _findings(platform?: Platform): DocumentFinding[] {
    return [...this.syntaxWarnings, ...validateDocument(this.document, { platform, locate: this.locate, text: this.sourceText })];
  }

  /**
   * The document itself, not a copy, for a reader that changes nothing and keeps no part of it.
   *
   * @internal
   */
  public _content(): any {
    return this.document;
  }

  /**
   * A copy with `step` first in the first phase (a build phase when there is none).
   *
   * @internal
   */
  public _withFirstStep(step: ComponentStep): ComponentDocument {
    const copy = ComponentDocument.fromJsonObject(this.toJsonObject());
    const first = copy._firstPhase();
    const phases = copy.document.phases;
    if (first) {
      first.steps.unshift(step.toJsonObject());
    } else if (phases === undefined || (Array.isArray(phases) && phases.length === 0)) {
      copy.addSteps(ComponentPhaseName.BUILD, step);
    }
    // Any other shape is left for the document check to report.
    return copy;
  }

  /**
   * The first phase with a list of steps, as the document holds it; undefined when there is none.
   *
   * @internal
   */
  public _firstPhase(): { name: string; steps: any[] } | undefined {
    const phases = this.document.phases;
    return Array.isArray(phases) ? phases.find((p) => Array.isArray(p?.steps)) : undefined;
  }

  /** The document as YAML. Text read with `fromYaml` is returned unchanged. */
  public toYaml(): string {
    return this.sourceText ?? stringifyDocument(this.document, { indent: 2, lineWidth: 0 });
  }

  /** The document as an object. */
  public toJsonObject(): any {
    return structuredClone(this.document);
  }

  /** Once changed in code, the document is rendered anew and has no source lines. */
  private forgetSource(): void {
    this.sourceText = undefined;
    this.locate = undefined;
    this.syntaxWarnings = [];
  }
}

/** The values of PowerShell's `-ExecutionPolicy` (Microsoft.PowerShell.ExecutionPolicy), matched ignoring case as PowerShell does. */
const POWERSHELL_EXECUTION_POLICIES = ['AllSigned', 'Bypass', 'Default', 'RemoteSigned', 'Restricted', 'Undefined', 'Unrestricted'];

/** Drops keys whose value is `undefined`, so they do not appear in the YAML. */
function withoutUndefined(value: any): any {
  if (Array.isArray(value)) {
    return value.map(withoutUndefined);
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)]));
  }
  return value;
}
