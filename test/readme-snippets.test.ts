import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * Type-checks every ```ts block of README.md against the library's sources.
 *
 * A block is a fragment: it uses `stack` or `this` as the scope and names such as `Component`,
 * `iam` or `recipe` without importing or declaring them. Each block is wrapped in a fixture (a
 * module with the imports every block may use, `declare const` lines for the variables blocks
 * assume, and a `Stack` subclass whose constructor holds the block), and all fixtures are checked
 * in one TypeScript program with the options of test/tsconfig.json.
 */

const ROOT = path.join(__dirname, '..');
const README = path.join(ROOT, 'README.md');
const LIBRARY_ENTRY = path.join(ROOT, 'src', 'index.ts');

/** How README blocks name the library in their own imports; fixtures import it from src. */
const PACKAGE_NAME = 'cdk-imagebuilder';

/** "declared but never read/used" and friends: a fragment need not use what the fixture offers. */
const IGNORED_DIAGNOSTICS = new Set([6133, 6192, 6196, 6198]);

/** Modules every block may use, by local name; a block that imports the name itself wins. */
const NAMESPACE_IMPORTS: Record<string, string> = {
  cdk: 'aws-cdk-lib',
  constructs: 'constructs',
  ec2: 'aws-cdk-lib/aws-ec2',
  ecr: 'aws-cdk-lib/aws-ecr',
  iam: 'aws-cdk-lib/aws-iam',
  imagebuilder: '../src',
  kms: 'aws-cdk-lib/aws-kms',
  lambda: 'aws-cdk-lib/aws-lambda',
  logs: 'aws-cdk-lib/aws-logs',
  s3: 'aws-cdk-lib/aws-s3',
  sns: 'aws-cdk-lib/aws-sns',
  ssm: 'aws-cdk-lib/aws-ssm',
  targets: 'aws-cdk-lib/aws-events-targets',
};

/** Names of aws-cdk-lib that blocks without imports of their own use as they are. */
const CORE_NAMES = ['App', 'CfnParameter', 'Duration', 'RemovalPolicy', 'Size', 'Stack'];

/** Variables that blocks assume exist (made in another block, or the reader's own). */
const DECLARATIONS = `
declare const approvalWorkflow: imagebuilder.IWorkflow;
declare const approver: lambda.IFunction;
declare const bucket: s3.IBucket;
declare const buildersGroup: ec2.ISecurityGroup;
declare const buildInstanceRole: iam.IRole;
declare const buildRole: iam.IRole;
declare const ciRole: iam.IRole;
declare const component: imagebuilder.Component;
declare const containerRecipe: imagebuilder.ContainerRecipe;
declare const database: ec2.IConnectable;
declare const distribution: imagebuilder.DistributionConfiguration;
declare const fastLaunchTemplate: ec2.ILaunchTemplate;
declare const image: imagebuilder.Image;
declare const imageLogGroup: logs.ILogGroup;
declare const infrastructure: imagebuilder.InfrastructureConfiguration;
declare const key: kms.IKey;
declare const launchTemplate: ec2.ILaunchTemplate;
declare const licenseConfigurationArn: string;
declare const pager: sns.ITopic;
declare const pipeline: imagebuilder.ImagePipeline;
declare const pipelineLogGroup: logs.ILogGroup;
declare const recipe: imagebuilder.ImageRecipe;
declare const repository: ecr.IRepository;
declare const role: iam.IRole;
declare const tools: imagebuilder.IComponent;
declare const topic: sns.ITopic;
declare const vpc: ec2.IVpc;
declare const workflow: imagebuilder.IWorkflow;
`;

interface Snippet {
  /** README line of the block's first line of code (1-based). */
  readonly line: number;
  readonly code: string;
}

interface FixtureLine {
  readonly text: string;
  /** The README line this line comes from; undefined for the fixture's own lines. */
  readonly readmeLine?: number;
}

interface Fixture {
  readonly fileName: string;
  readonly snippet: Snippet;
  readonly lines: FixtureLine[];
}

/** The ```ts (or ```typescript) blocks of a Markdown text, with the line each starts on. */
function extractTypeScriptBlocks(markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const end = lines.findIndex((text, j) => j > i && /^```\s*$/.test(text));
    if (end === -1) throw new Error(`README.md line ${i + 1}: code block is not closed`);
    snippets.push({ line: i + 2, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return snippets;
}

/** Local names bound by an import declaration. */
function importedNames(declaration: ts.ImportDeclaration): string[] {
  const clause = declaration.importClause;
  if (!clause) return [];
  const names = clause.name ? [clause.name.text] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
  if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((element) => element.name.text));
  return names;
}

