/**
 * The AWSTOE action modules (the `action:` of a component document step) and the document-level
 * rules, as the EC2 Image Builder user guide states them. Internal: not exported from the index.
 *
 * Sources:
 * - Action modules: https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-action-modules.html
 *   Input/output tables read from the guide's source (awsdocs/ec2-image-builder-user-guide,
 *   doc_source/toe-action-modules.md, last published revision, commit 1030a941). The platform list
 *   and the Assert module come from the current page, of which only the opening part could be read.
 * - Document rules: toe-use-documents.html, toe-user-defined-variables.html,
 *   toe-looping-constructs.html, toe-conditional-constructs.html, toe-comparison-operators.html,
 *   toe-logical-operators.html, and the CreateComponent API reference.
 *
 * Where the docs leave something open it is recorded here rather than guessed: `strictInputs: false`
 * (unknown inputs only warn), `uncertainPlatforms`, and the `*_COMPLETE = false` flags below.
 */

export type ToePlatform = 'Linux' | 'Windows' | 'macOS';
export type ToeInputType = 'string' | 'integer' | 'boolean' | 'list' | 'map' | 'any';

export interface ToeInputSpec {
  readonly name: string;
  readonly required: boolean;
  readonly type: ToeInputType;
  readonly allowedValues?: readonly string[];
  /** The docs say the value is not case-sensitive, so compare `allowedValues` ignoring case. */
  readonly caseInsensitive?: boolean;
  /** Platforms on which the docs say AWSTOE returns an error when the input is used. */
  readonly rejectedOn?: readonly ToePlatform[];
  /** The URL scheme a value written out must begin with, and what such a value is, for messages. */
  readonly scheme?: { readonly prefix: string; readonly example: string };
}

export interface ToeActionSpec {
  readonly name: string;
  readonly platforms: readonly ToePlatform[];
  /** 'object': inputs is a map; 'list': inputs is a list of maps; 'either': both are documented. */
  readonly inputShape: 'object' | 'list' | 'either';
  readonly inputs: readonly ToeInputSpec[];
  /** True when the docs list every input, so an unknown input is an error rather than a warning. */
  readonly strictInputs: boolean;
  /** Output names a later step can reference as `{{ phase.step.outputs.<name> }}`. */
  readonly outputs: readonly string[];
  readonly docUrl: string;
  /** Platforms in `platforms` that the docs do not confirm (kept so valid documents are not rejected). */
  readonly uncertainPlatforms?: readonly ToePlatform[];
  /** A warning for a platform the docs contradict each other on, to show when the action runs there. */
  readonly platformNotes?: { readonly [platform in ToePlatform]?: string };
  /** Groups of inputs of which each input entry must have exactly one (e.g. ExecutePowerShell `commands` or `file`). */
  readonly exactlyOneOf?: readonly (readonly string[])[];
}

const PAGE = 'https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-action-modules.html';
const doc = (anchor: string) => `${PAGE}#action-modules-${anchor}`;

const ALL: readonly ToePlatform[] = ['Linux', 'Windows', 'macOS'];
const LINUX_WINDOWS_MACOS_UNCONFIRMED = { platforms: ALL, uncertainPlatforms: ['macOS'] as const };

/** An S3 object or prefix URL, as S3Download takes its sources. */
const S3_URL = { prefix: 's3://', example: 's3://bucket/key' };

function req(name: string, type: ToeInputType = 'string', allowedValues?: readonly string[]): ToeInputSpec {
  return allowedValues ? { name, required: true, type, allowedValues } : { name, required: true, type };
}

function opt(name: string, type: ToeInputType = 'string', allowedValues?: readonly string[]): ToeInputSpec {
  return allowedValues ? { name, required: false, type, allowedValues } : { name, required: false, type };
}

/** The `encoding` values of AppendFile, CreateFile, ReadFile and SetFileEncoding ("case insensitive"). */
export const TOE_FILE_ENCODINGS: readonly string[] = [
  'utf8', 'utf-8', 'utf16', 'utf-16', 'utf16-LE', 'utf-16-LE', 'utf16-BE', 'utf-16-BE',
  'utf32', 'utf-32', 'utf32-LE', 'utf-32-LE', 'utf32-BE', 'utf-32-BE',
];
const encoding: ToeInputSpec = { ...opt('encoding', 'string', TOE_FILE_ENCODINGS), caseInsensitive: true };

