import { JsonFile, awscdk, javascript } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-imagebuilder',
  description: 'EC2 Image Builder constructs for the AWS CDK: components, recipes, pipelines, sharing and deploy-time builds, validated at synth time',
  author: 'cdk-imagebuilder maintainers',
  authorAddress: 'maintainers@cdk-imagebuilder.dev',
  repositoryUrl: 'https://github.com/cdk-imagebuilder/cdk-imagebuilder.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'aws-cdk', 'imagebuilder', 'ec2-image-builder', 'ami', 'golden-image'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  cdkVersion: '2.257.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',

  // CI is `.ci/run`; no hosted workflows.
  github: false,
  release: false,

  publishToPypi: {
    distName: 'cdk-imagebuilder',
    module: 'cdk_imagebuilder',
  },

  // The one handler is declared below, to bundle it minified.
  lambdaAutoDiscover: false,

  // Renders and parses component documents; bundled so users need no extra install.
  bundledDeps: ['yaml'],

  devDeps: [
    '@aws/cloudformation-validate@1.9.0-beta',
    'cdk-nag@^2.36.0',
    'ts-node',
    // The custom-resource handler's clients: provided by the Lambda runtime, so only needed to
    // compile the handler and to run its tests against the local endpoint.
    '@aws-sdk/client-imagebuilder@^3.1046.0',
    '@aws-sdk/client-ram@^3.1048.0',
    '@aws-sdk/client-lambda@^3.1046.0',
    '@aws-cdk/integ-runner@2.197.10',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    // The benchmark's reference: the official module, on the same app as this library's L2s.
    '@aws-cdk/aws-imagebuilder-alpha@2.270.0-alpha.0',
  ],

  jestOptions: {
    // Snapshots are checked, never rewritten, by `npm test`; `npx projen test:update` rewrites them.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 60_000,
      // The run's temporary files (aws-cdk-lib's cdk.out folders, fixtures) go into one folder removed at the end.
      globalSetup: '<rootDir>/test/helpers/temp-folder-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/temp-folder-teardown.ts',
    },
  },

  tsconfigDev: {
    compilerOptions: {},
    include: ['../examples/**/*.ts', '../scripts/**/*.ts', '../bench/**/*.ts'],
  },
});

// Python packaging without PyPI: generate the sources with jsii-pacmak, then build the wheel
// and sdist with Debian's python3-build (no isolated env, so nothing is downloaded) and check them.
const packagePython = project.tasks.tryFind('package:python')!;
packagePython.reset('rm -rf dist/python dist/python-src');
packagePython.exec('jsii-pacmak --target python --code-only --outdir dist/python-src');
// The README's Python examples must match the generated signatures (names, keyword arguments).
packagePython.exec('/usr/bin/python3 scripts/check_readme_python.py dist/python-src/python/src/cdk_imagebuilder/__init__.py README.md');
packagePython.exec('/usr/bin/python3 -m build --no-isolation --skip-dependency-check --outdir dist/python dist/python-src/python');
packagePython.exec('/usr/bin/python3 -m twine check --strict dist/python/*');
packagePython.exec('/usr/bin/python3 -m compileall -q dist/python-src/python/src');

// Always package every language, in CI too.
project.tasks.tryFind('package')!.reset();
project.tasks.tryFind('package')!.spawn(project.tasks.tryFind('package-all')!);

// The main job: synthesize the example app to CloudFormation, offline.
project.addTask('synth:example', {
  description: 'Synthesize the example app to cdk.out/example and summarise its templates',
  exec: 'ts-node --project test/tsconfig.json scripts/synth-example.ts',
  receiveArgs: true,
});
// The registry serves only 2.270.0-alpha.0 of the official module, which asks for aws-cdk-lib
// ^2.270; the benchmark runs it on this project's aws-cdk-lib, like for like with the L2s it is
// compared with (its templates for the benchmark app are checked to be the L1 app's).
project.package.addField('overrides', { '@aws-cdk/aws-imagebuilder-alpha': { 'aws-cdk-lib': '$aws-cdk-lib' } });

project.addTask('bench', {
  description: 'Run the benchmarks; prints a table and writes bench/RESULTS.md',
  exec: 'ts-node --project test/tsconfig.json bench/bench.ts',
});
// The custom-resource handler: the SDK comes with the runtime and stays external; minified, the
// handler's own code stays a few KB.
new awscdk.LambdaFunction(project, {
  entrypoint: 'src/custom-resources/imagebuilder.lambda.ts',
  runtime: awscdk.LambdaRuntime.NODEJS_22_X,
  cdkDeps: project.cdkDeps,
  // LambdaFunction hands these to the bundler's addBundle, which takes `minify`; its own type omits it.
  bundlingOptions: { minify: true } as javascript.AddBundleOptions,
});

// The handler's SDK clients come with the Lambda runtime: dev dependencies, kept out of the bundle.
project.eslint?.allowDevDeps('src/custom-resources/**');

// Tests, the example and the benchmark synthesize the custom-resource handler, whose asset the
// bundle task builds.
const bundle = project.tasks.tryFind('bundle')!;
project.testTask.prependSpawn(bundle);
project.tasks.tryFind('synth:example')!.prependSpawn(bundle);
project.tasks.tryFind('bench')!.prependSpawn(bundle);
// Integration tests: test/integ.*.ts apps with committed snapshots. `npm test` checks the snapshots
// offline; `integ:update` rewrites them (without deploying); deploying them is for maintainers with
// an AWS account (`npx integ-runner --language typescript --app ... --force`). The snapshot check
// ignores asset hashes, so `integ:update` rewrites every snapshot (`--force`): otherwise the
// handler code kept in the snapshots would go stale when only the handler changed.
const integApp = 'ts-node --transpile-only --project test/tsconfig.json {filePath}';
const integSnapshot = project.addTask('integ:snapshot', {
  description: 'Check the integration test snapshots (no AWS account needed)',
  exec: `integ-runner --language typescript --app "${integApp}"`,
});
integSnapshot.prependSpawn(bundle);
project.addTask('integ:update', {
  description: 'Rewrite the integration test snapshots without deploying',
  exec: `integ-runner --language typescript --app "${integApp}" --force --dry-run`,
}).prependSpawn(bundle);
project.testTask.spawn(integSnapshot);
project.gitignore.exclude('/cdk.out/');
project.npmignore?.exclude('/examples/', '/scripts/', '/bench/', '/cdk.out/', '/.ci/');
// Examples, scripts and benchmarks are type-checked and linted like tests; each folder needs a
// tsconfig of its own for eslint's project service to find.
for (const dir of ['examples', 'scripts', 'bench']) {
  project.eslint?.addLintPattern(dir);
  project.eslint?.allowDevDeps(`${dir}/**`);
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..' },
      include: ['**/*.ts'],
    },
  });
}

project.synth();