/**
 * Wraps a block in a module: its own import lines are hoisted to the top (from the package name to
 * src), followed by the module namespaces it does not import itself, for a block without imports
 * every name of the library and the common aws-cdk-lib classes, the declarations and a Stack
 * subclass whose constructor runs the rest of the block.
 */
function wrapSnippet(snippet: Snippet, libraryNames: string[]): Fixture {
  const parsed = ts.createSourceFile('snippet.ts', snippet.code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const importLines = new Set<number>();
  const ownNames = new Set<string>();
  for (const statement of parsed.statements.filter(ts.isImportDeclaration)) {
    const first = parsed.getLineAndCharacterOfPosition(statement.getStart(parsed)).line;
    const last = parsed.getLineAndCharacterOfPosition(statement.getEnd()).line;
    for (let line = first; line <= last; line++) importLines.add(line);
    importedNames(statement).forEach((name) => ownNames.add(name));
  }

  const codeLines = snippet.code.split('\n').map((text, i) => ({ text, readmeLine: snippet.line + i }));
  const preamble = Object.entries(NAMESPACE_IMPORTS)
    .filter(([name]) => !ownNames.has(name))
    .map(([name, module]) => `import * as ${name} from '${module}';`);
  // A block that shows its imports is copied as it is: it must import every class it uses.
  if (importLines.size === 0) {
    preamble.push(`import { ${CORE_NAMES.join(', ')} } from 'aws-cdk-lib';`);
    preamble.push(`import { ${libraryNames.join(', ')} } from '../src';`);
  }
  const lines: FixtureLine[] = [
    ...codeLines
      .filter((_, i) => importLines.has(i))
      .map(({ text, readmeLine }) => ({ text: text.replace(`'${PACKAGE_NAME}'`, "'../src'"), readmeLine })),
    ...preamble.map((text) => ({ text })),
    ...DECLARATIONS.split('\n').map((text) => ({ text })),
    { text: 'export class Fixture extends cdk.Stack {' },
    { text: '  constructor(scope: constructs.Construct, id: string) {' },
    { text: '    super(scope, id);' },
    { text: '    const stack = this;' },
    { text: '    {' },
    ...codeLines.filter((_, i) => !importLines.has(i)),
    { text: '    }' },
    { text: '  }' },
    { text: '}' },
  ];
  return { fileName: path.join(ROOT, 'test', `readme-line-${snippet.line}.ts`), snippet, lines };
}

function compilerOptions(): ts.CompilerOptions {
  const configFile = path.join(ROOT, 'test', 'tsconfig.json');
  const config = ts.readConfigFile(configFile, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(configFile));
  return { ...parsed.options, noEmit: true };
}

/** A compiler host that serves the fixtures from memory and everything else from disk. */
function createHost(options: ts.CompilerOptions, files: Map<string, string>): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = files.get(path.resolve(fileName));
    return text === undefined
      ? getSourceFile(fileName, languageVersion, onError, shouldCreate)
      : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  host.fileExists = (fileName) => files.has(path.resolve(fileName)) || fileExists(fileName);
  host.readFile = (fileName) => files.get(path.resolve(fileName)) ?? readFile(fileName);
  return host;
}