/** SetRegistry `type` values. */
export const TOE_REGISTRY_TYPES: readonly string[] = ['BINARY', 'DWORD', 'QWORD', 'SZ', 'EXPAND_SZ', 'MULTI_SZ'];
/** SetRegistry `path` prefixes (long and short form). */
export const TOE_REGISTRY_PATH_PREFIXES: readonly string[] = [
  'HKEY_CLASSES_ROOT', 'HKCR:', 'HKEY_USERS', 'HKU:', 'HKEY_LOCAL_MACHINE', 'HKLM:',
  'HKEY_CURRENT_CONFIG', 'HKCC:', 'HKEY_CURRENT_USER', 'HKCU:',
];

/**
 * CreateFile and CreateFolder `owner`, `group` and `permissions`: "This action module validates and
 * returns an error if the `owner`, `group`, and `permissions` options are used on Windows platforms."
 */
const ownership: readonly ToeInputSpec[] = ['owner', 'group', 'permissions'].map((name) => ({ ...opt(name), rejectedOn: ['Windows'] as const }));

/** InstallMSI and UninstallMSI share their inputs and outputs. */
const MSI_INPUTS: readonly ToeInputSpec[] = [
  req('path'), // local path, S3 URI or web URL
  opt('reboot', 'string', ['Allow', 'Force', 'Skip']),
  opt('logOptions'), // msiexec /L flags, e.g. '*VX'
  opt('logFile'),
  opt('properties', 'map'),
  opt('ignoreAuthenticodeSignatureErrors', 'boolean'),
  opt('allowUnsignedInstaller', 'boolean'),
];
const MSI_OUTPUTS = ['logFile', 'msiExitCode', 'stdout'];

