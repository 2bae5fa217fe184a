/**
 * Properties of the file system and software installation steps of `ComponentStep`. Defaults are
 * AWSTOE's, from the action modules reference.
 */
import type { ComponentPhaseName, StepOptions } from './component-document';

/**
 * A `CopyFile`, `CopyFolder`, `MoveFile` or `MoveFolder` step.
 */
export interface TransferStepProps extends StepOptions {
  /** The file or folder; a `*` wildcard is allowed after the last path separator. */
  readonly source: string;

  /**
   * Where it goes. Ending in a path separator (`/` or `\`) means "into this folder, under the
   * source's name", as a wildcard source needs.
   */
  readonly destination: string;

  /**
   * Replace a file or folder of that name at the destination; with `false` one there fails the step.
   *
   * @default true
   */
  readonly overwrite?: boolean;
}

/**
 * A `DeleteFile` step.
 */
export interface DeleteFileStepProps extends StepOptions {
  /** The file; a `*` wildcard in the file name deletes every match in that folder. */
  readonly path: string;
}

/**
 * A `DeleteFolder` step.
 */
export interface DeleteFolderStepProps extends StepOptions {
  /** The folder. */
  readonly path: string;

  /**
   * Delete the folder with its contents; without it a folder that is not empty fails the step.
   *
   * @default false
   */
  readonly force?: boolean;
}

/**
 * An `AppendFile` step.
 */
export interface AppendFileStepProps extends StepOptions {
  /** The file. */
  readonly path: string;

  /** The text to append. */
  readonly content: string;

  /**
   * The file's encoding: `utf8`, `utf16` or `utf32`, the last two also with `-LE` or `-BE`
   * (`utf16-BE`); a hyphen after `utf` (`utf-8`) and any case are allowed.
   *
   * @default utf8
   */
  readonly encoding?: string;
}

/**
 * A `ReadFile` step: the text goes to the step's `content` output
 * (`{{ build.<step>.outputs.content }}`).
 */
export interface ReadFileStepProps extends StepOptions {
  /** The text file; a symbolic link is followed. */
  readonly path: string;

  /**
   * The file's encoding, as for `AppendFileStepProps.encoding`.
   *
   * @default utf8
   */
  readonly encoding?: string;

  /**
   * Also write the content to AWSTOE's console log.
   *
   * @default false
   */
  readonly printFileContent?: boolean;
}

/**
 * A `ListFiles` step: the paths go to the step's `files` output, comma-separated
 * (`{{ build.<step>.outputs.files }}`).
 */
export interface ListFilesStepProps extends StepOptions {
  /** The folder. */
  readonly path: string;

  /**
   * Only names that match this pattern, with `*` wildcards (`*.log`).
   *
   * @default - every file
   */
  readonly fileNamePattern?: string;

  /**
   * List the files in subfolders too.
   *
   * @default false
   */
  readonly recursive?: boolean;
}

/**
 * A `SetFileEncoding` step: converts a UTF-8 file to another encoding.
 */
export interface SetFileEncodingStepProps extends StepOptions {
  /** The file. */
  readonly path: string;

  /**
   * The encoding to convert to, as for `AppendFileStepProps.encoding`.
   *
   * @default utf8
   */
  readonly encoding?: string;
}

/**
 * An `ExecuteDocument` step: runs another component document. AWSTOE runs it once and without a
 * time limit, so `timeout` and `maxAttempts` other than those fail validation.
 */
export interface ExecuteDocumentStepProps extends StepOptions {
  /**
   * The document: a local path, an `s3://` URI or a component's ARN (`component.componentArn`).
   */
  readonly document: string;

  /**
   * The phases of the document to run.
   *
   * @default - every phase
   */
  readonly phases?: ComponentPhaseName[];

  /**
   * Values of the document's parameters.
   *
   * @default - the document's defaults
   */
  readonly parameters?: { [name: string]: string };

  /**
   * The account that owns the bucket of an `s3://` document, checked when it is read.
   *
   * @default - not checked
   */
  readonly documentS3BucketOwner?: string;
}

/**
 * A `CreateSymlink` step (Linux, macOS; on Windows, where the AWSTOE guide contradicts itself, it warns).
 */
export interface CreateSymlinkStepProps extends StepOptions {
  /** The link to create. */
  readonly path: string;

  /** The file the link points to; it must exist when the step runs. */
  readonly target: string;

  /**
   * Replace a link of that name; without it an existing link fails the step.
   *
   * @default false
   */
  readonly force?: boolean;
}

/**
 * A `SetFilePermissions` step (Linux, macOS).
 */
export interface SetFilePermissionsStepProps extends StepOptions {
  /** The file. */
  readonly path: string;

  /** The permissions in octal, as a string: `'0644'`. */
  readonly permissions: string;
}

/**
 * A `SetFolderPermissions` step (Linux, macOS).
 */
export interface SetFolderPermissionsStepProps extends StepOptions {
  /** The folder. */
  readonly path: string;

  /** The permissions in octal, as a string: `'0755'`. */
  readonly permissions: string;

  /**
   * Set them on everything in the folder too.
   *
   * @default true
   */
  readonly recursive?: boolean;
}

/**
 * A `SetFileOwner` step (Linux, macOS).
 */
export interface SetFileOwnerStepProps extends StepOptions {
  /** The file. */
  readonly path: string;

  /** The user name. */
  readonly owner: string;

  /**
   * The group name.
   *
   * @default - the owner's group
   */
  readonly group?: string;
}

/**
 * A `SetFolderOwner` step (Linux, macOS).
 */
export interface SetFolderOwnerStepProps extends SetFileOwnerStepProps {
  /**
   * Change the owner of everything in the folder too.
   *
   * @default true
   */
  readonly recursive?: boolean;
}

/**
 * What an `InstallMSI` or `UninstallMSI` step does about a reboot after it succeeds.
 */
export enum MsiReboot {
  /** Reboot when the installer asks for it. */
  ALLOW = 'Allow',
  /** Always reboot. */
  FORCE = 'Force',
  /** Never reboot. */
  SKIP = 'Skip',
}

/**
 * An `InstallMSI` or `UninstallMSI` step (Windows).
 */
export interface MsiStepProps extends StepOptions {
  /** The MSI file: a local path, an `s3://` URI or an `https://` URL. */
  readonly path: string;

  /**
   * The reboot after a successful run.
   *
   * @default MsiReboot.ALLOW
   */
  readonly reboot?: MsiReboot;

  /**
   * The msiexec logging flags, passed with `/L`.
   *
   * @default *VX
   */
  readonly logOptions?: string;

  /**
   * Where the installer's log goes.
   *
   * @default - the log is not kept
   */
  readonly logFile?: string;

  /**
   * MSI properties, such as `{ TARGETDIR: 'C:\\Tools' }`.
   *
   * @default - none
   */
  readonly properties?: { [name: string]: string };

  /**
   * Run the installer even when its Authenticode signature does not validate.
   *
   * @default false
   */
  readonly ignoreAuthenticodeSignatureErrors?: boolean;

  /**
   * Run the installer even when it is not signed.
   *
   * @default false
   */
  readonly allowUnsignedInstaller?: boolean;
}