/** Every name src/index.ts exports, values and types. */
function libraryExports(program: ts.Program): string[] {
  const entry = program.getSourceFile(LIBRARY_ENTRY);
  const symbol = entry && program.getTypeChecker().getSymbolAtLocation(entry);
  if (!symbol) throw new Error(`cannot read the exports of ${LIBRARY_ENTRY}`);
  return program.getTypeChecker().getExportsOfModule(symbol).map((exported) => exported.name).sort();
}

/** The errors of each fixture, as `README.md line N: message`. */
function checkSnippets(snippets: Snippet[]): Map<Snippet, string[]> {
  const options = compilerOptions();
  const files = new Map<string, string>();
  const libraryProgram = ts.createProgram([LIBRARY_ENTRY], options, createHost(options, files));
  const libraryNames = libraryExports(libraryProgram);
  const fixtures = snippets.map((snippet) => wrapSnippet(snippet, libraryNames));
  fixtures.forEach((fixture) => files.set(fixture.fileName, fixture.lines.map((line) => line.text).join('\n')));
  const program = ts.createProgram(fixtures.map((fixture) => fixture.fileName), options, createHost(options, files), libraryProgram);

  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  if (global.length > 0) {
    throw new Error(global.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')).join('\n'));
  }

  const errors = new Map<Snippet, string[]>();
  for (const fixture of fixtures) {
    const sourceFile = program.getSourceFile(fixture.fileName)!;
    const diagnostics = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    errors.set(fixture.snippet, diagnostics
      .filter((diagnostic) => !IGNORED_DIAGNOSTICS.has(diagnostic.code))
      .map((diagnostic) => {
        const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
        const line = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line;
        const readmeLine = fixture.lines[line]?.readmeLine;
        return readmeLine === undefined
          ? `README.md line ${fixture.snippet.line} (fixture around the block): ${message}`
          : `README.md line ${readmeLine}: ${message}`;
      }));
  }
  return errors;
}

const snippets = extractTypeScriptBlocks(fs.readFileSync(README, 'utf-8'));

/** Blocks with known mistakes, checked in the same program, so that the check itself is tested. */
const WRONG_PROP: Snippet = {
  line: 500,
  code: "const c = new Component(stack, 'C', {\n  platfrom: Platform.LINUX,\n  data: ComponentData.fromInline('x'),\n});",
};
const MISSING_IMPORT: Snippet = {
  line: 600,
  code: "import { Component, Platform } from 'cdk-imagebuilder';\n\nnew Component(this, 'C', { platform: Platform.LINUX, data: ComponentData.fromInline('x') });",
};

let errors: Map<Snippet, string[]>;

beforeAll(() => {
  errors = checkSnippets([...snippets, WRONG_PROP, MISSING_IMPORT]);
});

test('README.md has TypeScript blocks to check', () => {
  expect(snippets.length).toBeGreaterThan(20);
});

test.each(snippets.map((snippet) => [snippet.line, snippet] as const))('README.md block at line %d compiles', (_line, snippet) => {
  expect(errors.get(snippet)).toEqual([]);
});

describe('the check', () => {
  test('reports a wrong prop name at its README line', () => {
    expect(errors.get(WRONG_PROP)).toEqual([
      expect.stringMatching(/^README.md line 501: Object literal may only specify known properties, but 'platfrom' does not exist in type 'ComponentProps'/),
    ]);
  });

  test('holds a block that shows its imports to them', () => {
    expect(errors.get(MISSING_IMPORT)).toEqual(["README.md line 602: Cannot find name 'ComponentData'. Did you mean 'Component'?"]);
  });
});

describe('extractTypeScriptBlocks', () => {
  test('finds ts blocks with the line of their first line of code, and skips other languages', () => {
    const markdown = ['# Title', '```ts', 'a;', 'b;', '```', '```bash', 'ls', '```', '```typescript', 'c;', '```'].join('\n');

    expect(extractTypeScriptBlocks(markdown)).toEqual([
      { line: 3, code: 'a;\nb;' },
      { line: 10, code: 'c;' },
    ]);
  });

  test('fails on a block that is not closed', () => {
    expect(() => extractTypeScriptBlocks('text\n```ts\na;\n')).toThrow('README.md line 2: code block is not closed');
  });
});