export const TOE_ACTIONS: readonly ToeActionSpec[] = [
  // ---- General execution ----
  {
    // Inputs are one comparison or logical operator (e.g. `stringEquals: x` + `value: y`), free-form here.
    name: 'Assert',
    platforms: ALL,
    inputShape: 'object',
    inputs: [],
    strictInputs: false,
    outputs: [],
    docUrl: doc('assertion'),
  },
  {
    name: 'ExecuteBash',
    platforms: ['Linux', 'macOS'],
    inputShape: 'object',
    inputs: [req('commands', 'list')],
    strictInputs: true,
    outputs: ['stdout'],
    docUrl: doc('executebash'),
  },
  {
    name: 'ExecuteBinary',
    platforms: ALL,
    inputShape: 'object',
    inputs: [req('path'), opt('arguments', 'list')],
    strictInputs: true,
    outputs: ['stdout'],
    docUrl: doc('executebinary'),
  },
  {
    // Runs another component document; AWSTOE fixes timeoutSeconds -1 and maxAttempts 1 for it.
    name: 'ExecuteDocument',
    platforms: ALL,
    inputShape: 'object',
    inputs: [
      req('document'), // local path, S3 URI or Image Builder component ARN
      opt('document-s3-bucket-owner'),
      opt('phases'), // comma-separated phase names; all phases when absent
      opt('parameters', 'list'), // list of { name, value }
    ],
    strictInputs: true,
    // The run summary of the nested document.
    outputs: ['executedStepCount', 'executionId', 'failedStepCount', 'failureMessage', 'ignoredFailedStepCount', 'logUrl', 'status'],
    docUrl: doc('executedocument'),
  },
  {
    // "Must specify `commands` or `file`, not both": neither is required on its own (see exactlyOneOf).
    // The input table lists only these two.
    name: 'ExecutePowerShell',
    platforms: ['Windows'],
    inputShape: 'object',
    inputs: [opt('commands', 'list'), opt('file')],
    exactlyOneOf: [['commands', 'file']],
    strictInputs: true,
    outputs: ['stdout'],
    docUrl: doc('executepowershell'),
  },

  // ---- File download and upload ----
  {
    name: 'S3Download',
    platforms: ALL,
    inputShape: 'list',
    // "source: The Amazon S3 source" of the download, an s3:// URL (S3Download, AWSTOE action modules).
    inputs: [{ ...req('source'), scheme: S3_URL }, req('destination'), opt('expectedBucketOwner'), opt('overwrite', 'boolean')],
    strictInputs: true,
    outputs: [],
    docUrl: doc('s3download'),
  },
  {
    // `recurse` is typed String in the docs' table, though the examples write `recurse: true`.
    name: 'S3Upload',
    platforms: ALL,
    inputShape: 'list',
    inputs: [req('source'), req('destination'), opt('recurse'), opt('expectedBucketOwner')],
    strictInputs: true,
    outputs: [],
    docUrl: doc('s3upload'),
  },
  {
    name: 'WebDownload',
    platforms: ALL,
    inputShape: 'list',
    inputs: [
      req('source'),
      req('destination'),
      opt('overwrite', 'boolean'),
      opt('checksum'),
      opt('algorithm', 'string', ['MD5', 'SHA1', 'SHA256', 'SHA512']),
      opt('ignoreCertificateErrors', 'boolean'),
    ],
    strictInputs: true,
    outputs: ['destination'], // newline-separated when there are several downloads
    docUrl: doc('webdownload'),
  },

  // ---- File system operations ----
  {
    name: 'AppendFile',
    platforms: ALL,
    inputShape: 'list',
    inputs: [req('path'), opt('content'), encoding],
    strictInputs: true,
    outputs: [],
    docUrl: doc('appendfile'),
  },
  {
    name: 'CopyFile',
    platforms: ALL,
    inputShape: 'list',
    inputs: [req('source'), req('destination'), opt('overwrite', 'boolean')],
    strictInputs: true,
    outputs: [],
    docUrl: doc('copyfile'),
  },
  {
    name: 'CopyFolder',
    platforms: ALL,
    inputShape: 'list',
    inputs: [req('source'), req('destination'), opt('overwrite', 'boolean')],
    strictInputs: true,
    outputs: [],
    docUrl: doc('copyfolder'),
  },
  {
    // `permissions` "must be a string" (the examples write 0777 and 755).
    name: 'CreateFile',
    platforms: ALL,
    inputShape: 'list',
    inputs: [req('path'), opt('content'), encoding, ...ownership, opt('overwrite', 'boolean')],
    strictInputs: true,
    outputs: [],
    docUrl: doc('createfile'),
  },
  {
    name: 'CreateFolder',
    platforms: ALL,
    inputShape: 'list',
    inputs: [req('path'), ...ownership, opt('overwrite', 'boolean')],
    strictInputs: true,
    outputs: [],
    docUrl: doc('createfolder'),
  },
  {
    // The module's section says "This module is not supported on Windows platforms", while the
    // page's current list of modules gives it Linux, Windows and macOS: Windows is accepted, with a warning.
    name: 'CreateSymlink',
    platforms: ALL,
    uncertainPlatforms: ['macOS', 'Windows'],
    platformNotes: {
      Windows: 'the AWSTOE guide both lists it for Windows and says "This module is not supported on Windows platforms"; ' +
        'check that the step runs before relying on it',
    },
    inputShape: 'list',
    inputs: [req('path'), req('target'), opt('force', 'boolean')],
    strictInputs: true,
    outputs: [],
    docUrl: doc('createsymlink'),
  },
  {
    // The docs list only `path`; AWS's own sample (inspec-recipe-execution-linux) also passes
    // `force: true`, so `force` is accepted (type taken from the sample) and the list is not strict.
    name: 'DeleteFile',
    platforms: ALL,
    inputShape: 'list',
    inputs: [req('path'), opt('force', 'boolean')],
    strictInputs: false,
    outputs: [],
    docUrl: doc('deletefile'),
  },
  {
    name: 'DeleteFolder',
    ...LINUX_WINDOWS_MACOS_UNCONFIRMED,
    inputShape: 'list',
    inputs: [req('path'), opt('force', 'boolean')],
    strictInputs: true,
    outputs: [],
    docUrl: doc('deletefolder'),
  },
  {
    name: 'ListFiles',
    ...LINUX_WINDOWS_MACOS_UNCONFIRMED,
    inputShape: 'list',
    inputs: [req('path'), opt('fileNamePattern'), opt('recursive', 'boolean')],
    strictInputs: true,
    outputs: ['files'], // comma-separated
    docUrl: doc('listfiles'),
  },
  {
    name: 'MoveFile',
    ...LINUX_WINDOWS_MACOS_UNCONFIRMED,
    inputShape: 'list',
    inputs: [req('source'), req('destination'), opt('overwrite', 'boolean')],
    strictInputs: true,
    outputs: [],
    docUrl: doc('movefile'),
  },
  {
    name: 'MoveFolder',
    ...LINUX_WINDOWS_MACOS_UNCONFIRMED,
    inputShape: 'list',
    inputs: [req('source'), req('destination'), opt('overwrite', 'boolean')],
    strictInputs: true,
    outputs: [],
    docUrl: doc('movefolder'),
  },
  {
    name: 'ReadFile',
    ...LINUX_WINDOWS_MACOS_UNCONFIRMED,
    inputShape: 'list',
    inputs: [req('path'), encoding, opt('printFileContent', 'boolean')],
    strictInputs: true,
    outputs: ['content'],
    docUrl: doc('readfile'),
  },
  {
    name: 'SetFileEncoding',
    ...LINUX_WINDOWS_MACOS_UNCONFIRMED,
    inputShape: 'list',
    inputs: [req('path'), encoding],
    strictInputs: true,
    outputs: [],
    docUrl: doc('setfileencoding'),
  },
  {
    // "Not supported on Windows platforms."
    name: 'SetFileOwner',
    platforms: ['Linux', 'macOS'],
    uncertainPlatforms: ['macOS'],
    inputShape: 'list',
    inputs: [req('path'), req('owner'), opt('group')],
    strictInputs: true,
    outputs: [],
    docUrl: doc('setfileowner'),
  },
  {
    // "Not supported on Windows platforms."
    name: 'SetFolderOwner',
    platforms: ['Linux', 'macOS'],
    uncertainPlatforms: ['macOS'],
    inputShape: 'list',
    inputs: [req('path'), req('owner'), opt('group'), opt('recursive', 'boolean')],
    strictInputs: true,
    outputs: [],
    docUrl: doc('setfolderowner'),
  },
  {
    // "Not supported on Windows platforms"; `permissions` "must be a string" (the examples write 766).
    name: 'SetFilePermissions',
    platforms: ['Linux', 'macOS'],
    uncertainPlatforms: ['macOS'],
    inputShape: 'list',
    inputs: [req('path'), req('permissions')],
    strictInputs: true,
    outputs: [],
    docUrl: doc('setfilepermissions'),
  },
  {
    // "Not supported on Windows platforms."
    name: 'SetFolderPermissions',
    platforms: ['Linux', 'macOS'],
    uncertainPlatforms: ['macOS'],
    inputShape: 'list',
    inputs: [req('path'), req('permissions'), opt('recursive', 'boolean')],
    strictInputs: true,
    outputs: [],
    docUrl: doc('setfolderpermissions'),
  },

  // ---- Software installation ----
  {
    name: 'InstallMSI',
    platforms: ['Windows'],
    inputShape: 'object',
    inputs: MSI_INPUTS,
    strictInputs: true,
    outputs: MSI_OUTPUTS,
    docUrl: doc('install-msi'),
  },
  {
    name: 'UninstallMSI',
    platforms: ['Windows'],
    inputShape: 'object',
    inputs: MSI_INPUTS,
    strictInputs: true,
    outputs: MSI_OUTPUTS,
    docUrl: doc('uninstall-msi'),
  },

  // ---- System actions ----
  {
    name: 'Reboot',
    ...LINUX_WINDOWS_MACOS_UNCONFIRMED,
    inputShape: 'object',
    inputs: [opt('delaySeconds', 'integer')],
    strictInputs: true,
    outputs: [],
    docUrl: doc('reboot'),
  },
  {
    // `value` is "String/Number/Array".
    name: 'SetRegistry',
    platforms: ['Windows'],
    inputShape: 'list',
    inputs: [req('path'), req('name'), req('value', 'any'), req('type', 'string', TOE_REGISTRY_TYPES)],
    strictInputs: true,
    outputs: [],
    docUrl: doc('setregistry'),
  },
  {
    // "Windows and Linux updates"; include/exclude are KB IDs or update-name patterns (Windows)
    // or package names (Linux), so they are free strings.
    name: 'UpdateOS',
    platforms: ['Linux', 'Windows'],
    inputShape: 'object',
    inputs: [opt('include', 'list'), opt('exclude', 'list')],
    strictInputs: true,
    outputs: [],
    docUrl: doc('updateos'),
  },
];

const ACTIONS_BY_NAME = new Map(TOE_ACTIONS.map((a) => [a.name, a]));

/** The action with exactly this name (AWSTOE action names are case-sensitive). */
export function findAction(name: string): ToeActionSpec | undefined {
  return ACTIONS_BY_NAME.get(name);
}

/** The action whose name matches ignoring case, to suggest the right spelling. */
export function findActionIgnoringCase(name: string): ToeActionSpec | undefined {
  const lower = name.toLowerCase();
  return TOE_ACTIONS.find((a) => a.name.toLowerCase() === lower);
}

/**
 * The action whose name is nearest `name` when at most two letters are added, dropped or changed
 * (case aside), as a typo would: `ExecuteBsh` → `ExecuteBash`. None when two are as near.
 */
export function findActionNear(name: string): ToeActionSpec | undefined {
  const lower = name.toLowerCase();
  const near = TOE_ACTIONS.map((action) => ({ action, distance: editDistance(lower, action.name.toLowerCase(), 2) }))
    .filter((candidate) => candidate.distance <= 2)
    .sort((a, b) => a.distance - b.distance);
  return near.length > 0 && (near.length === 1 || near[1].distance > near[0].distance) ? near[0].action : undefined;
}

/** Levenshtein distance of `a` and `b`, or `max + 1` once it is over `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) {
    return max + 1;
  }
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    if (Math.min(...current) > max) {
      return max + 1;
    }
    previous = current;
  }
  return previous[b.length];
}

// ---- Document-level facts ----

/**
 * `schemaVersion` is a String, "currently 1.0" (toe-use-documents.html), and AWS's examples write
 * `schemaVersion: 1.0`. YAML reads both `1.0` and `1` as the number 1, but a string field in
 * AWSTOE's (Go) reader takes the text as written, so documents are rendered with `1.0`.
 */
export const TOE_SCHEMA_VERSION = '1.0';

/** Top-level keys of a document (toe-use-documents.html, toe-user-defined-variables.html). */
export const TOE_DOCUMENT_KEYS: readonly string[] = ['name', 'description', 'schemaVersion', 'parameters', 'constants', 'phases'];

/** Keys of a step: the schema's six, `loop` (toe-looping-constructs.html) and `if` (toe-conditional-constructs.html). */
export const TOE_STEP_KEYS: readonly string[] = ['name', 'action', 'timeoutSeconds', 'onFailure', 'maxAttempts', 'inputs', 'loop', 'if'];

/**
 * Phase names Image Builder runs: build and validate in the build stage, test and container-host-test
 * in the test stage (toe-use-documents.html). Phase names must be unique in a document. AWSTOE itself
 * runs other phases too ("You can define many phases in your document"), but Image Builder never does.
 */
export const TOE_PHASES: readonly string[] = ['build', 'validate', 'test', 'container-host-test'];
/** "You must include at least one of the following phases" (toe-use-documents.html). */
export const TOE_PHASES_AT_LEAST_ONE_OF: readonly string[] = ['build', 'validate', 'test'];

/** `onFailure` values, case as written; the default is Abort (toe-use-documents.html, toe-looping-constructs.html). */
export const TOE_ON_FAILURE_VALUES: readonly string[] = ['Abort', 'Continue', 'Ignore'];
export const TOE_ON_FAILURE_DEFAULT = 'Abort';

/**
 * `timeoutSeconds`: a positive integer, or -1 for no timeout; "0 and other negative values are not
 * allowed"; default 7200. The docs give no maximum (toe-use-documents.html).
 */
export const TOE_TIMEOUT_SECONDS: { readonly min: number; readonly max?: number; readonly noTimeout: number; readonly default: number } = {
  min: 1,
  max: undefined,
  noTimeout: -1,
  default: 7200,
};

/**
 * `maxAttempts`: an integer, default 1. The docs state neither bound; 1 is the least that makes
 * sense for a count of attempts, not a documented minimum, so a value below it only warns
 * (toe-use-documents.html).
 */
export const TOE_MAX_ATTEMPTS: { readonly min: number; readonly max?: number; readonly default: number } = {
  min: 1,
  max: undefined,
  default: 1,
};

/**
 * ExecuteDocument "sets the following default values, and returns an error if you try to change them":
 * timeoutSeconds -1 and maxAttempts 1 (leaving them out is fine); at most three levels of nesting
 * (toe-action-modules.html).
 */
export const TOE_EXECUTE_DOCUMENT_RULES = { timeoutSeconds: -1, maxAttempts: 1, maxNestingLevels: 3 } as const;

/**
 * Step names: "unique for the phase" (toe-use-documents.html). The AWSTOE pages give no pattern, but
 * CreateComponent rejects other characters: "Invalid step name 'Loading ssh keys' in phase 'build'.
 * Allowed characters are combinations of numbers [0-9], english letters [a-z,A-Z] and special
 * characters [-_]." (reported in aws/aws-cdk#19909). No length limit is known.
 */
export const TOE_STEP_NAME: { readonly uniqueWithin: 'phase'; readonly pattern: RegExp } = {
  uniqueWithin: 'phase',
  pattern: /^[A-Za-z0-9_-]+$/,
};

/**
 * Parameter and constant names: 3 to 128 letters, digits, dashes or underscores, unique in the
 * document across both; the only type is `string` (toe-user-defined-variables.html).
 */
export const TOE_VARIABLE_NAME = /^[A-Za-z0-9_-]{3,128}$/;
export const TOE_VARIABLE_TYPES: readonly string[] = ['string'];
export const TOE_PARAMETER_KEYS: readonly string[] = ['type', 'default', 'description'];
export const TOE_CONSTANT_KEYS: readonly string[] = ['type', 'value'];

/** Inline component data (CreateComponent `data`) is 1 to 16,000 characters; larger documents go by `uri`. */
export const TOE_INLINE_DATA_MAX_LENGTH = 16_000;

/**
 * Looping constructs (toe-looping-constructs.html):
 * - `for: { start, end, updateBy }`: integers, range includes both ends, updateBy non-zero, no chaining expressions;
 * - `forEach: [strings]`: chaining expressions allowed;
 * - `forEach: { list, delimiter }`: `list` a string (chaining allowed); `delimiter` one character,
 *   default ','. The allowed characters are those of the schema example, `".,;:\n\t -_"`.
 * A loop may have a `name` ("Unique name of the loop. It must be unique compared to other loop names
 * in the same phase", default ""); the docs give no pattern for it.
 */
export const TOE_LOOP = {
  kinds: ['for', 'forEach'],
  forKeys: ['start', 'end', 'updateBy'],
  forEachSplitKeys: ['list', 'delimiter'],
  delimiters: ['.', ',', ';', ':', '\n', '\t', ' ', '-', '_'],
  defaultDelimiter: ',',
  nameUniqueWithin: 'phase',
} as const;

/** Iteration variables: `{{ loop.index }}` (0-based), `{{ loop.value }}`, and `{{ <loop name>.index|value }}`. */
export const TOE_LOOP_VARIABLES: readonly string[] = ['index', 'value'];
export const TOE_LOOP_REFERENCE_PREFIX = 'loop';

/**
 * Input/output chaining: `{{ phase.step.inputs.x }}`, `{{ phase.step.inputs[i].x }}` (0-based) and the
 * same with `outputs` (toe-use-documents.html).
 */
export const TOE_CHAINING_REFERENCE = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.(inputs|outputs)(?:\[\d+\])?\.([A-Za-z0-9_-]+)$/;

/** Built-in variables: the pages read document none beyond the loop variables above. */
export const TOE_BUILT_IN_VARIABLES: readonly string[] = [];

/** Logical operators for `if` and Assert (toe-logical-operators.html, toe-conditional-constructs.html). */
export const TOE_LOGICAL_OPERATORS: readonly string[] = ['and', 'or', 'not'];

/**
 * Comparison operators for `if` and Assert (toe-comparison-operators.html). Only these could be
 * confirmed: the string operators, and numberEquals and binaryExists from the docs' examples. The
 * page also has number and file sections whose operator list could not be read, so the list is
 * incomplete and must not be used to reject an operator.
 */
export const TOE_COMPARISON_OPERATORS: readonly string[] = [
  'stringIsEmpty', 'stringIsWhitespace', 'stringEquals', 'stringLessThan', 'stringLessThanEquals',
  'stringGreaterThan', 'stringGreaterThanEquals', 'patternMatches',
  'numberEquals',
  'binaryExists',
];
export const TOE_COMPARISON_OPERATORS_COMPLETE = false;

/**
 * `if` syntax (toe-conditional-constructs.html): a conditional expression with exactly one operator
 * at the top level, and optional `then` / `else` step actions, each one of Abort, Execute and Skip.
 * The syntax block writes it as a list (`if:` / `  - <conditional expression>:` / `      [then:
 * <step action>]`), the examples as a map; both are accepted. "Conditional expressions support a
 * maximum nesting depth of 4 levels. If you nest logical operators (and, or, not) beyond 4 levels
 * deep, validation fails."
 */
export const TOE_IF_STEP_ACTIONS: readonly string[] = ['Abort', 'Execute', 'Skip'];
export const TOE_IF_MAX_LOGICAL_DEPTH = 4;
/** The keys of a condition that are not its operator: a comparison's `value`, and the step actions. */
export const TOE_IF_NON_OPERATOR_KEYS: readonly string[] = ['value', 'then', 'else'];
